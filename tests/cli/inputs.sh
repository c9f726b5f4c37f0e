#!/bin/sh
# cli.inputs: reproducers from issue 11 that pagesim run must get right.
# Names up to the limit (128) print whole, so names alike in their first
# 39 characters stay apart, and a longer one is refused; the prose echo
# of a long line is cut at a UTF-8 character boundary; expressions wrap at
# 32 bits as the language says (an address past 4 GB wraps to a low one,
# which faults; a byte value that wraps into 0..0xFF is that byte); and
# 30,000 allocations are listed by !vad and !address, every one of them.
# Usage: inputs.sh PAGESIM
pagesim=$1
. "$(dirname "$0")/lib.sh"
LC_ALL=C
export LC_ALL

# has WHAT FIXED_STRING: a line of the last run's standard output holds
# the string.
has() {
  if grep -qF -- "$2" "$out/stdout"; then echo "ok: $1"; else fail "$1 (no \"$2\" in the output)"; fi
}

# said WHAT LINE TEXT: statement LINE's output of the last run (its echo
# and what follows it, up to the next statement) starts with TEXT.
said() {
  got=$(awk -v n="$2" '/^ *[0-9]+ \| / { on = $1 == n } on' "$out/stdout")
  case "$got" in
    "$3"*) echo "ok: $1" ;;
    *) fail "$1 (statement $2 printed: $got)" ;;
  esac
}

# Names: two of 128 characters, the most a name may have, that differ
# only in the last one.
stem=$(awk 'BEGIN { while (n++ < 127) printf "n" }')
one=${stem}1 two=${stem}2
cat >"$out/names.scn" <<SCN
config layout=empty
$one = VirtualAlloc(NULL, 64K, MEM_RESERVE, PAGE_READWRITE)
$two = VirtualAlloc(NULL, 64K, MEM_RESERVE, PAGE_READWRITE)
write $one 1
write $two 1
!vad
SCN
run "$pagesim" run "$out/names.scn"
expect_ok "two names of 128 characters"
has "the first name's allocation is returned by its whole name" "succeeded: returned $one (0x00010000)"
has "the second name's allocation is returned by its whole name" "succeeded: returned $two (0x00020000)"
has "the first name whole where an access faults" "EXCEPTION_ACCESS_VIOLATION: write at $one"
has "the second name whole in the explanation" "is reserved in allocation \`$two\` (0x00020000-0x0002FFFF)"
n=$(grep -c "Private  ReadWrite  *$stem[12]\$" "$out/stdout")
if [ "$n" -eq 2 ] && grep -q " $one\$" "$out/stdout" && grep -q " $two\$" "$out/stdout"; then
  echo "ok: !vad names both allocations whole"
else fail "!vad names both allocations whole ($n rows)"; fi
run "$pagesim" run --json "$out/names.scn"
n=$(grep -c "\"name\":\"$stem[12]\"" "$out/stdout")
if [ "$n" -eq 2 ]; then echo "ok: --json names both whole"; else fail "--json names both whole ($n)"; fi
printf 'config layout=empty\n%sx = VirtualAlloc(NULL, 64K, MEM_RESERVE, PAGE_READWRITE)\n' "$one" >"$out/long-name.scn"
run "$pagesim" run "$out/long-name.scn"
expect_error "a name of 129 characters" "long-name.scn:2:1: error: the name 'nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn...' is 129 characters long; names have at most 128"

