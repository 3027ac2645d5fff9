#!/usr/bin/env bash
# Installs kml's build tree into a prefix, then moves the prefix elsewhere: every other test of the
# CMake layer uses the moved copy, so they all prove that the package is relocatable.
# Usage: install_prefix.sh <kml build dir>    (KML_PREFIX = where the relocated prefix ends up)
source "$(dirname "$0")/lib.sh"
: "${KML_PREFIX:?}"
kml_build=$1

staging="$KML_TEST_WORK/staging-prefix"
fresh_dir "$KML_TEST_WORK"
rm -rf "$KML_PREFIX"
step "install $kml_build -> $staging"
"$CMAKE_COMMAND" --install "$kml_build" --prefix "$staging" >"$KML_TEST_WORK/install.log" 2>&1 ||
  { cat "$KML_TEST_WORK/install.log"; fail "cmake --install failed"; }
mkdir -p "$(dirname "$KML_PREFIX")"
mv "$staging" "$KML_PREFIX"
step "moved to $KML_PREFIX"

config=$(find "$KML_PREFIX" -name kmlConfig.cmake -print -quit)
[[ -n "$config" ]] || fail "no kmlConfig.cmake in the prefix"
for f in kmlConfigVersion.cmake kmlTargets.cmake kml.cmake KmlVendorTools.cmake KmlLaunchers.cmake KmlHlsProject.cmake \
         KmlScan.cmake KmlPython.cmake scripts/KmlVendorStep.cmake scripts/KmlPythonMeta.cmake python/kml_module.cpp; do
  [[ -f "$(dirname "$config")/$f" ]] || fail "$f is not installed next to kmlConfig.cmake"
done
for exe in kml-convert kml-report kml-batch-wait; do
  [[ -x "$KML_PREFIX/bin/$exe" ]] || fail "bin/$exe is not installed"
done
[[ -n "$(find "$KML_PREFIX" -path '*templates/kml/*.h' -print -quit)" ]] || fail "the HLS templates are not installed"
[[ -n "$(find "$KML_PREFIX" -path '*templates/scripts/synth.tcl.in' -print -quit)" ]] || fail "the vendor script templates are not installed"
vendor_include "$KML_PREFIX" >/dev/null
# Nothing in the package may remember where it was installed first.
if grep -rlF "$staging" "$KML_PREFIX" --include='*.cmake'; then
  fail "installed CMake files contain the original install prefix $staging"
fi
"$KML_PREFIX/bin/kml-report" --version
"$KML_PREFIX/bin/kml-convert" --version
step "ok"
