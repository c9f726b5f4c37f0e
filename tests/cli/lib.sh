# Shared by the front-end test scripts: a scratch folder ($out, removed on
# exit) and checks that count failures. Source it, then end with finish.
out=$(mktemp -d "${TMPDIR:-/tmp}/pagesim-test.XXXXXX") || exit 1
trap 'rm -rf "$out"' EXIT
fails=0
ESC=$(printf '\033')

fail() {
  echo "FAIL: $*"
  echo "  status: $rc"
  echo "  stdout: $(head -c 400 "$out/stdout")"
  echo "  stderr: $(head -c 400 "$out/stderr")"
  fails=$((fails + 1))
}

# run CMD...: runs it (standard input as the caller gives it), keeping the
# status in $rc and the output in $out/stdout and $out/stderr.
run() {
  "$@" >"$out/stdout" 2>"$out/stderr"
  rc=$?
}

# expect_error WHAT STDERR_FIXED_STRING: the last run exited 2, printed
# nothing on stdout, and its stderr is one line containing the string.
expect_error() {
  if [ "$rc" -ne 2 ] || [ -s "$out/stdout" ] || [ "$(wc -l <"$out/stderr")" -ne 1 ] ||
     ! grep -qF -- "$2" "$out/stderr"; then
    fail "$1 (want status 2, no output, one line on stderr with: $2)"
  else
    echo "ok: $1: $(cat "$out/stderr")"
  fi
}

# expect_ok WHAT: the last run exited 0 with nothing on stderr.
expect_ok() {
  if [ "$rc" -ne 0 ] || [ -s "$out/stderr" ]; then fail "$1 (want status 0)"; else echo "ok: $1"; fi
}

# no_raw_control WHAT: nothing the last run wrote on stderr holds an ESC or BEL byte.
no_raw_control() {
  if LC_ALL=C grep -q "[$ESC$(printf '\007')]" "$out/stderr"; then
    fail "$1: a raw control byte on stderr"
  else
    echo "ok: $1: no raw control byte"
  fi
}

finish() {
  echo "$fails failed"
  [ "$fails" -eq 0 ]
}
