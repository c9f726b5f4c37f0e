#!/bin/sh
# Every bad input of tests/bad through a front end: exit status 2 and, on
# standard error, exactly the line pagesim run gives (NAME.err).
# Usage: frontend.sh BAD_DIR PROGRAM [ARGS...]   (the file comes last)
dir=$1
shift
cd "$dir" || exit 1
fails=0 count=0
for f in *.scn; do
  n=${f%.scn}
  want=$(sed "s|{FILE}|$f|" "$n.err")
  got=$("$@" "$f" </dev/null 2>&1 >/dev/null | grep -v '^pagesim-tui: no terminal')
  "$@" "$f" </dev/null >/dev/null 2>&1
  rc=$?
  count=$((count + 1))
  if [ $rc -ne 2 ] || [ "$got" != "$want" ]; then
    echo "FAIL: $f: status $rc"
    echo "  expected: $want"
    echo "  got:      $got"
    fails=$((fails + 1))
  fi
done
echo "$count bad inputs, $fails failed"
[ $fails -eq 0 ] && [ $count -gt 0 ]
