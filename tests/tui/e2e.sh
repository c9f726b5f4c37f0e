#!/bin/sh
# frontend.tui_e2e: starts the real pagesim-tui in tmux, drives it with keys
# and checks the screen. Usage: e2e.sh PAGESIM_TUI SOURCE_DIR [TMUX]
. "$(dirname "$0")/harness.sh"
# Row N (1-based) of the screen.
row() { screen | sed -n "$1p"; }
# The right-hand panel of an 80-column screen (the source is on the left).
panel() { screen | cut -c34-; }
keys() { for k in "$@"; do T send-keys -t ui "$k"; sleep 0.05; done; }
# click X Y: a left click at column X, row Y (0-based; xterm's protocol).
click() {
  T send-keys -t ui -l "$(printf '\033[M %b%b' "\\$(printf '%03o' $(($1 + 33)))" "\\$(printf '%03o' $(($2 + 33)))")"
  sleep 0.05
  T send-keys -t ui -l "$(printf '\033[M#%b%b' "\\$(printf '%03o' $(($1 + 33)))" "\\$(printf '%03o' $(($2 + 33)))")"
}
# wait_gone TEXT: until the screen no longer shows TEXT (10 s at most).
wait_gone() {
  i=0
  while [ $i -lt 100 ]; do
    screen | grep -qF -- "$1" || return 0
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}
shows() { screen | grep -qF -- "$1"; }
panel_shows() { panel | grep -qF -- "$1"; }
panel_lacks() { ! panel | grep -qF -- "$1"; }
# row_is N REGEX: until row N matches the extended regular expression
# (10 s at most).
row_is() {
  i=0
  while [ $i -lt 100 ]; do
    row "$1" | grep -qE -- "$2" && return 0
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}
# aligned: the bit string's row and the row below it have "directory",
# "table" and "offset" at its columns 0, 11 and 22.
aligned() {
  screen | awk '
    b { s = substr($0, b); ok = index(s, "directory") == 1 && index(s, "table") == 12 && index(s, "offset") == 23
        exit }
    { i = index($0, "0001001000 1101000101 011001111000"); if (i) b = i }
    END { exit !ok }'
}
start() { # start ARGS...: a fresh 80x24 session running the UI
  T kill-server >/dev/null 2>&1
  sleep 0.2
  T new-session -d -s ui -x 80 -y 24 "$tui $*; echo EXIT=\$?; sleep 600"
}

# Seed 001's worked walk: step to the end, then through the translation.
start "$src/scenarios/hardware/seed001-worked-walk.scn"
check "seed 001 opens at step 0" wait_for "step 0/9"
keys g 1 2 Enter 3
for i in 1 2 3 4 5 6; do keys Enter; done
check "the walk reaches the physical address" wait_for "= 0x40000678"
check "the indices: directory 0x048, table 0x345, offset 0x678" shows "0x048      0x345      0x678"
check "the split in bits" shows "0001001000 1101000101 011001111000"
check "80x24: the bit string lines up with directory, table, offset" aligned
check "the narrator's labels: PTE" shows "PTE      0xA0000000 + 0x345 * 4 = 0xA0000D14"
keys q
check "q quits with status 0" wait_for "EXIT=0"

# Seed 000's 1000 MB block: from a path far wider than the screen, the
# title keeps the file name, the step and every counter.
deep=$dir/a/checkout/in/a/folder/far/down/a/tree/of/folders/scenarios/seeds
mkdir -p "$deep"
cp "$src/scenarios/seeds/seed000-getmemory-1000mb.scn" "$deep/"
start "$deep/seed000-getmemory-1000mb.scn"
check "seed 000 opens" wait_for "step 0/25"
check "... from a long path, named by its file" row_is 1 '^ pagesim-tui  seed000-getmemory-1000mb.scn  step 0/25 *$'
keys e
check "... at the end, the step and every counter whole" row_is 1 \
  ' \.\.\.[a-z0-9-]+\.scn  step 25/25  main ws 2 commit 1025024K dz 2 hard 0 av 0 *$'
