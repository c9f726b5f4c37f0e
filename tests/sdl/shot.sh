#!/bin/sh
# frontend.sdl_screenshot: renders scenarios offscreen and checks the
# pixels: seed 003's demo cell by cell at a page a pixel; the default
# scenario (the tour) at the default size, which fits a 1366x768 screen,
# its allocation marked; and text that wraps in its panel at 1366x768 and
# at 1024x640. Usage: shot.sh PAGESIM_SDL PNG_CHECK SOURCE_DIR OUTDIR
sdl=$1 check=$2 src=$3 out=$4
seed="$src/scenarios/seeds/seed003-demo.scn"
mkdir -p "$out" || exit 1
rm -f "$out"/*.png
png=$out/seed003.png
big="--size 1760x1200" # a page a pixel: the map is 1024 pixels square
# After step 40: page 0 written, 1-2 reserved, 3-4 committed (untouched), 19 committed.
"$sdl" --screenshot "$png" $big --step 40 "$seed" || exit 1
"$check" "$png" 1760 1200 \
  0x00240000=dirty 0x00241000=reserved 0x00242000=reserved 0x00243000=committed 0x00244000=committed \
  0x00245000=reserved 0x00252000=reserved 0x00253000=committed 0x00255000=free \
  mark:0x00240000-0x00254000 \
  0x00400000=image 0x80000000=system 0xC0000000="page table" 0xC0001000="page table" 0xC0100000=system \
  0x20000000=free || exit 1
# Step 2 (before the reservation): its cells free.
"$sdl" --screenshot "$out/step2.png" $big --step 2 "$seed" || exit 1
"$check" "$out/step2.png" 1760 1200 0x00240000=free 0x00243000=free 0x00400000=image || exit 1
# Page 0 selected: its cell outlined and, in the RAM strip, the frame its walk reached.
"$sdl" --screenshot "$out/walk.png" $big --step 40 --select 0x00240000 "$seed" > "$out/walk.txt" || exit 1
cat "$out/walk.txt"
set -- $(sed -n 's/^selected 0x00240000: translated, frame \([0-9]*\) of \([0-9]*\)$/\1 \2/p' "$out/walk.txt")
[ $# -eq 2 ] || { echo "FAIL: no walk to a frame reported"; exit 1; }
"$check" "$out/walk.png" 1760 1200 0x00240000=selected "ram:$1/$2=selected" 0x00400000=image 0x80000000=system ||
  exit 1
# Zoomed onto the reservation (8 x 8 pixels a cell): the same colours.
"$sdl" --screenshot "$out/zoom.png" $big --step 40 --zoom 512,0,128 "$seed" || exit 1
"$check" "$out/zoom.png" 1760 1200 --port 512,0,128 \
  0x00240000=dirty 0x00241000=reserved 0x00243000=committed 0x00253000=committed || exit 1
# HiDPI: twice the pixels, two a page.
"$sdl" --screenshot "$out/hidpi.png" --scale 2 --size 3520x2400 --step 40 "$seed" || exit 1
"$check" "$out/hidpi.png" 3520 2400 --scale 2 \
  0x00240000=dirty 0x00241000=reserved 0x00243000=committed 0x00400000=image 0xC0000000="page table" || exit 1
# The same scenario and step give the same bytes.
"$sdl" --screenshot "$out/again.png" $big --step 40 "$seed" || exit 1
cmp "$png" "$out/again.png" || { echo "FAIL: two renderings differ"; exit 1; }
echo "ok: deterministic"

# The default scenario at the default size: the tour, as pagesim-tui opens
# it, in 1280x680 (a 1366x768 screen holds it with a title bar and a task
# bar). At the whole 4 GB a page is less than a pixel: the reservation the
# tour makes is outlined so that it is seen.
"$sdl" --screenshot "$out/default.png" --step 1 || exit 1
"$check" "$out/default.png" 1280 680 mark:0x12340000-0x12354000 0x80000000=system || exit 1

# Text wraps in its panel: the same walk (the tour at line 30, seed 001's
# address, its page only reserved) reaches further down the narrower panel
# at 1024x640 than at 1366x768, and at neither does text run into the
# panels' padding.
for size in 1366x768 1024x640; do
  "$sdl" --screenshot "$out/text-$size.png" --size "$size" --step 13 --select 0x12345678 >/dev/null || exit 1
  "$check" "$out/text-$size.png" ${size%x*} ${size#*x} text:info text:log mark:0x12340000-0x12354000 \
    >"$out/text-$size.txt" || { cat "$out/text-$size.txt"; exit 1; }
  cat "$out/text-$size.txt"
done
wide=$(sed -n 's/^ok: info text down to row \([0-9]*\),.*/\1/p' "$out/text-1366x768.txt")
narrow=$(sed -n 's/^ok: info text down to row \([0-9]*\),.*/\1/p' "$out/text-1024x640.txt")
[ -n "$wide" ] && [ -n "$narrow" ] && [ "$narrow" -gt "$wide" ] ||
  { echo "FAIL: the walk at 1024x640 (down to row $narrow) does not wrap beyond 1366x768's ($wide)"; exit 1; }
echo "ok: the walk wraps: down to row $narrow at 1024x640, $wide at 1366x768"

# A long scenario (3002 statements): at its end page 39 is decommitted; a
# statement before, it is still written.
sh "$src/tests/sdl/long.sh" >"$out/long.scn" || exit 1
"$sdl" --screenshot "$out/long-end.png" --size 1760x1200 --zoom 512,0,128 "$out/long.scn" || exit 1
"$check" "$out/long-end.png" 1760 1200 --port 512,0,128 0x00267000=reserved 0x00266000=dirty || exit 1
"$sdl" --screenshot "$out/long-back.png" --size 1760x1200 --zoom 512,0,128 --step 3001 "$out/long.scn" || exit 1
"$check" "$out/long-back.png" 1760 1200 --port 512,0,128 0x00267000=dirty 0x00266000=dirty || exit 1
