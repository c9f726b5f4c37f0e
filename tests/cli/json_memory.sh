#!/bin/sh
# cli.json_memory: pagesim run --json streams its output. Issue 11's
# 166-byte scenario reads 16 MB ten times: 335 MB of JSON, which pagesim
# once held whole (335 MB resident). Each statement's line is written as
# it runs, so the peak is one line (32 MB of hex) and the machine: the run
# must stay under 160 MB (peak RSS from GNU time, else a ulimit -v of
# 256 MB) and print all of it. Usage: json_memory.sh PAGESIM
pagesim=$1
. "$(dirname "$0")/lib.sh"
bound_kb=163840

{
  echo 'a = VirtualAlloc(NULL, 16M, MEM_COMMIT, PAGE_READWRITE)'
  for i in 1 2 3 4 5 6 7 8 9 10; do echo 'read a 16M'; done
} >"$out/read16m.scn"

# Counts the lines and the reads whose 16 MB came out whole (32 Mi hex digits).
count() {
  awk '/"op":"read",/ { i = index($0, "\"bytes\":\""); if (i && length($0) - i - 10 == 33554432) whole++ }
       END { print NR + 0, whole + 0 }' >"$out/counts"
}

if /usr/bin/time -f %M true >/dev/null 2>&1; then
  { /usr/bin/time -o "$out/rss" -f %M "$pagesim" run --json "$out/read16m.scn" 2>"$out/stderr"; echo $? >"$out/rc"; } | count
  kb=$(tail -n 1 "$out/rss")
  how="peak RSS $kb KB (bound $bound_kb KB)"
else
  how="under ulimit -v 262144 KB"
  { (ulimit -v 262144 && exec "$pagesim" run --json "$out/read16m.scn") 2>"$out/stderr"; echo $? >"$out/rc"; } | count
  kb=0
fi
rc=$(cat "$out/rc")
: >"$out/stdout"
read -r lines whole <"$out/counts"
if [ "$rc" -ne 0 ] || [ -s "$out/stderr" ]; then
  fail "run --json of 10 reads of 16 MB ($how): exit $rc"
elif [ "$lines" -ne 11 ] || [ "$whole" -ne 10 ]; then
  fail "run --json of 10 reads of 16 MB: $lines lines, $whole reads whole (want 11 and 10)"
elif [ "$kb" -gt "$bound_kb" ]; then
  fail "run --json of 10 reads of 16 MB: peak RSS $kb KB, over $bound_kb KB: the output is held, not streamed"
else
  echo "ok: run --json of 10 reads of 16 MB: 11 lines, 10 reads whole, $how"
fi
finish
