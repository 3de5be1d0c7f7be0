"""Date and time (reference 7.10, "Date and time")."""

from __future__ import annotations

import math
import time
import zoneinfo

import pytest
from stdlib_support import call, fails, same

from atlas.stdlib.datetime_lib import DateTime
from atlas.vm.values import HashMap, display, hash_key, kind_name, values_equal


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> DateTime:
    return call("dateTimeFromComponents", *(float(x) for x in (y, mo, d, h, mi, s)))


def type_error(message: str) -> tuple[str, str]:
    return ("AT0001", f"Type error: {message}")


def duration(d: HashMap) -> dict:
    return {k: v for k, v in d.entries.values()}


# --------------------------------------------------------------- construction


def test_values_display_as_rfc3339_and_compare_by_instant() -> None:
    d = at(2024, 1, 15, 10, 30)
    assert kind_name(d) == "datetime"
    assert display(d) == "2024-01-15T10:30:00+00:00"
    assert values_equal(d, call("dateTimeParseIso", "2024-01-15T11:30:00+01:00"))
    assert not values_equal(d, at(2024, 1, 15, 10, 31))


def test_now_is_the_current_instant() -> None:
    before = time.time()
    now = call("dateTimeToTimestamp", call("dateTimeNow"))
    utc = call("dateTimeToTimestamp", call("dateTimeUtc"))
    after = time.time()
    assert before - 1 <= now <= utc <= after + 1


def test_from_timestamp() -> None:
    d = call("dateTimeFromTimestamp", 1_705_314_600.0)
    assert display(d) == "2024-01-15T10:30:00+00:00"
    assert display(call("dateTimeFromTimestamp", -86400.0)) == "1969-12-31T00:00:00+00:00"
    assert call("dateTimeToTimestamp", call("dateTimeFromTimestamp", 1.5)) == 1.5
    assert fails("dateTimeFromTimestamp", 1e20) == type_error(
        "dateTimeFromTimestamp: result out of range"
    )
    assert fails("dateTimeFromTimestamp", math.nan) == type_error(
        "dateTimeFromTimestamp: expected a finite number, got NaN"
    )


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ((2024, 13, 1, 0, 0, 0), "month must be a whole number 1-12, got 13"),
        ((2024, 1, 0, 0, 0, 0), "day must be a whole number 1-31, got 0"),
        ((2024, 1, 1, 24, 0, 0), "hour must be a whole number 0-23, got 24"),
        ((2024, 1, 1, 0, 60, 0), "minute must be a whole number 0-59, got 60"),
        ((2024, 1, 1, 0, 0, 1.5), "second must be a whole number 0-59, got 1.5"),
        ((0, 1, 1, 0, 0, 0), "year must be a whole number 1-9999, got 0"),
        ((2023, 2, 29, 0, 0, 0), "2023-02-29 is not a date"),
    ],
)
def test_from_components_validates(parts: tuple, message: str) -> None:
    args = [float(x) for x in parts]
    assert fails("dateTimeFromComponents", *args) == type_error(
        f"dateTimeFromComponents: {message}"
    )


def test_from_components_accepts_leap_days() -> None:
    assert display(at(2024, 2, 29, 23, 59, 59)) == "2024-02-29T23:59:59+00:00"


# -------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-15T10:30:00Z", "2024-01-15T10:30:00+00:00"),
        ("2024-01-15T10:30:00+02:00", "2024-01-15T08:30:00+00:00"),
        ("2024-01-15T10:30:00", "2024-01-15T10:30:00+00:00"),
        ("2024-01-15", "2024-01-15T00:00:00+00:00"),
        ("2024-01-15T10:30:00.250Z", "2024-01-15T10:30:00.250000+00:00"),
    ],
)
def test_parse_iso(text: str, expected: str) -> None:
    assert display(call("dateTimeParseIso", text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-15T10:30:00Z", "2024-01-15T10:30:00+00:00"),
        ("2024-01-15t10:30:00z", "2024-01-15T10:30:00+00:00"),
        ("2024-01-15 10:30:00-05:00", "2024-01-15T15:30:00+00:00"),
        ("2024-01-15T10:30:00.5+00:00", "2024-01-15T10:30:00.500000+00:00"),
    ],
)
def test_parse_rfc3339(text: str, expected: str) -> None:
    assert display(call("dateTimeParseRfc3339", text)) == expected


def test_parse_rfc2822() -> None:
    d = call("dateTimeParseRfc2822", "Mon, 15 Jan 2024 10:30:00 +0100")
    assert display(d) == "2024-01-15T09:30:00+00:00"
    assert display(call("dateTimeParseRfc2822", "15 Jan 2024 10:30:00 GMT")) == (
        "2024-01-15T10:30:00+00:00"
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("dateTimeParseIso", "15/01/2024"),
        ("dateTimeParseIso", ""),
        ("dateTimeParseRfc3339", "2024-01-15T10:30:00"),  # no offset
        ("dateTimeParseRfc3339", "2024-01-15"),
        ("dateTimeParseRfc3339", "2024-13-15T10:30:00Z"),
        ("dateTimeParseRfc2822", "yesterday"),
    ],
)
def test_parse_failures(name: str, text: str) -> None:
    code, message = fails(name, text)
    assert code == "AT0001"
    assert message.startswith(f"Type error: {name}: failed to parse '{text}': ")


