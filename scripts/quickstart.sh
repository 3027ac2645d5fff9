#!/usr/bin/env bash
# The main job, from a fresh checkout: install the dependencies, build and install kml, then build the
# example consumer project examples/jet_tagger (find_package(kml) + kml_add_fpga_model), which converts its
# Keras model at build time, and run the model's bit-accurate C simulation against the reference outputs.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/build/quickstart"
bash "$root/scripts/install-deps.sh"

cmake -S "$root" -B "$build/kml" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DKML_BUILD_TESTS=OFF -DKML_BUILD_BENCH=OFF -DCMAKE_INSTALL_PREFIX="$build/prefix"
cmake --build "$build/kml"
cmake --install "$build/kml" >/dev/null

cmake -S "$root/examples/jet_tagger" -B "$build/jet_tagger" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$build/prefix"
cmake --build "$build/jet_tagger"
cmake --build "$build/jet_tagger" --target jet_csim
"$build/jet_tagger/jet_tagger"
echo "kml quickstart: generated HLS project in $build/jet_tagger/jet/project, csim results in $build/jet_tagger/jet/csim_results.h5"