keys t 0 x 2 0 0 0 0 0 0 0 Enter z
check "z: 80 pages around 0x20000000, one a cell" wait_for "0x1FFD8000-0x20027FFF  1 page a cell"
keys -
check "-: zoomed out by 2 around it" wait_for "0x1FFB0000-0x2004FFFF  2 pages a cell"
keys Tab
check "Tab: the first allocation, fitted" wait_for "0x10000000-0x1004FFFF  1 page a cell"
# The user space, then a click on the block's cell (column 20): the block
# fitted; a click on its first cell: its first 80 pages.
T kill-server >/dev/null 2>&1
start "$deep/seed000-getmemory-1000mb.scn"
check "seed 000 opens again" wait_for "step 0/25"
keys e
check "... the user space" wait_for "6554 pages a cell"
click 20 21
check "a click on the block's cell fits it" wait_for "0x10040000-0x4E97FFFF  3204 pages a cell"
click 0 21
check "a click on its first cell: its first 80 pages" wait_for "0x10040000-0x1008FFFF  1 page a cell"
keys q
check "q quits with status 0" wait_for "EXIT=0"

# The default scenario: a VirtualAlloc shows in the region list, and is
# gone from it after stepping back over it.
start
check "the default scenario opens" wait_for "step 0/22"
check "its first lines are on screen, comments too, with their numbers" shows "    8 # [Reserve] 20 pages at"
keys n 2
check "after the VirtualAlloc, step 1" wait_for "step 1/22"
check "the region list shows the reservation" panel_shows "0x12340000"
keys b
check "back at step 0" wait_for "step 0/22"
check "the region list no longer shows it" panel_lacks "0x12340000"
keys n
check "forward again: it is back" wait_for "step 1/22"
check "the region list shows it again" panel_shows "0x12340000"
# A click on source line 14 (row 14: one row a line here) runs to its statement.
click 5 14
check "a click on a source line runs to it" wait_for "step 4/22"
check "... the statement marked" shows ">  14 VirtualAlloc(a +"
# The narrative: the next statement's story is on screen with it.
keys n
check "step 5: the story of the write" wait_for "# [Write] to page 1: it"
check "... whole (wrapped, not cut)" shows "is read-only."
check "... with its statement" shows ">  16 write a \"wuiasdf\""
check "the status line is whole" row_is 1 '^ tour \(default\)  step 5/22  main  ws 7  commit 80K  dz 0 hard 0 av 0 *$'
check "the legend is complete" row_is 23 '^\.free rrsv ccmt Rres Ddirty Ggrd Mmap Wcow Iimg Tpt Ssys Llock Ffile Hshr'
# The map: the user space, 6554 pages a cell; a click on the reservation's
# cell (column 11) fits it: 20 pages in 80 columns, four a page, each page
# starting with | (page 0 committed, 1-2 reserved, 3-4 committed, 5-18
# reserved, 19 committed).
check "the map's label: the user space" row_is 21 '^0x00010000-0x8002FFFF  6554 pages a cell'
click 11 21
check "a click on the map zooms onto the reservation" wait_for "0x12340000-0x12353FFF  4 cells a page"
check "... its pages, four columns each, where each begins marked" row_is 22 \
  '^\|ccc\|rrr\|rrr\|ccc\|ccc(\|rrr){14}\|ccc$'
check "... and the legend says what | is" shows "|page"
# Seed 001's address in the tour: at line 30 its page is only reserved;
# the stepper walks the next statement's address and the memory manager
# says why.
keys g 3 0 Enter 3
for i in 1 2 3 4 5 6 7; do keys Enter; done
check "the stepper shows the fault's resolution" wait_for "memory manager: access_violation"
check "... and why" shows "reserved"
check "80x24: the bit string lines up with directory, table, offset" aligned
# + and - zoom by 2 around the translated address; the label says the
# scale at every level.
for label in "8 cells a page" "16 cells a page" "32 cells a page" "64 cells a page"; do
  keys +
  check "+: $label" wait_for "  $label"
done
for label in "32 cells a page" "16 cells a page" "8 cells a page" "4 cells a page" "2 cells a page" \
             "1 page a cell" "2 pages a cell" "4 pages a cell" "8 pages a cell" "16 pages a cell" \
             "32 pages a cell" "64 pages a cell" "128 pages a cell" "256 pages a cell" "512 pages a cell" \
             "1024 pages a cell" "2048 pages a cell" "4096 pages a cell" "8192 pages a cell"; do
  keys -
  check "-: $label" wait_for "  $label"
done
keys -
check "-: the whole 4 GB" wait_for "0x00000000-0xFFFFFFFF  13108 pages a cell"
# A resize: the help line follows the bottom of the terminal.
T resize-window -t ui -x 120 -y 40 >/dev/null 2>&1
sleep 0.3
check "after a resize to 120x40 the help line is at the bottom" row_is 40 'n/Space step'
check "... and the story of the next statement is still there" shows "# Seed 001's address: 0x12345678"
# The address prompt: Escape cancels it; Backspace deletes; Enter takes it.
keys t 0 x 1 2
check "t asks for an expression" wait_for "translate (EXPR [read|write|exec] [user|kernel]): 0x12"
keys Escape
check "Escape cancels it" wait_gone "translate (EXPR"
keys t 0 x 0 0 4 0 0 0 0 0 9 BSpace Enter
check "a typed address, less its last character, goes to the stepper" \
  wait_for "linear   0x00400000, read access in user mode"
