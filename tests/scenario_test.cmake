# Runs one scenario through pagesim and checks it, as a ctest test:
#   cmake [-DEMULATOR=wine] -DPAGESIM=... -DSCN=... -DEXPECTED=... -DMODE=golden|bad [-DREBASELINE=1] -P scenario_test.cmake
# EMULATOR runs PAGESIM (a cross build's; its arguments separated by "|").
# golden: `pagesim run --check --json SCN` exits 0 (every expect held, and the
#         memory manager's invariants after every statement) and prints
#         exactly EXPECTED, twice in a row (the core is deterministic), and
#         the prose form runs too.
# bad:    `pagesim run SCN` exits 2, prints nothing on standard output, and
#         exactly one line on standard error: EXPECTED with {FILE} for SCN.
# With REBASELINE set, EXPECTED is rewritten from what pagesim printed.
cmake_minimum_required(VERSION 3.16)

string(REPLACE "|" ";" EMULATOR "${EMULATOR}")

function(fail msg)
  message(FATAL_ERROR "${SCN}: ${msg}")
endfunction()

if(MODE STREQUAL "golden")
  execute_process(COMMAND ${EMULATOR} ${PAGESIM} run --check --json ${SCN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(REBASELINE)
    file(WRITE ${EXPECTED} "${out}")
    message(STATUS "rebaselined ${EXPECTED}")
  endif()
  if(NOT rc EQUAL 0)
    fail("exit status ${rc}, expected 0 (every expect must hold)\n${err}\n${out}")
  endif()
  if(NOT EXISTS ${EXPECTED})
    fail("no expected output ${EXPECTED}; create it with -DREBASELINE=1 (see README)")
  endif()
  file(READ ${EXPECTED} want)
  if(NOT out STREQUAL want)
    file(WRITE ${SCN}.actual "${out}")
    fail("JSON output differs from ${EXPECTED}; actual output written to ${SCN}.actual")
  endif()
  execute_process(COMMAND ${EMULATOR} ${PAGESIM} run --json ${SCN} RESULT_VARIABLE rc2 OUTPUT_VARIABLE out2)
  if(NOT out2 STREQUAL out)
    fail("a second run printed different output: the run is not deterministic")
  endif()
  execute_process(COMMAND ${EMULATOR} ${PAGESIM} run ${SCN} RESULT_VARIABLE rc3 OUTPUT_VARIABLE prose)
  if(NOT rc3 EQUAL 0 OR prose STREQUAL "")
    fail("the prose form failed (exit ${rc3})")
  endif()
elseif(MODE STREQUAL "bad")
  execute_process(COMMAND ${EMULATOR} ${PAGESIM} run ${SCN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(REPLACE "${SCN}" "{FILE}" err_shown "${err}")
  if(REBASELINE)
    file(WRITE ${EXPECTED} "${err_shown}")
    message(STATUS "rebaselined ${EXPECTED}")
  endif()
  if(NOT rc EQUAL 2)
    fail("exit status ${rc}, expected 2\nstdout: ${out}\nstderr: ${err}")
  endif()
  if(NOT out STREQUAL "")
    fail("printed on standard output although the scenario cannot be run:\n${out}")
  endif()
  file(READ ${EXPECTED} want)
  if(NOT err_shown STREQUAL want)
    fail("standard error differs\n  expected: ${want}\n  actual:   ${err_shown}")
  endif()
  if(NOT err_shown MATCHES "^{FILE}:[0-9]+:[0-9]+: error: [^\n]+\n$")
    fail("standard error is not one FILE:LINE:COL: error: line")
  endif()
else()
  fail("MODE must be golden or bad")
endif()
