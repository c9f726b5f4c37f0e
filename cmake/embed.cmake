# Writes the C header OUT holding the bytes of IN as DEFAULT_SCENARIO (a
# NUL-terminated char array), so the bundled scenario is the file itself.
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE ${OUT}.tmp "/* Generated from ${NAME}: the default scenario. */\nstatic const char DEFAULT_SCENARIO[] = {\n${bytes}0x00 };\n")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.tmp ${OUT})
file(REMOVE ${OUT}.tmp)