def test_parse_with_a_format() -> None:
    d = call("dateTimeParse", "15/01/2024 10:30", "%d/%m/%Y %H:%M")
    assert display(d) == "2024-01-15T10:30:00+00:00"
    shifted = call("dateTimeParse", "2024-01-15 10:30 +0200", "%Y-%m-%d %H:%M %z")
    assert display(shifted) == "2024-01-15T08:30:00+00:00"
    code, message = fails("dateTimeParse", "2024", "%d/%m/%Y")
    assert code == "AT0001"
    assert message.startswith("Type error: dateTimeParse: failed to parse '2024': ")


def test_try_parse_uses_the_first_format_that_fits() -> None:
    formats = ["%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y"]
    assert display(call("dateTimeTryParse", "13/01/2024", formats)) == "2024-01-13T00:00:00+00:00"
    assert display(call("dateTimeTryParse", "01/02/2024", formats)) == "2024-02-01T00:00:00+00:00"
    assert fails("dateTimeTryParse", "nope", formats) == type_error(
        "dateTimeTryParse: failed to parse 'nope': no format matched (tried 3)"
    )
    assert fails("dateTimeTryParse", "x", "%Y") == type_error(
        "dateTimeTryParse: expected string[], got string"
    )


# ------------------------------------------------------------------ components


def test_components() -> None:
    d = at(2024, 3, 10, 14, 5, 9)  # a Sunday
    expected = {
        "dateTimeYear": 2024.0,
        "dateTimeMonth": 3.0,
        "dateTimeDay": 10.0,
        "dateTimeHour": 14.0,
        "dateTimeMinute": 5.0,
        "dateTimeSecond": 9.0,
        "dateTimeWeekday": 7.0,
        "dateTimeDayOfYear": 70.0,
    }
    for name, value in expected.items():
        assert call(name, d) == value, name
    assert call("dateTimeWeekday", at(2024, 1, 15)) == 1.0  # Monday
    assert call("dateTimeDayOfYear", at(2024, 12, 31)) == 366.0


# ------------------------------------------------------------------ arithmetic


def test_adding() -> None:
    d = at(2024, 1, 31, 23, 59, 30)
    assert display(call("dateTimeAddSeconds", d, 45.0)) == "2024-02-01T00:00:15+00:00"
    assert display(call("dateTimeAddMinutes", d, -60.0)) == "2024-01-31T22:59:30+00:00"
    assert display(call("dateTimeAddHours", d, 1.5)) == "2024-02-01T01:29:30+00:00"
    assert display(call("dateTimeAddDays", d, 29.0)) == "2024-02-29T23:59:30+00:00"
    assert fails("dateTimeAddDays", d, 1e9) == type_error("dateTimeAddDays: result out of range")
    assert fails("dateTimeAddDays", d, math.inf)[0] == "AT0001"


def test_difference_comparison_and_timestamps() -> None:
    a = at(2024, 1, 2)
    b = at(2024, 1, 1, 12)
    assert call("dateTimeDiff", a, b) == 43200.0
    assert call("dateTimeDiff", b, a) == -43200.0
    assert call("dateTimeCompare", a, b) == 1.0
    assert call("dateTimeCompare", b, a) == -1.0
    assert call("dateTimeCompare", a, at(2024, 1, 2)) == 0.0
    assert call("dateTimeToTimestamp", at(1970, 1, 1)) == 0.0
    assert call("dateTimeToTimestamp", at(2024, 1, 15, 10, 30)) == 1_705_314_600.0


# ------------------------------------------------------------------ formatting


def test_formatting() -> None:
    d = at(2024, 1, 5, 9, 3, 7)
    assert call("dateTimeToIso", d) == "2024-01-05T09:03:07+00:00"
    assert call("dateTimeToRfc3339", d) == "2024-01-05T09:03:07+00:00"
    assert call("dateTimeToRfc2822", d) == "Fri, 05 Jan 2024 09:03:07 +0000"
    assert call("dateTimeFormat", d, "%Y/%m/%d %H:%M:%S") == "2024/01/05 09:03:07"
    assert call("dateTimeToCustom", d, "%j %%") == "005 %"


def test_round_trips() -> None:
    d = at(2031, 7, 4, 18, 45, 1)
    for to, parse in [
        ("dateTimeToIso", "dateTimeParseIso"),
        ("dateTimeToRfc3339", "dateTimeParseRfc3339"),
        ("dateTimeToRfc2822", "dateTimeParseRfc2822"),
    ]:
        assert values_equal(call(parse, call(to, d)), d), to


# ------------------------------------------------------------------ time zones


