#!/usr/bin/env bash
# The native desktop host (GLFW + OpenGL 3.2 core) opens a real window under
# Xvfb (Mesa's software OpenGL) and draws the record; its framebuffer must
# match the CPU rasterizer's golden image.
#   desktop_host_test.sh BIN_DIR SHARED_DATA GOLDEN_DIR OUT_DIR
#
# Tolerance: GPU and CPU rasterise the same triangles with the same rules; we
# allow 2 levels per channel on 0.5% of pixels (measured: 1 level, on 1.7% of
# pixels, none over).
set -uo pipefail
bin=$1 data=$2 golden=$3 out=$4
record="$data/nhs-england-examples/UKCore-Patient-RichardSmith-Example.json"
shot="$out/desktop-richard-smith.png"
rm -f "$shot"
timeout 60 xvfb-run -a -s "-screen 0 1280x800x24" \
  "$bin/ilinks-desktop" --record "$record" --today 2026-11-22 --size 800x180 --screenshot "$shot" || {
  echo "FAILED: the desktop host did not draw (exit $?)"; exit 1; }
"$bin/png-compare" "$shot" "$golden/banner-richard-smith-800x180.png" \
  --channel-tolerance 2 --max-differing-percent 0.5 --diff "$out/desktop-richard-smith.diff.png" || {
  echo "FAILED: the OpenGL frame differs from the CPU render (see $shot)"; exit 1; }
echo "ok: the OpenGL 3 window shows the banner as the CPU renders it"

# The whole record, with consent, on the Diagnostics tab (lists, trend plots):
# OpenGL 3 against ilinks-render's CPU render of the same view.
demo="$(dirname "$0")/../../host-samples/demo-patients"
shot="$out/desktop-brenda-diagnostics.png"
cpu="$out/desktop-brenda-diagnostics.cpu.png"
rm -f "$shot"
timeout 60 xvfb-run -a -s "-screen 0 1280x800x24" \
  "$bin/ilinks-desktop" --record "$demo/brenda-kelly.json" --today 2026-11-22 --size 1000x700 --screenshot "$shot" \
    --user gl.test --profile 1a --organisation ZZTEST --consent given --tab diagnostics || {
  echo "FAILED: the desktop host did not draw the consented record (exit $?)"; exit 1; }
"$bin/ilinks-render" --record "$demo/brenda-kelly.json" --out "$cpu" --size 1000x700 --today 2026-11-22 \
  --user gl.test --profile 1a --organisation ZZTEST --consent given --tab diagnostics || { echo "FAILED: ilinks-render"; exit 1; }
"$bin/png-compare" "$shot" "$cpu" --channel-tolerance 2 --max-differing-percent 0.5 --diff "$out/desktop-brenda-diagnostics.diff.png" || {
  echo "FAILED: the OpenGL frame of the consented record differs from the CPU render (see $shot)"; exit 1; }
echo "ok: the OpenGL 3 window shows the consented record's Diagnostics tab as the CPU renders it"
