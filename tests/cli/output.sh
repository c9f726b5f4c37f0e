#!/bin/sh
# cli.output: pagesim's output that cannot be written (a full disk:
# /dev/full; a closed standard output) is an error: status 2 and
# "pagesim: cannot write the output: REASON" on stderr ("pagesim run: ..."
# from run), for every command.
# Usage: output.sh PAGESIM SOURCE_DIR
pagesim=$1 src=$2
. "$(dirname "$0")/lib.sh"
[ -c /dev/full ] || { echo "FAIL: no /dev/full here"; exit 1; }
seed=$src/scenarios/seeds/seed003-demo.scn
printf '1 2 3 4 1 2 5 1 2 3 4 5\n' >"$out/belady.refs"

full() { # full WHAT ARGS...: pagesim ARGS > /dev/full
  what=$1
  shift
  "$pagesim" "$@" >/dev/full 2>"$out/stderr" </dev/null
  rc=$?
  : >"$out/stdout"
  expect_error "$what > /dev/full" "cannot write the output: "
}
full "--help" --help
full "--version" --version
full "run" run "$seed"
full "run --json" run --json "$seed"
full "trace (streamed)" trace "$out/belady.refs"
full "trace --policy opt" trace --policy opt "$out/belady.refs"
full "trace --sweep" trace --sweep 1..5 "$out/belady.refs"
full "bench" bench --runs 1 --json

"$pagesim" --version >&- 2>"$out/stderr"
rc=$?
: >"$out/stdout"
expect_error "--version with standard output closed" "pagesim: cannot write the output: "

# The same commands write their output when they can.
run "$pagesim" --version
expect_ok "--version to a file"
run "$pagesim" trace "$out/belady.refs"
expect_ok "trace to a file"
finish
