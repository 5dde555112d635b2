#!/usr/bin/env python3
"""Byte comparison of two builds' `check` on damaged stores.

Each case is a copy of the demo district (this repository's data/ and standards/) with its
month files (or the files beside them) damaged one way: bad fields, repeated and unsorted
rows, rows in the wrong file, unknown references, broken CSV (quotes, field counts, bytes that
are not UTF-8, a byte-order mark, CRLF, blank lines), wrong headers, empty files, and a store
where every row is wrong. Every case runs `check`, `check --strict`, `--lang en check` and
`--format json check` with both binaries; stdout, stderr and the exit status must be the same.

Run from the repository root: python3 benches/check_same.py OLD_BIN NEW_BIN [EXTRA_WORKSPACE...]
Extra workspaces (e.g. /tmp/nat) are compared as they are, never written.
"""

import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAR = "data/inspections/2026/2026-03.csv"
APR = "data/inspections/2026/2026-04.csv"
JAN = "data/inspections/2026/2026-01.csv"
COMMANDS = [["check"], ["check", "--strict"], ["--lang", "en", "check"], ["--format", "json", "check"]]


def lines_of(ws, rel):
    with open(os.path.join(ws, rel), "rb") as f:
        return f.read().split(b"\n")


def write(ws, rel, data):
    with open(os.path.join(ws, rel), "wb") as f:
        f.write(data)


def set_lines(ws, rel, lines):
    write(ws, rel, b"\n".join(lines))


def field(ws, rel, line, col, value):
    """Set column `col` of (1-based) `line` of a CSV file."""
    ls = lines_of(ws, rel)
    cells = ls[line - 1].split(b",")
    cells[col] = value
    ls[line - 1] = b",".join(cells)
    set_lines(ws, rel, ls)


def every_row(ws, rel, change):
    ls = lines_of(ws, rel)
    out = [ls[0]]
    for row in ls[1:]:
        if row:
            cells = row.split(b",")
            change(cells)
            row = b",".join(cells)
        out.append(row)
    set_lines(ws, rel, out)


def swap(ws, rel, a, b):
    ls = lines_of(ws, rel)
    ls[a - 1], ls[b - 1] = ls[b - 1], ls[a - 1]
    set_lines(ws, rel, ls)


def insert(ws, rel, at, row):
    ls = lines_of(ws, rel)
    ls.insert(at - 1, row)
    set_lines(ws, rel, ls)


def marks(ws):
    """Bad counts on rows further on, so that line numbers after a change show."""
    for rel, at in ((MAR, (60, 150, 400)), (APR, (50, 200))):
        for line in at:
            field(ws, rel, line, 8, b"x")
    ls = lines_of(ws, MAR)
    last = len(ls) - 1 if ls[-1] == b"" else len(ls)
    field(ws, MAR, last, 8, b"y")


def case_fields(ws):
    field(ws, MAR, 10, 1, b"2026-02-30")  # no such day
    field(ws, MAR, 12, 1, b"2026/03/02")
    field(ws, MAR, 14, 2, b"county")
    field(ws, MAR, 16, 3, b"again")
    field(ws, MAR, 18, 5, b"0")
    field(ws, MAR, 20, 8, b"x")
    field(ws, MAR, 22, 8, b"-1")
    field(ws, MAR, 24, 8, b"0")  # an item with no count
    field(ws, MAR, 26, 9, b"1.5")
    field(ws, MAR, 28, 0, b"")
    field(ws, MAR, 30, 6, b"")
    field(ws, MAR, 32, 8, b"99999999999999999999")


def case_references(ws):
    field(ws, MAR, 10, 6, b"HP9999")
    field(ws, MAR, 11, 6, b"HP01")  # near known ids
    field(ws, MAR, 40, 7, b"A99")
    field(ws, MAR, 41, 7, b"a05")
    field(ws, MAR, 42, 7, b"Z")
    field(ws, APR, 5, 6, b"XX")
    field(ws, APR, 6, 6, b"XX")


def case_items_empty(ws):
    # An item left empty with a count, and an empty row in a visit with findings.
    field(ws, MAR, 10, 7, b"")
    field(ws, MAR, 13, 7, b"")
    field(ws, MAR, 13, 8, b"0")


def case_disagree(ws):
    field(ws, MAR, 3, 4, b"another team")
    field(ws, MAR, 3, 5, b"7")
    field(ws, MAR, 7, 2, b"street")
    field(ws, MAR, 8, 3, b"recheck")
    field(ws, MAR, 9, 6, b"HP001")


