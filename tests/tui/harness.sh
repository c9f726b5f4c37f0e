# The tmux harness the terminal UI's end-to-end tests share (sourced, with
# the test's arguments PAGESIM_TUI SOURCE_DIR [TMUX]): tui, src, T (tmux on
# a private socket, killed at exit), fails, screen (the pane as text),
# wait_for TEXT and check DESCRIPTION COMMAND... (counting failures).
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
