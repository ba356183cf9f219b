#!/usr/bin/env bash
# The plain C host in pixels mode: a social worker's view of Susan with consent,
# drawn through the C ABI into the host's own buffer and written as a PNG, must
# be the very image ilinks-render draws of the same view (both are the CPU).
#   c_host_png_test.sh BIN_DIR DEMO_DIR OUT_DIR
set -uo pipefail
bin=$1 demo=$2 out=$3
png="$out/c-host-susan-3b.png" cli="$out/c-host-susan-3b.cli.png"
rm -f "$png" "$cli"
"$bin/ilinks-c-host" "$demo/susan-doyle.json" "$png" 3b ZZSEF1 | grep -q "png: .*, 3 audit events" || {
  echo "FAILED: the C host did not write its PNG with three audit events (view, consent, view)"; exit 1; }
"$bin/ilinks-render" --record "$demo/susan-doyle.json" --out "$cli" --size 1000x700 --profile 3b --organisation ZZSEF1 \
  --user c.host --consent given || { echo "FAILED: ilinks-render"; exit 1; }
"$bin/png-compare" "$png" "$cli" --channel-tolerance 0 --max-differing-percent 0 || {
  echo "FAILED: the C host's PNG differs from ilinks-render's (see $png)"; exit 1; }
echo "ok: the C host's PNG, through the C ABI, is ilinks-render's image of the same view"
