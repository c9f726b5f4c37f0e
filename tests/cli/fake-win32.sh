#!/bin/sh
# A stand-in for a Windows build of pagesim, for the tests of pagesim
# compare on hosts without Wine: `fake-win32.sh PAGESIM EDITS run --json
# --backend=win32 FILE` prints what `PAGESIM run --json FILE` prints (the
# simulator), edited by the sed script in the file EDITS, and exits with its
# status. `fake-win32.sh PAGESIM EDITS platform` says "windows 10.0.fake".
# Lines of EDITS that start with "#exit N" or "#platform TEXT" make it exit
# N instead, or say TEXT.
pagesim=$1 edits=$2
shift 2
for file; do :; done
status=$(sed -n 's/^#exit //p' "$edits")
[ -n "$status" ] && exit "$status"
if [ "$file" = platform ]; then
  platform=$(sed -n 's/^#platform //p' "$edits")
  echo "${platform:-windows 10.0.fake}"
  exit 0
fi
"$pagesim" run --json "$file" >"$edits.out"
rc=$?
sed -f "$edits" "$edits.out"
exit $rc
