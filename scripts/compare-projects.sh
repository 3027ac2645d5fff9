#!/usr/bin/env bash
# Developer check for refactorings of kml-convert: two binaries convert the same models with the same
# configurations, and every generated project (and every exit code and message) must be byte-identical.
#
#   scripts/compare-projects.sh [options] OLD_KML_CONVERT NEW_KML_CONVERT
#
# Models: every model of the shared corpus (keras3 .keras/.h5, hgq2 .keras, keras2 full .h5 and JSON + weights
# pairs) and of tests/data, and the custom-layer example with its plugin (when plugins are given). Configurations:
# the ones kml's tests convert with (tests/e2e/CMakeLists.txt, tests/cmake, examples), each applied to every model
# (a layer-named section that matches nothing is an error, which is compared too).
#
# Options:
#   -w DIR             work directory (default: /tmp/kml-compare-$USER); DIR/old and DIR/new hold the projects
#   -j N               conversions run in parallel (default 2)
#   --corpus DIR       the shared corpus (default: <repo>/../shared/corpus)
#   --old-plugin SO    the example plugin (examples/custom_layer) built against the old binary's headers
#   --new-plugin SO    ... and against the new one's
#   --reuse-old        keep DIR/old when it was made by the same OLD binary and plugin (a stamp records their hashes)
#   --keep             keep DIR/new after a successful comparison
# Exit status 0 when every conversion compares equal; the differing ones are listed (diff -r OLD NEW shows them).
set -euo pipefail

if [[ "${1:-}" == "--job" ]]; then
  # One conversion: --job SIDE_DIR ID BIN PLUGIN MODEL WEIGHTS CONFIG EXTRA_ARGS
  shift
  side=$1 id=$2 bin=$3 plugin=$4 model=$5 weights=$6 config=$7 extra=$8
  out="$side/$id"
  rm -rf "$out"
  mkdir -p "$out"
  args=(convert "$model" -o "$out/prj")
  [[ "$weights" != "-" ]] && args+=(--weights "$weights")
  [[ "$config" != "-" ]] && args+=(-c "$config")
  [[ "$plugin" != "-" ]] && args+=(--plugin "$plugin")
  [[ "$extra" != "-" ]] && args+=($extra)
  rc=0
  "$bin" "${args[@]}" >"$out/stdout" 2>"$out/stderr" || rc=$?
  echo "$rc" >"$out/rc"
  # The two sides write to different directories: messages name the output directory as <out>.
  sed -i "s|$out|<out>|g" "$out/stdout" "$out/stderr"
  exit 0
fi

repo=$(cd "$(dirname "$0")/.." && pwd)
work=/tmp/kml-compare-${USER:-$(id -u)}
jobs=2
corpus="$repo/../shared/corpus"
old_plugin=- new_plugin=-
reuse=0 keep=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    -w) work=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    --corpus) corpus=$2; shift 2 ;;
    --old-plugin) old_plugin=$(realpath "$2"); shift 2 ;;
    --new-plugin) new_plugin=$(realpath "$2"); shift 2 ;;
    --reuse-old) reuse=1; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    -*) echo "compare-projects: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[[ $# -eq 2 ]] || { echo "usage: $0 [options] OLD_KML_CONVERT NEW_KML_CONVERT" >&2; exit 2; }
old_bin=$(realpath "$1") new_bin=$(realpath "$2")
for b in "$old_bin" "$new_bin"; do [[ -x "$b" ]] || { echo "compare-projects: $b is not executable" >&2; exit 2; }; done
mkdir -p "$work/configs"
work=$(realpath "$work")

