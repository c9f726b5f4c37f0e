#!/bin/sh
# frontend.sdl_window_save: in a real window (Xvfb), s with a --save-to
# that cannot be written says so on stderr, and the window stays: q then
# quits with status 0. Usage: window_save.sh PAGESIM_SDL SOURCE_DIR OUTDIR
sdl=$1 src=$2 out=$3
for t in xvfb-run xdotool; do
  command -v $t >/dev/null 2>&1 || { echo "FAIL: $t not found (install xvfb xauth xdotool)"; exit 1; }
done
mkdir -p "$out" || exit 1
rm -f "$out/save.log" "$out/save.err" "$out/status"
cat >"$out/drive.sh" <<DRIVE
"$sdl" --size 800x600 --save-to /nonexistent/dir/x.png "$src/scenarios/seeds/seed003-demo.scn" \
  >"$out/save.log" 2>"$out/save.err" &
pid=\$!
wid=\$(xdotool search --sync --name '^pagesim-sdl\$' | head -n 1)
[ -n "\$wid" ] || { kill \$pid; exit 1; }
i=0
while ! grep -q '^map at' "$out/save.log" && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i + 1)); done
xdotool windowfocus --sync \$wid 2>/dev/null
xdotool key --window \$wid s
i=0
while ! grep -q 'cannot write' "$out/save.err" && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i + 1)); done
kill -0 \$pid 2>/dev/null && echo running >"$out/alive"
xdotool key --window \$wid q
i=0
while kill -0 \$pid 2>/dev/null && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i + 1)); done
kill \$pid 2>/dev/null
wait \$pid
echo \$? >"$out/status"
DRIVE
rm -f "$out/alive"
timeout 60 xvfb-run -a -s "-screen 0 1024x768x24" sh "$out/drive.sh"
fails=0
echo "--- stderr:"
cat "$out/save.err"
echo "---"
grep -qx 'pagesim-sdl: cannot write /nonexistent/dir/x.png: No such file or directory' "$out/save.err" &&
  echo "ok: the failed save is said on stderr" || { echo "FAIL: the failed save is not said on stderr"; fails=1; }
grep -q '^saved' "$out/save.log" && { echo "FAIL: a save that failed is reported as saved"; fails=1; }
[ -s "$out/alive" ] && echo "ok: the window stays after it" || { echo "FAIL: the window is gone after it"; fails=1; }
status=$(cat "$out/status" 2>/dev/null)
[ "$status" = 0 ] && echo "ok: q quit with status 0" || { echo "FAIL: exit status '$status'"; fails=1; }
[ $fails -eq 0 ]
