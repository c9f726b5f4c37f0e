#!/bin/sh
# Every bad input of tests/bad through a front end: exit status 2, nothing
# on standard output (no trace of the statements before the one that
# cannot run) and, on standard error, exactly the line pagesim run gives
# (NAME.err).
# Usage: frontend.sh BAD_DIR PROGRAM [ARGS...]   (the file comes last)
dir=$1
shift
cd "$dir" || exit 1
fails=0 count=0
for f in *.scn; do
  n=${f%.scn}
  want=$(sed "s|{FILE}|$f|" "$n.err")
  got=$("$@" "$f" </dev/null 2>&1 >/dev/null | grep -v '^pagesim-tui: no terminal')
  out=$("$@" "$f" </dev/null 2>/dev/null)
  rc=$?
  count=$((count + 1))
  if [ $rc -ne 2 ] || [ "$got" != "$want" ] || [ -n "$out" ]; then
    echo "FAIL: $f: status $rc"
    echo "  expected: $want"
    echo "  got:      $got"
    [ -z "$out" ] || echo "  and on standard output: $(echo "$out" | head -n 3)"
    fails=$((fails + 1))
  fi
done
echo "$count bad inputs, $fails failed"
[ $fails -eq 0 ] && [ $count -gt 0 ]
