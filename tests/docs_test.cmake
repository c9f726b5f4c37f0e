# The generated part of the language reference is what the program says:
#   cmake [-DEMULATOR=wine] -DPAGESIM=... -DDOC=docs/scenario-language.md [-DREBASELINE=1] -P docs_test.cmake
# Between the markers "<!-- pagesim reference: begin -->" and "... end -->"
# the document must hold exactly what `pagesim reference` prints; with
# REBASELINE set, that part is rewritten.
cmake_minimum_required(VERSION 3.16)
string(REPLACE "|" ";" EMULATOR "${EMULATOR}") # a cross build's emulator, as scenario_test.cmake has it
execute_process(COMMAND ${EMULATOR} ${PAGESIM} reference RESULT_VARIABLE rc OUTPUT_VARIABLE ref)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pagesim reference failed (${rc})")
endif()
file(READ ${DOC} doc)
set(begin "<!-- pagesim reference: begin -->\n")
set(end "<!-- pagesim reference: end -->")
string(FIND "${doc}" "${begin}" b)
string(FIND "${doc}" "${end}" e)
if(b LESS 0 OR e LESS b)
  message(FATAL_ERROR "${DOC}: no '${begin}' ... '${end}' section")
endif()
string(LENGTH "${begin}" blen)
math(EXPR start "${b} + ${blen}")
math(EXPR len "${e} - ${start}")
string(SUBSTRING "${doc}" ${start} ${len} have)
if(REBASELINE)
  string(SUBSTRING "${doc}" 0 ${start} head)
  string(SUBSTRING "${doc}" ${e} -1 tail)
  file(WRITE ${DOC} "${head}${ref}${tail}")
  message(STATUS "rebaselined the reference in ${DOC}")
elseif(NOT have STREQUAL ref)
  message(FATAL_ERROR "${DOC}: the reference is not what `pagesim reference` prints now; run the rebaseline target")
endif()
