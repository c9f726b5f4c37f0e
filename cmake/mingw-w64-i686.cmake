# Cross-compiling pagesim for 32-bit Windows with mingw-w64 (Debian:
# gcc-mingw-w64-i686); the result runs under Wine here (and natively on
# Windows), and ctest runs the golden scenarios through Wine:
#   cmake -S . -B build-w32 -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-i686.cmake
set(MINGW_TRIPLET i686-w64-mingw32)
set(CMAKE_SYSTEM_PROCESSOR i686)
include(${CMAKE_CURRENT_LIST_DIR}/mingw-w64-common.cmake)
