#!/bin/sh
# cli.compare: pagesim compare without Wine, against a stand-in for Windows
# (fake-win32.sh: the simulator's own output, edited): what differs is
# shown and explained by the rules, a rule names what differs and is stale
# when it matches nothing, an expect rule holds only while the difference
# it follows is explained, and bad input is refused. Usage: compare.sh PAGESIM
pagesim=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

cat >"$out/s1.scn" <<'SCN'
config layout=empty
a = VirtualAlloc(0x10000000, 0x10000, MEM_RESERVE, PAGE_READWRITE)
VirtualQuery(a)
expect mbi.State == MEM_RESERVE
expect mbi.Protect == 0
b = VirtualAlloc(0x10010000, 0x1000, MEM_RESERVE|MEM_COMMIT, PAGE_READWRITE)
read b + 0 1
SCN
s1="$out/s1.scn"
edits="$out/edits.sed"
win32="sh $here/fake-win32.sh $pagesim $edits"

# compare [ARGS...]: pagesim compare --win32 (the stand-in) ARGS.
compare() {
  run "$pagesim" compare --win32 "$win32" "$@"
}

# expect_status WHAT STATUS [GREP...]: the last run exited STATUS and its
# output holds every fixed string given.
expect_status() {
  what=$1 want=$2
  shift 2
  if [ "$rc" -ne "$want" ]; then fail "$what (want status $want)"; return; fi
  for s; do
    if ! grep -qF -- "$s" "$out/stdout" "$out/stderr"; then fail "$what (want: $s)"; return; fi
  done
  echo "ok: $what"
}

rules() { printf '%s\n' "$@" >"$out/known.txt"; }

: >"$edits"
compare "$s1"
expect_status "the same output" 0 "7 statements compared, 0 differences (0 known, 0 unexplained)"

# Windows reports the reservation as committed: the query and the expect
# after it differ.
cat >"$edits" <<'SED'
/"line":3,/s/"State":"MEM_RESERVE"/"State":"MEM_COMMIT"/
/"line":4,/s/.*/{"line":4,"op":"expect","ok":false,"actual":"0x00001000","expected":"0x00002000"}/
SED
compare "$s1"
expect_status "a difference and the expect after it, no rules" 1 \
  "s1.scn:3: VirtualQuery(a)" 'mbi.State  "MEM_RESERVE"  "MEM_COMMIT"  UNEXPLAINED' \
  "s1.scn:4: expect mbi.State == MEM_RESERVE" "4 differences (0 known, 4 unexplained)"

rules "s1.scn  VirtualQuery  mbi.State  sim=MEM_RESERVE  win32=MEM_COMMIT  arg1=a  the query's reason" \
      "s1.scn  expect  *  checks:VirtualQuery.mbi.State  the expect of that query"
compare --known "$out/known.txt" "$s1"
expect_status "both explained" 0 "known.txt:1): the query's reason" "known.txt:2): the expect of that query" \
  "4 differences (4 known, 0 unexplained)" "0 stale rules"

compare --known "$out/known.txt" "$s1" -q
if [ "$rc" -eq 0 ] && ! grep -q "known (" "$out/stdout" && grep -q "^1 scenarios" "$out/stdout"; then
  echo "ok: -q shows no known difference"
else fail "-q shows no known difference"; fi

rules "s1.scn  expect  *  checks:VirtualQuery.mbi.State  the expect of that query"
compare --known "$out/known.txt" "$s1"
expect_status "an expect rule holds only when the difference it follows is explained" 1 \
  "4 differences (0 known, 4 unexplained)" "stale rule at $out/known.txt:1: "

rules "s1.scn  VirtualQuery  mbi.State  sim=MEM_RESERVE  win32=MEM_COMMIT  the query's reason" \
      "s1.scn  expect  *  checks:VirtualQuery.mbi.Protect  the expect of the protection"
compare --known "$out/known.txt" "$s1"
expect_status "an expect rule names the field its expect checks" 1 \
  "4 differences (1 known, 3 unexplained)" "stale rule at $out/known.txt:2: "

rules "s1.scn  VirtualQuery  mbi.State  arg1=b  another statement's reason"
compare --known "$out/known.txt" "$s1"
expect_status "a condition on an argument" 1 "stale rule at $out/known.txt:1: " "4 unexplained"

rules "random/*  VirtualQuery  mbi.State  a rule for other scenarios"
compare --known "$out/known.txt" "$s1"
expect_status "a rule that covers no compared scenario is not stale" 1 "0 stale rules"

# Bad rules.
for bad in "*  *  *  everything" "s1.scn  expect  *  no checks: condition" "s1.scn  VirtualQuery" \
           "s1.scn  VirtualQuery  mbi.State  checks:VirtualQuery.mbi.State  checks: on a query"; do
  rules "# a comment" "$bad"
  compare --known "$out/known.txt" "$s1"
  if [ "$rc" -eq 2 ] && grep -qF "known.txt:2: " "$out/stderr"; then echo "ok: refused: $bad: $(cat "$out/stderr")"
  else fail "refused: $bad"; fi
