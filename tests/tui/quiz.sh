#!/bin/sh
# frontend.tui_quiz: the real pagesim-tui in tmux plays quiz mode (Q) on
# seed 001's walk: one answer right, one wrong (the reveal, what differs,
# the score), stepping back asks again without scoring twice, and the help
# lists Q. Usage: quiz.sh PAGESIM_TUI SOURCE_DIR [TMUX]
. "$(dirname "$0")/harness.sh"
keys() { for k in "$@"; do T send-keys -t ui "$k"; sleep 0.1; done; }
shows() { screen | grep -qF -- "$1"; }
lacks() { ! screen | grep -qF -- "$1"; }

T new-session -d -s ui -x 80 -y 24 "$tui $src/scenarios/hardware/seed001-worked-walk.scn; echo EXIT=\$?; sleep 600"
check "seed 001's walk opens at step 0" wait_for "step 0/9"
keys Q
check "Q turns quiz mode on" wait_for "quiz on (n asks, then steps)"
# machine bare has no question: n runs it; cr3's question is answered;
# n runs cr3; the two pokes have none.
keys n n
check "cr3 = asks how many TLB entries it removes" wait_for "Q1/1 How many TLB entries does it remove?"
keys 0 Enter n n n n
check "the translation's first question, before it runs" wait_for "Q1/11 Directory index (bits 31-22) of 0x12345678?"
check "... the statement has not run" shows "step 4/9"
keys 7 2 Enter
check "a right answer is revealed" wait_for "RIGHT: 0x48 (72)"
check "... with the narrator's explanation" shows "0001001000 1101000101 011001111000"
check "... and scored" shows "QUIZ  score 2/2"
keys n
check "the next question" wait_for "Q2/11 Table index (bits 21-12)?"
keys 0 x 3 4 4 Enter
check "a wrong answer: the machine's" wait_for "WRONG: the machine says 0x345 (837)"
check "... what differs" shows "yours 0x344 (836) is 1 too few"
check "... the score" shows "QUIZ  score 2/3"
check "... and on the bottom line" shows "Q quiz 2/3"
keys n
check "Q3: the offset" wait_for "Q3/11 Offset in the page (bits 11-0)?"
keys Escape
keys b
check "b steps back to before the last poke" wait_for "step 3/9"
keys n n
check "stepping forward again asks the translation's questions again" wait_for "Q1/11 Directory index"
keys 9 9 Enter
check "a wrong answer to a question already scored" wait_for "WRONG: the machine says 0x48 (72)"
check "... is not scored twice" shows "QUIZ  score 2/3"
keys n 0 x 3 4 5 Enter n 0 x 6 7 8 Enter n m i s s Enter n 0 x 0 0 1 0 0 1 2 0 Enter
keys n y e s Enter n 0 x A 0 0 0 0 D 1 4 Enter n y Enter n n o Enter n
check "the physical address asked" wait_for "Q10/11 Physical address?"
keys 4 0 0 0 0 7 7 8 Enter
check "a wrong address: its bits against the machine's" wait_for "machine  0100000000 0000000000 011001111000"
check "... the wrong bit marked" shows "wrong                             ^"
check "... named" shows "1 bit wrong, in the offset (11-0)"
check "... scored once each" shows "QUIZ  score 9/11"
keys n A Enter n
check "after the last question n runs the statement" wait_for "step 5/9"
check "... and the result panel is back" wait_for "12 | translate 0x12345678 read user"
check "the key bar lists Q" shows "Q quiz 10/12"
# help_has TEXT: the help screen shows TEXT on one of its pages.
help_has() {
  keys ?
  for page in 1 2 3 4 5 6 7 8; do
    shows "$1" && { keys Escape; return 0; }
    keys NPage
  done
  keys Escape
  return 1
}
check "the help lists Q" help_has "Q           quiz mode on/off"
keys Q
check "Q turns it off, the score kept" wait_for "quiz off: score 10/12"
keys q
check "q quits with status 0" wait_for "EXIT=0"
echo "$fails failed"
[ "$fails" -eq 0 ]
