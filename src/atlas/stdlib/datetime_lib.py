"""Date and time (reference 7.10, "Date and time").

A `DateTime` is a UTC instant with microsecond precision; it displays in RFC 3339 form
(`2024-01-15T10:30:00+00:00`). Timestamps are Unix seconds and may have a fraction.
Time-zone conversions only validate the zone name: values stay UTC instants.

Argument errors are AT0001 (reference 7.10): `dateTimeAddDays: expected 2 argument(s)
(dt, n)` for a wrong count, `dateTimeYear: expected datetime, got number` for a wrong
kind. Formats are Python's strftime/strptime directives (`%Y-%m-%d %H:%M:%S`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

from ..vm.errors import AtlasRuntimeError, type_error
from ..vm.values import HashMap, format_number, hash_key, kind_name, register_kind
from ._args import is_integral
from ._extended import extended, hashmap_of

UTC = dt.UTC
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)


class DateTime:
    """A UTC instant: the runtime kind `datetime`."""

    __slots__ = ("instant",)

    def __init__(self, instant: dt.datetime) -> None:
        self.instant = instant.astimezone(UTC)

    def __eq__(self, other: object) -> bool:
        return type(other) is DateTime and other.instant == self.instant

    def __hash__(self) -> int:
        return hash(self.instant)

    def __repr__(self) -> str:
        return f"DateTime({self.rfc3339()})"

    def rfc3339(self) -> str:
        return self.instant.isoformat()

    def atlas_display(self) -> str:
        return self.rfc3339()


register_kind(DateTime, "datetime")


def datetime_arity(params: str) -> Callable[[str, int, int, int], AtlasRuntimeError]:
    """AT0001 `<name>: expected N argument(s) (<params>)`."""

    def error(name: str, lo: int, _hi: int, _got: int) -> AtlasRuntimeError:
        listed = f" ({params})" if params else ""
        return type_error(f"{name}: expected {lo} argument(s){listed}")

    return error


def _datetime_builtin(name: str, params: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    count = len(params.split(", ")) if params else 0
    return extended(name, count, arity_error=datetime_arity(params))


# ------------------------------------------------------------------ arguments


def _kind_error(name: str, kind: str, value: Any) -> AtlasRuntimeError:
    return type_error(f"{name}: expected {kind}, got {kind_name(value)}")


def _datetime(name: str, value: Any) -> dt.datetime:
    if type(value) is not DateTime:
        raise _kind_error(name, "datetime", value)
    return value.instant


def _number(name: str, value: Any) -> float:
    if type(value) is not float:
        raise _kind_error(name, "number", value)
    if not math.isfinite(value):
        raise type_error(f"{name}: expected a finite number, got {format_number(value)}")
    return value


def _string(name: str, value: Any) -> str:
    if type(value) is not str:
        raise _kind_error(name, "string", value)
    return value


def _shifted(name: str, instant: dt.datetime, seconds: float) -> DateTime:
    try:
        return DateTime(instant + dt.timedelta(seconds=seconds))
    except OverflowError:
        raise type_error(f"{name}: result out of range") from None


# ---------------------------------------------------------------- construction


@_datetime_builtin("dateTimeNow", "")
def date_time_now() -> DateTime:
    return DateTime(dt.datetime.now(UTC))


@_datetime_builtin("dateTimeUtc", "")
def date_time_utc() -> DateTime:
    return DateTime(dt.datetime.now(UTC))


@_datetime_builtin("dateTimeFromTimestamp", "seconds")
def date_time_from_timestamp(seconds: Any) -> DateTime:
    """The instant `seconds` after 1970-01-01T00:00:00Z (negative: before)."""
    return _shifted("dateTimeFromTimestamp", EPOCH, _number("dateTimeFromTimestamp", seconds))


_COMPONENT_RANGES = (
    ("year", 1, 9999),
    ("month", 1, 12),
    ("day", 1, 31),
    ("hour", 0, 23),
    ("minute", 0, 59),
    ("second", 0, 59),
)


@_datetime_builtin("dateTimeFromComponents", "year, month, day, hour, minute, second")
def date_time_from_components(*parts: Any) -> DateTime:
    """The UTC instant with these calendar components, each a whole number in range."""
    name = "dateTimeFromComponents"
    values: list[int] = []
    for (what, lo, hi), value in zip(_COMPONENT_RANGES, parts, strict=True):
        x = _number(name, value)
        if not is_integral(x) or not lo <= x <= hi:
            raise type_error(
                f"{name}: {what} must be a whole number {lo}-{hi}, got {format_number(x)}"
            )
        values.append(int(x))
    try:
        return DateTime(dt.datetime(*values, tzinfo=UTC))
    except ValueError:
        year, month, day = values[:3]
        raise type_error(f"{name}: {year:04}-{month:02}-{day:02} is not a date") from None


# --------------------------------------------------------------------- parsing


def parse_failure(name: str, text: str, reason: str) -> AtlasRuntimeError:
    """AT0001 `<name>: failed to parse '<text>': <reason>` (reference 7.10)."""
    return type_error(f"{name}: failed to parse '{text}': {reason}")


def _as_utc(parsed: dt.datetime) -> DateTime:
    """A parsed time; one without an offset is taken to be UTC."""
    return DateTime(parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC))


@_datetime_builtin("dateTimeParseIso", "text")
def date_time_parse_iso(text: Any) -> DateTime:
    """ISO 8601: a date, or a date and time with or without an offset (none: UTC)."""
    source = _string("dateTimeParseIso", text)
    try:
        return _as_utc(dt.datetime.fromisoformat(source))
    except (ValueError, OverflowError) as exc:
        raise parse_failure("dateTimeParseIso", source, str(exc)) from None


_RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", re.ASCII
)


@_datetime_builtin("dateTimeParseRfc3339", "text")
def date_time_parse_rfc3339(text: Any) -> DateTime:
    """RFC 3339: date, time and offset are all required."""
    name = "dateTimeParseRfc3339"
    source = _string(name, text)
    if _RFC3339.fullmatch(source) is None:
        raise parse_failure(name, source, "expected YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM)")
    normal = source[:10] + "T" + source[11:]
    if normal[-1] in "Zz":
        normal = normal[:-1] + "+00:00"
    try:
        return DateTime(dt.datetime.fromisoformat(normal))
    except (ValueError, OverflowError) as exc:
        raise parse_failure(name, source, str(exc)) from None


@_datetime_builtin("dateTimeParseRfc2822", "text")
def date_time_parse_rfc2822(text: Any) -> DateTime:
    """RFC 2822 (e-mail) form: `Mon, 15 Jan 2024 10:30:00 +0000`."""
    import email.utils  # imported here: it pulls in the socket module, slow to import

    name = "dateTimeParseRfc2822"
    source = _string(name, text)
    try:
        return _as_utc(email.utils.parsedate_to_datetime(source))
    except (ValueError, TypeError, IndexError, OverflowError) as exc:
        raise parse_failure(name, source, str(exc) or "not an RFC 2822 date-time") from None


def _strptime(source: str, pattern: str) -> DateTime:
    return _as_utc(dt.datetime.strptime(source, pattern))


@_datetime_builtin("dateTimeParse", "text, format")
def date_time_parse(text: Any, format_: Any) -> DateTime:
    """Parse with a strptime format; without `%z` in it the time is UTC."""
    name = "dateTimeParse"
    source = _string(name, text)
    pattern = _string(name, format_)
    try:
        return _strptime(source, pattern)
    except (ValueError, OverflowError) as exc:
        raise parse_failure(name, source, str(exc)) from None


@_datetime_builtin("dateTimeTryParse", "text, formats")
def date_time_try_parse(text: Any, formats: Any) -> DateTime:
    """Parse with the first of `formats` that fits."""
    name = "dateTimeTryParse"
    source = _string(name, text)
    if type(formats) is not list or any(type(f) is not str for f in formats):
        raise _kind_error(name, "string[]", formats)
    for pattern in formats:
        try:
            return _strptime(source, pattern)
        except (ValueError, OverflowError):
            continue
    raise parse_failure(name, source, f"no format matched (tried {len(formats)})")


# ------------------------------------------------------------------ components


def _component(name: str, part: Callable[[dt.datetime], int]) -> None:
    @_datetime_builtin(name, "dt")
    def component(value: Any) -> float:
        return float(part(_datetime(name, value)))

    component.__name__ = component.__qualname__ = name


_component("dateTimeYear", lambda d: d.year)
_component("dateTimeMonth", lambda d: d.month)
_component("dateTimeDay", lambda d: d.day)
_component("dateTimeHour", lambda d: d.hour)
_component("dateTimeMinute", lambda d: d.minute)
_component("dateTimeSecond", lambda d: d.second)
_component("dateTimeWeekday", lambda d: d.isoweekday())  # 1 = Monday ... 7 = Sunday
_component("dateTimeDayOfYear", lambda d: d.timetuple().tm_yday)


# ------------------------------------------------------------------- arithmetic


def _adder(name: str, unit_seconds: float) -> None:
    @_datetime_builtin(name, "dt, n")
    def add(value: Any, n: Any) -> DateTime:
        instant = _datetime(name, value)
        return _shifted(name, instant, _number(name, n) * unit_seconds)

    add.__name__ = add.__qualname__ = name


_adder("dateTimeAddSeconds", 1)
_adder("dateTimeAddMinutes", 60)
_adder("dateTimeAddHours", 3600)
_adder("dateTimeAddDays", 86400)


@_datetime_builtin("dateTimeDiff", "a, b")
def date_time_diff(a: Any, b: Any) -> float:
    """`a - b` in seconds."""
    first = _datetime("dateTimeDiff", a)
    second = _datetime("dateTimeDiff", b)
    return (first - second) / dt.timedelta(seconds=1)


@_datetime_builtin("dateTimeCompare", "a, b")
def date_time_compare(a: Any, b: Any) -> float:
    """-1, 0 or 1 as `a` is before, at or after `b`."""
    first = _datetime("dateTimeCompare", a)
    second = _datetime("dateTimeCompare", b)
    return float((first > second) - (first < second))


@_datetime_builtin("dateTimeToTimestamp", "dt")
def date_time_to_timestamp(value: Any) -> float:
    """Unix seconds (with the microseconds as a fraction)."""
    return (_datetime("dateTimeToTimestamp", value) - EPOCH) / dt.timedelta(seconds=1)


# -------------------------------------------------------------------- formatting


@_datetime_builtin("dateTimeToIso", "dt")
def date_time_to_iso(value: Any) -> str:
    return _datetime("dateTimeToIso", value).isoformat()


@_datetime_builtin("dateTimeToRfc3339", "dt")
def date_time_to_rfc3339(value: Any) -> str:
    return _datetime("dateTimeToRfc3339", value).isoformat()


@_datetime_builtin("dateTimeToRfc2822", "dt")
def date_time_to_rfc2822(value: Any) -> str:
    """`Mon, 15 Jan 2024 10:30:00 +0000` (English names whatever the locale)."""
    import email.utils

    return email.utils.format_datetime(_datetime("dateTimeToRfc2822", value))


def _strftime(name: str, value: Any, format_: Any) -> str:
    instant = _datetime(name, value)
    pattern = _string(name, format_)
    try:
        return instant.strftime(pattern)
    except ValueError as exc:
        raise type_error(f"{name}: invalid format '{pattern}': {exc}") from None


@_datetime_builtin("dateTimeFormat", "dt, format")
def date_time_format(value: Any, format_: Any) -> str:
    return _strftime("dateTimeFormat", value, format_)


@_datetime_builtin("dateTimeToCustom", "dt, format")
def date_time_to_custom(value: Any, format_: Any) -> str:
    return _strftime("dateTimeToCustom", value, format_)


# -------------------------------------------------------------------- time zones


@_datetime_builtin("dateTimeToUtc", "dt")
def date_time_to_utc(value: Any) -> DateTime:
    _datetime("dateTimeToUtc", value)
    return value


@_datetime_builtin("dateTimeToLocal", "dt")
def date_time_to_local(value: Any) -> DateTime:
    _datetime("dateTimeToLocal", value)
    return value


def _check_zone(name: str, zone: Any) -> None:
    """AT0001 unless `zone` names an IANA time zone known to this system."""
    import zoneinfo

    text = _string(name, zone)
    try:
        zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise type_error(f"{name}: invalid timezone '{text}'") from None


@_datetime_builtin("dateTimeToTimezone", "dt, tz")
def date_time_to_timezone(value: Any, zone: Any) -> DateTime:
    _datetime("dateTimeToTimezone", value)
    _check_zone("dateTimeToTimezone", zone)
    return value


@_datetime_builtin("dateTimeInTimezone", "dt, tz")
def date_time_in_timezone(value: Any, zone: Any) -> DateTime:
    _datetime("dateTimeInTimezone", value)
    _check_zone("dateTimeInTimezone", zone)
    return value


@_datetime_builtin("dateTimeGetTimezone", "dt")
def date_time_get_timezone(value: Any) -> str:
    _datetime("dateTimeGetTimezone", value)
    return "UTC"


@_datetime_builtin("dateTimeGetOffset", "dt")
def date_time_get_offset(value: Any) -> float:
    _datetime("dateTimeGetOffset", value)
    return 0.0


# --------------------------------------------------------------------- durations

_DURATION_UNITS = (("days", 86400), ("hours", 3600), ("minutes", 60), ("seconds", 1))


def duration_map(name: str, n: Any, unit_seconds: int) -> HashMap:
    """`{days, hours, minutes, seconds}` of `n` whole units (truncated toward zero);
    for a negative duration every component is negated (zeros become -0)."""
    units = math.trunc(_number(name, n))
    remaining = abs(units) * unit_seconds
    sign = -1.0 if units < 0 else 1.0
    fields: dict[str, float] = {}
    for key, size in _DURATION_UNITS:
        count, remaining = divmod(remaining, size)
        fields[key] = sign * float(count)
    return hashmap_of(fields)


def _duration(name: str, unit_seconds: int) -> None:
    @_datetime_builtin(name, "n")
    def duration(n: Any) -> HashMap:
        return duration_map(name, n, unit_seconds)

    duration.__name__ = duration.__qualname__ = name


_duration("durationFromSeconds", 1)
_duration("durationFromMinutes", 60)
_duration("durationFromHours", 3600)
_duration("durationFromDays", 86400)


@_datetime_builtin("durationFormat", "d")
def duration_format(d: Any) -> str:
    """`2d 3h 30m 15s`: the non-zero components; `0s` when all are zero; one leading
    `-` when any component is negative."""
    name = "durationFormat"
    if type(d) is not HashMap:
        raise _kind_error(name, "hashmap", d)
    parts: list[str] = []
    negative = False
    for key, _size in _DURATION_UNITS:
        entry = d.entries.get(hash_key(key))
        if entry is None or type(entry[1]) is not float:
            raise type_error(
                f"{name}: expected a duration map with number fields days, hours, minutes, seconds"
            )
        value = entry[1]
        negative = negative or value < 0
        if value != 0:
            parts.append(f"{format_number(abs(value))}{key[0]}")
    text = " ".join(parts) or "0s"
    return f"-{text}" if negative else text
