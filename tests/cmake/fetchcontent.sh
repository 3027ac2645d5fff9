#!/usr/bin/env bash
# kml pulled into a C++-only consumer with FetchContent (add_subdirectory underneath): kml-convert is
# built as part of the consumer, the model's C simulation runs, the application links, and a second
# build does nothing.
source "$(dirname "$0")/lib.sh"
# Usage: fetchcontent.sh configure|build
#   configure  configure only, and check (dry run) that building jet_csim would build kml-convert and
#              generate the model: fast, part of the ci preset
#   build      also build and run it (compiles all of kml-convert inside the consumer: label "slow")
mode=${1:-build}
w="$KML_TEST_WORK"
fresh_dir "$w"
b="$w/build"
configure "$KML_TEST_DIR/projects/fetchcontent" "$b" -DKML_SOURCE_DIR="$KML_SOURCE_DIR" -DCMAKE_BUILD_TYPE=Release
contains "$b.configure.log" "kml: no HLS tool found"
"$NINJA" -C "$b" -n jet_csim app >"$w/plan.txt"
contains "$w/plan.txt" "Linking CXX executable _deps/kml-build/tool/kml-convert"
contains "$w/plan.txt" "kml: generating the HLS project of jet from dense_jet.keras"
contains "$w/plan.txt" "kml: C simulation of jet"
[[ $mode == build ]] || { step "ok (configure only)"; exit 0; }

step "build the model's C simulation and the application (builds kml-convert first)"
build "$b" --target jet_csim app
contains "$BUILD_LOG" "max abs error"
[[ -f "$b/jet/csim_results.h5" ]] || fail "no csim_results.h5"
"$b/app"
expect_noop "$b" jet_csim app
step "ok"
