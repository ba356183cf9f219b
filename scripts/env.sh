# Sourced by the scripts: where caches live and what Emscripten needs.
ILINKS_CACHE="${ILINKS_CACHE:-$HOME/.cache/ilinks-viewer}"
export ILINKS_CACHE
# Emscripten's system libraries (libc, libc++, GL, ...) come prebuilt in Debian's
# package, as a frozen cache under /usr/share/emscripten/cache: nothing to build.
export CCACHE_DIR="${CCACHE_DIR:-$ILINKS_CACHE/ccache}"
# One ccache for every build folder, so that build/core-only (ctest's
# core-only-build) reuses build/'s objects instead of compiling core again:
# with -g the folder is part of each key unless told otherwise, and so is the
# locale, which ctest changes (LC_ALL, LC_MESSAGES) for what it runs.
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
case ",${CCACHE_SLOPPINESS:-}," in
  *,locale,*) ;;
  *) export CCACHE_SLOPPINESS="${CCACHE_SLOPPINESS:+$CCACHE_SLOPPINESS,}locale" ;;
esac
# Debian's emscripten finds its JS optimiser's modules here.
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"

# build-asan/: the one sanitizer build, shared by scripts/sanitizers and
# scripts/fuzz: clang, ASan + UBSan everywhere, libFuzzer targets too
# (-DILINKS_FUZZ=ON). Clang 16 (Debian 12's newest): clang 14 rejects what the
# tests do and gcc accepts (a structured binding captured by a lambda, C++20,
# which clang 16 allows as an extension). A build-asan/ made otherwise (an
# older one with gcc or another clang) is replaced.
ILINKS_CLANG="${ILINKS_CLANG:-clang-16}"
ILINKS_CLANGXX="${ILINKS_CLANGXX:-clang++-${ILINKS_CLANG#clang-}}"
[ "$ILINKS_CLANG" != clang ] || ILINKS_CLANGXX=clang++
ilinks_configure_asan() {
  local b=build-asan cxx
  cxx="$(command -v "$ILINKS_CLANGXX" || true)"
  [ -n "$cxx" ] || { printf '[%s] %s not found: run scripts/setup\n' "$1" "$ILINKS_CLANGXX" >&2; return 1; }
  if [ -f "$b/CMakeCache.txt" ] && ! { grep -q '^ILINKS_FUZZ:BOOL=ON' "$b/CMakeCache.txt" &&
                                      grep -qx "CMAKE_CXX_COMPILER:[A-Z]*=$cxx" "$b/CMakeCache.txt"; }; then
    printf '[%s] %s\n' "$1" "$b/ is not the $ILINKS_CLANG + libFuzzer sanitizer build: configuring it afresh"
    rm -rf "$b"
  fi
  if [ ! -f "$b/build.ninja" ]; then
    printf '[%s] %s\n' "$1" "configuring $b/ ($ILINKS_CLANG, RelWithDebInfo, -fsanitize=address,undefined, libFuzzer targets)"
    CC="$ILINKS_CLANG" CXX="$cxx" cmake -S . -B "$b" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DILINKS_FUZZ=ON >/dev/null
  fi
}
