#!/bin/sh
# frontend.install: `cmake --install` into a scratch prefix gives programs
# that work from there: the installed pagesim runs an installed scenario
# (its output the golden file's), and the installed pagesim-sdl, with
# PAGESIM_FONT unset, finds a font and draws a screenshot. Where a mount
# namespace can be made (unshare -rm), the font the build found is hidden,
# and pagesim-sdl must find the one put in the prefix's share/pagesim/fonts
# (with none there and no other system font, it fails saying where it
# looked).
# Usage: install.sh BUILD_DIR SOURCE_DIR SDL_BUILT(0|1) TUI_BUILT(0|1) [PNG_CHECK BUILD_FONT]
build=$1 src=$2 sdl_built=$3 tui_built=$4 check=$5 build_font=$6
out=$(mktemp -d "${TMPDIR:-/tmp}/pagesim-install.XXXXXX") || exit 1
trap 'rm -rf "$out"' EXIT
p=$out/prefix
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

"${CMAKE:-cmake}" --install "$build" --prefix "$p" >"$out/install.log" 2>&1 || { cat "$out/install.log"; echo "FAIL: cmake --install"; exit 1; }
echo "ok: installed into $p: $(cd "$p" && find . -type f | wc -l) files"

for f in bin/pagesim share/pagesim/scenarios/seeds/seed003-demo.scn share/pagesim/scenarios/tour/tour.scn \
         share/doc/pagesim/README.md share/doc/pagesim/scenario-language.md; do
  [ -f "$p/$f" ] || fail "$f not installed"
done
[ "$tui_built" = 1 ] && { [ -x "$p/bin/pagesim-tui" ] || fail "bin/pagesim-tui not installed"; }
[ -e "$p/share/pagesim/fonts" ] && fail "a font was copied into share/pagesim/fonts (a system font is used where it is)"
[ -e "$p/share/pagesim/scenarios/seeds/seed003-demo.expected" ] && fail "golden files installed with the scenarios"

# The installed pagesim, on an installed scenario: the golden output.
scn=$p/share/pagesim/scenarios/seeds/seed003-demo.scn
if (cd "$out" && "$p/bin/pagesim" run --check --json "$scn" >"$out/seed003.json") &&
   cmp -s "$out/seed003.json" "$src/scenarios/seeds/seed003-demo.expected"; then
  echo "ok: installed pagesim runs the installed seed003-demo.scn, output as golden"
else
  fail "installed pagesim on $scn: status or output differs from the golden file"
fi

if [ "$sdl_built" != 1 ]; then
  echo "pagesim-sdl is not built, or no font was found at build time: its part is not run"
  echo "$fails failed"
  [ $fails -eq 0 ]
  exit
fi
[ -x "$p/bin/pagesim-sdl" ] || { fail "bin/pagesim-sdl not installed"; echo "$fails failed"; exit 1; }

# shot NAME [HIDE]: the installed pagesim-sdl draws the tour from the
# prefix, no PAGESIM_FONT; with HIDE, in a mount namespace where the folder
# HIDE is an empty one.
shot() {
  rm -f "$out/$1.png"
  set -- "$1" "$2" env -u PAGESIM_FONT SDL_VIDEODRIVER=offscreen "$p/bin/pagesim-sdl" --screenshot "$out/$1.png" --step 1
  name=$1 hide=$2
  shift 2
  if [ -n "$hide" ]; then
    unshare -rm sh -c 'mount -t tmpfs none "$0" && exec "$@"' "$hide" "$@" >"$out/$name.stdout" 2>"$out/$name.stderr"
  else
    "$@" >"$out/$name.stdout" 2>"$out/$name.stderr"
  fi
}
if shot plain && "$check" "$out/plain.png" 1280 680 mark:0x12340000-0x12354000 0x80000000=system >/dev/null; then
  echo "ok: installed pagesim-sdl finds a font and draws"
else
  fail "installed pagesim-sdl --screenshot: $(cat "$out/plain.stderr")"
fi

# The font the build found, hidden under an empty folder.
if [ -n "$build_font" ] && unshare -rm true 2>/dev/null; then
  hide=$(dirname "$build_font")
  if shot hidden "$hide"; then
    echo "note: with $build_font hidden and no font in the prefix, pagesim-sdl found another system font"
  elif grep -q "no font: .*share/pagesim/fonts/DejaVuSansMono.ttf.*set PAGESIM_FONT" "$out/hidden.stderr"; then
    echo "ok: with $build_font hidden and no installed font: $(cat "$out/hidden.stderr")"
  else
    fail "with $build_font hidden: $(cat "$out/hidden.stderr")"
  fi
  mkdir -p "$p/share/pagesim/fonts" && cp "$build_font" "$p/share/pagesim/fonts/DejaVuSansMono.ttf" || exit 1
  if shot share "$hide" && "$check" "$out/share.png" 1280 680 mark:0x12340000-0x12354000 0x80000000=system >/dev/null &&
     cmp -s "$out/plain.png" "$out/share.png"; then
    echo "ok: with $build_font hidden, the font in $p/share/pagesim/fonts is found: the same picture"
  else
    fail "with $build_font hidden and the font in share/pagesim/fonts: $(cat "$out/share.stderr")"
  fi
else
  echo "note: no mount namespace here (unshare -rm) or no font found at build time: the installed-font lookup is tested by frontend.sdl_font alone"
fi
echo "$fails failed"
[ $fails -eq 0 ]
