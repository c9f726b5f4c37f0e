#!/bin/sh
# cli.notes: the prose notes of paging beyond RAM are short and complete.
# Every line of `pagesim run` on the beyond-RAM scenarios is under 2,000
# characters; a statement that evicts more than four pages shows four and
# ends "(and N more evictions ... like these)"; the evictions shown plus
# those counted are every eviction the statement made (frames taken for
# faults and page tables, less the free frames used up); and an eviction
# that VirtualAlloc causes to make a page table is told in its own note.
# Usage: notes.sh PAGESIM SOURCE_DIR
pagesim=$1 src=$2
. "$(dirname "$0")/lib.sh"
paging=$src/scenarios/paging

# short WHAT: every line of the last run's output is under 2,000 characters.
short() {
  long=$(awk 'length($0) >= 2000 { n++; if (length($0) > m) m = length($0) } END { if (n) print n " lines, the longest " m }' "$out/stdout")
  if [ -n "$long" ]; then fail "$1: lines of 2,000 characters or more: $long"; else echo "ok: $1: every line under 2,000 characters"; fi
}

# complete WHAT SCN: runs SCN with its expects left out and `stats` after
# every statement (neither changes the machine), and checks each
# statement's eviction notes against the counters around it. SCN must
# free no frame (no VirtualFree, decommit or unmap), so that a frame
# comes free only by eviction:
#   evictions = demand-zero + hard + copy-on-write faults + new page tables
#               - free frames used up.
complete() {
  awk '/^[ \t]*(#|$)/ { next } /^[ \t]*expect[ \t]/ { next } { print; print "stats" }' "$2" >"$out/counted.scn"
  run "$pagesim" run "$out/counted.scn"
  if [ "$rc" -ne 0 ]; then fail "$1: the counted copy of the scenario did not run"; return; fi
  short "$1 (with stats after every statement)"
  if awk -v what="$1" -v need_more="$3" '
    function after(line, word,   f, n, i) {
      n = split(line, f, " ")
      for (i = 1; i < n; i++) if (f[i] == word) { gsub(/[^0-9]/, "", f[i + 1]); return f[i + 1] + 0 }
      return -1
    }
    function bad(msg) { print "FAIL: " what ": line " NR ": " msg; fails++ }
    /^ *[0-9]+ \| / { s = $0; sub(/^ *[0-9]+ \| /, "", s); in_stats = s == "stats"; if (!in_stats) stmt = s; next }
    in_stats && /^    page faults: demand-zero / { dz = after($0, "demand-zero"); hard = after($0, "hard"); cow = after($0, "copy-on-write") }
    in_stats && /^    working set / { pt = after($0, "tables") }
    in_stats && / free frames$/ {
      n = split($0, f, " "); free = f[n - 2] + 0
      if (seen) {
        want = (dz - pdz) + (hard - phard) + (cow - pcow) + (pt - ppt) - (pfree - free)
        if (told != want) bad("`" stmt "` made " want " evictions, its note tells " told " (" shown " shown)")
        checked += want
        if (want > 4) many++
      }
      seen = 1; pdz = dz; phard = hard; pcow = cow; ppt = pt; pfree = free; told = 0; shown = 0
      next
    }
    !in_stats && /^    (note|why): / {
      line = $0
      k = gsub(/evicts? frame 0x/, "&", line)
      more = 0
      if (match(line, /[0-9,]+ more evictions?/)) {
        m = substr(line, RSTART, RLENGTH); sub(/ .*/, "", m); gsub(/,/, "", m); more = m + 0
        if (k != 4) bad("`" stmt "`: " k " evictions shown before \"" m " more\", not 4")
        if ($0 !~ /\(and [0-9,]+ more [^()]* like these\)$/) bad("`" stmt "`: the count of the rest does not end the note")
      }
      if (k > 4) bad("`" stmt "`: " k " evictions shown, at most 4 are")
      shown += k; told += k + more
    }
    END {
      if (!seen) bad("no stats")
      if (need_more && !many) bad("no statement evicted more than 4 pages: the scenario tests nothing here")
      if (!fails) print "ok: " what ": " checked " evictions, each told (" many " statements with more than 4)"
      exit fails != 0
    }' "$out/stdout"; then :; else fails=$((fails + 1)); fi
}

