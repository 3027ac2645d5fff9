#!/usr/bin/env bash
# kml-batch-wait, the blocking batch wrapper: submits, prints the job's output, exits with the job's code,
# and cancels the job on INT/TERM/HUP.
#   batch_wait.sh sbatch   through a real one-node Slurm cluster (slurm.sh)
#   batch_wait.sh condor   through the HTCondor stand-in (stubs/condor-stub: condor_submit, condor_wait, condor_rm)
source "$(dirname "$0")/lib.sh"
kind=$1
w="$KML_TEST_WORK"
fresh_dir "$w"
bw="$KML_SOURCE_DIR/tool/batch/kml-batch-wait"
cd "$w"

if [[ $kind == sbatch ]]; then
  source "$KML_TEST_DIR/slurm.sh"
  slurm_start "$w/cluster"
  submit=(sbatch --job-name=kml_bw)
  queue_empty() { [[ -z "$(slurm_jobs)" ]]; }
  queue_show() { slurm_jobs; }
else
  mkdir -p "$w/condor/bin"
  for t in condor_submit condor_wait condor_rm; do ln -s "$KML_TEST_DIR/stubs/condor-stub" "$w/condor/bin/$t"; done
  export KML_CONDOR_STUB_DIR="$w/condor/state"
  submit=("$w/condor/bin/condor_submit" -a "request_cpus = 2" -a "request_memory = 1GB")
  queue_empty() { ! compgen -G "$KML_CONDOR_STUB_DIR/*.pid" >/dev/null; }
  queue_show() { ls "$KML_CONDOR_STUB_DIR"; }
fi

step "the job's output, its arguments intact, and its exit code"
set +e
"$bw" "${submit[@]}" -- sh -c 'printf "[%s]\n" "$@"; echo "to stderr" >&2; exit 3' job 'a b' "c'd" 'e"f' '' >"$w/out.txt" 2>"$w/err.txt"
rc=$?
set -e
cat "$w/out.txt" "$w/err.txt"
[[ $rc -eq 3 ]] || fail "kml-batch-wait exited with $rc, the job with 3"
[[ "$(grep '^\[' "$w/out.txt")" == "$(printf '[a b]\n[c'"'"'d]\n[e"f]\n[]')" ]] || fail "the arguments did not reach the job intact"
grep -q "to stderr" "$w/out.txt" "$w/err.txt" || fail "the job's error output was not printed"
contains "$w/err.txt" "kml-batch-wait: submitted"
"$bw" "${submit[@]}" -- true >/dev/null 2>&1 || fail "a job that succeeds must give exit code 0"
[[ -z "$(find "$w" -maxdepth 1 -name '.kml-batch.*')" ]] || fail "kml-batch-wait left its job directory behind"
if [[ $kind == condor ]]; then
  sub=$(ls "$KML_CONDOR_STUB_DIR"/submit.* | head -n 1)
  contains "$sub" "request_cpus = 2"
  contains "$sub" "getenv = true"
  contains "$sub" "initialdir = $w"
  contains "$sub" "should_transfer_files = NO"
  grep -q '^condor_wait	-wait 1 ' "$KML_CONDOR_STUB_DIR/calls.log" || fail "condor_wait was not polled once a second"
fi

# cancel_on <signal>: the wrapper is interrupted while its job runs; it must stop within seconds and
# leave no job behind.
cancel_on() {
  local sig=$1
  : >"$w/cancel.out"
  set -m
  "$bw" "${submit[@]}" -- sh -c 'echo started; sleep 120' >"$w/cancel.out" 2>&1 &
  local pid=$!
  set +m
  local i
  for i in $(seq 300); do
    grep -q "^started" "$w/cancel.out" && break
    sleep 0.1
  done
  grep -q "^started" "$w/cancel.out" || { cat "$w/cancel.out"; queue_show; fail "the job did not start"; }
  local t0
  t0=$(date +%s)
  kill -"$sig" "$pid"
  set +e
  wait "$pid"
  local rc=$?
  set -e
  local took=$(($(date +%s) - t0))
  cat "$w/cancel.out"
  ((took <= 5)) || fail "SIG$sig: kml-batch-wait took $took s to stop"
  ((rc != 0)) || fail "SIG$sig: kml-batch-wait exited 0"
  contains "$w/cancel.out" "cancelling job"
  for i in $(seq 100); do
    queue_empty && break
    sleep 0.1
  done
  queue_empty || { queue_show; fail "SIG$sig left the job in the queue"; }
  echo "   SIG$sig: stopped in $took s (exit $rc), queue empty"
}
step "INT, TERM and HUP cancel the job"
cancel_on INT
cancel_on TERM
cancel_on HUP
if [[ $kind == condor ]]; then
  [[ $(grep -c '^condor_rm	' "$KML_CONDOR_STUB_DIR/calls.log") -eq 3 ]] || fail "expected three condor_rm calls"
fi
step "ok"