done

# as:A=B: the value on Windows is the simulator's with A written as B.
printf '/"line":3,/s/"AllocationProtect":"PAGE_READWRITE"/"AllocationProtect":"PAGE_WRITECOPY"/\n' >"$edits"
rules "s1.scn  VirtualQuery  mbi.AllocationProtect  as:READWRITE=WRITECOPY  a rewritten value"
compare --known "$out/known.txt" "$s1"
expect_status "as: rewrites a value" 0 "1 differences (1 known, 0 unexplained)"
rules "s1.scn  VirtualQuery  mbi.AllocationProtect  as:READONLY=WRITECOPY  another rewriting"
compare --known "$out/known.txt" "$s1"
expect_status "as: with another rewriting" 1 "1 differences (0 known, 1 unexplained)" "stale rule at"

# on:PLATFORM: a rule for what Windows ran on (the stand-in says which).
printf '#platform wine 8.0\n/"line":3,/s/"State":"MEM_RESERVE"/"State":"MEM_COMMIT"/\n' >"$edits"
rules "s1.scn  VirtualQuery  mbi.State  on:wine  Wine's difference"
compare --known "$out/known.txt" "$s1"
expect_status "on:wine under Wine" 0 "the Win32 backend runs on wine 8.0" "1 differences (1 known, 0 unexplained)"
printf '/"line":3,/s/"State":"MEM_RESERVE"/"State":"MEM_COMMIT"/\n' >"$edits"
compare --known "$out/known.txt" "$s1"
expect_status "on:wine on Windows: the rule does not apply, and is not stale" 1 \
  "the Win32 backend runs on windows 10.0.fake" "1 differences (0 known, 1 unexplained)" "0 stale rules"

# A string with escapes, decoded before the rules see it.
cat >"$edits" <<'SED'
/"line":7,/s/"bytes":"00"/"bytes":"\\u0041\\"\\n"/
SED
rules 's1.scn  read  bytes  sim=00  win32=A"?  arg1=b+0  arg2=1  an escaped string'
compare --known "$out/known.txt" "$s1"
expect_status "JSON escapes" 0 "1 differences (1 known, 0 unexplained)"

# An environment conflict is counted apart.
cat >"$edits" <<'SED'
/"line":2,/s/.*/{"line":2,"op":"VirtualAlloc","ok":false,"error":487,"error_name":"ERROR_INVALID_ADDRESS","ret":"0x00000000","conflict":true}/
SED
compare "$s1"
expect_status "an environment conflict" 0 "1 environment conflicts" "s1.scn:2: environment conflict (VirtualAlloc)"

# A statement only one side ran.
printf '/"line":7,/d\n' >"$edits"
compare "$s1"
expect_status "a statement missing on one side" 1 "s1.scn:7: only the simulator ran this statement"

# Simulator-only scenarios are counted apart and not run on Windows.
printf 'machine bare ram=4K\npoke32 0 1\n' >"$out/bare.scn"
printf '# it needs this machine\nconfig ram=16M compare=no\nVirtualAlloc(NULL, 0x1000, MEM_COMMIT, PAGE_READWRITE)\n' >"$out/own.scn"
printf '#exit 2\n' >"$edits"
compare "$out/bare.scn" "$out/own.scn"
expect_status "simulator-only scenarios" 0 "bare.scn: simulator-only (a bare machine), not compared" \
  "own.scn: simulator-only (config compare=no), not compared" "2 scenarios (0 compared, 2 simulator-only)"

# A Windows run that fails or prints something else is bad input.
compare "$s1"
expect_status "the Windows run fails" 2 "failed (exit status 2)"
printf 's/^{"line":5.*/not JSON/\n' >"$edits"
compare "$s1"
expect_status "the Windows run prints something else" 2 "printed something else than results"

# Bad command lines and scenarios.
run "$pagesim" compare --win32 "$win32"
expect_status "no scenario" 2 "no scenario given"
run "$pagesim" compare "$s1"
expect_status "no --win32 on a build without the Win32 backend" 2 "give --win32"
run "$pagesim" compare --bogus "$s1"
expect_status "an unknown option" 2 "unknown option"
printf 'VirtualAlloc(\n' >"$out/bad.scn"
: >"$edits"
compare "$out/bad.scn" "$s1"
expect_status "a scenario that does not parse" 2 "bad.scn:1:"
run "$pagesim" compare --known "$out/no-such.txt" --win32 "$win32" "$s1"
expect_status "a rule file that cannot be read" 2 "cannot read the known differences"

finish
