#!/usr/bin/env bash
# kml-report on canned vendor reports: both csynth.xml layouts, Vivado HLS's report, co-simulation and
# Vivado reports, the JSON document and the tables, and its error messages.
# Usage: report_tool.sh <kml-report executable>
source "$(dirname "$0")/lib.sh"
report=$1
data="$KML_TEST_DIR/data"
w="$KML_TEST_WORK"
fresh_dir "$w"

canned() {  # canned <dest> : csynth_vitis.xml with top jet_top, part xcvu13p-flga2577-2-e, clock 5.00
  mkdir -p "$(dirname "$1")"
  sed -e 's/@KML_STUB_TOP@/jet_top/' -e 's/@KML_STUB_PART@/xcvu13p-flga2577-2-e/' -e 's/@KML_STUB_CLOCK@/5.00/' \
    "$data/csynth_vitis.xml" >"$1"
}

step "classic layout: <dir>/<project>/<solution>/syn/report/csynth.xml"
canned "$w/classic/jet_prj/solution1/syn/report/csynth.xml"
"$report" --csynth "$w/classic" --name jet -o "$w/classic.json" | tee "$w/classic.txt"
json_expect "$w/classic.json" kml_report_schema=1 name=jet csynth.top=jet_top csynth.part=xcvu13p-flga2577-2-e \
  csynth.tool_version=2023.1 tools.hls.version=2023.1 csynth.clock.target_ns=5.0 csynth.clock.estimated_ns=4.313 \
  csynth.clock.uncertainty_ns=1.35 csynth.latency.best=9 csynth.latency.worst=11 csynth.latency.worst_ns=55.0 \
  csynth.interval.min=1 csynth.interval.max=1 csynth.resources.LUT.used=23456 csynth.resources.LUT.available=1728000 \
  csynth.resources.DSP.used=146 csynth.resources.BRAM_18K.used=4 csynth.resources.URAM.available=1280 \
  cosim=null vivado=null model=null
contains "$w/classic.txt" "kml report: jet (top jet_top, part xcvu13p-flga2577-2-e)"
contains "$w/classic.txt" "LUT       23456         1728000    1.36%"

step "unified layout: <work_dir>/hls/syn/report/csynth.xml, plus cosim and Vivado reports"
canned "$w/unified/component/hls/syn/report/csynth.xml"
"$report" --csynth "$w/unified/component" --cosim "$data/cosim.rpt" \
  --vivado-utilization "$data/vivado_utilization.rpt" --vivado-timing "$data/vivado_timing.rpt" \
  --tool hls.flow=vitis --tool hls.path=/opt/v++ --tool kml=9.9 -o "$w/unified.json" | tee "$w/unified.txt"
json_expect "$w/unified.json" name=jet_top tools.hls.flow=vitis tools.hls.path=/opt/v++ tools.kml=9.9 \
  tools.vivado.version=2023.1 cosim.status=Pass cosim.passed=true cosim.rtl=Verilog cosim.latency.min=9 \
  cosim.latency.max=10 cosim.interval.average=1 cosim.total_cycles=73 \
  vivado.resources.LUT.used=12345 vivado.resources.FF.used=6789 vivado.resources.DSP.available=12288 \
  vivado.resources.BRAM_18K.used=3 vivado.resources.BRAM_18K.available=5376 vivado.resources.URAM.used=0 \
  vivado.timing.wns_ns=0.512 vivado.timing.met=true
contains "$w/unified.txt" "co-simulation  Pass (Verilog), latency 9/9/10, interval 1/1/1"
contains "$w/unified.txt" "Vivado timing  WNS 0.512 ns, TNS 0.000 ns (met)"

step "the file itself, and a Vivado HLS 2019.2 report (DSP48E, undefined latency)"
"$report" --csynth "$data/csynth_vivado_hls.xml" -q -o "$w/legacy.json"
json_expect "$w/legacy.json" name=legacy_top csynth.tool_version=2019.2 csynth.resources.DSP.used=30 \
  csynth.resources.DSP.available=840 csynth.resources.URAM.used=null csynth.latency.worst=null \
  csynth.interval.min=null csynth.flow_target=null

step "stable output: the same inputs give the same bytes"
"$report" --csynth "$w/classic" --name jet -q -o "$w/classic2.json"
cmp "$w/classic.json" "$w/classic2.json" || fail "kml-report output is not reproducible"

step "--optional ignores missing and outdated co-simulation/Vivado reports"
cp "$data/cosim.rpt" "$w/old_cosim.rpt"
touch -d '2000-01-01' "$w/old_cosim.rpt"
"$report" --csynth "$w/classic" --cosim "$w/old_cosim.rpt" --vivado-utilization "$w/none.rpt" --optional \
  -o "$w/optional.json" >"$w/optional.txt" 2>&1
json_expect "$w/optional.json" cosim=null vivado=null
contains "$w/optional.txt" "older than the synthesis report"
contains "$w/optional.txt" "co-simulation  not run"

step "summary over several models"
"$report" --summary "$w/classic.json" "$w/unified.json" "$w/legacy.json" -o "$w/summary.json" | tee "$w/summary.txt"
json_expect "$w/summary.json" models.0.name=jet models.1.name=jet_top models.2.name=legacy_top
contains "$w/summary.txt" "model       part"
contains "$w/summary.txt" "12345 (0.71%)"
[[ $(wc -l <"$w/summary.txt") -eq 4 ]] || fail "the summary should have a header and three rows"

step "errors name the file and the problem"
mkdir -p "$w/two/a/s1/syn/report" "$w/two/a/s2/syn/report"
cp "$w/classic/jet_prj/solution1/syn/report/csynth.xml" "$w/two/a/s1/syn/report/"
cp "$w/classic/jet_prj/solution1/syn/report/csynth.xml" "$w/two/a/s2/syn/report/"
expect_error() {  # expect_error <text> <args...>
  local text=$1
  shift
  if "$report" "$@" >"$w/err.txt" 2>&1; then fail "kml-report $* should fail"; fi
  contains "$w/err.txt" "$text"
}
expect_error "several synthesis reports found" --csynth "$w/two"
mkdir -p "$w/empty/prj/sol"
expect_error "no csynth.xml found" --csynth "$w/empty"
expect_error "no such file or directory" --csynth "$w/nowhere"
echo "<profile><broken" >"$w/broken.xml"
expect_error "broken.xml: not a readable XML file" --csynth "$w/broken.xml"
echo "<other/>" >"$w/other.xml"
expect_error "not a csynth.xml report" --csynth "$w/other.xml"
expect_error "no Verilog/VHDL result row" --csynth "$w/classic" --cosim "$data/vivado_timing.rpt"
expect_error "co-simulation report not found" --csynth "$w/classic" --cosim "$w/none.rpt"
expect_error "cannot open" --summary "$w/none.json"
step "ok"
