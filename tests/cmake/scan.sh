#!/usr/bin/env bash
# kml_add_fpga_scan (tests/cmake/projects/scan: reuse_factor 1 4 x precision 16/10/6 bits, six points) with
# the stand-in vendor tool: point targets and scan.json at configure time, the scan-level targets, the C
# simulation's accuracy per point against the reference, resources and latency from each point's report,
# the Pareto-optimal points (checked against an independent computation), and the HTML page loaded,
# screenshotted and checked in headless Chromium.
# Usage: scan.sh <png_blobs executable or "">
source "$(dirname "$0")/lib.sh"
: "${KML_PREFIX:?}"
png_blobs=${1:-}
w="$KML_TEST_WORK"
fresh_dir "$w"
src="$w/src"
b="$w/build"
scan_project "$src"
use_stubs "$w/tools" classic
export KML_STUB_FAST=1

# Made-up synthesis results per point (the stand-in's canned report with other numbers): every point a
# different LUT count and latency, spread so that no two points overlap in the plots.
export KML_STUB_REPORTS="$w/canned"
luts=(21000 3000 12000 27000 7000 16000)
lats=(14 40 9 25 33 19)
for i in 0 1 2 3 4 5; do
  mkdir -p "$KML_STUB_REPORTS/jet_scan_${i}_top"
  sed -e "s|<LUT>23456</LUT>|<LUT>${luts[$i]}</LUT>|" -e "s|<Worst-caseLatency>11<|<Worst-caseLatency>${lats[$i]}<|" \
    "$KML_TEST_DIR/data/csynth_vitis.xml" >"$KML_STUB_REPORTS/jet_scan_${i}_top/csynth_vitis.xml"
done

step "configure: six point models, named predictably, and scan.json mapping names to settings"
configure "$src" "$b" -DCMAKE_PREFIX_PATH="$KML_PREFIX"
contains "$b.configure.log" "kml: scan jet_scan: 6 points (reuse_factor x precision)"
s="$b/jet_scan"
settings=("1|ap_fixed<16,6>" "1|ap_fixed<10,4>" "1|ap_fixed<6,2>" "4|ap_fixed<16,6>" "4|ap_fixed<10,4>" "4|ap_fixed<6,2>")
for i in 0 1 2 3 4 5; do
  json_expect "$s/scan.json" "points.$i.name=jet_scan_$i" "points.$i.settings.reuse_factor=${settings[$i]%%|*}" \
    "points.$i.settings.precision=${settings[$i]#*|}" "points.$i.work_dir=$s/jet_scan_$i"
done
json_expect "$s/scan.json" name=jet_scan model=dense_jet.keras config=jet.toml vary.0.key=reuse_factor vary.1.key=precision \
  vary.1.values.2="ap_fixed<6,2>"
"$NINJA" -C "$b" -t targets all >"$w/targets.txt"
for t in jet_scan_csim jet_scan_synth jet_scan_report jet_scan_0_synth jet_scan_5_csim jet_scan_3_hls_package; do
  grep -q "^$t:" "$w/targets.txt" || fail "no target $t"
done

step "the report before any synthesis: accuracy only"
build "$b" -j2 --target jet_scan_report
json_expect "$s/scan.json" points.0.results.resources=null points.0.pareto.resources=null points.5.results.csim.samples=64
contains "$s/scan.html" "no point has both"

step "each point is converted with its settings"
for i in 0 1 2 3 4 5; do
  json_expect "$s/jet_scan_$i/project/kml_manifest.json" "layers.1.reuse_factor=${settings[$i]%%|*}"
done
grep -q 'ap_fixed<6,2>' "$s/jet_scan_2/project/firmware/defines.h" || fail "jet_scan_2 does not use ap_fixed<6,2>"
grep -q 'ap_fixed<6,2>' "$s/jet_scan_0/project/firmware/defines.h" && fail "jet_scan_0 uses ap_fixed<6,2>"

step "kml-convert --set: the same validation as the config file, errors naming the override"
conv="$KML_PREFIX/bin/kml-convert"
if "$conv" convert "$src/models/dense_jet.keras" -c "$src/models/jet.toml" -o "$w/bad" --set reuse_factor=0 >"$w/set.txt" 2>&1; then
  fail "--set reuse_factor=0 was accepted"
fi
contains "$w/set.txt" "jet.toml with --set reuse_factor=0"
if "$conv" convert "$src/models/dense_jet.keras" -o "$w/bad" "--set=precision=ap_fixed<8" >"$w/set.txt" 2>&1; then
  fail "a bad precision string was accepted"
fi
contains "$w/set.txt" "--set precision=ap_fixed<8"
[[ ! -e "$w/bad" ]] || fail "a failed conversion left its output directory"

step "scan-level synthesis and report"
build "$b" -j2 --target jet_scan_synth
[[ $(grep -c 'scripts/synth.tcl$' "$KML_STUB_LOG") -eq 6 ]] || { cat "$KML_STUB_LOG"; fail "expected six syntheses"; }
build "$b" --target jet_scan_report
contains "$BUILD_LOG" "kml scan: jet_scan (6 points"
grep -qE '^  jet_scan_2 +1 +ap_fixed<6,2> ' "$BUILD_LOG" || fail "no table row for jet_scan_2"

