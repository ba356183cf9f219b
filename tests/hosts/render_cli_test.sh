#!/usr/bin/env bash
# ilinks-render, as a user runs it: writes the PNG, and fails clearly on bad input.
#   render_cli_test.sh BIN_DIR SHARED_DATA GOLDEN_DIR OUT_DIR
set -uo pipefail
bin=$1 data=$2 golden=$3 out=$4
failures=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAILED: $1"; failures=$((failures + 1)); fi; }

record="$data/nhs-england-examples/UKCore-Patient-RichardSmith-Example.json"
"$bin/ilinks-render" --record "$record" --out "$out/cli-richard-smith.png" --width 800 --height 180 --today 2026-11-22
rc=$?
check "writes a PNG of the record" '[ $rc -eq 0 ] && [ -s "$out/cli-richard-smith.png" ]'
check "the PNG is the banner's golden image" \
  '"$bin/png-compare" "$out/cli-richard-smith.png" "$golden/banner-richard-smith-800x180.png" --channel-tolerance 1 --max-differing-percent 0'

"$bin/ilinks-render" --record "$record" --out "$out/cli-default.png" >/dev/null 2>&1
rc=$?
check "renders at a default size when none is given" '[ $rc -eq 0 ] && [ -s "$out/cli-default.png" ]'

err=$("$bin/ilinks-render" --record "$data/hl7-fhir-r4-examples/Observation-bmi.json" --out "$out/none.png" 2>&1)
rc=$?
check "a file with no Patient exits 1 and says why" '[ $rc -eq 1 ] && [[ "$err" == *"Observation-bmi.json: holds no Patient resource"* ]] && [ ! -e "$out/none.png" ]'

err=$("$bin/ilinks-render" --record /nonexistent.json --out "$out/none.png" 2>&1)
rc=$?
check "a missing file exits 1 and names it" '[ $rc -eq 1 ] && [[ "$err" == *"/nonexistent.json: cannot be opened"* ]]'

err=$("$bin/ilinks-render" --record "$record" 2>&1)
rc=$?
check "a missing --out is a usage error (exit 2)" '[ $rc -eq 2 ] && [[ "$err" == *"--out is required"* ]]'

err=$("$bin/ilinks-render" --record "$record" --out "$out/x.png" --width wide 2>&1)
rc=$?
check "a malformed --width is a usage error" '[ $rc -eq 2 ] && [[ "$err" == *"--width"* ]]'

err=$("$bin/ilinks-render" --record "$record" --out /nonexistent-dir/x.png 2>&1)
rc=$?
check "an unwritable output exits 3 and names it" '[ $rc -eq 3 ] && [[ "$err" == *"/nonexistent-dir/x.png"* ]]'

echo "$(( 8 - failures )) passed, $failures failed"
[ $failures -eq 0 ]
