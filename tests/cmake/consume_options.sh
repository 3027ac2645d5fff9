#!/usr/bin/env bash
# The installed kml consumed as the README says: find_package(kml) without nlohmann_json (only the plugin_api
# component needs it, and asking for it without nlohmann_json fails naming it), the installed presets a user's
# CMakePresets.json includes and inherits (HLS flow, part, clock), and the LICENSE in the prefix.
source "$(dirname "$0")/lib.sh"
: "${KML_PREFIX:?}"
w="$KML_TEST_WORK"
fresh_dir "$w"

step "find_package(kml) with nlohmann_json unavailable"
configure "$KML_SOURCE_DIR/examples/jet_tagger" "$w/nojson" -DCMAKE_PREFIX_PATH="$KML_PREFIX" \
  -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON
contains "$w/nojson.configure.log" "Generating done"

step "find_package(kml COMPONENTS plugin_api) needs nlohmann_json and says so"
if "$CMAKE_COMMAND" -S "$KML_SOURCE_DIR/examples/custom_layer" -B "$w/plugin_nojson" -G Ninja \
     -DCMAKE_MAKE_PROGRAM="$NINJA" -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_PREFIX_PATH="$KML_PREFIX" \
     -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON >"$w/plugin_nojson.log" 2>&1; then
  cat "$w/plugin_nojson.log"
  fail "the plugin_api component configured without nlohmann_json"
fi
contains "$w/plugin_nojson.log" "nlohmann_json"
configure "$KML_SOURCE_DIR/examples/custom_layer" "$w/plugin" -DCMAKE_PREFIX_PATH="$KML_PREFIX"

step "find_package(kml COMPONENTS nosuch) fails naming the component"
mkdir -p "$w/badcomp"
cat >"$w/badcomp/CMakeLists.txt" <<'CML'
cmake_minimum_required(VERSION 3.25)
project(badcomp LANGUAGES CXX)
find_package(kml REQUIRED COMPONENTS nosuch)
CML
if "$CMAKE_COMMAND" -S "$w/badcomp" -B "$w/badcomp/build" -G Ninja -DCMAKE_MAKE_PROGRAM="$NINJA" \
     -DCMAKE_PREFIX_PATH="$KML_PREFIX" >"$w/badcomp.log" 2>&1; then
  fail "an unknown component was accepted"
fi
contains "$w/badcomp.log" "kml has no component 'nosuch'"

step "the installed presets, inherited by a user's CMakePresets.json"
presets="$KML_PREFIX/share/kml/kmlPresets.json"
[[ -f "$presets" ]] || fail "$presets is not installed"
src="$w/user"
mkdir -p "$src"
cp "$KML_SOURCE_DIR/examples/jet_tagger/"* "$src/"
cat >"$src/CMakePresets.json" <<JSON
{
  "version": 6,
  "include": ["$presets"],
  "configurePresets": [
    { "name": "fpga", "generator": "Ninja", "binaryDir": "\${sourceDir}/build/fpga",
      "inherits": ["kml-tool-vivado-hls", "kml-part-z7020", "kml-clock-100mhz", "kml-vendor-jobs-4"],
      "cacheVariables": { "CMAKE_PREFIX_PATH": "$KML_PREFIX", "CMAKE_MAKE_PROGRAM": "$NINJA",
                          "CMAKE_CXX_COMPILER": "$CXX" } }
  ]
}
JSON
(cd "$src" && "$CMAKE_COMMAND" --preset fpga >"$w/preset.log" 2>&1) || { cat "$w/preset.log"; fail "cmake --preset fpga failed"; }
cache="$src/build/fpga/CMakeCache.txt"
contains "$cache" "KML_HLS_TOOL:STRING=vivado_hls"
contains "$cache" "KML_PART:STRING=xc7z020clg400-1"
contains "$cache" "KML_CLOCK_PERIOD:STRING=10"
contains "$cache" "KML_VENDOR_JOBS:STRING=4"

step "LICENSE"
[[ -f "$KML_PREFIX/share/doc/kml/LICENSE" ]] || fail "the LICENSE is not installed"
grep -q "Apache License" "$KML_PREFIX/share/doc/kml/LICENSE" || fail "the installed LICENSE is not Apache-2.0"
step "ok"
