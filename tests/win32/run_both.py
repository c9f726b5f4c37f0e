#!/usr/bin/env python3
"""Runs scenarios through the simulator and through the Win32 backend (a
Windows build of pagesim, under Wine where the host is not Windows) and
compares the two runs with compare.py.

usage: run_both.py --sim PAGESIM --win32 PAGESIM.EXE [--wine WINE] [--known FILE]
                   [--keep DIR] SCENARIO...
Exit status 0 when every difference is known (see compare.py), 1 otherwise.
"""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402


def run(cmd, timeout=300):
    p = subprocess.run(cmd, capture_output=True, timeout=timeout)
    if p.returncode >= 2:
        raise RuntimeError(f"{' '.join(cmd)} could not run (exit {p.returncode}): {p.stderr.decode(errors='replace')}")
    return p.stdout.decode("utf-8", errors="replace")


def run_pair(args, scn):
    """(simulator JSON Lines, Win32 JSON Lines) for one scenario file."""
    # --check: the simulator's invariants after every statement (exit 3).
    sim = run([args.sim, "run", "--check", "--json", scn])
    w32 = run(([args.wine] if args.wine else []) + [args.win32, "run", "--json", "--backend=win32", scn])
    return sim, w32


def check(args, scn, name, tmp, rules, out):
    sim_out, w32_out = run_pair(args, scn)
    a = os.path.join(tmp, name.replace("/", "_") + ".sim.jsonl")
    b = os.path.join(tmp, name.replace("/", "_") + ".win32.jsonl")
    with open(a, "w") as f:
        f.write(sim_out)
    with open(b, "w") as f:
        f.write(w32_out)
    return compare.compare(compare.load(a), compare.load(b), rules, name, out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sim", required=True)
    ap.add_argument("--win32", required=True)
    ap.add_argument("--wine")
    ap.add_argument("--known")
    ap.add_argument("--root", default=".", help="scenario names are relative to this")
    ap.add_argument("--keep")
    ap.add_argument("scenarios", nargs="+")
    args = ap.parse_args()
    rules = compare.load_known(args.known)
    tmp = args.keep or tempfile.mkdtemp(prefix="pagesim-w32-")
    os.makedirs(tmp, exist_ok=True)
    totals = [0, 0, 0, 0]
    for scn in args.scenarios:
        name = os.path.relpath(scn, args.root)
        r = check(args, scn, name, tmp, rules, sys.stdout)
        totals = [x + y for x, y in zip(totals, r)]
    compared, diffs, unknown, conflicts = totals
    print(f"{len(args.scenarios)} scenarios: {compared} statements compared, {diffs} differences "
          f"({diffs - unknown} known, {unknown} unexplained), {conflicts} environment conflicts")
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main())
