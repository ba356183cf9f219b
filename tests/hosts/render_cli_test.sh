#!/usr/bin/env bash
# ilinks-render and ilinks-audit, as a user runs them: the policy decides what
# is written, every run is audited, and bad input fails clearly.
#   render_cli_test.sh BIN_DIR SHARED_DATA GOLDEN_DIR OUT_DIR
set -uo pipefail
bin=$1 data=$2 golden=$3 out=$4
demo="$(cd "$(dirname "$0")/../../host-samples/demo-patients" && pwd)"
failures=0 checks=0
check() { checks=$((checks + 1)); if eval "$2"; then echo "ok: $1"; else echo "FAILED: $1"; failures=$((failures + 1)); fi; }
render() { "$bin/ilinks-render" --today 2026-11-22 "$@"; }
audit="$out/cli-audit.jsonl"
rm -f "$audit"

record="$data/nhs-england-examples/UKCore-Patient-RichardSmith-Example.json"
render --record "$record" --out "$out/cli-richard-smith.png" --size 800x180 --profile 1a --organisation ZZTEST --audit "$audit"
rc=$?
check "without consent: a PNG of the banner and the consent request (the golden image)" \
  '[ $rc -eq 0 ] && "$bin/png-compare" "$out/cli-richard-smith.png" "$golden/banner-richard-smith-800x180.png" --channel-tolerance 1 --max-differing-percent 0'

render --record "$demo/joe-bradshaw.json" --out "$out/cli-joe-6.json" --profile 6 --organisation RVY --consent given --audit "$audit"
rc=$?
json=$(cat "$out/cli-joe-6.json")
check "the .json View holds every tab, each item with its FHIR type and id" \
  '[ $rc -eq 0 ] && [[ "$json" == *"\"tab\": \"timeline\""* && "$json" == *"\"resource_type\": \"MedicationStatement\""* && "$json" == *"\"basis\": \"consent\""* ]]'
check "the A&E doctor does not get Joe's own-trust (RVY) items repeated" '[[ "$json" != *"\"ods\": \"RVY\""* ]]'

render --record "$demo/joe-bradshaw.json" --out "$out/cli-joe-5.txt" --profile 5 --organisation RVY --consent given --audit "$audit"
txt=$(cat "$out/cli-joe-5.txt")
check "the .txt View: admin / clerical gets the banner and 'not available' for clinical tabs" \
  '[[ "$txt" == *"NHS No.: 999 000 0115"* && "$txt" == *"Not available for your role: Admin / clerical"* && "$txt" != *"Metformin"* ]]'
check "the notice shows in the same words" '[[ "$txt" == *"The shared record never includes certain sensitive information."* ]]'

render --record "$demo/joe-bradshaw.json" --out "$out/cli-joe-none.txt" --profile 1a --organisation ZZTEST --audit "$audit"
txt=$(cat "$out/cli-joe-none.txt")
check "without consent nothing from the shared record, and a consent request" \
  '[[ "$txt" == *"Consent required"* && "$txt" != *"Metformin"* && "$txt" != *"tabpanel: Summary"* ]]'

render --record "$demo/margaret-hughes.json" --out "$out/cli-margaret-override.png" --profile 6 --organisation REM \
  --consent "override:unconscious:Brought in unresponsive by ambulance" --audit "$audit"
rc=$?
check "an override renders (one override event and one view event)" '[ $rc -eq 0 ] && [ -s "$out/cli-margaret-override.png" ]'

err=$(render --record "$demo/joe-bradshaw.json" --out "$out/x.json" --profile 5 --organisation RVY --consent "override:emergency:Collapsed in the car park" --audit "$audit" 2>&1)
rc=$?
check "admin / clerical may not override: exit 4 with the reason" '[ $rc -eq 4 ] && [[ "$err" == *"may not override"* ]] && [ ! -e "$out/x.json" ]'

wider="$out/cli-wider-audit.jsonl"  # its own log: the counts below are of the main one
rm -f "$wider"
render --record "$demo/joan-mcallister.json" --out "$out/cli-joan-1b-wider.json" --profile 1b --organisation ZZNBH1 --consent given \
  --case-access "extended-team:Virtual ward MDT review" --audit "$wider"
rc=$?
json=$(cat "$out/cli-joan-1b-wider.json")
check "--case-access records why the GP needs the wider community record; the View says so" \
  '[ $rc -eq 0 ] && [[ "$json" == *"\"case_access_text\": \"Wider community record for this person"* ]] && [[ "$(tail -2 "$wider" | head -1)" == *"\"action\":\"case-access\""* ]]'
err=$(render --record "$demo/joan-mcallister.json" --out "$out/x.json" --profile 2a --organisation ZZNBH1 --consent given \
  --case-access "extended-team:Virtual ward MDT review" --audit "$wider" 2>&1)
rc=$?
check "--case-access for a role that does not reach Community tier 3: exit 4 with the reason" \
  '[ $rc -eq 4 ] && [[ "$err" == *"does not reach Community tier 3"* ]] && [ ! -e "$out/x.json" ]'
