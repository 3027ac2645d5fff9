#!/usr/bin/env bash
# Install kml's build dependencies from Debian's packages (skips what is already installed).
set -euo pipefail
pkgs=(cmake ninja-build g++ pkg-config libhdf5-dev nlohmann-json3-dev libtomlplusplus-dev catch2 libzip-dev
      libcli11-dev libpugixml-dev hdf5-tools)
# Synthesis anywhere (#14): a one-node Slurm cluster in the tests, headless Chromium and libpng for the scan
# page's screenshot check, tclsh for the stand-in vendor tools.
pkgs+=(slurmctld slurmd slurm-client munge chromium libpng-dev tcl)
# kml-convert config --from-hls4ml (#17): yaml-cpp.
pkgs+=(libyaml-cpp-dev)
# kml's generated test models (tests/models/make_models.py, #17): numpy and h5py.
pkgs+=(python3-numpy python3-h5py)
# The models' Python modules (kml_add_fpga_model(... PYTHON), #16) and their tests: pybind11 and Python's headers.
pkgs+=(pybind11-dev python3-dev)
# The sanitizer build and the fuzz targets (#19, the `asan` preset): clang with its ASan/UBSan/libFuzzer runtimes.
pkgs+=(clang libclang-rt-14-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "kml: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
