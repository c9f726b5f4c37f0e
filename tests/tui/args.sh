#!/bin/sh
# frontend.tui_args: pagesim-tui's command line and its output without a
# terminal: one scenario at a time, unknown options refused, --help, the
# error of a scenario that fails as it runs (and nothing else), file names
# and input text made safe on stderr, output that cannot be written.
# Usage: args.sh PAGESIM_TUI SOURCE_DIR
tui=$1 src=$2
. "$src/tests/cli/lib.sh"
seed=$src/scenarios/seeds/seed003-demo.scn

run "$tui" "$seed" "$seed" </dev/null
expect_error "two scenarios" "pagesim-tui: one scenario at a time"
run "$tui" --bogus </dev/null
expect_error "an unknown option" "pagesim-tui: unknown option '--bogus'"
[ "$(cat "$out/stderr")" = "pagesim-tui: unknown option '--bogus'" ] || fail "the exact line for --bogus"
run "$tui" --help </dev/null
if [ "$rc" -eq 0 ] && grep -q '^usage: pagesim-tui' "$out/stdout"; then echo "ok: --help"; else fail "--help"; fi
"$tui" --help >/dev/full 2>"$out/stderr"
rc=$?
: >"$out/stdout"
expect_error "--help > /dev/full" "pagesim-tui: cannot write the output: "

# No terminal: the trace as pagesim run prints it, its status, and for a
# statement that cannot run only the error line.
run "$tui" "$seed" </dev/null
if [ "$rc" -eq 0 ] && grep -q '^  10 | GetSystemInfo()' "$out/stdout"; then echo "ok: no terminal: the trace"
else fail "no terminal: the trace"; fi
# A value known only as it runs (an address) where a byte must be.
printf 'a = VirtualAlloc(NULL, 4096, MEM_COMMIT, PAGE_READWRITE)\nwrite a a\nwrite a 1\n' >"$out/late.scn"
run "$tui" "$out/late.scn" </dev/null
if [ "$rc" -eq 2 ] && grep -q "^   1 | a = VirtualAlloc" "$out/stdout" && ! grep -q "write a 1" "$out/stdout" &&
   grep -q "^$out/late.scn:2:9: error: write: " "$out/stderr"; then
  echo "ok: a statement that cannot run: the statements before it, then its error, status 2"
else fail "a statement that cannot run: the statements before it, then its error, status 2"; fi
"$tui" "$seed" </dev/null >/dev/full 2>"$out/stderr"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "^pagesim-tui: cannot write the output: " "$out/stderr"; then echo "ok: the trace > /dev/full"
else fail "the trace > /dev/full"; fi

run "$tui" "$out/x${ESC}[2J.scn" </dev/null
expect_error "a file name with control bytes" "x\\x1B[2J.scn:1:1: error: cannot read the scenario: "
no_raw_control "a file name with control bytes"
run "$tui" "$out" </dev/null
expect_error "a directory" "$out:1:1: error: cannot read the scenario: is a directory"
finish
