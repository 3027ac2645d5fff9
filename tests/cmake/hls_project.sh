#!/usr/bin/env bash
# Portable HLS projects: jet_hls_project / jet_hls_package of examples/jet_tagger built with no vendor tool,
# the archive unpacked elsewhere with no absolute path of the build machine left in it, the testbench built
# there from its own files alone, every vendor flow run on it from there with the stand-in tools, and the
# reports brought back read by jet_report and kml-report --search, still with no vendor tool.
source "$(dirname "$0")/lib.sh"
: "${KML_PREFIX:?}"
w="$KML_TEST_WORK"
fresh_dir "$w"
src="$w/src"
b="$w/build"
cp -r "$KML_SOURCE_DIR/examples/jet_tagger" "$src"

step "configure and package without any vendor tool"
configure "$src" "$b" -DCMAKE_PREFIX_PATH="$KML_PREFIX"
contains "$b.configure.log" "kml: no HLS tool found"
build "$b" --target jet_hls_package
tarball="$b/jet/jet_hls_project.tar.gz"
[[ -f $tarball ]] || fail "no $tarball"
p="$b/jet/hls_project"
for f in build_prj.tcl hls_config.cfg vivado_synth.tcl README.md kml_manifest.json firmware/model.cpp tb/testbench.cpp \
         tb_data/inputs.dat tb_data/csim_outputs.dat firmware/kml/common.h firmware/kml/dense.h runtime/ap_fixed.h; do
  [[ -f $p/$f ]] || fail "the portable project has no $f"
done
cmp -s "$p/tb_data/csim_outputs.dat" "$b/jet/csim/outputs.dat" || fail "tb_data/csim_outputs.dat is not the C simulation's output"
contains "$p/README.md" "vitis_hls -f build_prj.tcl"
contains "$p/README.md" "v++ -c --mode hls --config hls_config.cfg --work_dir component"
expect_noop "$b" jet_hls_package

step "unpacked elsewhere: no absolute path of the build machine"
u="$w/elsewhere"
mkdir -p "$u"
tar -xzf "$tarball" -C "$u"
d="$u/jet_hls_project"
[[ -f $d/build_prj.tcl ]] || fail "the archive's top directory is not jet_hls_project/"
for path in "$b" "$src" "$KML_PREFIX" "$KML_SOURCE_DIR" "$w"; do
  if grep -rlF -- "$path" "$d" >"$w/leaks.txt"; then
    cat "$w/leaks.txt"
    fail "the portable project names $path"
  fi
done
grep -q '"path": "dense_jet.keras"' "$d/kml_manifest.json" || fail "the manifest should name the model by file name only"

step "the testbench builds from the project's own files and reproduces the C simulation bit for bit"
(cd "$d" && "$CXX" -std=c++17 -O1 -Ifirmware -Iruntime tb/testbench.cpp firmware/model.cpp -o "$w/tb") ||
  fail "the portable project does not build on its own"
(cd "$d" && "$w/tb" tb_data/inputs.dat "$w/host_outputs.dat") || fail "the testbench failed"
cmp "$w/host_outputs.dat" "$d/tb_data/csim_outputs.dat" || fail "the portable testbench differs from C simulation"

export KML_STUB_LOG="$w/stub.log" KML_STUB_DATA="$KML_TEST_DIR/data"
KML_STUB_VENDOR_INCLUDE=$(vendor_include "$KML_PREFIX")
export KML_STUB_VENDOR_INCLUDE
: >"$KML_STUB_LOG"
install_stubs "$w/tools/classic" classic
classic_bin=$STUB_BIN
install_stubs "$w/tools/unified" unified
unified_bin=$STUB_BIN
install_stubs "$w/tools/legacy" vivado_hls
legacy_bin=$STUB_BIN

step "Vivado HLS (no -flow_target) and the unified flow on the project"
(cd "$d" && "$legacy_bin/vivado_hls" -f build_prj.tcl) >"$w/legacy.log" 2>&1 || { cat "$w/legacy.log"; fail "vivado_hls failed"; }
(cd "$d" && KML_STUB_FAST=1 "$unified_bin/v++" -c --mode hls --config hls_config.cfg --work_dir "$d/component" &&
  KML_STUB_FAST=1 "$unified_bin/vitis-run" --mode hls --cosim --config hls_config.cfg --work_dir "$d/component") \
  >"$w/unified.log" 2>&1 || { cat "$w/unified.log"; fail "the unified flow failed"; }
