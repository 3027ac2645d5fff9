#!/usr/bin/env bash
# One fuzz CTest: run_fuzz.sh FUZZER WORKDIR SECONDS MAX_LEN DICT REGRESSIONS [SEED_FILE_OR_DIR...]
# Runs the libFuzzer target FUZZER for SECONDS over the regression inputs (tests/fuzz/regressions/<target>:
# every crash ever found, each must now pass) and the seeds, with a dictionary. Passes when libFuzzer finds
# nothing; on a finding prints the report and the artifact's path (copy it into the regressions folder once
# fixed). Exits 77 (CTest SKIP_RETURN_CODE) when none of the seeds exist (../shared absent).
set -uo pipefail
fuzzer=$1 work=$2 seconds=$3 max_len=$4 dict=$5 regressions=$6
shift 6
rm -rf "$work"
mkdir -p "$work/corpus" "$work/seeds" "$work/findings"
n=0
for s in "$@"; do
  if [[ -d $s ]]; then
    for f in "$s"/*; do [[ -f $f ]] && cp "$f" "$work/seeds/" && n=$((n + 1)); done
  elif [[ -f $s ]]; then
    cp "$s" "$work/seeds/" && n=$((n + 1))
  fi
done
if ((n == 0)); then
  echo "kml fuzz: no seed inputs found (${*:-none given}); skipped"
  exit 77
fi
# regressions/<target> exists once a finding has been committed there (git keeps no empty folders).
corpora=("$work/corpus")
nreg=0
if [[ -d $regressions ]]; then
  corpora+=("$regressions")
  nreg=$(find "$regressions" -type f | wc -l)
fi
corpora+=("$work/seeds")
echo "kml fuzz: $(basename "$fuzzer") for ${seconds} s, $n seeds, $nreg regression inputs"
# -timeout: an input taking 10 s is a hang; -malloc_limit_mb: one allocation past 2 GiB is a finding (a small
# file must not size a huge buffer); -rss_limit_mb bounds the whole process.
"$fuzzer" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=3072 -malloc_limit_mb=2048 \
  -max_len="$max_len" -dict="$dict" -artifact_prefix="$work/findings/" \
  "${corpora[@]}" >"$work/fuzz.log" 2>&1
rc=$?
if ((rc == 0)) && compgen -G "$work/findings/*" >/dev/null; then
  # libFuzzer in the parent ended normally, so these were written by a forked child: the contained HDF5 reader
  # (io/hdf5.cpp) inherits libFuzzer's malloc-limit hook, which records an allocation over the limit made in the child
  # (libhdf5 reading the corrupt file) before the child dies. The parent reported the file as corrupt, as it should: not a finding.
  echo "kml fuzz: note: contained in the HDF5 reader's child (the conversion failed cleanly): $(ls "$work/findings" | tr '\n' ' ')"
fi
if ((rc != 0)); then
  # The report: libFuzzer's and the sanitizers' lines, without the per-input chatter of the converter.
  grep -E -v '^(#[0-9]+|INFO:|warning:)' "$work/fuzz.log" | tail -n 60
  echo "kml fuzz: FINDING (rc $rc): $(ls "$work/findings" | tr '\n' ' ')in $work/findings"
  exit 1
fi
grep -E '^(stat::|Done|#[0-9]+ *DONE)' "$work/fuzz.log"
echo "kml fuzz: no findings"
