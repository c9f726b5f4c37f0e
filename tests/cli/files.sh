#!/bin/sh
# cli.files: a scenario that cannot be read (a directory, a closed standard
# input, more than 16 MiB) is a clear error with status 2, at once and
# without holding more than 16 MiB. Usage: files.sh PAGESIM
pagesim=$1
. "$(dirname "$0")/lib.sh"

run "$pagesim" run "$out"
expect_error "run a directory" "$out:1:1: error: cannot read the scenario: is a directory"
run "$pagesim" run - <&-
expect_error "run a closed standard input" "<stdin>:1:1: error: cannot read the scenario: standard input is not open for reading"

# 16 MiB is read; a byte more is refused, from a file and from a pipe.
head -c 16777216 /dev/zero | tr '\0' '#' >"$out/16m.scn"
run "$pagesim" run "$out/16m.scn"
if [ "$rc" -eq 2 ] && ! grep -q "larger than" "$out/stderr"; then echo "ok: 16 MiB is read"; else fail "16 MiB is read"; fi
printf '\n' >>"$out/16m.scn"
run "$pagesim" run "$out/16m.scn"
expect_error "run 16 MiB and a byte" "16m.scn:1:1: error: cannot read the scenario: larger than 16 MiB"
head -c 100000000 /dev/zero | "$pagesim" run - >"$out/stdout" 2>"$out/stderr"
rc=$?
expect_error "run 100 MB from a pipe" "<stdin>:1:1: error: cannot read the scenario: larger than 16 MiB"
finish
