#!/usr/bin/env python3
"""Byte comparison of two builds' reports on damaged stores: `benches/check_same.py`'s damaged
demo stores, each read by `score` (table, CSV, JSON, with `-v`, which names the as-of date the
newest visit gave), `inspect coverage` and `recheck`; stdout, stderr and the exit status must be
the same. For changes to the scan, the newest-visit date and the score's rendering.

Run from the repository root: python3 benches/score_same.py OLD_BIN NEW_BIN [EXTRA_WORKSPACE...]
Extra workspaces (e.g. /tmp/nat) are compared as they are, never written.
"""

import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_same  # noqa: E402

check_same.COMMANDS = [
    ["-v", "score", "--period", "2026H1"],
    ["--format", "csv", "score", "--period", "2026H1"],
    ["--format", "json", "score", "--period", "2026Q2", "--level", "community"],
    ["--lang", "en", "score", "--period", "2026H1", "--by", "street"],
    ["-v", "inspect", "coverage", "--period", "2026H1"],
    ["recheck", "--period", "2026H1"],
]


def damaged_newest(ws):
    """The newest month file damaged around its dates: a quoted date, a later date quoted in
    the first field, a blank line, a date past the month, a CRLF row."""
    rel = "data/inspections/2026/2026-06.csv"
    if not os.path.exists(os.path.join(ws, rel)):
        return
    ls = check_same.lines_of(ws, rel)
    ls[3] = ls[3].replace(b",2026-06-", b',"2026-06-', 1).replace(b",community", b'",community', 1)
    ls.insert(5, b'"x,2026-06-30",2026-06-29,street,routine,t,1,HP001,,0,0,')
    ls.insert(7, b"")
    ls.insert(9, ls[9].replace(b",2026-06-", b",2026-07-", 1))
    ls[12] = ls[12] + b"\r"
    check_same.set_lines(ws, rel, ls)


def damaged_notes(ws):
    """Each month file damaged where the store's own reader (engine/store_rows.rs) decides,
    before and at the row where it hands over to the csv crate: a quoted note with doubled
    quotes, a comma and a line break (read on), two wrong-month rows sharing a head (read on),
    then one of six rows it must not read, a different one in each month: a note with a blank
    line inside, a `\r` inside a quoted note, a row repeating its visit's head with a bad
    count, an unquoted note with a quote, one with a comma, a stray quote in a repeated head.
    The last row has no line break."""
    stops = [
        lambda r: r + b'"two\n\nparagraphs"',
        lambda r: r + b'"cr\rinside"',
        lambda r: b",".join(r.split(b",")[:8] + [b"x"] + r.split(b",")[9:]),
        lambda r: r + b'say "hi"',
        lambda r: r + b"one,two",
        lambda r: r.replace(b",community", b',"community', 1),
    ]
    for month, stop in enumerate(stops, start=1):
        rel = f"data/inspections/2026/2026-{month:02}.csv"
        if not os.path.exists(os.path.join(ws, rel)):
            continue
        ls = [l for l in check_same.lines_of(ws, rel) if l]
        if len(ls) < 14:
            continue
        ls[1] = ls[1] + b'"a ""quoted"" note, with a comma\nand a second line"'
        later = ls[6].replace(f",2026-{month:02}-".encode(), f",2026-{month + 1:02}-".encode(), 1)
        ls[6:6] = [later, later]
        ls[11] = stop(ls[11])
        check_same.write(ws, rel, b"\n".join(ls))


def quiet_notes(ws):
    """Every March row with a note the writer would quote (doubled quotes, commas, line
    breaks) and nothing else wrong: read to the end by the fast reader."""
    rel = check_same.MAR
    ls = check_same.lines_of(ws, rel)
    for i in range(1, len(ls)):
        if ls[i] and i % 3 == 0:
            ls[i] = ls[i] + b'"line one, ""two""\nline three"'
        elif ls[i] and i % 3 == 1:
            ls[i] = ls[i] + "住户称已整改".encode()
    check_same.set_lines(ws, rel, ls)


check_same.CASES = check_same.CASES + [damaged_newest, damaged_notes, quiet_notes]

if __name__ == "__main__":
    check_same.main()
