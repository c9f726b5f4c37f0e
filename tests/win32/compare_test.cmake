# Runs a command as a ctest test and checks its exit status and output:
#   cmake "-DCMD=prog;arg;..." -DSTATUS=N [-DMATCH=regex] [-DNOMATCH=regex] -P compare_test.cmake
# The test passes when the command exits with STATUS, its standard output
# and error together match MATCH, and do not match NOMATCH.
cmake_minimum_required(VERSION 3.16)

execute_process(COMMAND ${CMD} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
if(NOT rc STREQUAL "${STATUS}")
  message(FATAL_ERROR "exit status ${rc}, expected ${STATUS}\n${all}")
endif()
if(DEFINED MATCH AND NOT all MATCHES "${MATCH}")
  message(FATAL_ERROR "the output does not match '${MATCH}'\n${all}")
endif()
if(DEFINED NOMATCH AND all MATCHES "${NOMATCH}")
  message(FATAL_ERROR "the output matches '${NOMATCH}'\n${all}")
endif()
message("${all}")
