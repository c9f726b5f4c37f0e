#!/bin/sh
# frontend.sdl_no_display: the window mode without a display fails at once
# (status 2, the reason and a hint at --screenshot on stderr, nothing on
# stdout) instead of waiting for a window nobody sees. `timeout` only stops
# a hang; it measures nothing. Usage: nodisplay.sh PAGESIM_SDL SOURCE_DIR
sdl=$1 src=$2
out=$(mktemp -d "${TMPDIR:-/tmp}/pagesim-sdl-nodisplay.XXXXXX") || exit 1
trap 'rm -rf "$out"' EXIT
fails=0
# no_window WHAT ENV...: pagesim-sdl's window mode in that environment.
no_window() {
  what=$1
  shift
  env "$@" timeout 10 "$sdl" "$src/scenarios/tour/tour.scn" >"$out/stdout" 2>"$out/stderr" </dev/null
  rc=$?
  if [ $rc -ne 2 ] || [ -s "$out/stdout" ] || [ "$(wc -l <"$out/stderr")" -ne 1 ] ||
     ! grep -q '^pagesim-sdl: cannot open a window: .*--screenshot OUT.png needs no display$' "$out/stderr"; then
    echo "FAIL: $what: status $rc (124: still waiting after 10 s), stderr: $(cat "$out/stderr")"
    fails=$((fails + 1))
  else
    echo "ok: $what: $(cat "$out/stderr")"
  fi
}
no_window "no DISPLAY, no WAYLAND_DISPLAY" -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER
no_window "SDL's offscreen driver" -u WAYLAND_DISPLAY DISPLAY=:9 SDL_VIDEODRIVER=offscreen
no_window "SDL's dummy driver" -u WAYLAND_DISPLAY DISPLAY=:9 SDL_VIDEODRIVER=dummy
echo "$fails failed"
[ $fails -eq 0 ]
