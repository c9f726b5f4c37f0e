#!/usr/bin/env python3
"""Compares two runs of one scenario (JSON Lines from `pagesim run --json`),
statement by statement, by the rule of docs/scenario-language.md: lines with
"skipped" are ignored, and so is the RegionSize of a MEM_FREE region.

A line where either run says "conflict" (the host process already used a
fixed address) is an environment conflict, counted apart from differences.
Differences listed in the known-differences file (with a reason) are shown
but do not fail.

usage: compare.py SIM.jsonl WIN32.jsonl [--known FILE] [--scenario NAME]
exit status: 0 when every difference is known, 1 otherwise, 2 on bad input.
"""
import argparse
import fnmatch
import json
import sys


def load(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for n, text in enumerate(f, 1):
            text = text.strip()
            if not text:
                continue
            try:
                obj = json.loads(text)
            except ValueError as e:
                raise SystemExit(f"{path}:{n}: not JSON: {e}")
            if not isinstance(obj, dict) or "line" not in obj or "op" not in obj:
                raise SystemExit(f"{path}:{n}: not a result object")
            out[obj["line"]] = obj
    return out


def flatten(obj, prefix=""):
    flat = {}
    for k, v in obj.items():
        if isinstance(v, dict):
            flat.update(flatten(v, f"{prefix}{k}."))
        else:
            flat[prefix + k] = v
    return flat


def normalize(obj):
    flat = flatten(obj)
    if flat.get("mbi.State") == "MEM_FREE":
        flat.pop("mbi.RegionSize", None)
    return flat


def load_known(path):
    """Lines: SCENARIO-GLOB  LINE-OR-*  FIELD-OR-*  [sim=V] [win32=V] [if:F=V]  reason...

    The optional sim= and win32= conditions restrict a rule to one pair of
    values of the field (as JSON text, e.g. sim=487 win32=87); if:F=V to
    statements whose simulator result has field F equal to V."""
    rules = []
    if not path:
        return rules
    with open(path, encoding="utf-8") as f:
        for n, text in enumerate(f, 1):
            text = text.strip()
            if not text or text.startswith("#"):
                continue
            parts = text.split()
            if len(parts) < 4:
                raise SystemExit(f"{path}:{n}: want SCENARIO LINE FIELD [sim=V win32=V] REASON")
            cond = {}
            rest = parts[3:]
            while rest and (rest[0].startswith(("sim=", "win32=", "if:"))):
                k, _, v = rest.pop(0).partition("=")
                cond[k] = v
            if not rest:
                raise SystemExit(f"{path}:{n}: a known difference needs a reason")
            rules.append((parts[0], parts[1], parts[2], cond, " ".join(rest), n))
    return rules


def known(rules, scenario, line, field, op, va, vb, flat=None):
    for glob, ln, fld, cond, reason, n in rules:
        if not fnmatch.fnmatch(scenario, glob):
            continue
        if ln not in ("*", str(line)) and not (ln.startswith("op=") and ln[3:] == op):
            continue
        if fld != "*" and not fnmatch.fnmatch(field, fld):
            continue
        if "sim" in cond and cond["sim"] != json.dumps(va).strip('"'):
            continue
        if "win32" in cond and cond["win32"] != json.dumps(vb).strip('"'):
            continue
        if any(k.startswith("if:") and json.dumps((flat or {}).get(k[3:])).strip('"') != v for k, v in cond.items()):
            continue
        return f"known difference (line {n}): {reason}"
    return None


def compare(sim, w32, rules, scenario, out):
    diffs = unknown = conflicts = compared = 0
    for line in sorted(set(sim) | set(w32)):
        a, b = sim.get(line), w32.get(line)
        if a is None or b is None:
            out.write(f"{scenario}:{line}: only one run has this statement\n")
            diffs += 1
            unknown += 1
            continue
        if "skipped" in a or "skipped" in b:
            continue
        if a.get("conflict") or b.get("conflict"):
            out.write(f"{scenario}:{line}: environment conflict ({a['op']}): the host process uses the address\n")
            conflicts += 1
            continue
        compared += 1
        fa, fb = normalize(a), normalize(b)
        for field in sorted(set(fa) | set(fb)):
            va, vb = fa.get(field, "<absent>"), fb.get(field, "<absent>")
            if va == vb:
                continue
            diffs += 1
            why = known(rules, scenario, line, field, a["op"], va, vb, fa)
            tag = why if why else "DIFFERENCE"
            if not why:
                unknown += 1
            out.write(f"{scenario}:{line}: {a['op']} {field}: sim={json.dumps(va)} win32={json.dumps(vb)}  [{tag}]\n")
    return compared, diffs, unknown, conflicts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sim")
    ap.add_argument("win32")
    ap.add_argument("--known")
    ap.add_argument("--scenario")
    args = ap.parse_args()
    rules = load_known(args.known)
    compared, diffs, unknown, conflicts = compare(load(args.sim), load(args.win32), rules,
                                                  args.scenario or args.sim, sys.stdout)
    print(f"{compared} statements compared, {diffs} differences ({diffs - unknown} known), "
          f"{conflicts} environment conflicts")
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main())
