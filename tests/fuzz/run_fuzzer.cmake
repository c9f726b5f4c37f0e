# Runs one libFuzzer fuzzer for SECONDS: ctest's fuzz.NAME, and scripts/fuzz
# for longer runs. Included from the generated run-NAME.cmake, which sets
# FUZZER, NAME, WORK, SEEDS, DICT, MAX_LEN and TIMEOUT (seconds an input may
# take); the caller may set SECONDS and KEEP. The corpus, WORK/corpus,
# starts as a copy of the seeds (KEEP: the corpus of earlier runs is kept
# and grows); findings go to WORK/artifacts.
# Prints the executions, the corpus and the coverage at the end, and fails
# when libFuzzer reports a crash, a timeout, a leak or running out of memory.
include(${CMAKE_CURRENT_LIST_DIR}/inputs.cmake)

set(corpus ${WORK}/corpus)
set(artifacts ${WORK}/artifacts)
set(log ${WORK}/log.txt)
if(NOT KEEP)
  file(REMOVE_RECURSE ${corpus})
endif()
file(MAKE_DIRECTORY ${corpus} ${artifacts})
fuzz_inputs(seeds "${SEEDS}")
set(i 0)
foreach(f IN LISTS seeds)
  get_filename_component(base ${f} NAME)
  configure_file(${f} ${corpus}/seed-${i}-${base} COPYONLY)
  math(EXPR i "${i} + 1")
endforeach()
file(GLOB before LIST_DIRECTORIES false ${corpus}/*)
list(LENGTH before nbefore)

set(args -max_total_time=${SECONDS} -timeout=${TIMEOUT} -rss_limit_mb=2048 -max_len=${MAX_LEN} -print_final_stats=1
    -artifact_prefix=${artifacts}/)
if(EXISTS "${DICT}")
  list(APPEND args -dict=${DICT})
endif()
message(STATUS "fuzz_${NAME}: ${SECONDS} s from ${nbefore} inputs; the log is ${log}")
execute_process(COMMAND ${FUZZER} ${args} ${corpus} RESULT_VARIABLE rc OUTPUT_FILE ${log} ERROR_FILE ${log}.err)
file(READ ${log}.err err)
file(APPEND ${log} "${err}")
file(REMOVE ${log}.err)

# The numbers: libFuzzer's last status line and its final stats.
set(cov "?")
set(ft "?")
set(corp "?")
string(REGEX MATCHALL "#[0-9]+[ \t]+[A-Za-z]+[ \t]+cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*" status "${err}")
if(status)
  list(GET status -1 last)
  string(REGEX REPLACE ".*cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+/[0-9]+[a-zA-Z]*).*" "\\1;\\2;\\3" nums "${last}")
  list(GET nums 0 cov)
  list(GET nums 1 ft)
  list(GET nums 2 corp)
endif()
macro(stat var key)
  set(${var} "?")
  if(err MATCHES "stat::${key}: *([0-9]+)")
    set(${var} ${CMAKE_MATCH_1})
  endif()
endmacro()
stat(runs number_of_executed_units)
stat(speed average_exec_per_sec)
stat(rss peak_rss_mb)
file(GLOB after LIST_DIRECTORIES false ${corpus}/*)
list(LENGTH after nafter)
message(STATUS "fuzz_${NAME}: ${runs} executions (${speed}/s), corpus ${nafter} inputs (${corp} in libFuzzer's "
               "count), coverage ${cov} edges and ${ft} features, peak RSS ${rss} MB")

if(NOT rc EQUAL 0)
  # From the first line that tells what happened, at most 16000 characters.
  set(at -1)
  foreach(marker "fuzz: finding" "ERROR: AddressSanitizer" "ERROR: LeakSanitizer" "runtime error:"
                 "ALARM: working on the last Unit" "ERROR: libFuzzer" "==ERROR")
    string(FIND "${err}" "${marker}" i)
    if(i GREATER -1 AND (at EQUAL -1 OR i LESS at))
      set(at ${i})
    endif()
  endforeach()
  if(at EQUAL -1)
    set(at 0)
  endif()
  string(SUBSTRING "${err}" ${at} 16000 report)
  file(GLOB found LIST_DIRECTORIES false ${artifacts}/*)
  string(REPLACE ";" "\n  " found "${found}")
  message(FATAL_ERROR "fuzz_${NAME} found something (exit status ${rc}):\n${report}\nreproducers:\n  ${found}\n"
                      "replay one: ${FUZZER} FILE; minimize it: ${FUZZER} -minimize_crash=1 -runs=10000 FILE")
endif()
