#!/usr/bin/env bash
# ilinks-token, as a host's developer runs it: keys made, a token signed and
# verified (through the library, as the service verifies), refusals and bad
# arguments with their exit codes (0 done, 1 bad arguments, 2 refused or unusable).
#   token_cli_test.sh BIN_DIR OUT_DIR
set -uo pipefail
bin=$1 out=$2/service-token-cli
rm -rf "$out" && mkdir -p "$out"
failures=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAILED: $1"; failures=$((failures + 1)); fi; }
tok="$bin/ilinks-token"
iss=https://epr.southport.nhs.uk aud=https://ilinks.north-mersey.nhs.uk/api

for alg in ES256 RS256; do
  "$tok" keygen --alg $alg --out "$out/$alg.key.pem" --public "$out/$alg.pub.pem"; rc=$?
  check "$alg: keygen exits 0 and writes both halves" '[ $rc -eq 0 ] && grep -q "BEGIN PRIVATE KEY" "$out/$alg.key.pem" && grep -q "BEGIN PUBLIC KEY" "$out/$alg.pub.pem"'
  check "$alg: the private key is readable by its owner only" '[ "$(stat -c %a "$out/$alg.key.pem")" = 600 ]'
  jwt=$("$tok" sign --key "$out/$alg.key.pem" --alg $alg --iss $iss --aud $aud --sub u-4471 --name "Dr Alice Barnes" \
        --profile 2a --ods N84011 --org-name "Ainsdale Medical Centre" --patient 9434765919 --relationship yes \
        --lifetime 120 --team "Southport A&E"); rc=$?
  [ $alg = ES256 ] && es_jwt=$jwt
  check "$alg: sign exits 0 and prints one compact token" '[ $rc -eq 0 ] && [[ "$jwt" =~ ^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$ ]]'
  json=$("$tok" verify --public "$out/$alg.pub.pem" --alg $alg --iss $iss --aud $aud "$jwt"); rc=$?
  check "$alg: verify accepts it and says who is looking at whom" \
    '[ $rc -eq 0 ] && [[ "$json" == *"\"user_id\": \"u-4471\""* && "$json" == *"\"patient\": \"9434765919\""* && "$json" == *"\"relationship\": true"* && "$json" == *"\"team\": \"Southport A&E\""* ]]'
done

err=$("$tok" verify --public "$out/ES256.pub.pem" --alg ES256 --iss $iss --aud https://elsewhere "$es_jwt" 2>&1); rc=$?
check "a token for another audience: exit 2, refused 403" '[ $rc -eq 2 ] && [[ "$err" == *"refused (403)"* ]]'
err=$("$tok" verify --public "$out/ES256.pub.pem" --alg RS256 --iss $iss --aud $aud "$es_jwt" 2>&1); rc=$?
check "an RS256 issuer configured with an EC key: exit 2, the key named unfit" '[ $rc -eq 2 ] && [[ "$err" == *"not an RSA key"* ]]'
es=$("$tok" sign --key "$out/ES256.key.pem" --alg ES256 --iss $iss --aud $aud --sub u1 --profile 2a --ods N84011 --patient 9434765919)
err=$("$tok" verify --public "$out/RS256.pub.pem" --alg RS256 --iss $iss --aud $aud "$es" 2>&1); rc=$?
check "an ES256 token against an RS256 issuer: exit 2, refused 401" '[ $rc -eq 2 ] && [[ "$err" == *"refused (401)"* ]]'
IFS=. read -r h p s <<< "$es"
err=$("$tok" verify --public "$out/ES256.pub.pem" --alg ES256 --iss $iss --aud $aud "$h.${p}x.$s" 2>&1); rc=$?
check "an altered token: exit 2, refused 401" '[ $rc -eq 2 ] && [[ "$err" == *"refused (401)"* ]]'
check "the refusal does not repeat the NHS number" '[[ "$err" != *9434765919* ]]'
jti=$("$tok" verify --public "$out/ES256.pub.pem" --alg ES256 --iss $iss --aud $aud "$es" | sed -n 's/.*"jti": "\(.*\)".*/\1/p')
check "a token id is made when none is given (32 hex digits)" '[[ "$jti" =~ ^[0-9a-f]{32}$ ]]'

"$tok" keygen --alg ES256 --out "$out/ES256.key.pem" --public "$out/again.pub.pem" 2>"$out/err"; rc=$?
check "keygen never replaces a key: exit 2" '[ $rc -eq 2 ] && grep -q "already exists" "$out/err"'
err=$("$tok" sign --key "$out/ES256.key.pem" --alg ES256 --iss $iss --aud $aud --sub u1 --profile 2a --ods N84011 --patient 9434765918 2>&1); rc=$?
check "a mistyped NHS number is refused before signing: exit 1" '[ $rc -eq 1 ] && [[ "$err" == *"--patient must be an NHS number"* ]]'
err=$("$tok" sign --key "$out/ES256.key.pem" --alg ES256 2>&1); rc=$?
check "sign without its required options: exit 1, naming one, with usage" '[ $rc -eq 1 ] && [[ "$err" == *"--iss is required"* && "$err" == *"usage: ilinks-token"* ]]'
err=$("$tok" sign --key "$out/missing.pem" --alg ES256 --iss $iss --aud $aud --sub u1 --profile 2a --ods N84011 --patient 9434765919 2>&1); rc=$?
check "a key file that is not there: exit 2, naming it" '[ $rc -eq 2 ] && [[ "$err" == *"missing.pem: cannot be opened"* ]]'
err=$("$tok" sign --key "$out/ES256.pub.pem" --alg ES256 --iss $iss --aud $aud --sub u1 --profile 2a --ods N84011 --patient 9434765919 2>&1); rc=$?
check "a public key given to sign with: exit 2" '[ $rc -eq 2 ] && [[ "$err" == *"not an unencrypted PEM private key"* ]]'
err=$("$tok" keygen --alg HS256 --out "$out/h.pem" --public "$out/h.pub" 2>&1); rc=$?
check "keygen for HMAC: exit 1" '[ $rc -eq 1 ] && [[ "$err" == *"--alg must be ES256 or RS256"* ]]'
err=$("$tok" frobnicate 2>&1); rc=$?
check "an unknown command: exit 1" '[ $rc -eq 1 ] && [[ "$err" == *"unknown command frobnicate"* ]]'
err=$("$tok" 2>&1); rc=$?
check "no command: exit 1 with usage" '[ $rc -eq 1 ] && [[ "$err" == *"usage: ilinks-token keygen"* ]]'

[ $failures -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