def case_duplicates_within(ws):
    ls = lines_of(ws, MAR)
    ls.insert(200, ls[5])  # an earlier visit again, later in the file
    ls.insert(30, ls[30])  # a row twice in a row
    set_lines(ws, MAR, ls)


def case_duplicates_across(ws):
    mar = lines_of(ws, MAR)
    apr = lines_of(ws, APR)
    for k in (3, 4, 80):
        cells = mar[k].split(b",")
        cells[1] = b"2026-04-01"
        apr.insert(2, b",".join(cells))
    set_lines(ws, APR, apr)
    jan = lines_of(ws, JAN)
    cells = jan[1].split(b",")
    cells[1] = b"2026-03-31"
    mar = [r for r in mar if r] + [b",".join(cells), b""]
    set_lines(ws, MAR, mar)


def case_order(ws):
    swap(ws, MAR, 50, 60)
    swap(ws, MAR, 100, 101)
    swap(ws, APR, 2, 300)


def case_wrong_month(ws):
    field(ws, MAR, 70, 1, b"2026-04-02")
    field(ws, MAR, 71, 1, b"2026-04-02")
    field(ws, MAR, 300, 1, b"2025-03-02")
    field(ws, APR, 10, 1, b"2026-03-31")


def case_columns(ws):
    marks(ws)
    ls = lines_of(ws, MAR)
    ls[79] = ls[79].rsplit(b",", 1)[0]  # a field short
    ls[80] = ls[80] + b",extra"
    ls[90] = b"just one field"
    set_lines(ws, MAR, ls)


def case_quotes(ws):
    marks(ws)
    ls = lines_of(ws, MAR)
    # (The demo's rows end with an empty note.)
    ls[5] = ls[5] + b'"a note, with a comma"'
    ls[6] = ls[6] + b'"a note\nover two lines"'
    ls[7] = ls[7] + b'"said ""fixed"""'
    ls[8] = ls[8] + b'"one\n\nblank line inside"'
    ls[9] = ls[9] + b'"bad "" quote" after'
    cells = ls[20].split(b",")
    cells[6] = b'"' + cells[6] + b'"'  # a quoted compound
    ls[20] = b",".join(cells)
    ls[30] = ls[30] + b'bad"quote'
    set_lines(ws, MAR, ls)
    apr = lines_of(ws, APR)
    apr[40] = apr[40] + b'"never closed'
    set_lines(ws, APR, apr)


def case_not_utf8(ws):
    marks(ws)
    ls = lines_of(ws, MAR)
    ls[10] = ls[10] + b"\xff\xfe"
    cells = ls[20].split(b",")
    cells[4] = b"\xe6\xbb"  # a cut character in the team
    ls[20] = b",".join(cells)
    set_lines(ws, MAR, ls)
    data = open(os.path.join(ws, APR), "rb").read().rstrip(b"\n")
    write(ws, APR, data + b"\xe6\xbb")  # cut at the end of the file


def case_bom(ws):
    marks(ws)
    data = open(os.path.join(ws, MAR), "rb").read()
    write(ws, MAR, b"\xef\xbb\xbf" + data)
    data = open(os.path.join(ws, APR), "rb").read()
    write(ws, APR, b"\xef\xbb\xbf\xef\xbb\xbf" + data)


def case_empty(ws):
    write(ws, MAR, b"")
    write(ws, APR, lines_of(ws, APR)[0] + b"\n")
    write(ws, JAN, b"\n")


def case_header(ws):
    ls = lines_of(ws, MAR)
    ls[0] = ls[0].replace(b"compound_id", b"compound")
    set_lines(ws, MAR, ls)
    apr = lines_of(ws, APR)
    apr[0] = b'"visit_id",date,level,purpose,team,inspectors,compound_id,item,count,photos,note'
    set_lines(ws, APR, apr)
    jan = lines_of(ws, JAN)
    jan[0] = jan[0] + b",extra"
    set_lines(ws, JAN, jan)


def case_crlf(ws):
    marks(ws)
    data = open(os.path.join(ws, MAR), "rb").read()
    write(ws, MAR, data.replace(b"\n", b"\r\n"))
    apr = lines_of(ws, APR)
    apr[100] = apr[100] + b"\r"
    set_lines(ws, APR, apr)


def case_blank_lines(ws):
    marks(ws)
    ls = lines_of(ws, MAR)
    ls.insert(50, b"")
    ls.insert(10, b"")
    set_lines(ws, MAR, ls)
    apr = lines_of(ws, APR)
    write(ws, APR, b"\n" + b"\n".join(apr))


