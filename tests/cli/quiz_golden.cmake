# A golden quiz sheet, as a ctest test:
#   cmake [-DEMULATOR=wine] -DPAGESIM=... -DARGS="quiz|--seed|1|..." -DEXPECTED=... [-DREBASELINE=1] -P quiz_golden.cmake
# `pagesim ARGS` (arguments separated by "|") exits 0 and prints exactly
# EXPECTED, twice in a row (generated exercises are reproducible). With
# REBASELINE set, EXPECTED is rewritten from what pagesim printed.
cmake_minimum_required(VERSION 3.16)

string(REPLACE "|" ";" EMULATOR "${EMULATOR}")
string(REPLACE "|" ";" ARGS "${ARGS}")

execute_process(COMMAND ${EMULATOR} ${PAGESIM} ${ARGS} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(REBASELINE)
  file(WRITE ${EXPECTED} "${out}")
  message(STATUS "rebaselined ${EXPECTED}")
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pagesim ${ARGS}: exit status ${rc}, expected 0\n${err}")
endif()
file(READ ${EXPECTED} want)
if(NOT out STREQUAL want)
  file(WRITE ${EXPECTED}.actual "${out}")
  message(FATAL_ERROR "pagesim ${ARGS}: output differs from ${EXPECTED}; actual output in ${EXPECTED}.actual")
endif()
execute_process(COMMAND ${EMULATOR} ${PAGESIM} ${ARGS} OUTPUT_VARIABLE out2)
if(NOT out2 STREQUAL out)
  message(FATAL_ERROR "pagesim ${ARGS}: a second run printed different output")
endif()
