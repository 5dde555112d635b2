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


check_same.CASES = check_same.CASES + [damaged_newest]

if __name__ == "__main__":
    check_same.main()
