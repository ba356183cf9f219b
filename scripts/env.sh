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
# (-DILINKS_FUZZ=ON). An older build-asan/ (gcc, no fuzz targets) is replaced.
ilinks_configure_asan() {
  local b=build-asan
  if [ -f "$b/CMakeCache.txt" ] && ! grep -q '^ILINKS_FUZZ:BOOL=ON' "$b/CMakeCache.txt"; then
    printf '[%s] %s\n' "$1" "$b/ is not the clang + libFuzzer sanitizer build: configuring it afresh"
    rm -rf "$b"
  fi
  if [ ! -f "$b/build.ninja" ]; then
    printf '[%s] %s\n' "$1" "configuring $b/ (clang, RelWithDebInfo, -fsanitize=address,undefined, libFuzzer targets)"
    CC=clang CXX=clang++ cmake -S . -B "$b" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DILINKS_FUZZ=ON >/dev/null
  fi
}
