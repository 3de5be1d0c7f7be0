"""A 10,000-line program checks cleanly. (How fast is for benchmarks, not tests: the
machines tests run on are shared and noisy.)"""

from __future__ import annotations

from check_helpers import parse_ok

from atlas.check.checker import check_module

CHUNK = """
fn work{i}(a: number, b: number | string) -> number {{
    var total = 0;
    let xs: number[] = [1, 2, 3];
    for (var j = 0; j < len(xs); j++) {{
        total = total + xs[j] * a;
        if (isNumber(b) && b > 2) {{ total += b; }}
    }}
    for x in xs {{ total = total + x; }}
    let o: Option<number> = Some(total);
    let r = match o {{ Some(v) => v, None => 0 }};
    while (total > 100) {{ total = total / 2; }}
    fn inner(k: number) -> number {{ return k + total; }}
    return r + inner(total);
}}
let g{i} = work{i}(1, 2);
print(str(g{i}));
"""


def test_ten_thousand_lines_check_cleanly():
    src = "".join(CHUNK.format(i=i) for i in range(600))
    assert src.count("\n") >= 10_000
    program = parse_ok(src)
    result = check_module(program)
    assert result.ok and not result.diagnostics
