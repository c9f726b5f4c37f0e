# What the mingw-w64 toolchain files share; each sets MINGW_TRIPLET and
# CMAKE_SYSTEM_PROCESSOR, then includes this. The target's headers,
# libraries, CMake packages and pkg-config files are looked for in its
# sysroot only (MINGW_SYSROOT, /usr/TRIPLET unless given), never on the
# host: a host's libcmocka-dev or libsdl2-dev must not leak into the build.
# Programs (pkg-config, wine, python3) are the host's.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_C_COMPILER ${MINGW_TRIPLET}-gcc)
set(CMAKE_RC_COMPILER ${MINGW_TRIPLET}-windres)

if(NOT MINGW_SYSROOT)
  set(MINGW_SYSROOT /usr/${MINGW_TRIPLET})
endif()
# try_compile projects read this file again: they need the same sysroot.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES MINGW_SYSROOT)
set(CMAKE_FIND_ROOT_PATH ${MINGW_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config reads the target's .pc files alone. Their paths are absolute
# in the sysroot already (prefix=/usr/TRIPLET), so no PKG_CONFIG_SYSROOT_DIR.
set(ENV{PKG_CONFIG_LIBDIR} "${MINGW_SYSROOT}/lib/pkgconfig:${MINGW_SYSROOT}/share/pkgconfig")
unset(ENV{PKG_CONFIG_PATH})
unset(ENV{PKG_CONFIG_SYSROOT_DIR})

# Static runtime: the .exe needs no mingw DLLs beside it.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc")

# ctest runs the target's programs with Wine, when there is one and no
# other emulator was given (-DCMAKE_CROSSCOMPILING_EMULATOR=...).
if(NOT CMAKE_CROSSCOMPILING_EMULATOR)
  find_program(WINE_PROGRAM NAMES wine)
  if(WINE_PROGRAM)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${WINE_PROGRAM})
  endif()
endif()
