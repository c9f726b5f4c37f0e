#!/bin/sh
# frontend.sdl_bad_options: each bad command line exits 2 with one
# "...:LINE:COL: error: ..." line on stderr, nothing on stdout and no
# picture; a missing font exits 1; --help exits 0. Usage: options.sh PAGESIM_SDL SOURCE_DIR
sdl=$1 src=$2
out=${TMPDIR:-/tmp}/pagesim-sdl-options.$$
mkdir -p "$out" || exit 1
trap 'rm -rf "$out"' EXIT
seed="$src/scenarios/seeds/seed003-demo.scn"
fails=0
bad() {
  want=$1
  shift
  "$sdl" --screenshot "$out/x.png" "$@" >"$out/stdout" 2>"$out/stderr"
  rc=$?
  if [ $rc -ne 2 ] || [ -s "$out/stdout" ] || [ -e "$out/x.png" ] || [ "$(wc -l <"$out/stderr")" -ne 1 ] ||
     ! grep -q ":[0-9]*:[0-9]*: error: $want" "$out/stderr"; then
    echo "FAIL: $*: status $rc, stderr: $(cat "$out/stderr")"
    fails=$((fails + 1))
  else
    echo "ok: $*: $(cat "$out/stderr")"
  fi
  rm -f "$out/x.png"
}
bad "unknown option: '--frobnicate'" --frobnicate
bad "a value must follow" "$seed" --step
bad "not a number in range: 'x'" --step x
bad "not a view X,Y,N" --zoom 3,3,3
bad "not a view X,Y,N" --zoom 1000,0,64
bad "not a size WxH" --size 10x10
bad "not an address" --select 0x100000000
bad "not a scale (1 or 2)" --scale 3
bad "more than one scenario" "$seed" "$seed"
bad "cannot read the scenario" "$out/no-such-file.scn"
bad "--process 5: the scenario has 1 process" --process 5
# The column points at the bad argument in "pagesim-sdl --step 3 --zoom 3,3,3".
"$sdl" --step 3 --zoom 3,3,3 2>"$out/stderr" >/dev/null
grep -q '^<command line>:1:29: error: ' "$out/stderr" || { echo "FAIL: column: $(cat "$out/stderr")"; fails=$((fails + 1)); }
# A font that cannot be opened: status 1, saying which and how to choose another.
PAGESIM_FONT="$out/no-such-font.ttf" "$sdl" --screenshot "$out/x.png" 2>"$out/stderr" >/dev/null
rc=$?
if [ $rc -ne 1 ] || [ -e "$out/x.png" ] || ! grep -q "no-such-font.ttf.*set PAGESIM_FONT" "$out/stderr"; then
  echo "FAIL: bad font: status $rc, stderr: $(cat "$out/stderr")"
  fails=$((fails + 1))
fi
"$sdl" --help >"$out/stdout" 2>&1 && grep -q '^usage: pagesim-sdl' "$out/stdout" ||
  { echo "FAIL: --help"; fails=$((fails + 1)); }
echo "$fails failed"
[ $fails -eq 0 ]