err=$(render --record "$demo/joe-bradshaw.json" --out "$out/cli-joe-terminology.json" --profile 1a --organisation ZZTEST --consent given \
  --terminology http://127.0.0.1:9/fhir --audit "$wider" 2>&1)
rc=$?
check "--terminology with no server answering: the shipped lists are used and a note says why" \
  '[ $rc -eq 0 ] && [[ "$err" == *"note: ValueSet http://snomed.info/sct?fhir_vs=refset/999004381000000103 could not be expanded"* ]]'

err=$(render --record "$demo/joe-bradshaw.json" --out "$out/x.json" --profile 1a --organisation ZZTEST --relationship no --audit "$audit" 2>&1)
rc=$?
check "no legitimate relationship: refused, exit 4, nothing written" '[ $rc -eq 4 ] && [[ "$err" == *"no legitimate relationship"* ]] && [ ! -e "$out/x.json" ]'

events=$(wc -l < "$audit")
check "every run wrote its events: 2 consents recorded, 5 views, 1 override, 2 refusals" '[ "$events" -eq 10 ]'
verify=$("$bin/ilinks-audit" verify "$audit"); rc=$?
check "ilinks-audit verify: the chain is intact" '[ $rc -eq 0 ] && [[ "$verify" == *"intact, 10 events"* ]]'
fhir=$("$bin/ilinks-audit" fhir "$audit")
check "ilinks-audit fhir: 10 AuditEvents and the alerts (override, refused override, no relationship)" \
  '[ "$(grep -c "\"resourceType\":\"AuditEvent\"" <<< "$fhir")" -eq 10 ] && [ "$(grep -c "\"resourceType\":\"Communication\"" <<< "$fhir")" -eq 3 ]'
sed -i '2s/"profile":"6"/"profile":"1a"/' "$audit"
err=$("$bin/ilinks-audit" verify "$audit" 2>&1); rc=$?
check "an edited audit log fails verification, naming the event" '[ $rc -eq 1 ] && [[ "$err" == *"event at line 2 has been edited"* ]]'
err=$(render --record "$demo/joe-bradshaw.json" --out "$out/x.json" --profile 1a --organisation ZZTEST --audit /nonexistent-dir/a.jsonl 2>&1); rc=$?
check "an audit log that cannot be written: exit 5, nothing shown" '[ $rc -eq 5 ] && [ ! -e "$out/x.json" ]'

printf '{"format":"ilinks-policy/1","extends":"north-mersey-2016-02.2","version":"x","live":{"S":[1,2,3],"C":[1],"D":[4],"H":[]}}' > "$out/bad-policy.json"
err=$(render --record "$demo/joe-bradshaw.json" --out "$out/x.json" --profile 1a --organisation ZZTEST --policy "$out/bad-policy.json" 2>&1); rc=$?
check "a bad policy file: exit 2, naming file, place and reason" '[ $rc -eq 2 ] && [[ "$err" == *"bad-policy.json: live.D: must list tiers 1, 2 or 3"* ]]'
repo_policy="$demo/../../core/data/deployments/tranche-1.json"
render --record "$demo/david-okafor.json" --out "$out/cli-david-t1.json" --profile 2a --organisation ZZTEST --consent given --policy "$repo_policy"
json=$(cat "$out/cli-david-t1.json")
check "under tranche 1, a D2 profile sees no diagnostics" '[[ "$json" == *"\"segment\": \"D\",\n  \"tier\": 0"* || "$json" == *"Not available for your role"* ]]'

err=$(render --record "$data/hl7-fhir-r4-examples/Observation-bmi.json" --out "$out/none.png" --profile 1a --organisation ZZTEST 2>&1); rc=$?
check "a file with no Patient exits 1 and says why" '[ $rc -eq 1 ] && [[ "$err" == *"holds no Patient resource"* ]] && [ ! -e "$out/none.png" ]'
err=$(render --record /nonexistent.json --out "$out/none.png" --profile 1a --organisation ZZTEST 2>&1); rc=$?
check "a missing file exits 1 and names it" '[ $rc -eq 1 ] && [[ "$err" == *"/nonexistent.json: cannot be opened"* ]]'
err=$(render --record "$record" --out "$out/x.png" --organisation ZZTEST 2>&1); rc=$?
check "a missing --profile is a usage error (exit 2)" '[ $rc -eq 2 ] && [[ "$err" == *"--profile is required"* ]]'
err=$(render --record "$record" --out "$out/x.png" --profile 9 --organisation ZZTEST 2>&1); rc=$?
check "an unknown profile is a usage error" '[ $rc -eq 2 ] && [[ "$err" == *"\"9\" is not a role profile"* ]]'
err=$(render --record "$record" --out "$out/x.gif" --profile 1a --organisation ZZTEST 2>&1); rc=$?
check "an unknown output type is a usage error" '[ $rc -eq 2 ] && [[ "$err" == *".png, .json or .txt"* ]]'
err=$(render --record "$record" --out "$out/x.png" --profile 1a --organisation ZZTEST --size wide 2>&1); rc=$?
check "a malformed --size is a usage error" '[ $rc -eq 2 ] && [[ "$err" == *"--size"* ]]'
err=$(render --record "$record" --out /nonexistent-dir/x.png --profile 1a --organisation ZZTEST 2>&1); rc=$?
check "an unwritable output exits 3 and names it" '[ $rc -eq 3 ] && [[ "$err" == *"/nonexistent-dir/x.png"* ]]'
cp "$demo/joe-bradshaw.json" "$out/own.json"
before=$(sha256sum < "$out/own.json")
err=$(render --record "$out/own.json" --out "$out/own.json" --profile 1a --organisation ZZTEST 2>&1); rc=$?
check "an output that is the record itself is refused and the record is left whole" \
  '[ $rc -eq 2 ] && [[ "$err" == *"is the record itself"* ]] && [ "$(sha256sum < "$out/own.json")" = "$before" ]'

echo "$(( checks - failures )) passed, $failures failed"
[ $failures -eq 0 ]
