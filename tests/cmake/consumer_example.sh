#!/usr/bin/env bash
# examples/jet_tagger built against the installed-and-moved kml (find_package), with a C++-only
# project() and no vendor tool anywhere: configure succeeds, HDF5 never reaches the consumer, the
# model library, the testbench and the application build, C simulation runs (as a target and as a
# CTest test), a second build does nothing, every vendor target fails with one clear message, and the
# report (no vendor report here to read) holds the C simulation's figures.
source "$(dirname "$0")/lib.sh"
: "${KML_PREFIX:?}"
w="$KML_TEST_WORK"
fresh_dir "$w"
b="$w/build"
example="$KML_SOURCE_DIR/examples/jet_tagger"

step "configure (find_package(kml) from $KML_PREFIX)"
configure "$example" "$b" -DCMAKE_PREFIX_PATH="$KML_PREFIX"
contains "$b.configure.log" "kml: no HLS tool found"
lacks "$b/CMakeCache.txt" "CMAKE_C_COMPILER:" "the consumer's cache (C was enabled)"
if grep -qi hdf5 "$b/build.ninja" "$b/CMakeCache.txt"; then
  grep -i hdf5 "$b/build.ninja" "$b/CMakeCache.txt" | head
  fail "HDF5 leaked into the consumer's build"
fi

step "build"
build "$b"
contains "$BUILD_LOG" "kml: generating the HLS project of jet from dense_jet.keras"
for f in project/kml_manifest.json project/include/jet.h project/firmware/model.cpp project/tb/testbench.cpp kml_convert.d; do
  [[ -f "$b/jet/$f" ]] || fail "$b/jet/$f missing"
done
[[ -x "$b/jet_tb" && -x "$b/jet_tagger" && -f "$b/libjet.a" ]] || fail "jet_tb, jet_tagger or libjet.a missing"
json_expect "$b/jet/project/kml_manifest.json" name=jet ident=jet "part?" "clock_period?" "inputs.0.size=16" "outputs.0.size=5"

step "no-op build"
expect_noop "$b"

step "C simulation target"
build "$b" --target jet_csim
contains "$BUILD_LOG" "max abs error"
[[ -f "$b/jet/csim_results.h5" ]] || fail "csim_results.h5 is not at $b/jet/csim_results.h5"
[[ $(wc -l <"$b/jet/csim/outputs.dat") -eq 64 ]] || fail "expected 64 samples of testbench output"
expect_noop "$b" jet_csim

step "CTest: the model's csim test and the application"
(cd "$b" && "$CTEST_COMMAND" --output-on-failure) >"$w/ctest.log" 2>&1 || { cat "$w/ctest.log"; fail "ctest failed"; }
cat "$w/ctest.log"
contains "$w/ctest.log" "jet_csim"
contains "$w/ctest.log" "100% tests passed, 0 tests failed out of 2"

step "vendor targets without vendor tools: one clear message each"
for t in jet_synth jet_cosim jet_export jet_vsynth; do
  build_fails "$b" --target "$t"
  n=$(grep -c "needs an HLS tool: Vitis HLS (vitis_hls), Vitis 2024.2+ (v++ and vitis-run) or Vivado HLS (vivado_hls), which was not found" "$BUILD_LOG" || true)
  [[ $n -eq 1 ]] || fail "building $t should print the missing-tool message exactly once (got $n)"
done
lacks "$BUILD_LOG" "NOTFOUND"

step "reports need no vendor tool: what exists (here the C simulation) is reported"
build "$b" --target kml_report_all
json_expect "$b/jet/report.json" name=jet csynth=null cosim=null csim.samples=64 csim.argmax_agreement?
step "ok"
