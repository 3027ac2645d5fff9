#!/usr/bin/env bash
# Two models sharing one TOML, and an application using both API headers (installed kml, find_package): a
# comment in the TOML or a touch reconverts both models but compiles nothing; a real change recompiles only the
# firmware it changes, never the application (the API headers are rewritten only when their content changes).
source "$(dirname "$0")/lib.sh"
: "${KML_PREFIX:?}"
w="$KML_TEST_WORK"
fresh_dir "$w"
src="$w/src"
mkdir -p "$src"
example="$KML_SOURCE_DIR/examples/jet_tagger"
cp "$example/dense_jet.keras" "$src/"
cat >"$src/shared.toml" <<'TOML'
[model]
reuse_factor = 1
TOML
cat >"$src/main.cpp" <<'CPP'
#include "jet_a.h"
#include "jet_b.h"
int main() { return 0; }
CPP
cat >"$src/CMakeLists.txt" <<'CML'
cmake_minimum_required(VERSION 3.25)
project(incremental LANGUAGES CXX)
find_package(kml REQUIRED)
kml_add_fpga_model(jet_a dense_jet.keras shared.toml)
kml_add_fpga_model(jet_b dense_jet.keras shared.toml)
add_executable(app main.cpp)
target_link_libraries(app PRIVATE jet_a jet_b)
CML
b="$w/build"
configure "$src" "$b" -DCMAKE_PREFIX_PATH="$KML_PREFIX"
build "$b"
expect_noop "$b"

compiles() { grep -cE "Building CXX|Linking CXX" "$BUILD_LOG" || true; }

step "a comment in the shared TOML: both models reconverted, nothing compiled"
sleep 1
echo "# a comment" >>"$src/shared.toml"
build "$b"
[[ $(grep -c "kml: generating the HLS project" "$BUILD_LOG") -eq 2 ]] || fail "expected both models to be reconverted"
[[ $(compiles) -eq 0 ]] || fail "a comment in the TOML recompiled or relinked something"
expect_noop "$b"

step "touch: the same"
sleep 1
touch "$src/shared.toml"
build "$b"
[[ $(compiles) -eq 0 ]] || fail "touching the TOML recompiled or relinked something"
expect_noop "$b"

step "a real change: the firmware recompiles, the application's main.cpp does not"
sleep 1
sed -i 's/reuse_factor = 1/reuse_factor = 2/' "$src/shared.toml"
build "$b"
grep -q "jet_a.dir/jet_a/project/firmware/model.cpp" "$BUILD_LOG" || fail "jet_a's firmware was not recompiled"
if grep -q "main.cpp.o" "$BUILD_LOG"; then fail "the application's main.cpp was recompiled"; fi
expect_noop "$b"
step "ok"
