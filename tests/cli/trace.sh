#!/bin/sh
# cli.trace_input: pagesim trace on input it cannot use: status 2, one error
# line, no counts printed, with every policy. Usage: trace.sh PAGESIM
pagesim=$1
. "$(dirname "$0")/lib.sh"

for policy in fifo lru clock opt; do
  run "$pagesim" trace --policy $policy "$out"
  expect_error "$policy: a directory" "$out:1:1: error: cannot read the trace: is a directory"
  run "$pagesim" trace --policy $policy - <&-
  expect_error "$policy: a closed standard input" \
    "<stdin>:1:1: error: cannot read the trace: standard input is not open for reading"
  run "$pagesim" trace --policy $policy "$out/no-such.refs"
  expect_error "$policy: no such file" "$out/no-such.refs:1:1: error: cannot read the trace: "
done

# A line past 65536 bytes is refused where it passes the limit, from a
# file without newlines and on a later line.
head -c 300000 /dev/zero | tr '\0' '1' >"$out/long.refs"
for policy in fifo opt; do
  run "$pagesim" trace --policy $policy "$out/long.refs"
  expect_error "$policy: a 300 KB line" "long.refs:1:65537: error: line longer than 65536 bytes"
done
{ printf '1 2\n3\n'; head -c 65537 /dev/zero | tr '\0' ' '; printf '\n'; } >"$out/long3.refs"
run "$pagesim" trace "$out/long3.refs"
expect_error "a long third line" "long3.refs:3:65537: error: line longer than 65536 bytes"
{ printf '1 2\n3\n'; head -c 65536 /dev/zero | tr '\0' ' '; printf '\n4\n'; } >"$out/max.refs"
run "$pagesim" trace --json "$out/max.refs"
if [ "$rc" -eq 0 ] && grep -q '"references":4,' "$out/stdout"; then echo "ok: a line of 65536 bytes is read"
else fail "a line of 65536 bytes is read"; fi
# A trace spread over many pieces (1 MB each) gives what it gives whole.
awk 'BEGIN { for (i = 0; i < 400000; i++) printf "%d%s\n", (i * 7919) % 5000, i % 3 ? "" : "w" }' >"$out/many.refs"
run "$pagesim" trace --frames 64 --json "$out/many.refs"
cp "$out/stdout" "$out/streamed"
run "$pagesim" trace --frames 64 --json - <"$out/many.refs"
if cmp -s "$out/stdout" "$out/streamed" && grep -q '"references":400000,' "$out/streamed"; then
  echo "ok: 400000 references, from a file and a pipe"
else fail "400000 references, from a file and a pipe"; fi
faults() { sed -n 's/.*"page_faults":\([0-9]*\).*/\1/p' "$out/stdout"; }
run "$pagesim" trace --frames 64 --policy lru --json "$out/many.refs"
streamed=$(faults)
run "$pagesim" trace --policy lru --sweep 64..64 --json "$out/many.refs"
if [ -n "$streamed" ] && [ "$streamed" = "$(faults)" ]; then echo "ok: streamed and held, the same $streamed faults"
else fail "streamed and held, the same faults ($streamed)"; fi

