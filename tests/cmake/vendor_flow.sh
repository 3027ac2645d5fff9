#!/usr/bin/env bash
# The vendor targets of one model (<m>_synth, _cosim, _export, _vsynth, _report) driven through the
# stand-in tools of one flow: the scripts kml generated, the order of the steps, the parsed report,
# failures that leave nothing looking finished, and a co-simulation that disagrees with C simulation.
# Usage: vendor_flow.sh classic|unified|vitis_tcl|vivado_hls
source "$(dirname "$0")/lib.sh"
: "${KML_PREFIX:?}"
flow=$1
w="$KML_TEST_WORK"
fresh_dir "$w"
example="$KML_SOURCE_DIR/examples/jet_tagger"

export KML_STUB_LOG="$w/stub.log"
export KML_STUB_DATA="$KML_TEST_DIR/data"
KML_STUB_VENDOR_INCLUDE=$(vendor_include "$KML_PREFIX")
export KML_STUB_VENDOR_INCLUDE
: >"$KML_STUB_LOG"

cmake_args=(-DCMAKE_PREFIX_PATH="$KML_PREFIX")
# Only the classic flow compiles the generated code with the stand-ins (the slow, thorough check);
# the others copy C simulation's outputs as their "RTL" results.
[[ $flow == classic ]] || export KML_STUB_FAST=1
part=xcvu13p-flga2577-2-e
clock=5.0
case $flow in
  classic)
    install_stubs "$w/tools" classic
    # Found through the XILINX_HLS hint, not PATH; Vivado from the same release next to it.
    export XILINX_HLS="$w/tools/Xilinx/Vitis_HLS/2023.1"
    hls_tool=vitis_hls expect_flow="kml: HLS flow vitis_hls: $STUB_BIN/vitis_hls (2023.1)"
    synth_call="vitis_hls	$w/build/jet/hls	-f $w/build/jet/scripts/synth.tcl"
    ;;
  unified)
    install_stubs "$w/tools" unified
    PATH="$STUB_BIN:$PATH"
    # Vendor presets: part and clock for every model, overriding the model's config.
    part=xc7z020clg400-1 clock=10
    cmake_args+=(-DKML_PART=$part -DKML_CLOCK_PERIOD=$clock)
    hls_tool=v++ expect_flow="kml: HLS flow vitis: $STUB_BIN/v++ (2024.2)"
    synth_call="v++	$w/build/jet/hls	-c --mode hls --config $w/build/jet/scripts/hls_config.cfg --work_dir $w/build/jet/hls/component"
    ;;
  vitis_tcl)
    install_stubs "$w/tools" unified-novivado
    export XILINX_VITIS="$w/tools/Xilinx/Vitis/2024.2"
    cmake_args+=(-DKML_HLS_TOOL=vitis_tcl)
    hls_tool=vitis-run expect_flow="kml: HLS flow vitis_tcl: $STUB_BIN/v++ (2024.2)"
    synth_call="vitis-run	$w/build/jet/hls	--mode hls --tcl $w/build/jet/scripts/synth.tcl"
    ;;
  vivado_hls)
    install_stubs "$w/tools" vivado_hls
    PATH="$STUB_BIN:$PATH"
    hls_tool=vivado_hls expect_flow="kml: HLS flow vivado_hls: $STUB_BIN/vivado_hls (2019.2)"
    synth_call="vivado_hls	$w/build/jet/hls	-f $w/build/jet/scripts/synth.tcl"
    ;;
  *) fail "unknown flow $flow" ;;
esac
b="$w/build"

step "configure ($flow)"
configure "$example" "$b" "${cmake_args[@]}"
contains "$b.configure.log" "$expect_flow"

step "co-simulation first: generation, C simulation and synthesis run before it, in that order"
build "$b" --target jet_cosim
contains "$BUILD_LOG" "kml: jet_cosim: RTL co-simulation matches C simulation (64 samples)"
[[ $(wc -l <"$KML_STUB_LOG") -eq 2 ]] || { cat "$KML_STUB_LOG"; fail "expected exactly two tool calls (synth, cosim)"; }
[[ "$(sed -n 1p "$KML_STUB_LOG")" == "$synth_call" ]] || { cat "$KML_STUB_LOG"; fail "first call is not synthesis: $synth_call"; }
grep -q "cosim" <(sed -n 2p "$KML_STUB_LOG") || fail "second call is not co-simulation"
[[ -f "$b/jet/csim_results.h5" && -f "$b/jet/reports/csynth.xml" && -f "$b/jet/cosim/match.txt" ]] ||
  fail "csim results, csynth.xml or the co-simulation verdict missing"
[[ -f "$b/jet/logs/synth.log" && -f "$b/jet/logs/cosim.log" ]] || fail "step logs missing"

step "generated scripts"
s="$b/jet/scripts"
fw="$b/jet/project/firmware"
if [[ $flow == unified ]]; then
  cfg="$s/hls_config.cfg"
  contains "$cfg" "part=$part"
  contains "$cfg" "[hls]"
  contains "$cfg" "clock=${clock}ns"
  contains "$cfg" "clock_uncertainty=12.5%"
  contains "$cfg" "syn.top=jet_top"
  contains "$cfg" "syn.file=$fw/model.cpp"
  contains "$cfg" "syn.cflags=-std=c++14 -I$fw -I"
  contains "$cfg" "tb.file=$b/jet/project/tb/testbench.cpp"
  contains "$cfg" "cosim.argv=$b/jet/csim/inputs.dat $b/jet/hls/cosim_outputs.dat"
  contains "$cfg" "package.output.format=ip_catalog"
  lacks "$cfg" "runtime"
