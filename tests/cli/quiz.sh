#!/bin/sh
# cli.quiz: pagesim quiz played with answers on standard input (a right
# one, a wrong address, one that cannot be read and is asked again, EOF
# before the end), the sheet and its answers, and bad command lines
# refused with status 2 and one line saying why.
# Usage: quiz.sh PAGESIM SOURCE_DIR
pagesim=$1
src=$2
. "$(dirname "$0")/lib.sh"
LC_ALL=C
export LC_ALL
walk=$src/scenarios/hardware/seed001-worked-walk.scn

has() {
  if grep -qF -- "$2" "$out/stdout"; then echo "ok: $1"; else fail "$1 (no \"$2\" in the output)"; fi
}

# Seed 001's walk: the cr3 question, then the translation's twelve.
printf '%s\n' 0 72 0x345 0x678 miss 0x00100120 yes a0000d14 yes no 0x40000778 'A' >"$out/answers"
run "$pagesim" quiz "$walk" <"$out/answers"
expect_ok "a whole quiz played from standard input"
has "the statement is shown before its questions" "line 12 | translate 0x12345678 read user"
has "a decimal index is right" "right: 0x48 (72)"
has "an address without 0x is right" "right: 0xA0000D14"
has "a wrong physical address: the machine's" "wrong: the machine says 0x40000678"
has "... the bits compared" "machine  0100000000 0000000000 011001111000"
has "... the wrong bit marked" "wrong                             ^"
has "... and where it is" "1 bit wrong, in the offset (11-0)"
has "the explanation follows" "why: 0x40000000 + 0x678 = 0x40000678"
has "the score at the end" "score: 11/12"

printf '%s\n' 0 banana 72 >"$out/answers"
run "$pagesim" quiz "$walk" <"$out/answers"
expect_ok "EOF ends the quiz cleanly"
has "an answer that cannot be read is asked again" "'banana' is not a number"
has "... and the score so far is told" "score: 2/2 (input ended)"

run "$pagesim" quiz "$walk" </dev/null
expect_ok "no answers at all"
has "... score 0/0" "score: 0/0 (input ended)"

printf 'yes\n' >"$out/answers"
run "$pagesim" quiz --seed 5 --play <"$out/answers"
expect_ok "a generated exercise played"
has "... its first question" "Q1."

run "$pagesim" quiz --answers "$walk"
expect_ok "the sheet of a file with its answers"
has "... a question" "Directory index (bits 31-22) of 0x12345678?"
has "... its answer" "answer: 0x48 (72)"
run "$pagesim" quiz --seed 3 --level 3 --topic paging
expect_ok "a generated sheet without answers"
if grep -q "answer:" "$out/stdout"; then fail "the sheet without --answers shows no answers"; else echo "ok: no answers shown"; fi
run "$pagesim" quiz --seed 3 --json
expect_ok "JSON Lines"
if awk 'NR == 1 && !/^\{"type":"exercise",/ { exit 1 } NR > 1 && !/^\{"type":"question",.*"answer":/ { exit 1 }' "$out/stdout"
then echo "ok: an exercise line, then question lines with answers"; else fail "the JSON Lines' shape"; fi

run "$pagesim" quiz
expect_error "no scenario" "a scenario file or --seed N is needed"
run "$pagesim" quiz --seed
expect_error "--seed without a value" "'--seed' needs a value"
run "$pagesim" quiz --seed -1
expect_error "a negative seed" "--seed takes a whole number, not '-1'"
run "$pagesim" quiz --seed 1x
expect_error "a seed that is not a number" "--seed takes a whole number, not '1x'"
run "$pagesim" quiz --seed 1 --level 4
expect_error "a level out of range" "--level takes 1, 2 or 3, not '4'"
run "$pagesim" quiz --seed 1 --topic heap
expect_error "an unknown topic" "--topic takes walk, win32, paging or tlb, not 'heap'"
run "$pagesim" quiz --seed 1 --bogus
expect_error "an unknown option" "unknown option '--bogus'"
run "$pagesim" quiz --seed 1 "$walk"
expect_error "a file and a seed" "a scenario file or --seed, not both"
run "$pagesim" quiz --seed 1 --answers --json
expect_error "two outputs" "choose one of --answers, --json and --play"
run "$pagesim" quiz --level 2 "$walk"
expect_error "--level with a file" "--level and --topic go with --seed"
run "$pagesim" quiz - </dev/null
expect_error "playing a scenario read from standard input" "the scenario must be a file, not '-'"
run "$pagesim" quiz "$out/missing.scn"
expect_error "a file that does not exist" "cannot read the scenario"
printf 'frobnicate\n' >"$out/bad.scn"
run "$pagesim" quiz "$out/bad.scn" </dev/null
expect_error "a scenario that does not parse" "bad.scn:1:1: error: unknown statement 'frobnicate'"
finish
