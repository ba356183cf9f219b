# Script mode: cmake -DINPUT=f.ttf -DOUTPUT=f.cpp -DSYMBOL=name -P EmbedFile.cmake
# Writes a C++ source defining `extern const unsigned char SYMBOL[]` and
# `extern const unsigned int SYMBOL_size`, so fonts are part of the binary.
file(READ "${INPUT}" _hex HEX)
string(LENGTH "${_hex}" _len)
math(EXPR _size "${_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," _bytes "${_hex}")

get_filename_component(_name "${INPUT}" NAME)
file(WRITE "${OUTPUT}"
  "// Generated from ${_name} by cmake/EmbedFile.cmake; do not edit.\n"
  "extern const unsigned char ${SYMBOL}[];\n"
  "extern const unsigned int ${SYMBOL}_size;\n"
  "const unsigned char ${SYMBOL}[] = {\n${_bytes}\n};\n"
  "const unsigned int ${SYMBOL}_size = ${_size};\n")