step "accuracy per point: the C simulation's own figures, against the reference"
for i in 0 1 2 3 4 5; do
  agree=$(grep -o '"argmax_agreement": [0-9.e+-]*' "$s/jet_scan_$i/csim_results.json" | head -n 1 | awk '{print $2}')
  [[ -n $agree ]] || fail "no argmax agreement in jet_scan_$i/csim_results.json"
  json_expect "$s/scan.json" "points.$i.results.csim.argmax_agreement=$agree" "points.$i.results.resources.LUT=${luts[$i]}" \
    "points.$i.results.latency.worst=${lats[$i]}" "points.$i.results.resources.source=hls"
  eval "acc_$i=$agree"
done
# 16-bit points agree with Keras on at least 95% of the jets (as the example's CSIM_CHECKS demand);
# 6 bits lose accuracy.
awk -v a="$acc_0" -v b="$acc_3" 'BEGIN { exit !(a >= 0.95 && b >= 0.95) }' || fail "16-bit points: argmax agreement $acc_0, $acc_3"
awk -v a="$acc_0" -v c="$acc_2" 'BEGIN { exit !(c < a) }' || fail "ap_fixed<6,2> should be less accurate than ap_fixed<16,6> ($acc_2 vs $acc_0)"

step "Pareto-optimal points, computed independently"
expected_front() {  # expected_front <x values...>: indices of the points no other point dominates
  local -a x=("$@")
  local i j out=""
  for i in 0 1 2 3 4 5; do
    local dominated=0
    for j in 0 1 2 3 4 5; do
      [[ $i == "$j" ]] && continue
      local ai bj
      eval "ai=\$acc_$i bj=\$acc_$j"
      if awk -v xi="${x[$i]}" -v xj="${x[$j]}" -v yi="$ai" -v yj="$bj" \
        'BEGIN { exit !((xj <= xi && yj >= yi) && (xj < xi || yj > yi)) }'; then dominated=1; fi
    done
    [[ $dominated -eq 1 ]] || out+="$i "
  done
  echo "$out"
}
front_res=$(expected_front "${luts[@]}")
front_lat=$(expected_front "${lats[@]}")
got_res="" got_lat=""
for i in 0 1 2 3 4 5; do
  "$CMAKE_COMMAND" -P "$KML_TEST_DIR/json_expect.cmake" "$s/scan.json" "points.$i.pareto.resources=true" >/dev/null 2>&1 && got_res+="$i "
  "$CMAKE_COMMAND" -P "$KML_TEST_DIR/json_expect.cmake" "$s/scan.json" "points.$i.pareto.latency=true" >/dev/null 2>&1 && got_lat+="$i "
done
echo "   accuracy: $acc_0 $acc_1 $acc_2 $acc_3 $acc_4 $acc_5"
echo "   Pareto (accuracy vs LUT): expected '$front_res', scan.json '$got_res'"
echo "   Pareto (accuracy vs latency): expected '$front_lat', scan.json '$got_lat'"
[[ "$got_res" == "$front_res" && "$got_lat" == "$front_lat" ]] || fail "the Pareto fronts differ"
n_res=$(wc -w <<<"$front_res")
n_lat=$(wc -w <<<"$front_lat")

step "the page: two SVG plots, every point in each, the Pareto points marked"
page="$s/scan.html"
[[ $(grep -c '<svg id="plot-' "$page") -eq 2 ]] || fail "expected two plots"
[[ $(grep -o '<circle ' "$page" | wc -l) -eq 12 ]] || fail "expected 12 points (6 per plot)"
[[ $(grep -o 'class="point pareto"' "$page" | wc -l) -eq $((n_res + n_lat)) ]] || fail "wrong number of Pareto marks"
# Self-contained: nothing loaded from elsewhere.
lacks "$page" 'src='
lacks "$page" 'href='
lacks "$page" "<script"

step "headless Chromium: load, screenshot, the plots are drawn and the points are there"
chromium=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $chromium ]]; then
  [[ -z "${CI:-}" ]] || fail "chromium is not installed (scripts/install-deps.sh installs it)"
  echo "skipped: chromium not installed (Debian package chromium)"
  exit 77
fi
[[ -n $png_blobs && -x $png_blobs ]] || fail "no png_blobs tool (libpng-dev missing when kml was configured?)"
shot="$w/scan.png"
profile=$(mktemp -d "$w/chromium.XXXXXX")
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$profile" \
  --hide-scrollbars --window-size=1400,900 --screenshot="$shot" "file://$page" >"$w/chromium.log" 2>&1 ||
  { cat "$w/chromium.log"; fail "chromium failed"; }
[[ -s $shot ]] || { cat "$w/chromium.log"; fail "no screenshot"; }
red=$("$png_blobs" "$shot" d62728 60 | head -n 1)
blue=$("$png_blobs" "$shot" 1f77b4 60 | head -n 1)
axes=$("$png_blobs" "$shot" 333333 300 | head -n 1)
echo "   screenshot $shot: $red red (Pareto) and $blue blue points, $axes axis frames"
[[ $axes -ge 2 ]] || fail "the screenshot shows no plot axes"
[[ $red -eq $((n_res + n_lat)) ]] || fail "the screenshot shows $red Pareto points, expected $((n_res + n_lat))"
[[ $blue -eq $((12 - n_res - n_lat)) ]] || fail "the screenshot shows $blue other points, expected $((12 - n_res - n_lat))"
echo "KML_SCAN_SCREENSHOT red=$red blue=$blue axes=$axes"

step "nothing to do after the report, apart from the report itself"
expect_noop "$b" jet_scan_synth jet_scan_csim
step "ok"
