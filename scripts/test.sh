#!/usr/bin/env bash
# The whole test suite, from a fresh checkout: install the dependencies, then configure, build and run every
# test through the `ci` workflow preset (build tree build/ci).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/install-deps.sh"
cd "$root"
cmake --workflow --preset ci
# The unit, robustness and fuzz tests again, built with clang and AddressSanitizer + UndefinedBehaviorSanitizer
# (build/asan; 30 s per fuzz target, tests/fuzz/README.md).
cmake --workflow --preset asan