def case_no_final_newline(ws):
    marks(ws)
    data = open(os.path.join(ws, MAR), "rb").read().rstrip(b"\n")
    write(ws, MAR, data)
    data = open(os.path.join(ws, APR), "rb").read()
    write(ws, APR, data + b"\n\n\n")


def case_every_row_wrong(ws):
    for year, months in (("2025", ("10", "11")), ("2026", ("01", "02", "03", "04", "05", "06"))):
        for m in months:
            rel = f"data/inspections/{year}/{year}-{m}.csv"

            def change(c):
                c[6] = b"HQ" + c[6][2:]
                c[8] = b"x" if c[8] == b"2" else c[8]
                c[5] = b"9" if c[5] == b"3" else c[5]

            every_row(ws, rel, change)


def case_every_row_reversed(ws):
    for m in ("01", "02", "03", "04", "05", "06"):
        rel = f"data/inspections/2026/2026-{m}.csv"
        ls = [r for r in lines_of(ws, rel) if r]
        set_lines(ws, rel, [ls[0]] + ls[:0:-1] + [b""])


def case_every_visit_again(ws):
    # Every March visit repeated in April's file, dated in April.
    mar = [r for r in lines_of(ws, MAR)[1:] if r]
    apr = [r for r in lines_of(ws, APR) if r]
    moved = []
    for r in mar:
        c = r.split(b",")
        c[1] = b"2026-04-30"
        moved.append(b",".join(c))
    set_lines(ws, APR, apr + moved + [b""])


def case_appeals(ws):
    with open(os.path.join(ws, "data/appeals.csv"), "ab") as f:
        f.write(b"NOPE-1,A05,1,upheld,2026-05-18,\n")
        f.write(b"C20260302-HP006,A05,9,upheld,2026-05-18,\n")
        f.write(b"C20260302-HP006,A99,1,upheld,2026-05-18,\n")


def case_standards_missing(ws):
    os.remove(os.path.join(ws, "standards/2026-01-01.toml"))
    field(ws, MAR, 12, 7, b"A99")


def case_contracts(ws):
    # No contract in force for a compound's visits, and the grade's items.
    ls = lines_of(ws, "data/registry/contracts.csv")
    out = [ls[0]]
    for r in ls[1:]:
        c = r.split(b",")
        if c[0] == b"HP006":
            c[3] = b"2026-03-10"
        if c[0] == b"HP021":
            c[2] = b"1"
        out.append(b",".join(c))
    set_lines(ws, "data/registry/contracts.csv", out)


def case_odd_files(ws):
    os.makedirs(os.path.join(ws, "data/inspections/2027"), exist_ok=True)
    write(ws, "data/inspections/2026/notes.txt", b"x")
    write(ws, "data/inspections/2026/2026-13.csv", b"x")
    write(ws, "data/inspections/2027/2026-07.csv", b"x")
    write(ws, "data/inspections/2026/2026-07.csv", lines_of(ws, MAR)[0] + b"\n" + lines_of(ws, MAR)[1] + b"\n")


CASES = [v for k, v in sorted(globals().items()) if k.startswith("case_")]


def run(binary, ws, args):
    p = subprocess.run([binary, "--workspace", ws] + args, cwd=ws, capture_output=True)
    return p.returncode, p.stdout, p.stderr


def compare(old, new, ws, label):
    bad = 0
    for args in COMMANDS:
        a, b = run(old, ws, args), run(new, ws, args)
        if a != b:
            bad += 1
            print(f"DIFFERENT: {label}: {' '.join(args)} (exit {a[0]} / {b[0]})")
            for name, x, y in (("stdout", a[1], b[1]), ("stderr", a[2], b[2])):
                if x != y:
                    xs, ys = x.split(b"\n"), y.split(b"\n")
                    only_old = [l for l in xs if l not in ys][:5]
                    only_new = [l for l in ys if l not in xs][:5]
                    print(f"  {name}: old only {only_old}\n  {name}: new only {only_new}")
    return bad


def main():
    old, new = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    bad = runs = 0
    with tempfile.TemporaryDirectory() as tmp:
        for case in CASES:
            ws = os.path.join(tmp, case.__name__)
            os.makedirs(ws)
            for d in ("data", "standards"):
                shutil.copytree(os.path.join(ROOT, d), os.path.join(ws, d))
            case(ws)
            bad += compare(old, new, ws, case.__name__)
            runs += len(COMMANDS)
    for ws in [ROOT] + sys.argv[3:]:
        bad += compare(old, new, ws, ws)
        runs += len(COMMANDS)
    print(f"{runs - bad} of {runs} runs identical ({len(CASES)} damaged stores, {len(sys.argv) - 2} as they are)")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
