#!/usr/bin/env bash
# ilinks-inspect, as an integration team runs it: JSON saying where every item
# sits and why, for several inputs at once; clear failures on bad arguments.
#   inspect_test.sh BIN_DIR DEMO_DIR OUT_DIR
set -uo pipefail
bin=$1 demo=$2 out=$3
failures=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAILED: $1"; failures=$((failures + 1)); fi; }

json=$("$bin/ilinks-inspect" --record "$demo/david-okafor.json" --source RBQ --record "$demo/adt/david-okafor-a01-a02.hl7")
rc=$?
check "reads a FHIR bundle and ADT messages together, exit 0" '[ $rc -eq 0 ]'
check "says the classification versions" '[[ "$json" == *"\"classification\": \"classification 2016-02-north-mersey.3"* ]]'
check "names the rule, segment, tier and setting of the admission" \
  '[[ "$json" == *"\"rule\": \"hospital-event\""* && "$json" == *"\"segment\": \"H\""* && "$json" == *"\"setting\": \"acute_hospital\""* ]]'
check "marks the exclusion category and what matched" \
  '[[ "$json" == *"\"category\": \"complaints\""* && "$json" == *"\"matched\": \"Read v2 9U%\""* ]]'
check "lists problems (none for the demo patient)" '[[ "$json" == *"\"problems\": []"* ]]'
check "leaves clinical text out unless asked" '[[ "$json" != *"Filling defects"* ]]'
json=$("$bin/ilinks-inspect" --record "$demo/david-okafor.json" --show-content)
check "--show-content includes it" '[[ "$json" == *"Filling defects"* ]]'

printf '{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient","id":"p"}},{"resource":{"resourceType":"Condition","id":"c",' > "$out/truncated.json"
json=$("$bin/ilinks-inspect" --record "$out/truncated.json")
check "a truncated input is a listed problem naming where, not a failure" '[[ "$json" == *"truncated"* && "$json" == *"\"where\": \"$out/truncated.json line 1"* ]]'

err=$("$bin/ilinks-inspect" 2>&1); rc=$?
check "no --record exits 1 with usage" '[ $rc -eq 1 ] && [[ "$err" == *"usage: ilinks-inspect --record FILE"* ]]'
mkdir -p "$out/bad-rules"
cp "$demo/../../core/data/policy.json" "$demo/../../core/data/participants.json" "$out/bad-rules/"
echo '{"format":"ilinks-classification/1"' > "$out/bad-rules/classification.json"
err=$("$bin/ilinks-inspect" --record "$demo/joe-bradshaw.json" --rules "$out/bad-rules" 2>&1); rc=$?
check "invalid rules files exit 2, naming the file and why" '[ $rc -eq 2 ] && [[ "$err" == *"classification.json: is not valid JSON"* ]]'

[ $failures -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
