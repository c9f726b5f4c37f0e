# The tmux harness the terminal UI's end-to-end tests share (sourced, with
# the test's arguments PAGESIM_TUI SOURCE_DIR [TMUX]): tui, src, T (tmux on
# a private socket, killed at exit), fails, and screen (the pane as text).
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
