#!/usr/bin/env bash
# The widget as a web EPR's developers get it: `npm pack` the WebAssembly
# build's dist/, `npm install` the tarball into an empty project (offline),
# and find the element, its types and its WebAssembly where npm put them.
#   npm_package_test.sh DIST_DIR OUT_DIR
set -uo pipefail
dist=$1 out=$2
work="$out/npm-package"
rm -rf "$work" && mkdir -p "$work/project"
fail() { echo "FAILED: $*"; exit 1; }
[ -f "$dist/package.json" ] || fail "no package.json in $dist (build the WebAssembly target first)"
tarball=$(cd "$work" && npm pack --silent "$dist") || fail "npm pack"
echo "ok: npm pack makes $tarball"
cd "$work/project" && echo '{"name":"a-web-epr","private":true,"type":"module"}' > package.json
npm install --offline --no-audit --no-fund --silent "$work/$tarball" || fail "npm install of the tarball"
for f in ilinks-record.js ilinks-record.d.ts ilinks-input.js ilinks-mirror.js ilinks-fhir.js ilinks-smart.js ilinks-service.js smart-callback.html ilinks.mjs ilinks.wasm README.md; do
  [ -f "node_modules/ilinks-record/$f" ] || fail "$f is missing from the installed package"
done
resolved=$(node --input-type=module -e "console.log(import.meta.resolve('ilinks-record'))") || fail "resolving 'ilinks-record'"
[[ "$resolved" == */node_modules/ilinks-record/ilinks-record.js ]] || fail "'ilinks-record' resolves to $resolved"
echo "ok: npm install puts the element, its types and its WebAssembly in node_modules/ilinks-record, and 'ilinks-record' resolves to the element"
