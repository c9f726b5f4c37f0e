#!/bin/sh
# Prints a long scenario (3002 statements) for the front ends' tests: a
# reservation of 64 pages at 0x00240000, then 1000 times a page committed,
# written and translated, and at the end page 39 (the last one written)
# decommitted, so that stepping back from the end shows on the map.
echo 'a = VirtualAlloc(NULL, 64*PAGE_SIZE, MEM_RESERVE, PAGE_READWRITE)'
awk 'BEGIN {
  for (i = 0; i < 1000; i++) {
    p = i % 64
    printf "# step %d: commit page %d, write it, translate it\n", i, p
    printf "VirtualAlloc(a + %d*PAGE_SIZE, PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE)\n", p
    printf "write a + %d*PAGE_SIZE + %d 0x41\n", p, i
    printf "translate a + %d read user\n", p * 4096 + 16
  }
}'
echo '# The end: the last page written goes back to reserved.'
echo 'VirtualFree(a + 39*PAGE_SIZE, PAGE_SIZE, MEM_DECOMMIT)'
