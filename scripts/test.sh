#!/usr/bin/env bash
# The whole test suite, from a fresh checkout: install the dependencies, then configure, build and run every
# test through the `ci` workflow preset (build tree build/ci).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/install-deps.sh"
cd "$root"
cmake --workflow --preset ci
