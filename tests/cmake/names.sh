#!/usr/bin/env bash
# Names that must not break the build (issue #17 item 6, issue #19): tests/cmake/projects/names has a
# kml_add_fpga_model target for each of model, main, float, int, std, kml, parameters, defines, 3layer (a
# leading digit), time (a C library function), jet.v1 (a dot), all converting one model whose every layer
# has an awkward name (backslash, line break, quotes, ??/, a slash, UTF-8) from a file with a UTF-8 name.
# One application links all of them and must get the reference model's outputs bit for bit; the traced
# model's C simulation passes its check against Keras; its trace files stay inside the trace directory.
# Then kml-convert directly: -n with UTF-8 compiles, a name that cannot name a header is refused.
source "$(dirname "$0")/lib.sh"
: "${KML_PREFIX:?}"
w="$KML_TEST_WORK"
fresh_dir "$w"
src="$w/src"
b="$w/build"
cp -r "$KML_TEST_DIR/projects/names" "$src"
mkdir -p "$src/models"
cp "$KML_SOURCE_DIR/examples/jet_tagger/dense_jet.keras" "$KML_SOURCE_DIR/examples/jet_tagger/dense_jet.io.h5" "$src/models/"
cp "$KML_SOURCE_DIR/tests/data/names/layer_names.keras" "$src/models/réseau.keras"
chmod -R u+w "$src"

step "configure and build twelve models and the application"
configure "$src" "$b" -DCMAKE_PREFIX_PATH="$KML_PREFIX"
build "$b" -j2 --target names_app parameters_tb
json_expect "$b/float/project/kml_manifest.json" name=float ident=float_
json_expect "$b/3layer/project/kml_manifest.json" name=3layer ident=m_3layer
json_expect "$b/model/project/kml_manifest.json" name=model ident=model

step "the application and the C simulation (CTest)"
(cd "$b" && "$CTEST_COMMAND" -V -j2) >"$w/ctest.log" 2>&1 || { cat "$w/ctest.log"; fail "ctest failed"; }
cat "$w/ctest.log"
contains "$w/ctest.log" "names_app: 11 models agree with jet"
contains "$w/ctest.log" "argmax agreement"
contains "$w/ctest.log" "100% tests passed, 0 tests failed out of 2"

step "trace files of the renamed layers stay in the trace directory"
mkdir -p "$w/trace"
"$b/parameters_tb" "$b/parameters/csim_test/inputs.dat" "$w/trace_out.dat" "$w/trace" >/dev/null
# Eight traced nodes (four Dense layers, each split into the linear part and its activation).
[[ $(find "$w/trace" -type f | wc -l) -eq 8 ]] || { find "$w" -name '*.dat' -newer "$b/parameters_tb"; fail "expected 8 trace files"; }
[[ -f "$w/trace/r%C3%A9seau%2F..%2F%C3%BC%3F%3F%2F.dat" ]] || { ls "$w/trace"; fail "the slash-named layer's trace file"; }
"$KML_PREFIX/bin/kml-convert" results --manifest "$b/parameters/project/kml_manifest.json" --results "$w/trace_out.dat" \
  --trace-dir "$w/trace" -o "$w/trace.h5" >/dev/null
# Twelve names: <layer>_linear for each Dense part, <layer>_<activation> and <layer> for each activation; a
# name with a slash is stored under its file-safe stem (no HDF5 groups).
h5ls "$w/trace.h5/trace" >"$w/trace.ls"
[[ $(wc -l <"$w/trace.ls") -eq 12 ]] || { cat "$w/trace.ls"; fail "expected 12 traces in the results"; }
grep -q '^r%C3%A9seau%2F..%2F%C3%BC%3F%3F%2F  *Dataset {64, 32}' "$w/trace.ls" || { cat "$w/trace.ls"; fail "the slash-named layer's trace"; }

step "kml-convert -n with UTF-8; names that cannot name a header are refused"
k="$KML_PREFIX/bin/kml-convert"
"$k" convert "$src/models/réseau.keras" -n 'modèle' -o "$w/utf8" || fail "-n modèle"
json_expect "$w/utf8/kml_manifest.json" "name=modèle" ident=mod_le
templates=$(dirname "$(dirname "$(find "$KML_PREFIX" -path '*templates/kml/common.h' -print -quit)")")
"$CXX" -std=c++17 -fsyntax-only -w -I "$w/utf8/include" -I "$w/utf8/firmware" -I "$(vendor_include "$KML_PREFIX")" \
  -I "$templates" "$w/utf8/firmware/model.cpp" "$w/utf8/bridge/bridge.cpp" "$w/utf8/tb/testbench.cpp" ||
  fail "the -n modèle project does not compile"
for bad in 'a"b' 'a b' '../x' '-x' $'a\nb'; do
  if "$k" convert "$src/models/dense_jet.keras" "--name=$bad" -o "$w/bad" 2>"$w/bad.err"; then fail "-n '$bad' accepted"; fi
  [[ $(wc -l <"$w/bad.err") -eq 1 ]] && grep -q "not usable as a model name" "$w/bad.err" || { cat "$w/bad.err"; fail "-n '$bad': message"; }
  [[ ! -e "$w/bad" ]] || fail "-n '$bad' left $w/bad"
done
step "two targets whose namespaces could coincide: an error at configure time"
mkdir -p "$w/clash"
cat >"$w/clash/CMakeLists.txt" <<EOF2
cmake_minimum_required(VERSION 3.25)
project(kml_clash LANGUAGES CXX)
find_package(kml 0.1 REQUIRED)
kml_add_fpga_model(jet.v1 "$src/models/dense_jet.keras" "$src/default.toml")
kml_add_fpga_model(jet_v1 "$src/models/dense_jet.keras" "$src/default.toml")
EOF2
if "$CMAKE_COMMAND" -S "$w/clash" -B "$w/clash-build" -G Ninja -DCMAKE_MAKE_PROGRAM="$NINJA" -DCMAKE_PREFIX_PATH="$KML_PREFIX" \
  >"$w/clash.log" 2>&1; then cat "$w/clash.log"; fail "jet.v1 and jet_v1 were both accepted"; fi
contains "$w/clash.log" "kml_add_fpga_model(jet_v1): its C++ namespace could be the one of 'jet.v1'"
echo "names: OK"
