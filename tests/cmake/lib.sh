# Shared helpers of kml's CMake-layer tests (sourced by the test scripts; bash).
# Environment set by tests/cmake/CMakeLists.txt: KML_TEST_WORK (this test's scratch directory),
# KML_PREFIX (the installed and relocated kml), KML_SOURCE_DIR, KML_TEST_DIR (tests/cmake),
# CMAKE_COMMAND, CTEST_COMMAND, NINJA, CXX.
set -euo pipefail

: "${KML_TEST_WORK:?}" "${KML_SOURCE_DIR:?}" "${KML_TEST_DIR:?}" "${CMAKE_COMMAND:?}" "${CTEST_COMMAND:?}"
: "${NINJA:?}" "${CXX:?}"
export CXX

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
step() { echo "== $*"; }

# A PATH without any vendor tool: the directories of the build tools and the system's.
hermetic_path() {
  local p="/usr/bin:/bin"
  local d
  for d in "$(dirname "$CMAKE_COMMAND")" "$(dirname "$NINJA")" "$(dirname "$(command -v "$CXX")")"; do
    p="$d:$p"
  done
  echo "$p"
}
unset XILINX_HLS XILINX_VITIS XILINX_VIVADO
PATH=$(hermetic_path)
export PATH

# fresh_dir <dir>: empty directory
fresh_dir() {
  rm -rf "$1"
  mkdir -p "$1"
}

# configure <source> <build> [cmake args...]   (Ninja, output in <build>.configure.log)
configure() {
  local src=$1 bld=$2
  shift 2
  "$CMAKE_COMMAND" -S "$src" -B "$bld" -G Ninja -DCMAKE_MAKE_PROGRAM="$NINJA" -DCMAKE_CXX_COMPILER="$CXX" "$@" \
    >"$bld.configure.log" 2>&1 || { cat "$bld.configure.log"; fail "configuring $src failed"; }
}

# build <build> [cmake --build args...]   (output in $BUILD_LOG, also echoed)
BUILD_LOG=""
build() {
  local bld=$1
  shift
  BUILD_LOG="$bld.build.$(date +%s%N).log"
  if ! "$CMAKE_COMMAND" --build "$bld" "$@" >"$BUILD_LOG" 2>&1; then
    cat "$BUILD_LOG"
    fail "cmake --build $bld $* failed"
  fi
  cat "$BUILD_LOG"
}

# build_fails <build> [args...]: the build must fail; its output is in $BUILD_LOG
build_fails() {
  local bld=$1
  shift
  BUILD_LOG="$bld.build.$(date +%s%N).log"
  if "$CMAKE_COMMAND" --build "$bld" "$@" >"$BUILD_LOG" 2>&1; then
    cat "$BUILD_LOG"
    fail "cmake --build $bld $* succeeded but should have failed"
  fi
  cat "$BUILD_LOG"
}

# expect_noop <build> [targets...]: `ninja -n -d explain` must find nothing to do
expect_noop() {
  local bld=$1
  shift
  local out
  out=$("$NINJA" -C "$bld" -n -d explain "$@" 2>&1)
  if grep -q 'explain:' <<<"$out" || ! grep -q 'no work to do' <<<"$out"; then
    echo "$out"
    fail "a no-op build of $bld ${*:-(all)} is not empty"
  fi
}

# show <file>: the file, or its end when it is long
show() {
  if [[ $(wc -l <"$1") -le 120 ]]; then
    echo "--- $1:"
    cat "$1"
  else
    echo "--- $1 (last 60 lines):"
    tail -n 60 "$1"
  fi
}
# contains <file> <fixed string> [what]
contains() {
  grep -qF -- "$2" "$1" || { show "$1"; fail "${3:-$1} does not contain '$2'"; }
}
lacks() {
  if grep -qF -- "$2" "$1"; then
    grep -nF -- "$2" "$1" | head -n 5
    fail "${3:-$1} contains '$2'"
  fi
}
# count <file> <fixed string>: number of lines containing it
count() { grep -cF -- "$2" "$1" || true; }

json_expect() { "$CMAKE_COMMAND" -P "$KML_TEST_DIR/json_expect.cmake" "$@"; }

# The kml runtime headers in the installed prefix stand in for the vendor's ap_fixed.h in the stubs.
vendor_include() {
  local h
  h=$(find "$1" -name ap_fixed.h -print -quit)
  [[ -n "$h" ]] || fail "no ap_fixed.h under $1"
  dirname "$h"
}

# install_stubs <root> <layout>: a fake AMD/Xilinx installation made of the stand-in tool.
#   classic      <root>/Xilinx/Vitis_HLS/2023.1/bin/vitis_hls + <root>/Xilinx/Vivado/2023.1/bin/vivado
#   classic-novivado   the same without Vivado
#   unified      <root>/Xilinx/Vitis/2024.2/bin/{v++,vitis-run} + <root>/Xilinx/Vivado/2024.2/bin/vivado
#   unified-novivado   the same without Vivado
#   vivado_hls   <root>/Xilinx/Vivado/2019.2/bin/{vivado_hls,vivado}
install_stubs() {
  local root=$1 layout=$2 stub="$KML_TEST_DIR/stubs/xilinx-stub"
  local hls viv
  case $layout in
    classic*) hls="$root/Xilinx/Vitis_HLS/2023.1/bin"; viv="$root/Xilinx/Vivado/2023.1/bin"
      mkdir -p "$hls"; ln -sf "$stub" "$hls/vitis_hls" ;;
    unified*) hls="$root/Xilinx/Vitis/2024.2/bin"; viv="$root/Xilinx/Vivado/2024.2/bin"
      mkdir -p "$hls"; ln -sf "$stub" "$hls/v++"; ln -sf "$stub" "$hls/vitis-run" ;;
    vivado_hls) hls="$root/Xilinx/Vivado/2019.2/bin"; viv="$hls"
      mkdir -p "$hls"; ln -sf "$stub" "$hls/vivado_hls" ;;
    *) fail "unknown stub layout $layout" ;;
  esac
  if [[ "$layout" != *-novivado ]]; then
    mkdir -p "$viv"
    ln -sf "$stub" "$viv/vivado"
  fi
  STUB_BIN=$hls
}

# use_stubs <root> <layout>: the stand-in tools of install_stubs on PATH, their log ($KML_STUB_LOG, empty)
# and data set up.
use_stubs() {
  install_stubs "$1" "$2"
  PATH="$STUB_BIN:$PATH"
  export KML_STUB_LOG="$KML_TEST_WORK/stub.log" KML_STUB_DATA="$KML_TEST_DIR/data"
  KML_STUB_VENDOR_INCLUDE=$(vendor_include "$KML_PREFIX")
  export KML_STUB_VENDOR_INCLUDE
  : >"$KML_STUB_LOG"
}

# scan_project <dir>: the scan consumer (projects/scan) with the jet tagger's model, config and test data.
scan_project() {
  cp -r "$KML_TEST_DIR/projects/scan" "$1"
  mkdir -p "$1/models"
  local f
  for f in dense_jet.keras dense_jet.io.h5 jet.toml; do cp "$KML_SOURCE_DIR/examples/jet_tagger/$f" "$1/models/"; done
}
