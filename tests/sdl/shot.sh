#!/bin/sh
# frontend.sdl_screenshot: renders seed 003's demo offscreen and checks the
# pixels of known cells. Usage: shot.sh PAGESIM_SDL PNG_CHECK SOURCE_DIR OUTDIR
sdl=$1 check=$2 src=$3 out=$4
mkdir -p "$out" || exit 1
png=$out/seed003.png
# After step 40: page 0 written, 1-2 reserved, 3-4 committed (untouched), 19 committed.
"$sdl" --screenshot "$png" --step 40 "$src/scenarios/seeds/seed003-demo.scn" || exit 1
"$check" "$png" 1760 1200 \
  0x00240000=dirty 0x00241000=reserved 0x00242000=reserved 0x00243000=committed 0x00244000=committed \
  0x00245000=reserved 0x00252000=reserved 0x00253000=committed 0x00254000=free \
  0x00400000=image 0x80000000=system 0xC0000000="page table" 0xC0001000="page table" 0xC0100000=system 0x20000000=free || exit 1
# With page 0 selected (its walk drawn): the cell outlined, the cells away from it unchanged.
"$sdl" --screenshot "$out/walk.png" --step 40 --select 0x00240000 "$src/scenarios/seeds/seed003-demo.scn" || exit 1
"$check" "$out/walk.png" 1760 1200 0x00240000=selected 0x00400000=image 0x80000000=system || exit 1
# Zoomed onto the reservation (8 x 8 pixels a cell): the same colours.
"$sdl" --screenshot "$out/zoom.png" --step 40 --zoom 512,0,128 "$src/scenarios/seeds/seed003-demo.scn" || exit 1
"$check" "$out/zoom.png" 1760 1200 --port 512,0,128 \
  0x00240000=dirty 0x00241000=reserved 0x00243000=committed 0x00253000=committed || exit 1
# The same scenario and step give the same bytes.
"$sdl" --screenshot "$out/again.png" --step 40 "$src/scenarios/seeds/seed003-demo.scn" || exit 1
cmp "$png" "$out/again.png" || { echo "FAIL: two renderings differ"; exit 1; }
echo "ok: deterministic"
