# Sourced by the scripts: where caches live and what Emscripten needs.
ILINKS_CACHE="${ILINKS_CACHE:-$HOME/.cache/ilinks-viewer}"
export ILINKS_CACHE
# Emscripten's system libraries (libc, libc++, GL, ...) come prebuilt in Debian's
# package, as a frozen cache under /usr/share/emscripten/cache: nothing to build.
export CCACHE_DIR="${CCACHE_DIR:-$ILINKS_CACHE/ccache}"
# Debian's emscripten finds its JS optimiser's modules here.
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"