for scn in "$paging"/beyond-ram-*.scn; do
  name=$(basename "$scn" .scn)
  run "$pagesim" run "$scn"
  expect_ok "$name runs"
  short "$name"
  # The long ones end with the count of the rest, once per statement.
  n=$(grep -c '^    note: .*(and [0-9,]* more eviction.* like these)$' "$out/stdout")
  if [ "$n" -ge 2 ]; then echo "ok: $name: $n notes end with the count of the rest"
  else fail "$name: $n notes end with \"(and N more evictions ... like these)\", want at least 2"; fi
  complete "$name" "$scn" 1
done

# note_of STMT: the note lines of the statement whose source is STMT, from
# the last run.
note_of() {
  awk -v s="$1" '/^ *[0-9]+ \| / { t = $0; sub(/^ *[0-9]+ \| /, "", t); on = t == s; next } on && /^    note: /' "$out/stdout"
}

# tells_eviction WHAT STMT: that statement's note says memory was full and
# which page was evicted, and that it made a page table.
tells_eviction() {
  note=$(note_of "$2")
  if printf '%s' "$note" | grep -q 'memory is full: .*evicts\{0,1\} frame 0x[0-9A-F]*.*, VPN 0x[0-9A-F]* of process main, dirty: written to page-file slot [0-9]*\.' &&
     printf '%s' "$note" | grep -q 'page-table page made'; then
    echo "ok: $1: the note of \`$2\` tells the eviction"
  else
    fail "$1: the note of \`$2\` does not tell the eviction: $note"
  fi
}

# The golden scenario: RAM full, VirtualAlloc reserves and commits in a
# 4 MB range without a page table.
scn=$paging/evict-for-page-table.scn
run "$pagesim" run "$scn"
expect_ok "evict-for-page-table runs"
tells_eviction "evict-for-page-table" "b = VirtualAlloc(0x20000000, 64K, MEM_RESERVE|MEM_COMMIT, PAGE_READWRITE)"
complete "evict-for-page-table" "$scn" 1

# The same through a commit alone, in a reservation made while memory was
# free, with each policy: the second 4 MB of the reservation has no table.
for policy in fifo lru clock; do
  cat >"$out/commit-$policy.scn" <<SCN
config ram=8M pagefile=16M policy=$policy layout=empty
r = VirtualAlloc(0x20000000, 8M, MEM_RESERVE, PAGE_READWRITE)
a = VirtualAlloc(NULL, 4M, MEM_COMMIT, PAGE_READWRITE)
touch a 4M write
VirtualAlloc(0x20400000, 64K, MEM_COMMIT, PAGE_READWRITE)
expect ret == 0x20400000
stats
expect stats.free_frames == 0
SCN
  run "$pagesim" run --check "$out/commit-$policy.scn"
  expect_ok "commit in a new 4 MB with RAM full ($policy)"
  tells_eviction "commit ($policy)" "VirtualAlloc(0x20400000, 64K, MEM_COMMIT, PAGE_READWRITE)"
  complete "commit ($policy)" "$out/commit-$policy.scn" 1
done

# One touch of 2000 MB: 512,000 demand-zero faults in one statement, told
# in a note of a few lines (it once printed 41 MB), with the count of the
# rest.
cat >"$out/touch-2000m.scn" <<SCN
config layout=empty split=3G ram=4G pagefile=4G
a = VirtualAlloc(NULL, 2000M, MEM_RESERVE|MEM_COMMIT, PAGE_READWRITE)
touch a 2000M write
SCN
run "$pagesim" run "$out/touch-2000m.scn"
expect_ok "touch of 2000 MB runs"
longest=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$out/stdout")
if [ "$(wc -c <"$out/stdout")" -gt 8192 ] || [ "$longest" -ge 2000 ] ||
   ! grep -q 'touched 512000 pages' "$out/stdout" ||
   ! grep -q '(and 511,996 more demand-zero faults like these)' "$out/stdout"; then
  fail "touch of 2000 MB: a short note that counts the faults it does not list (longest line $longest)"
else
  echo "ok: touch of 2000 MB: $(wc -c <"$out/stdout") bytes of output, longest line $longest"
fi
finish