# ---- configurations (tests/e2e/CMakeLists.txt, tests/cmake, examples): name, TOML text
cfgs=()
add_cfg() {  # add_cfg NAME TEXT
  printf '%b\n' "$2" >"$work/configs/$1.toml"
  cfgs+=("$1")
}
T='[model]\ntrace = true'
S='io_type = "io_stream"'
add_cfg float '[model]\nprecision = "float"'
add_cfg auto_all '[model]\nprecision = "auto"'
add_cfg traced "$T"
add_cfg traced_stream "$T\n$S"
add_cfg resource2 "$T\nstrategy = \"resource\"\nreuse_factor = 2"
add_cfg resource_layers "$T\n$S\nstrategy = \"resource\"\nreuse_factor = 4\n[layer.dense_1]\nreuse_factor = 64\n[layer.dense_3]\nreuse_factor = 160"
add_cfg resource_dense16 "$T\n[layer_type.Dense]\nstrategy = \"resource\"\nreuse_factor = 16"
add_cfg resource10 "$T\nstrategy = \"resource\"\nreuse_factor = 10"
add_cfg resource50_stream "$T\n$S\nstrategy = \"resource\"\nreuse_factor = 50"
add_cfg resource3_stream "$T\n$S\nstrategy = \"resource\"\nreuse_factor = 3"
add_cfg resource32 "$T\nstrategy = \"resource\"\nreuse_factor = 32"
add_cfg conv1d_a "$T\n[layer_type.Conv1D]\nstrategy = \"resource\"\nreuse_factor = 3\n[layer.conv1d_1]\nreuse_factor = 48"
add_cfg conv1d_b "$T\n$S\n[layer_type.Conv1D]\nstrategy = \"resource\"\nreuse_factor = 3\n[layer.conv1d]\nreuse_factor = 18"
add_cfg conv2d_a "$T\n[layer_type.Conv2D]\nstrategy = \"resource\"\nreuse_factor = 9"
add_cfg conv2d_b "$T\n$S\n[layer.conv2d]\nstrategy = \"resource\"\nreuse_factor = 54\n[layer.conv2d_1]\nstrategy = \"resource\"\nreuse_factor = 144"
add_cfg conv2d_misc_a "$T\n[layer_type.DepthwiseConv2D]\nstrategy = \"resource\"\nreuse_factor = 3\n[layer_type.SeparableConv2D]\nstrategy = \"resource\"\nreuse_factor = 2\n[layer.separable_conv2d_depthwise]\nreuse_factor = 9"
add_cfg conv2d_misc_b "$T\n$S\n[layer_type.DepthwiseConv2D]\nstrategy = \"resource\"\nreuse_factor = 36\n[layer_type.SeparableConv2D]\nstrategy = \"resource\"\nreuse_factor = 16\n[layer.separable_conv2d_depthwise]\nreuse_factor = 18"
add_cfg hgq_conv2d_a "$T\n[layer.q_conv2d]\nstrategy = \"resource\"\nreuse_factor = 2"
add_cfg hgq_conv2d_b "$T\n$S\n[layer.q_conv2d]\nstrategy = \"resource\"\nreuse_factor = 36"
add_cfg resource_rf4 '[model]\nstrategy = "resource"\nreuse_factor = 4'
add_cfg wide '[model]\nprecision.accum = "ap_fixed<64,32>"\nprecision.result = "ap_fixed<64,32>"\n[layer_type.InputLayer]\nprecision = "ap_fixed<16,6>"'
add_cfg auto '[model]\nprecision.accum = "auto"\nprecision.result = "auto"'
add_cfg auto_stream "[model]\nprecision.accum = \"auto\"\nprecision.result = \"auto\"\n$S"
for impl in stable latency argmax; do
  add_cfg softmax_$impl "[layer.dense_3]\nimplementation = \"$impl\""
  add_cfg softmax_${impl}_stream "[model]\n$S\n[layer.dense_3]\nimplementation = \"$impl\""
done
add_cfg softmax_argmax_float '[model]\nprecision = "float"\n[layer.dense_3]\nimplementation = "argmax"'
cp "$repo/examples/jet_tagger/jet.toml" "$work/configs/jet.toml" && cfgs+=(jet)
cp "$repo/tests/cmake/projects/multi/b.toml" "$work/configs/multi_b.toml" && cfgs+=(multi_b)
cp "$repo/tests/cmake/projects/multi/sub/c.toml" "$work/configs/multi_c.toml" && cfgs+=(multi_c)
cp "$repo/examples/custom_layer/act_zoo_custom.toml" "$work/configs/custom.toml" && cfgs+=(custom)