[[ -f $d/component/hls/syn/report/csynth.xml ]] || fail "no csynth.xml in the unified layout"
cmp -s "$d/component/hls/sim/wrapc_pc/tb_data/cosim_outputs.dat" "$d/tb_data/csim_outputs.dat" ||
  fail "the unified co-simulation did not run in its simulation directory on tb_data"

step "classic flow from another directory: C simulation, synthesis, co-simulation (compared), export, Vivado"
(cd / && "$classic_bin/vitis_hls" -f "$d/build_prj.tcl" "csim=1 synth=1 cosim=1 export=1") >"$w/classic.log" 2>&1 ||
  { cat "$w/classic.log"; fail "vitis_hls -f build_prj.tcl failed"; }
cat "$w/classic.log"
contains "$w/classic.log" "kml: jet: RTL co-simulation matches C simulation"
cmp -s "$d/tb_data/csim_results.dat" "$d/tb_data/csim_outputs.dat" || fail "the vendor C simulation's results were not fetched into tb_data"
[[ -f $d/jet_prj/solution1/syn/report/csynth.xml ]] || fail "no csynth.xml in the classic layout"
cmp -s "$d/tb_data/cosim_outputs.dat" "$d/tb_data/csim_outputs.dat" || fail "co-simulation outputs not fetched into tb_data"
[[ -f $d/jet_prj/solution1/impl/ip/component.xml ]] || fail "no exported IP"
(cd "$d" && "$classic_bin/../../../Vivado/2023.1/bin/vivado" -mode batch -source vivado_synth.tcl) >"$w/vivado.log" 2>&1 ||
  { cat "$w/vivado.log"; fail "vivado -source vivado_synth.tcl failed"; }
[[ -f $d/vivado/utilization.rpt && -f $d/vivado/timing.rpt ]] || fail "no Vivado reports"
grep -q "^vitis_hls	/	-f $d/build_prj.tcl csim=1 synth=1 cosim=1 export=1\$" "$KML_STUB_LOG" || { cat "$KML_STUB_LOG"; fail "vitis_hls was not called as expected"; }

step "a co-simulation that differs from C simulation fails"
KML_STUB_COSIM_CORRUPT=1 "$classic_bin/vitis_hls" -f "$d/build_prj.tcl" "synth=0 cosim=1" >"$w/corrupt.log" 2>&1 &&
  { cat "$w/corrupt.log"; fail "a mismatching co-simulation passed"; }
contains "$w/corrupt.log" "RTL co-simulation differs from C simulation"

step "reports brought back: kml-report --search and jet_report, without a vendor tool"
report="$KML_PREFIX/bin/kml-report"
if "$report" --search "$d" -q -o "$w/both.json" >"$w/both.txt" 2>&1; then fail "two layouts should be ambiguous"; fi
contains "$w/both.txt" "several synthesis (csynth.xml) reports found"
rm -rf "$d/component"
"$report" --search "$d" -o "$w/remote.json" | tee "$w/remote.txt"
json_expect "$w/remote.json" csynth.top=jet_top csynth.part=xcvu13p-flga2577-2-e cosim.status=Pass \
  vivado.resources.LUT.used=12345 vivado.timing.wns_ns=0.512
# Copy the reports into the model's work directory, as from a cluster's shared file system.
mkdir -p "$b/jet/reports"
cp "$d/jet_prj/solution1/syn/report/csynth.xml" "$d/jet_prj/solution1/sim/report/jet_top_cosim.rpt" "$b/jet/reports/"
build "$b" --target jet_report
contains "$BUILD_LOG" "kml report: jet (top jet_top, part xcvu13p-flga2577-2-e)"
json_expect "$b/jet/report.json" name=jet csynth.latency.worst=11 cosim.status=Pass csim.samples=64 csim.argmax_agreement? \
  model.name=jet vivado=null
rm -rf "$b/jet/reports"
build "$b" --target jet_report
json_expect "$b/jet/report.json" csynth=null cosim=null csim.samples=64
step "ok"