# Counts pinned before the replay went by batches (pagesim 0.2.0, one
# reference at a time; tests/cli/trace_counts.expected): a synthetic lackey
# trace (code, a stack above 4 GB, a heap with accesses across pages) and
# many.refs, every policy, 8 and 64 frames, with and without a TLB; and the
# fault curves of --sweep 1..48.
awk 'BEGIN {
  x = 12345; pc = 0
  print "==7== Lackey, a synthetic trace"
  for (i = 0; i < 120000; i++) {
    x = (x * 69069 + 1) % 4294967296; r = int(x / 65536)
    k = r % 10
    if (i % 20000 == 0) printf "==7== a note at %d\n", i
    if (k < 5) { pc = (pc + 3 + r % 5) % 400000; printf "I  %08x,%d\n", 67108864 + pc, 1 + r % 7 }
    else if (k < 7) printf " L 1f%08x,8\n", 4278190080 + (r % 9000) * 8
    else if (k < 9) { o = r % 4096; if (o > 4090) o = 4094; printf " S %08x,4\n", 134217728 + (r % 700) * 4096 + o }
    else printf " M %08x,%d\n", 268435456 + (r % 3000) * 64, 1 + r % 4
  }
}' >"$out/syn.lackey"
pinned=0
while read -r file policy frames rest; do
  fmt=refs
  case $file in *.lackey) fmt=lackey ;; esac
  if [ "$frames" = sweep ]; then
    run "$pagesim" trace --format $fmt --policy "$policy" --sweep 1..48 --json "$out/$file"
    got=$(sed -n 's/.*"page_faults":\([0-9]*\).*/\1/p' "$out/stdout" | tr '\n' ' ')
    want=$rest
  else
    run "$pagesim" trace --format $fmt --policy "$policy" --frames "$frames" --tlb "${rest%% *}" --json "$out/$file"
    got=$(cat "$out/stdout")
    want=${rest#* }
  fi
  if [ "$rc" -eq 0 ] && [ "$(echo $got)" = "$(echo $want)" ]; then pinned=$((pinned + 1))
  else fail "$file $policy $frames ${rest%% *}: counts as pinned (want $want)"; fi
done <"$(dirname "$0")/trace_counts.expected"
echo "ok: $pinned pinned counts"

# --sweep: each count is what a run with that many frames counts (checked
# at the ends and at counts in between; every count of 1..48 is pinned above).
for policy in lru fifo clock; do
  run "$pagesim" trace --format lackey --policy $policy --sweep 1..40 --json "$out/syn.lackey"
  sweep=$(sed -n 's/.*"page_faults":\([0-9]*\).*/\1/p' "$out/stdout" | tr '\n' ' ')
  picked="" single=""
  for f in 1 2 3 5 8 13 21 34 40; do
    picked="$picked$(echo $sweep | cut -d' ' -f$f) "
    run "$pagesim" trace --format lackey --policy $policy --frames $f --json "$out/syn.lackey"
    single="$single$(sed -n 's/.*"page_faults":\([0-9]*\).*/\1/p' "$out/stdout") "
  done
  if [ "$(echo $sweep | wc -w)" -eq 40 ] && [ "$picked" = "$single" ]; then
    echo "ok: $policy --sweep 1..40 counts as runs with 1, 2, 3, 5, 8, 13, 21, 34 and 40 frames do"
  else fail "$policy --sweep 1..40 counts as single runs do (sweep: $sweep; runs: $single)"; fi
done

# OPT holds 8 bytes a reference; a trace that needs more than it may take
# is refused before any of it is held (a file: counted first), or where it
# passes the limit (a pipe).
run "$pagesim" trace --policy opt --memory-limit 3M --json "$out/many.refs"
expect_error "OPT over its memory limit" \
  "many.refs:1:1: error: 400000 references: OPT holds the whole trace in 8 bytes a reference, more than the 3 MB it may take (--memory-limit; FIFO, LRU and Clock stream a trace of any length)"
run "$pagesim" trace --policy opt --memory-limit 1K --json - <"$out/many.refs"
expect_error "OPT over its memory limit, from a pipe" \
  "<stdin>:1:1: error: more than 128 references: OPT holds the whole trace in 8 bytes a reference"
run "$pagesim" trace --policy opt --frames 64 --memory-limit 4M --json "$out/many.refs"
if [ "$rc" -eq 0 ] && grep -q '"page_faults":394960,' "$out/stdout"; then echo "ok: OPT within 4 MB"
else fail "OPT within 4 MB"; fi
for size in 0 -1 12X 1.5M; do
  run "$pagesim" trace --policy opt --memory-limit "$size" "$out/many.refs"
  if [ "$rc" -eq 2 ] && grep -q -- "--memory-limit takes a size" "$out/stderr"; then echo "ok: --memory-limit $size refused"
  else fail "--memory-limit $size refused"; fi
done

# Lackey access sizes: 4096 at most, without wrapping around 2^64.
for size in 4097 18446744073709551624 99999999999999999999999999; do
  printf ' L 00001000,%s\n' $size >"$out/size.lackey"
  run "$pagesim" trace --format lackey "$out/size.lackey"
  expect_error "lackey size $size" "size.lackey:1:1: error: malformed lackey line"
done
printf ' L 00001000,4096\n S 00001ff8,8\n' >"$out/size.lackey"
run "$pagesim" trace --format lackey --json "$out/size.lackey"
if [ "$rc" -eq 0 ] && grep -q '"references":2,' "$out/stdout"; then echo "ok: lackey size 4096"; else fail "lackey size 4096"; fi

# The SVG: a file that cannot be written is an error, and a device is not removed.
run "$pagesim" trace --sweep 1..4 --svg /nonexistent/x.svg "$out/max.refs"
expect_error "--svg in no folder" "pagesim trace: cannot write /nonexistent/x.svg: "
if [ -c /dev/full ]; then
  run "$pagesim" trace --svg /dev/full "$out/max.refs"
  expect_error "--svg /dev/full" "pagesim trace: cannot write /dev/full: "
  [ -c /dev/full ] && echo "ok: /dev/full is still a device" || { echo "FAIL: /dev/full removed"; fails=$((fails + 1)); }
fi
run "$pagesim" trace --sweep 1..4 --svg "$out/ok.svg" "$out/max.refs"
if [ "$rc" -eq 0 ] && grep -q '</svg>' "$out/ok.svg"; then echo "ok: --svg written"; else fail "--svg written"; fi

# Input echoed in an error is made safe for the terminal.
printf '1 2\n3 \033[31mx\007\n' >"$out/ctl.refs"
run "$pagesim" trace "$out/ctl.refs"
expect_error "a reference with control bytes" "ctl.refs:2:3: error: '\\x1B[31mx\\x07' is not a page reference"
no_raw_control "a reference with control bytes"
run "$pagesim" trace "$out/x${ESC}]0;title$(printf '\007').refs"
expect_error "a file name with control bytes" "x\\x1B]0;title\\x07.refs:1:1: error: cannot read the trace"
no_raw_control "a file name with control bytes"
finish
