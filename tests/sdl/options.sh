#!/bin/sh
# frontend.sdl_bad_options: each bad command line exits 2 with one
# "...:LINE:COL: error: ..." line on stderr, nothing on stdout and no
# picture; a missing font, a picture or an output that cannot be written
# exit 2 saying why; --help exits 0. Usage: options.sh PAGESIM_SDL SOURCE_DIR
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
# A font that cannot be opened: status 2, saying which and how to choose another.
PAGESIM_FONT="$out/no-such-font.ttf" "$sdl" --screenshot "$out/x.png" 2>"$out/stderr" >/dev/null
rc=$?
if [ $rc -ne 2 ] || [ -e "$out/x.png" ] || ! grep -q "no-such-font.ttf.*set PAGESIM_FONT" "$out/stderr"; then
  echo "FAIL: bad font: status $rc, stderr: $(cat "$out/stderr")"
  fails=$((fails + 1))
fi
"$sdl" --help >"$out/stdout" 2>&1 && grep -q '^usage: pagesim-sdl' "$out/stdout" ||
  { echo "FAIL: --help"; fails=$((fails + 1)); }

# cannot WHAT WANT ARGS...: status 2, nothing on stdout, on stderr one line
# that starts with WANT.
cannot() {
  what=$1 want=$2
  shift 2
  "$sdl" "$@" >"$out/stdout" 2>"$out/stderr"
  rc=$?
  got=$(cat "$out/stderr")
  if [ $rc -ne 2 ] || [ -s "$out/stdout" ] || [ "$(wc -l <"$out/stderr")" -ne 1 ] || [ "${got#"$want"}" = "$got" ]; then
    echo "FAIL: $what: status $rc, stderr: $(cat "$out/stderr"), stdout: $(head -c 200 "$out/stdout")"
    fails=$((fails + 1))
  else
    echo "ok: $what: $got"
  fi
}
cannot "a picture in no folder" "pagesim-sdl: cannot write /nonexistent/dir/x.png: No such file or directory" \
  --screenshot /nonexistent/dir/x.png --select 0x00240000
cannot "a picture onto a folder" "pagesim-sdl: cannot write $out: Is a directory" --screenshot "$out"
if [ -c /dev/full ]; then
  cannot "a picture onto a full disk" "pagesim-sdl: cannot write /dev/full: No space left on device" \
    --screenshot /dev/full
  [ -c /dev/full ] || { echo "FAIL: /dev/full removed"; fails=$((fails + 1)); }
  "$sdl" --help >/dev/full 2>"$out/stderr"
  rc=$?
  [ $rc -eq 2 ] && grep -q '^pagesim-sdl: cannot write the output: ' "$out/stderr" ||
    { echo "FAIL: --help > /dev/full: status $rc, $(cat "$out/stderr")"; fails=$((fails + 1)); }
  "$sdl" --screenshot "$out/x.png" --select 0x00240000 >/dev/full 2>"$out/stderr"
  rc=$?
  [ $rc -eq 2 ] && grep -q '^pagesim-sdl: cannot write the output: ' "$out/stderr" ||
    { echo "FAIL: --select's line > /dev/full: status $rc, $(cat "$out/stderr")"; fails=$((fails + 1)); }
  rm -f "$out/x.png"
fi
# A statement that cannot run, found as it runs: its error alone, no picture.
printf 'a = VirtualAlloc(NULL, 4096, MEM_COMMIT, PAGE_READWRITE)\nwrite a a\n' >"$out/late.scn"
cannot "a statement that cannot run" \
  "$out/late.scn:2:9: error: write: " \
  --screenshot "$out/x.png" "$out/late.scn"
[ -e "$out/x.png" ] && { echo "FAIL: a picture of a scenario that cannot run"; fails=$((fails + 1)); }
# Names and input echoed on stderr are made safe for the terminal.
esc=$(printf '\033')
cannot "a file name with control bytes" \
  "$out/x\x1B[2J.scn:1:1: error: cannot read the scenario: No such file or directory" \
  --screenshot "$out/x.png" "$out/x${esc}[2J.scn"
cannot "an option with control bytes" \
  "<command line>:1:13: error: unknown option: '--x\x1B[2J' (pagesim-sdl --help lists the options)" "--x${esc}[2J"
echo "$fails failed"
[ $fails -eq 0 ]
