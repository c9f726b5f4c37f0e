#!/bin/sh
# frontend.tui_e2e: starts the real pagesim-tui in tmux, drives it with keys
# and checks the screen. Usage: e2e.sh PAGESIM_TUI SOURCE_DIR [TMUX]
tui=$1
src=$2
tmux_bin=${3:-tmux}
command -v "$tmux_bin" >/dev/null 2>&1 || { echo "FAIL: tmux not found (install tmux)"; exit 1; }
dir=$(mktemp -d)
sock=$dir/sock
T() { "$tmux_bin" -S "$sock" -f /dev/null "$@"; }
cleanup() { T kill-server >/dev/null 2>&1; rm -rf "$dir"; }
trap cleanup EXIT
fails=0

screen() { T capture-pane -p -t ui; }
# The right-hand panel of an 80-column screen (the source is on the left).
panel() { screen | cut -c36-; }
keys() { for k in "$@"; do T send-keys -t ui "$k"; sleep 0.05; done; }
# wait_for TEXT: until the screen shows TEXT (10 s at most).
wait_for() {
  i=0
  while [ $i -lt 100 ]; do
    screen | grep -qF -- "$1" && return 0
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}
check() { # check DESCRIPTION COMMAND...
  what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; echo "--- screen:"; screen; echo "---"; fails=$((fails + 1)); fi
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
start() { # start NAME ARGS...: a fresh 80x24 session running the UI
  T kill-server >/dev/null 2>&1
  sleep 0.2
  T new-session -d -s ui -x 80 -y 24 "$tui $*; echo EXIT=\$?; sleep 600"
}

# Seed 001's worked walk: step to the end, then through the translation.
start "$src/scenarios/hardware/seed001-worked-walk.scn"
check "seed 001 opens at step 0" wait_for "step 0/9"
keys e 3
for i in 1 2 3 4 5 6; do keys Enter; done
check "the walk reaches the physical address" wait_for "= 0x40000678"
check "directory index 0x048" shows "directory 0x048"
check "table index 0x345" shows "table 0x345"
check "offset 0x678" shows "offset 0x678"
check "the split in bits" shows "0001001000 1101000101 011001111000"
check "physical address 0x40000678" shows "0x40000678"
keys q
check "q quits with status 0" wait_for "EXIT=0"

# Seed 000's 1000 MB block is wider than the bar: z zooms onto the pages
# around the stepper's address, one a cell; - back to the whole block; a
# click on its first cell shows its first 80 pages.
# From a path far wider than the screen: the title keeps the step.
deep=$dir/a/checkout/in/a/folder/far/down/a/tree/of/folders/scenarios/seeds
mkdir -p "$deep"
cp "$src/scenarios/seeds/seed000-getmemory-1000mb.scn" "$deep/"
start "$deep/seed000-getmemory-1000mb.scn"
check "seed 000 opens" wait_for "step 0/26"
check "... from a long path, named by its file" shows " pagesim-tui  seed000-getmemory-1000mb.scn  step 0/26"
keys e t 0 x 2 0 0 0 0 0 0 0 Enter z
check "z: 80 pages around 0x20000000, one a cell" wait_for "0x1FFD8000-0x20027FFF 1 page a cell"
keys -
check "-: the whole block" wait_for "0x10040000-0x4E843FFF +/- zoom"
T send-keys -t ui -l "$(printf '\033[M !6')"
sleep 0.05
T send-keys -t ui -l "$(printf '\033[M#!6')"
check "a click on its first cell: its first 80 pages" wait_for "0x10040000-0x1008FFFF 1 page a cell"
keys q
check "q quits with status 0" wait_for "EXIT=0"

# The default scenario: a VirtualAlloc shows in the region list, and is
# gone from it after stepping back over it.
start
check "the default scenario opens" wait_for "step 0/22"
keys n 2
check "after the VirtualAlloc, step 1" wait_for "step 1/22"
check "the region list shows the reservation" panel_shows "0x12340000"
keys b
check "back at step 0" wait_for "step 0/22"
check "the region list no longer shows it" panel_lacks "0x12340000"
keys n
check "forward again: it is back" wait_for "step 1/22"
check "the region list shows it again" panel_shows "0x12340000"
# A mouse click (xterm protocol: press, release) on the seventh source line
# runs to that statement.
T send-keys -t ui -l "$(printf '\033[M !(')"
sleep 0.05
T send-keys -t ui -l "$(printf '\033[M#!(')"
check "a click on a source line runs to it" wait_for "step 6/22"
# A click on the map's cell of the reservation (column 11 of 80 in the user
# space) zooms onto it: 20 pages in 80 columns, four a page, no gaps (page 0
# committed, 1-2 reserved, 3-4 committed, 5-18 reserved, 19 committed).
T send-keys -t ui -l "$(printf '\033[M ,6')"
sleep 0.05
T send-keys -t ui -l "$(printf '\033[M#,6')"
check "a click on the map zooms onto the reservation" wait_for "0x12340000-0x12353FFF 1 page a cell"
check "... its pages, four columns each" sh -c \
  "'$tmux_bin' -S '$sock' capture-pane -p -t ui | sed -n 22p | grep -qx 'ccccrrrrrrrrcccccccc\(rrrr\)\{14\}cccc'"
# Seed 001's address in the tour: at line 30 its page is only reserved; the
# stepper walks the next statement's address and the memory manager says why.
keys g 3 0 Enter 3
for i in 1 2 3 4 5 6 7; do keys Enter; done
check "the stepper shows the fault's resolution" wait_for "memory manager: access_violation"
check "... and why" shows "reserved"
# A resize: the help line follows the bottom of the terminal.
T resize-window -t ui -x 120 -y 40 >/dev/null 2>&1
sleep 0.3
check "after a resize to 120x40 the help line is at the bottom" sh -c \
  "'$tmux_bin' -S '$sock' capture-pane -p -t ui | sed -n 40p | grep -qF 'n/Space step'"
# The address prompt: Escape cancels it; Backspace deletes; Enter takes it.
keys t 0 x 1 2
check "t asks for an address" wait_for "translate (ADDR [read|write] [user|kernel]): 0x12"
keys Escape
check "Escape cancels it" wait_gone "translate (ADDR"
keys t 0 x 0 0 4 0 0 0 0 0 9 BSpace Enter
check "a typed address, less its last character, goes to the stepper" wait_for "translate 0x00400000, read in user mode"
keys '?'
check "? shows the full help" wait_for "page tables (4):"
keys x q
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
  keys n 3 Enter 2 5 b
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
