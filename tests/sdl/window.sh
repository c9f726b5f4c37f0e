#!/bin/sh
# frontend.sdl_window: opens pagesim-sdl in a real window under Xvfb, clicks
# one cell with xdotool, saves a screenshot with the s key, clicks the |<
# button and saves another, quits with q, and checks the clicks, the
# pictures and the exit status. Then a long scenario (3002 statements) in a
# window of the default size: e runs to its end, b steps back, and the
# screen saved after each shows the decommit at the end done, then undone.
# Usage: window.sh PAGESIM_SDL PNG_CHECK SOURCE_DIR OUTDIR
sdl=$1 check=$2 src=$3 out=$4
for t in xvfb-run xdotool; do
  command -v $t >/dev/null 2>&1 || { echo "FAIL: $t not found (install xvfb xauth xdotool)"; exit 1; }
done
mkdir -p "$out" || exit 1
rm -f "$out"/window*.png "$out"/long*.png "$out/window.log" "$out/long.log" "$out/status" "$out/long-status"
sh "$src/tests/sdl/long.sh" >"$out/long.scn" || exit 1
cat > "$out/drive.sh" <<DRIVE
"$sdl" --size 1760x1200 --step 40 --save-to "$out/window.png" "$src/scenarios/seeds/seed003-demo.scn" \
  > "$out/window.log" 2>&1 &
pid=\$!
wid=\$(xdotool search --sync --name '^pagesim-sdl\$' | head -n 1)
[ -n "\$wid" ] || { kill \$pid; exit 1; }
i=0
while ! grep -q '^map at' "$out/window.log" && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i + 1)); done
set -- \$(sed -n 's/^map at \([0-9]*\),\([0-9]*\) size \([0-9]*\).*/\1 \2 \3/p' "$out/window.log")
# Cell (0x243, 0): page 3 of the reservation at 0x00240000, one pixel a page.
xdotool mousemove --window \$wid \$((\$1 + 0x243)) \$((\$2 + 0)) click 1
sleep 2.5
xdotool windowfocus --sync \$wid 2>/dev/null
xdotool key --window \$wid s
i=0
while [ ! -s "$out/window.png" ] && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i + 1)); done
sleep 0.3
mv "$out/window.png" "$out/window-click.png"
# The |< button: back to before the first statement.
set -- \$(sed -n 's/^button |< at \([0-9]*\),\([0-9]*\)\$/\1 \2/p' "$out/window.log")
xdotool mousemove --window \$wid \$1 \$2 click 1
sleep 0.5
xdotool key --window \$wid s
i=0
while [ ! -s "$out/window.png" ] && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i + 1)); done
sleep 0.3
mv "$out/window.png" "$out/window-start.png"
xdotool key --window \$wid q
i=0
while kill -0 \$pid 2>/dev/null && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i + 1)); done
kill \$pid 2>/dev/null
wait \$pid
echo \$? > "$out/status"

# save NAME: s, and the PNG moved to NAME once written.
save() {
  xdotool key --window \$wid s
  i=0
  while [ ! -s "$out/long.png" ] && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i + 1)); done
  sleep 0.3
  mv "$out/long.png" "\$1"
}
"$sdl" --zoom 512,0,128 --save-to "$out/long.png" "$out/long.scn" > "$out/long.log" 2>&1 &
pid=\$!
wid=\$(xdotool search --sync --name '^pagesim-sdl\$' | head -n 1)
[ -n "\$wid" ] || { kill \$pid; exit 1; }
i=0
while ! grep -q '^map at' "$out/long.log" && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i + 1)); done
xdotool windowfocus --sync \$wid 2>/dev/null
xdotool key --window \$wid e
sleep 2
save "$out/long-end.png"
xdotool key --window \$wid b
sleep 1
save "$out/long-back.png"
xdotool key --window \$wid q
i=0
while kill -0 \$pid 2>/dev/null && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i + 1)); done
kill \$pid 2>/dev/null
wait \$pid
echo \$? > "$out/long-status"
DRIVE
timeout 100 xvfb-run -a -s "-screen 0 1800x1300x24" sh "$out/drive.sh"
echo "--- pagesim-sdl printed:"
cat "$out/window.log"
echo "---"
fails=0
grep -q '^selected 0x00243000 (PDE 0x000, PTE 0x243)$' "$out/window.log" && echo "ok: the click selected 0x00243000" ||
  { echo "FAIL: the click did not select 0x00243000"; fails=1; }
[ "$(grep -c "^saved $out/window.png\$" "$out/window.log")" = 2 ] && echo "ok: s saved two screenshots" ||
  { echo "FAIL: s did not save two screenshots"; fails=1; }
status=$(cat "$out/status" 2>/dev/null)
[ "$status" = 0 ] && echo "ok: q quit with status 0" || { echo "FAIL: exit status '$status'"; fails=1; }
# After the click: the walk drawn around the clicked cell; the other cells as they are.
"$check" "$out/window-click.png" 1760 1200 0x00243000=selected 0x00400000=image 0x00010000=resident \
  0x00250000=reserved 0x80000000=system 0xC0000000="page table" || fails=1
# After |<: nothing has run: the reservation's cells are free, the process's image and system space are there.
"$check" "$out/window-start.png" 1760 1200 0x00250000=free 0x00243000=free 0x00400000=image 0x80000000=system || fails=1
echo "--- pagesim-sdl printed, for the long scenario:"
cat "$out/long.log"
echo "---"
status=$(cat "$out/long-status" 2>/dev/null)
[ "$status" = 0 ] && echo "ok: q quit the long scenario with status 0" || { echo "FAIL: exit status '$status'"; fails=1; }
# The window's default size, 1280x680; at the end page 39 is decommitted
# (reserved), one statement back it is written again (dirty).
"$check" "$out/long-end.png" 1280 680 --port 512,0,128 0x00267000=reserved 0x00266000=dirty || fails=1
"$check" "$out/long-back.png" 1280 680 --port 512,0,128 0x00267000=dirty 0x00266000=dirty || fails=1
exit $fails