else
  t="$s/synth.tcl"
  contains "$t" "open_project -reset jet_prj"
  contains "$t" "set_top jet_top"
  contains "$t" "add_files {$fw/model.cpp} -cflags {-std=c++14 -I$fw -I"
  contains "$t" "add_files -tb {$b/jet/project/tb/testbench.cpp}"
  contains "$t" "set_part {$part}"
  contains "$t" "create_clock -period $clock -name default"
  contains "$t" "set_clock_uncertainty 12.5%"
  contains "$t" "csynth_design"
  lacks "$t" "runtime"
  if [[ $flow == vivado_hls ]]; then lacks "$t" "-flow_target"; else contains "$t" "open_solution -reset solution1 -flow_target vivado"; fi
  contains "$s/cosim.tcl" "cosim_design -rtl verilog -argv {$b/jet/csim/inputs.dat $b/jet/hls/cosim_outputs.dat}"
  contains "$s/export.tcl" "export_design -format ip_catalog"
  for f in synth cosim export; do
    [[ "$(grep -v '^\s*\(#.*\)\?$' "$s/$f.tcl" | tail -n 1)" == "exit" ]] || fail "$f.tcl does not end with exit"
  done
fi
contains "$s/vivado_synth.tcl" "synth_design -top jet_top -part {$part}"
[[ "$(tail -n 1 "$s/vivado_synth.tcl")" == "exit" ]] || fail "vivado_synth.tcl does not end with exit"

step "export and Vivado synthesis reuse the synthesis (no second synthesis)"
if [[ $flow == vitis_tcl ]]; then
  build "$b" --target jet_export
  build_fails "$b" --target jet_vsynth
  [[ $(count "$BUILD_LOG" "kml: jet_vsynth needs Vivado (vivado)") -eq 1 ]] || fail "expected one clear 'needs Vivado' message"
else
  build "$b" --target jet_export jet_vsynth
  [[ -f "$b/jet/reports/vivado_utilization.rpt" && -f "$b/jet/reports/vivado_timing.rpt" ]] || fail "Vivado reports missing"
  grep -q "^vivado	$b/jet/vivado	-mode batch -nojournal -log $b/jet/vivado/vivado.log -source $s/vivado_synth.tcl\$" "$KML_STUB_LOG" ||
    { cat "$KML_STUB_LOG"; fail "vivado was not run as expected"; }
fi
[[ -f "$b/jet/ip/component.xml" ]] || fail "the exported IP is not in $b/jet/ip"
[[ $(grep -vc "^vivado	" "$KML_STUB_LOG") -eq 3 ]] || { cat "$KML_STUB_LOG"; fail "expected exactly synth, cosim and export calls of the HLS tool"; }
[[ $(grep -c "scripts/synth.tcl\$\|-c --mode hls" "$KML_STUB_LOG") -eq 1 ]] || { cat "$KML_STUB_LOG"; fail "synthesis ran more than once"; }

step "report"
build "$b" --target jet_report
contains "$BUILD_LOG" "kml report: jet (top jet_top, part $part)"
r="$b/jet/report.json"
json_expect "$r" name=jet csynth.top=jet_top csynth.part="$part" csynth.latency.worst=11 csynth.resources.DSP.used=146 \
  cosim.status=Pass cosim.latency.max=10 model.name=jet model.ident=jet model.top=jet_top model.kml_version? \
  model.provenance.model.fnv1a64? tools.hls.version=2023.1 tools.kml? tools.cmake? tools.kml_report?
case $flow in
  classic) json_expect "$r" tools.hls.flow=vitis_hls tools.hls.path="$STUB_BIN/vitis_hls" vivado.resources.LUT.used=12345 \
             vivado.timing.wns_ns=0.512 tools.vivado.version=2023.1 ;;
  unified) json_expect "$r" tools.hls.flow=vitis csynth.clock.target_ns=10 vivado.resources.DSP.used=120 ;;
  vitis_tcl) json_expect "$r" tools.hls.flow=vitis_tcl vivado=null ;;
  vivado_hls) json_expect "$r" tools.hls.flow=vivado_hls vivado.resources.FF.used=6789 ;;
esac

step "nothing left to do"
expect_noop "$b" jet_cosim jet_export jet_synth
[[ $flow == vitis_tcl ]] || expect_noop "$b" jet_vsynth

step "a failing synthesis leaves no result that looks finished, and the next build retries"
rm -f "$b/jet/scripts/sources.sha256"
KML_STUB_FAIL=synth build_fails "$b" --target jet_synth
contains "$BUILD_LOG" "kml: jet_synth: $hls_tool failed (1)"
contains "$BUILD_LOG" "simulated failure of step synth"
[[ ! -e "$b/jet/reports/csynth.xml" ]] || fail "reports/csynth.xml survived a failed synthesis"
KML_STUB_SKIP_REPORT=synth build_fails "$b" --target jet_synth
contains "$BUILD_LOG" "exited successfully but did not produce"
build "$b" --target jet_synth
[[ -f "$b/jet/reports/csynth.xml" ]] || fail "synthesis did not recover"

step "an RTL that disagrees with C simulation fails jet_cosim"
KML_STUB_COSIM_CORRUPT=1 build_fails "$b" --target jet_cosim
contains "$BUILD_LOG" "kml: jet_cosim: RTL co-simulation differs from C simulation"
contains "$BUILD_LOG" "first difference at sample 0 of 64:"
[[ ! -e "$b/jet/cosim/match.txt" ]] || fail "a mismatching co-simulation left its verdict file"
step "ok"
