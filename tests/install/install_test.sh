#!/usr/bin/env bash
# `cmake --install` as a vendor uses it: install into a fresh prefix, then build
# a C program against the installed package three ways (find_package shared,
# find_package static, pkg-config) and run each on a demo record.
#   install_test.sh BUILD_DIR SOURCE_DIR OUT_DIR
set -uo pipefail
build=$1 src=$2 out=$3
prefix="$out/install-prefix" consumer="$out/install-consumer"
record="$src/host-samples/demo-patients/joe-bradshaw.json"
rm -rf "$prefix" "$consumer"
fail() { echo "FAILED: $*"; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null || fail "cmake --install"
for f in include/ilinks.h lib/libilinks.so lib/libilinks.a lib/cmake/ilinks/ilinksConfig.cmake lib/pkgconfig/ilinks.pc; do
  [ -e "$prefix/$f" ] || fail "$f is not installed"
done
echo "ok: cmake --install puts the header, both libraries, the CMake package and ilinks.pc in the prefix"
others=$(nm -D --defined-only "$prefix/lib/libilinks.so" | awk '$3 !~ /^ilinks_/ {print $3}')
[ -z "$others" ] || fail "the shared library exports more than the C ABI: $(echo "$others" | head -3)"
echo "ok: the shared library exports the C ABI (ilinks_*) and nothing else"

cmake -S "$src/tests/install" -B "$consumer" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null || fail "find_package(ilinks)"
cmake --build "$consumer" >/dev/null || fail "building against the package"
LD_LIBRARY_PATH="$prefix/lib" "$consumer/consumer_shared" "$record" || fail "the shared-library consumer"
echo "ok: find_package(ilinks) and ilinks::ilinks (shared): the record shows after consent"
"$consumer/consumer_static" "$record" || fail "the static-library consumer"
echo "ok: ilinks::ilinks_static: the same, with no shared library"

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
[ "$(pkg-config --modversion ilinks)" = "0.4.0" ] || fail "pkg-config --modversion ilinks"
cc -o "$consumer/consumer_pc" "$src/tests/install/consumer.c" $(pkg-config --cflags --libs ilinks) || fail "cc with pkg-config"
LD_LIBRARY_PATH="$prefix/lib" "$consumer/consumer_pc" "$record" || fail "the pkg-config consumer"
echo "ok: pkg-config ilinks builds and links a plain C program"
