#!/usr/bin/env bash
# The Python module through the installed kml package (issue 16): a consumer without PYTHON configures quietly even
# where pybind11 cannot be found; with PYTHON a missing pybind11 is one message naming the Debian package; with it,
# <t>_python builds, cmake --install puts the module into lib/python3.X/site-packages and python3 imports it there.
source "$(dirname "$0")/lib.sh"
: "${KML_PREFIX:?}"
w="$KML_TEST_WORK"
fresh_dir "$w"
src="$w/src"
mkdir -p "$src"
cp "$KML_SOURCE_DIR/examples/jet_tagger/dense_jet.keras" "$src/"
printf '[model]\n' >"$src/jet.toml"
cat >"$src/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.25)
project(pyconsumer LANGUAGES CXX)
find_package(kml REQUIRED)
option(WITH_PY "" OFF)
set(py "")
if(WITH_PY)
  set(py PYTHON)
endif()
kml_add_fpga_model(jet dense_jet.keras jet.toml ${py})
CM
python=/usr/bin/python3
[[ -x $python ]] || python=$(command -v python3)

step "without PYTHON: no Python, no pybind11 looked for"
configure "$src" "$w/b0" -DCMAKE_PREFIX_PATH="$KML_PREFIX" -DCMAKE_DISABLE_FIND_PACKAGE_pybind11=ON
lacks "$w/b0/CMakeCache.txt" "pybind11_DIR"
lacks "$w/b0/CMakeCache.txt" "Python3_EXECUTABLE"
lacks "$w/b0.configure.log" "CMake Warning (dev)"

step "PYTHON without pybind11: one message naming pybind11-dev"
if "$CMAKE_COMMAND" -S "$src" -B "$w/b1" -G Ninja -DCMAKE_MAKE_PROGRAM="$NINJA" -DCMAKE_CXX_COMPILER="$CXX" \
     -DCMAKE_PREFIX_PATH="$KML_PREFIX" -DWITH_PY=ON -DPython3_EXECUTABLE="$python" \
     -DCMAKE_DISABLE_FIND_PACKAGE_pybind11=ON >"$w/b1.log" 2>&1; then
  fail "configuring with PYTHON and no pybind11 succeeded"
fi
# CMake wraps the message: its words one line at a time
contains "$w/b1.log" "kml_add_fpga_model(jet): PYTHON (or KML_PYTHON) builds a Python module and"
contains "$w/b1.log" "needs pybind11 (Debian package pybind11-dev), which was not found"
[[ $(count "$w/b1.log" "CMake Error") == 1 ]] || { cat "$w/b1.log"; fail "more than one error"; }

step "PYTHON: build, install, import from the prefix"
configure "$src" "$w/b2" -DCMAKE_PREFIX_PATH="$KML_PREFIX" -DWITH_PY=ON -DPython3_EXECUTABLE="$python" \
  -DCMAKE_BUILD_TYPE=Release
build "$w/b2" --target jet_python
"$CMAKE_COMMAND" --install "$w/b2" --prefix "$w/inst" >"$w/install.log" 2>&1 || { cat "$w/install.log"; fail "install failed"; }
site=$("$python" -c 'import sys; print("lib/python%d.%d/site-packages" % sys.version_info[:2])')
PYTHONPATH="$w/inst/$site" "$python" -c '
import numpy as np, jet
assert jet.input_shapes == [(None, 16)] and jet.output_shapes == [(None, 5)], (jet.input_shapes, jet.output_shapes)
y = jet.predict(np.zeros((3, 16), np.float32))
assert y.shape == (3, 5) and y.dtype == np.float32
print("import jet from the prefix:", jet.__file__, jet.output_types)
' || fail "python3 could not use the installed module"
echo "python consumer: ok"