# echo_cut WHAT CHAR PREFIX: a `write a "..."` line of PREFIX and 120
# CHARs (well over 200 bytes) is echoed as its first bytes up to a
# character boundary, at most 200 and more than 200 less one character,
# then "...". PREFIX is chosen so that byte 200 falls inside a character.
echo_cut() {
  line=$(awk -v c="$2" -v p="$3" 'BEGIN { printf "write a \"%s", p; while (n++ < 120) printf "%s", c; printf "\"" }')
  printf 'config layout=empty\na = VirtualAlloc(NULL, 64K, MEM_COMMIT, PAGE_READWRITE)\n%s\n' "$line" >"$out/utf8.scn"
  run "$pagesim" run "$out/utf8.scn"
  expect_ok "$1 runs"
  echo_line=$(grep '^   3 | ' "$out/stdout")
  shown=${echo_line#   3 | }
  shown=${shown%...}
  clen=$(printf '%s' "$2" | wc -c)
  n=$(printf '%s' "$shown" | wc -c)
  case "$line" in
    "$shown"*) prefix=yes ;;
    *) prefix=no ;;
  esac
  valid=yes
  if command -v iconv >/dev/null 2>&1; then
    printf '%s\n' "$echo_line" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 || valid=no
  fi
  if [ "$prefix" = yes ] && [ "$valid" = yes ] && [ "$echo_line" = "   3 | $shown..." ] &&
     [ "$n" -le 200 ] && [ "$n" -gt $((200 - clen)) ] && [ $(((n - 9 - ${#3}) % clen)) -eq 0 ]; then
    echo "ok: $1: the echo keeps $n bytes, whole characters, then \"...\""
  else
    fail "$1: the echo is cut wrongly ($n bytes, a prefix: $prefix, valid UTF-8: $valid): $echo_line"
  fi
}
echo_cut "a 200-byte echo of 2-byte characters" "$(printf '\303\251')" ""
echo_cut "a 200-byte echo of 3-byte characters" "$(printf '\342\202\254')" "x"
echo_cut "a 200-byte echo of 4-byte characters" "$(printf '\360\237\230\200')" "xy"

# Expressions wrap at 32 bits: 0xFFFFFFFF+0x42 is 0x41.
cat >"$out/wrap.scn" <<'SCN'
config layout=empty
a = VirtualAlloc(NULL, 64K, MEM_COMMIT, PAGE_READWRITE)
write a 0xFFFFFFFF+0x42
read a 1
expect bytes == "A"
write 0xFFFFFFFF+0x42 0x56
expect exception == EXCEPTION_ACCESS_VIOLATION
write a+0xFFFFFFFF+0x42 0x56
read a+0x41 1
expect bytes == "\x56"
SCN
run "$pagesim" run --check "$out/wrap.scn"
expect_ok "expressions that wrap at 32 bits (every expect holds)"
said "write a 0xFFFFFFFF+0x42 writes the byte 0x41" 3 "   3 | write a 0xFFFFFFFF+0x42
    wrote 1 byte"
said "read a 1 reads it back" 4 "   4 | read a 1
    1 byte: 41"
said "write 0xFFFFFFFF+0x42 0x56 faults at 0x41" 6 "   6 | write 0xFFFFFFFF+0x42 0x56
    wrote 0 bytes
    EXCEPTION_ACCESS_VIOLATION: write at 0x00000041
    why: 0x00000041 is in the NULL region"
run "$pagesim" run --json "$out/wrap.scn"
has "--json: the wrapped address is where the write faulted" '{"line":6,"op":"write","count":0,"exception":"EXCEPTION_ACCESS_VIOLATION","access":"write","fault_addr":"0x00000041"}'
# A value that wraps to no byte is still refused, where it is written.
printf 'config layout=empty\na = VirtualAlloc(NULL, 64K, MEM_COMMIT, PAGE_READWRITE)\nwrite a 0xFFFFFFFF+0x101\n' >"$out/not-byte.scn"
run "$pagesim" run "$out/not-byte.scn"
expect_error "a value that wraps to 0x100" "not-byte.scn:3:9: error: write: 0x100 is not a byte (0..0xFF)"

# 30,000 reservations, listed by !vad and by !address: every one.
awk 'BEGIN { print "config layout=empty"
             while (n++ < 30000) print "VirtualAlloc(NULL, 64K, MEM_RESERVE, PAGE_READWRITE)"
             print "!vad"; print "!address" }' >"$out/many.scn"
run "$pagesim" run "$out/many.scn"
expect_ok "30,000 reservations run"
vad=$(grep -c '^( *[0-9]*) *[0-9a-f]* *[0-9a-f]* *0 Private  ReadWrite ' "$out/stdout")
addr=$(grep -c '^+ *[0-9a-f]* *[0-9a-f]* *10000 MEM_PRIVATE MEM_RESERVE  *@[0-9]*$' "$out/stdout")
if [ "$vad" -eq 30000 ] && grep -q '^Total VADs: 30001$' "$out/stdout"; then echo "ok: !vad lists 30,000 reservations"
else fail "!vad lists 30,000 reservations ($vad rows)"; fi
if [ "$addr" -eq 30000 ] && grep -q ' @30000$' "$out/stdout"; then echo "ok: !address lists 30,000 reservations"
else fail "!address lists 30,000 reservations ($addr rows)"; fi
finish