# ---- models: key, model file, weights ("-" for none)
models=()
add_model() { models+=("$1|$2|$3"); }
shopt -s nullglob
for f in "$corpus"/keras3/*.keras "$corpus"/keras3/*.h5 "$corpus"/hgq2/*.keras "$repo"/tests/data/*.keras \
         "$repo"/tests/data/*.h5 "$corpus"/keras2/*.h5; do
  case "$f" in *.io.h5|*_weights.h5) continue ;; esac
  d=$(basename "$(dirname "$f")")
  add_model "$d.$(basename "$f")" "$f" -
done
for f in "$corpus"/keras2/*.json; do
  w="${f%.json}_weights.h5"
  [[ -f "$w" ]] && add_model "keras2.$(basename "$f")" "$f" "$w"
done

jobfile="$work/jobs.txt"
: >"$jobfile"
emit_jobs() {  # emit_jobs SIDE_DIR BIN PLUGIN
  local side=$1 bin=$2 plugin=$3 m key model weights c
  for m in "${models[@]}"; do
    IFS='|' read -r key model weights <<<"$m"
    printf '%s\n' "$side|$key.default|$bin|-|$model|$weights|-|-" >>"$jobfile"
    for c in "${cfgs[@]}"; do
      printf '%s\n' "$side|$key.$c|$bin|-|$model|$weights|$work/configs/$c.toml|-" >>"$jobfile"
    done
    printf '%s\n' "$side|$key.float_unfused|$bin|-|$model|$weights|$work/configs/float.toml|--no-fuse-batchnorm" >>"$jobfile"
  done
  if [[ "$plugin" != "-" ]]; then
    local cm="$repo/examples/custom_layer/act_zoo_custom.json" cw="$repo/tests/data/act_zoo.h5"
    for c in - float custom traced_stream auto; do
      local cf=- ; [[ "$c" != "-" ]] && cf="$work/configs/$c.toml"
      printf '%s\n' "$side|plugin.act_zoo_custom.${c/-/default}|$bin|$plugin|$cm|$cw|$cf|-" >>"$jobfile"
    done
  fi
}

stamp="$(sha256sum "$old_bin" | cut -d' ' -f1) $([[ "$old_plugin" != "-" ]] && sha256sum "$old_plugin" | cut -d' ' -f1)"
if [[ $reuse -eq 1 && -f "$work/old.stamp" && "$(cat "$work/old.stamp")" == "$stamp" ]]; then
  echo "compare-projects: reusing $work/old (same old binary)"
else
  rm -rf "$work/old" "$work/old.stamp"
  emit_jobs "$work/old" "$old_bin" "$old_plugin"
fi
rm -rf "$work/new"
emit_jobs "$work/new" "$new_bin" "$new_plugin"
mkdir -p "$work/old" "$work/new"

n_jobs=$(wc -l <"$jobfile")
echo "compare-projects: $n_jobs conversions (${#models[@]} models x $((${#cfgs[@]} + 2)) configurations$([[ "$new_plugin" != "-" ]] && echo ", plus the plugin example")) with $jobs jobs"
# The workers run a copy of this script: a checkout during the run does not pull it from under them.
cp "$0" "$work/job.sh"
tr '\n' '\0' <"$jobfile" | xargs -0 -P "$jobs" -I{} bash -c 'IFS="|" read -r a b c d e f g h <<<"$1"; exec bash "$0" --job "$a" "$b" "$c" "$d" "$e" "$f" "$g" "$h"' "$work/job.sh" {}
echo "$stamp" >"$work/old.stamp"

# ---- compare
total=0 differ=0 failed=0
: >"$work/differences.txt"
for d in "$work/new"/*/; do
  id=$(basename "$d")
  total=$((total + 1))
  [[ "$(cat "$d/rc")" != 0 ]] && failed=$((failed + 1))
  if ! diff -r -q "$work/old/$id" "$work/new/$id" >/dev/null 2>&1; then
    differ=$((differ + 1))
    echo "$id" >>"$work/differences.txt"
  fi
done
echo "compare-projects: $total conversions compared ($failed of them refused by the new binary, with the same message and exit code as the old one unless listed), $differ differ"
if [[ $differ -gt 0 ]]; then
  head -50 "$work/differences.txt"
  echo "compare-projects: list in $work/differences.txt; inspect with diff -r $work/old/ID $work/new/ID"
  exit 1
fi
[[ $keep -eq 1 ]] || rm -rf "$work/new"
exit 0