T send-keys -t ui t
T send-keys -t ui -l "a + 3*PAGE_SIZE + 0x10 write"
T send-keys -t ui Enter
check "an expression with a bound name and a constant" wait_for "linear   0x12343010, write access in user mode"
T send-keys -t ui t
T send-keys -t ui -l "b + 1"
T send-keys -t ui Enter
check "one that is not: the error on the bottom line" wait_for "not an address: b + 1: "
keys '?'
check "? shows the keys" wait_for "page tables (4):"
keys NPage NPage NPage NPage NPage
check "... and, further down, every statement" wait_for "VirtualAlloc(addr, size, type, protect)"
keys x q
check "q quits with status 0" wait_for "EXIT=0"

# A WinDbg view in the result panel: its columns cut at the edge, never
# wrapped, and Right scrolls it sideways.
start "$src/scenarios/seeds/seed002-partitions.scn"
check "seed 002 opens" wait_for "step 0/26"
keys e
check "!address -summary in the result panel" wait_for "--- State Summary ------ RgnCount"
check "... one row each: MEM_COMMIT, then MEM_RESERVE below it" sh -c \
  "'$tmux_bin' -S '$sock' capture-pane -p -t ui | cut -c34- | grep -A1 '^MEM_COMMIT ' | tail -n 1 | grep -q '^MEM_RESERVE '"
keys l l
check "l l: 16 columns to the right" wait_for "<              13      14000 (    0.078 MB)"
keys h h
check "h h: back" wait_for "MEM_COMMIT                     13"
keys q
check "q quits with status 0" wait_for "EXIT=0"

# A long scenario (3001 statements): to the end, one step back, and the
# screen shows where that is.
{
  echo 'a = VirtualAlloc(NULL, 64*PAGE_SIZE, MEM_RESERVE, PAGE_READWRITE)'
  i=0
  while [ $i -lt 1000 ]; do
    echo "# step $i: commit page $((i % 64)), write it, translate it"
    echo "VirtualAlloc(a + $((i % 64))*PAGE_SIZE, PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE)"
    echo "write a + $((i % 64))*PAGE_SIZE + $i 0x41"
    echo "translate a + $((i % 64 * 4096 + 16)) read user"
    i=$((i + 1))
  done
} >"$dir/long.scn"
start "$dir/long.scn"
check "the long scenario opens" wait_for "step 0/3001"
keys e
check "e runs to its end" wait_for "step 3001/3001"
check "... the source shows the end" shows ">  (end)"
keys b
check "b steps back one" wait_for "step 3000/3001"
check "... the last translate is next" shows ">4001 translate a + 159760 read"
keys b b
check "two more: the last commit is next" wait_for "step 2998/3001"
check "... with its story" shows "3998 # step 999: commit page"
keys 5
check "the log shows the last statements run" wait_for "3997 | translate a + 155664 read user"
keys q
check "q quits with status 0" wait_for "EXIT=0"

# A terminal 1 or 2 columns wide, and 1 or 2 rows high: the UI keeps
# drawing what fits, takes keys, and q quits with status 0. The status goes
# to a file: the pane is too small to show it.
rm -f "$dir/status"
T kill-server >/dev/null 2>&1
sleep 0.2
T new-session -d -s ui -x 80 -y 24 "$tui; echo \$? > '$dir/status'; sleep 600"
check "the default scenario opens before the resize" wait_for "step 0/22"
for size in "2 24" "1 24" "1 1" "2 2" "1 3"; do
  set -- $size
  T resize-window -t ui -x "$1" -y "$2" >/dev/null 2>&1
  sleep 0.3
  keys n 3 Enter 2 5 b + - Tab '?' x
done
keys q
# wait_status: until the status file is written (10 s at most).
wait_status() {
  i=0
  while [ $i -lt 100 ]; do
    [ -s "$dir/status" ] && return 0
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}
check "q quits a terminal 1 or 2 columns wide" wait_status
check "... with status 0" [ "$(cat "$dir/status" 2>/dev/null)" = 0 ]

[ $fails -eq 0 ] && echo "all passed" && exit 0
echo "$fails failed"
exit 1
