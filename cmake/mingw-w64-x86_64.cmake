# Cross-compiling pagesim for 64-bit Windows with mingw-w64 (Debian:
# gcc-mingw-w64-x86-64). The simulator only: the Win32 backend needs a
# 32-bit x86 target (sim/CMakeLists.txt says why).
#   cmake -S . -B build-w64 -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake -DPAGESIM_TESTS=OFF
set(MINGW_TRIPLET x86_64-w64-mingw32)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
include(${CMAKE_CURRENT_LIST_DIR}/mingw-w64-common.cmake)
