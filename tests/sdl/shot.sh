#!/bin/sh
# frontend.sdl_screenshot: renders seed 003's demo offscreen and checks the
# pixels of known cells. Usage: shot.sh PAGESIM_SDL PNG_CHECK SOURCE_DIR OUTDIR
sdl=$1 check=$2 src=$3 out=$4
seed="$src/scenarios/seeds/seed003-demo.scn"
mkdir -p "$out" || exit 1
rm -f "$out"/*.png
png=$out/seed003.png
# After step 40: page 0 written, 1-2 reserved, 3-4 committed (untouched), 19 committed.
"$sdl" --screenshot "$png" --step 40 "$seed" || exit 1
"$check" "$png" 1760 1200 \
  0x00240000=dirty 0x00241000=reserved 0x00242000=reserved 0x00243000=committed 0x00244000=committed \
  0x00245000=reserved 0x00252000=reserved 0x00253000=committed 0x00254000=free \
  0x00400000=image 0x80000000=system 0xC0000000="page table" 0xC0001000="page table" 0xC0100000=system \
  0x20000000=free || exit 1
# Step 2 (before the reservation): its cells free.
"$sdl" --screenshot "$out/step2.png" --step 2 "$seed" || exit 1
"$check" "$out/step2.png" 1760 1200 0x00240000=free 0x00243000=free 0x00400000=image || exit 1
# Page 0 selected: its cell outlined and, in the RAM strip, the frame its walk reached.
"$sdl" --screenshot "$out/walk.png" --step 40 --select 0x00240000 "$seed" > "$out/walk.txt" || exit 1
cat "$out/walk.txt"
set -- $(sed -n 's/^selected 0x00240000: translated, frame \([0-9]*\) of \([0-9]*\)$/\1 \2/p' "$out/walk.txt")
[ $# -eq 2 ] || { echo "FAIL: no walk to a frame reported"; exit 1; }
"$check" "$out/walk.png" 1760 1200 0x00240000=selected "ram:$1/$2=selected" 0x00400000=image 0x80000000=system ||
  exit 1
# Zoomed onto the reservation (8 x 8 pixels a cell): the same colours.
"$sdl" --screenshot "$out/zoom.png" --step 40 --zoom 512,0,128 "$seed" || exit 1
"$check" "$out/zoom.png" 1760 1200 --port 512,0,128 \
  0x00240000=dirty 0x00241000=reserved 0x00243000=committed 0x00253000=committed || exit 1
# HiDPI: twice the pixels, two a page.
"$sdl" --screenshot "$out/hidpi.png" --scale 2 --size 3520x2400 --step 40 "$seed" || exit 1
"$check" "$out/hidpi.png" 3520 2400 --scale 2 \
  0x00240000=dirty 0x00241000=reserved 0x00243000=committed 0x00400000=image 0xC0000000="page table" || exit 1
# The same scenario and step give the same bytes.
"$sdl" --screenshot "$out/again.png" --step 40 "$seed" || exit 1
cmp "$png" "$out/again.png" || { echo "FAIL: two renderings differ"; exit 1; }
echo "ok: deterministic"