def zone_known(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def test_time_zone_functions_keep_utc_instants() -> None:
    d = at(2024, 6, 1, 12)
    assert call("dateTimeToUtc", d) is d
    assert call("dateTimeToLocal", d) is d
    assert call("dateTimeGetTimezone", d) == "UTC"
    assert same(call("dateTimeGetOffset", d), 0.0)


@pytest.mark.skipif(not zone_known("Europe/Paris"), reason="no time-zone database")
def test_time_zone_names_are_validated() -> None:
    d = at(2024, 6, 1, 12)
    assert call("dateTimeToTimezone", d, "Europe/Paris") is d
    assert call("dateTimeInTimezone", d, "America/New_York") is d
    for name in ("dateTimeToTimezone", "dateTimeInTimezone"):
        assert fails(name, d, "Mars/Olympus") == type_error(
            f"{name}: invalid timezone 'Mars/Olympus'"
        )
        assert fails(name, d, "../etc") == type_error(f"{name}: invalid timezone '../etc'")


# ------------------------------------------------------------------ durations


@pytest.mark.parametrize(
    ("name", "n", "expected", "text"),
    [
        ("durationFromSeconds", 185_415.0, (2.0, 3.0, 30.0, 15.0), "2d 3h 30m 15s"),
        ("durationFromSeconds", 3605.0, (0.0, 1.0, 0.0, 5.0), "1h 5s"),
        ("durationFromSeconds", 0.0, (0.0, 0.0, 0.0, 0.0), "0s"),
        ("durationFromSeconds", 59.9, (0.0, 0.0, 0.0, 59.0), "59s"),
        ("durationFromMinutes", -90.0, (-0.0, -1.0, -30.0, -0.0), "-1h 30m"),
        ("durationFromMinutes", -0.5, (0.0, 0.0, 0.0, 0.0), "0s"),
        ("durationFromHours", 25.0, (1.0, 1.0, 0.0, 0.0), "1d 1h"),
        ("durationFromDays", 1.5, (1.0, 0.0, 0.0, 0.0), "1d"),
    ],
)
def test_durations(name: str, n: float, expected: tuple, text: str) -> None:
    d = call(name, n)
    assert type(d) is HashMap
    assert list(d.entries) == [hash_key(k) for k in ("days", "hours", "minutes", "seconds")]
    values = tuple(duration(d).values())
    assert all(same(v, e) for v, e in zip(values, expected, strict=True)), values
    assert call("durationFormat", d) == text


def test_duration_format_of_a_hand_made_map() -> None:
    from atlas.stdlib._extended import hashmap_of

    d = hashmap_of({"days": 0.0, "hours": 2.0, "minutes": -5.0, "seconds": 0.0})
    assert call("durationFormat", d) == "-2h 5m"
    incomplete = hashmap_of({"days": 1.0})
    assert fails("durationFormat", incomplete) == type_error(
        "durationFormat: expected a duration map with number fields days, hours, minutes, seconds"
    )
    assert fails("durationFormat", 1.0) == type_error(
        "durationFormat: expected hashmap, got number"
    )


# ------------------------------------------------------------- argument errors


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("dateTimeNow", ""),
        ("dateTimeFromTimestamp", " (seconds)"),
        ("dateTimeFromComponents", " (year, month, day, hour, minute, second)"),
        ("dateTimeParse", " (text, format)"),
        ("dateTimeYear", " (dt)"),
        ("dateTimeAddDays", " (dt, n)"),
        ("dateTimeDiff", " (a, b)"),
        ("dateTimeToTimezone", " (dt, tz)"),
        ("durationFromMinutes", " (n)"),
        ("durationFormat", " (d)"),
    ],
)
def test_arity_errors_list_the_parameters(name: str, params: str) -> None:
    count = len(params.split(",")) if params else 0
    assert fails(name, *([None] * (count + 1))) == type_error(
        f"{name}: expected {count} argument(s){params}"
    )


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        ("dateTimeYear", (1.0,), "dateTimeYear: expected datetime, got number"),
        ("dateTimeAddDays", ("2024", 1.0), "dateTimeAddDays: expected datetime, got string"),
        ("dateTimeAddDays", (None, "1"), "dateTimeAddDays: expected datetime, got null"),
        ("dateTimeFromTimestamp", ("0",), "dateTimeFromTimestamp: expected number, got string"),
        ("dateTimeParseIso", (1.0,), "dateTimeParseIso: expected string, got number"),
        ("dateTimeFormat", (None, "%Y"), "dateTimeFormat: expected datetime, got null"),
        ("durationFromDays", ("1",), "durationFromDays: expected number, got string"),
    ],
)
def test_kind_errors(name: str, args: tuple, message: str) -> None:
    assert fails(name, *args) == type_error(message)


def test_add_needs_a_number() -> None:
    assert fails("dateTimeAddDays", at(2024, 1, 1), "1") == type_error(
        "dateTimeAddDays: expected number, got string"
    )
