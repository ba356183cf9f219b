# Sourced by the scripts: where caches live and what Emscripten needs.
ILINKS_CACHE="${ILINKS_CACHE:-$HOME/.cache/ilinks-viewer}"
export ILINKS_CACHE
# Emscripten's system libraries (libc, libc++, ...) are built once, then reused.
export EM_CACHE="${EM_CACHE:-$ILINKS_CACHE/emscripten}"
export CCACHE_DIR="${CCACHE_DIR:-$ILINKS_CACHE/ccache}"
# Debian's emscripten finds its JS optimiser's modules here.
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"
