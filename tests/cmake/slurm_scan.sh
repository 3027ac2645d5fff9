#!/usr/bin/env bash
# Synthesis on a batch cluster: the six-point scan (tests/cmake/projects/scan) with the stand-in vendor
# tool, every synthesis a Slurm job on a real one-node cluster (slurm.sh) through KML_VENDOR_LAUNCHER:
#  - srun with the documented recipe (-L vivado: two licences, so jobs visibly wait in the queue), queue
#    and run time in the step's message and in report.json;
#  - a failing synthesis fails the build with kml's message and the tool's log tail;
#  - Ctrl-C (SIGINT to ninja's process group) stops the build within seconds and leaves no job queued,
#    with srun and with kml-batch-wait sbatch;
#  - srun without --quit-on-interrupt is warned about.
source "$(dirname "$0")/lib.sh"
: "${KML_PREFIX:?}"
w="$KML_TEST_WORK"
fresh_dir "$w"
source "$KML_TEST_DIR/slurm.sh"
slurm_start "$w/cluster"

src="$w/src"
b="$w/build"
scan_project "$src"
use_stubs "$w/tools" classic
export KML_STUB_FAST=1

# sample_queue <file>: records "<state> <name>" of every job in the queue every 0.2 s until killed.
sample_queue() {
  while :; do
    squeue -h -o '%T %j' 2>/dev/null >>"$1" || true
    sleep 0.2
  done
}
# force_synthesis: the next build synthesizes every point again.
force_synthesis() { rm -f "$b"/jet_scan/jet_scan_*/scripts/sources.sha256; }

step "configure with the Slurm recipe"
srun_launcher="srun;--ntasks=1;--cpus-per-task=1;--mem=256M;--quit-on-interrupt;-L;vivado;--job-name=@MODEL@_@STEP@"
configure "$src" "$b" -DCMAKE_PREFIX_PATH="$KML_PREFIX" -DKML_VENDOR_JOBS=6 "-DKML_VENDOR_LAUNCHER=$srun_launcher"
lacks "$b.configure.log" "without --quit-on-interrupt"
grep -q -- "--job-name=jet_scan_3_synth" "$b/build.ninja" || fail "@MODEL@_@STEP@ was not substituted"
grep -q -- "--job-name=jet_scan_3_synth.*kml-convert\|kml-convert.*--job-name" "$b/build.ninja" && fail "the launcher wraps kml-convert"

step "six syntheses as Slurm jobs, two at a time (licences), the others visibly queued"
export KML_STUB_SLEEP=2
sample_queue "$w/queue.txt" &
sampler=$!
t0=$(date +%s)
build "$b" -j 12 --target jet_scan_synth >/dev/null
kill "$sampler"
wait "$sampler" 2>/dev/null || true
echo "   six syntheses through Slurm in $(($(date +%s) - t0)) s"
[[ $(grep -c 'scripts/synth.tcl$' "$KML_STUB_LOG") -eq 6 ]] || { cat "$KML_STUB_LOG"; fail "expected six syntheses"; }
grep -q "^PENDING jet_scan_[0-5]_synth$" "$w/queue.txt" || { sort -u "$w/queue.txt"; fail "no job was seen waiting in the queue"; }
grep -q "^RUNNING jet_scan_[0-5]_synth$" "$w/queue.txt" || fail "no job was seen running"
echo "   queue states seen: $(sort -u "$w/queue.txt" | awk '{print $1}' | sort | uniq -c | xargs)"
contains "$BUILD_LOG" "kml: jet_scan_0_synth: vitis_hls via srun finished in"
grep -qE "kml: jet_scan_[0-5]_synth: vitis_hls via srun finished in [0-9]+ s \(queued [1-9][0-9]* s, ran [0-9]+ s\)" "$BUILD_LOG" ||
  fail "no synthesis reports a queue time"
build "$b" --target jet_scan_report >/dev/null
json_expect "$b/jet_scan/jet_scan_0/report.json" steps.synth.launcher=srun steps.synth.tool=vitis_hls steps.synth.exit_code=0 \
  steps.synth.queued_s? steps.synth.ran_s? csynth.top=jet_scan_0_top
queued=0
for i in 0 1 2 3 4 5; do
  q=$(grep -oE '"queued_s" *: *[0-9]+' "$b/jet_scan/jet_scan_$i/logs/synth.json" | grep -oE '[0-9]+$')
  r=$(grep -oE '"ran_s" *: *[0-9]+' "$b/jet_scan/jet_scan_$i/logs/synth.json" | grep -oE '[0-9]+$')
  [[ -n $q && -n $r ]] || { cat "$b/jet_scan/jet_scan_$i/logs/synth.json"; fail "no queue/run time in jet_scan_$i's synth.json"; }
  ((r >= 2)) || fail "jet_scan_$i ran $r s, but its synthesis sleeps 2 s"
  ((q > 0)) && queued=$((queued + 1))
done
((queued >= 2)) || fail "only $queued of six jobs report a queue time (two licences for six jobs)"
json_expect "$b/jet_scan/scan.json" points.5.results.resources.source=hls points.5.results.csim.samples=64
[[ -z "$(slurm_jobs)" ]] || { slurm_jobs; fail "jobs left in the queue"; }

step "a failing synthesis fails the build with kml's message and the tool's log tail"
rm -f "$b/jet_scan/jet_scan_2/scripts/sources.sha256"
KML_STUB_FAIL=synth build_fails "$b" --target jet_scan_2_synth
contains "$BUILD_LOG" "kml: jet_scan_2_synth: vitis_hls via srun failed (1)"
contains "$BUILD_LOG" "simulated failure of step synth"
contains "$BUILD_LOG" "log: $b/jet_scan/jet_scan_2/logs/synth.log"
[[ ! -e "$b/jet_scan/jet_scan_2/reports/csynth.xml" ]] || fail "a failed synthesis left csynth.xml"
json_expect "$b/jet_scan/jet_scan_2/logs/synth.json" exit_code=1 launcher=srun

# interrupt <what>: builds every point's synthesis (60 s each) with ninja in its own process group, sends
# SIGINT to that group once jobs run, and checks that the build stops within seconds with an empty queue.
interrupt() {
  force_synthesis
  : >"$w/int.log"
  setsid "$NINJA" -C "$b" -j 12 jet_scan_synth >"$w/int.log" 2>&1 &
  local ninja=$!
  local i
  for i in $(seq 600); do
    [[ $(slurm_jobs | grep -c ' RUNNING ') -ge 1 ]] && break
    sleep 0.1
  done
  slurm_jobs | grep -q ' RUNNING ' || { cat "$w/int.log"; slurm_jobs; fail "$1: no job started"; }
  sleep 1
  echo "   $1: queue before Ctrl-C: $(slurm_jobs | awk '{print $2}' | sort | uniq -c | xargs)"
  local t0
  t0=$(date +%s%N)
  kill -INT -- "-$ninja"
  set +e
  wait "$ninja"
  local rc=$?
  set -e
  local ms=$((($(date +%s%N) - t0) / 1000000))
  ((rc != 0)) || fail "$1: the interrupted build exited 0"
  ((ms <= 10000)) || { cat "$w/int.log"; fail "$1: the build took $ms ms to stop after Ctrl-C"; }
  for i in $(seq 100); do
    [[ -z "$(slurm_jobs)" ]] && break
    sleep 0.1
  done
  [[ -z "$(slurm_jobs)" ]] || { slurm_jobs; fail "$1: Ctrl-C left jobs in the queue"; }
  # ... and no stand-in synthesis still running anywhere.
  for i in $(seq 100); do
    pgrep -f "$b/jet_scan/jet_scan_[0-5]/scripts/synth.tcl" >/dev/null || break
    sleep 0.1
  done
  ! pgrep -af "$b/jet_scan/jet_scan_[0-5]/scripts/synth.tcl" || fail "$1: a synthesis survived Ctrl-C"
  echo "   $1: stopped $ms ms after Ctrl-C, queue empty"
  for i in 0 1 2 3 4 5; do
    [[ ! -e "$b/jet_scan/jet_scan_$i/reports/csynth.xml" ]] || fail "$1: an interrupted synthesis left csynth.xml"
  done
}

step "Ctrl-C stops the build and cancels the jobs (srun --quit-on-interrupt)"
export KML_STUB_SLEEP=60
interrupt srun

step "the same through kml-batch-wait sbatch"
bw_launcher="kml-batch-wait;sbatch;--ntasks=1;--mem=256M;-L;vivado;--job-name=@MODEL@_@STEP@;--"
configure "$src" "$b" "-DKML_VENDOR_LAUNCHER=$bw_launcher"
grep -q "$KML_PREFIX/bin/kml-batch-wait" "$b/build.ninja" || fail "kml-batch-wait was not resolved to kml's own copy"
export KML_STUB_SLEEP=1
build "$b" -j 12 --target jet_scan_0_synth jet_scan_1_synth >/dev/null
contains "$BUILD_LOG" "kml: jet_scan_0_synth: vitis_hls via kml-batch-wait sbatch finished in"
contains "$b/jet_scan/jet_scan_0/logs/synth.log" "kml-batch-wait: submitted Slurm job"
contains "$b/jet_scan/jet_scan_0/logs/synth.log" "Finished C synthesis (stand-in)"
export KML_STUB_SLEEP=60
interrupt "kml-batch-wait sbatch"

step "a launcher for one step only; srun without --quit-on-interrupt is warned about"
configure "$KML_SOURCE_DIR/examples/jet_tagger" "$w/build-warn" -DCMAKE_PREFIX_PATH="$KML_PREFIX" \
  "-DKML_VENDOR_LAUNCHER_SYNTH=srun;--ntasks=1"
contains "$w/build-warn.configure.log" "KML_VENDOR_LAUNCHER_SYNTH runs srun without --quit-on-interrupt"
[[ $(count "$w/build-warn.configure.log" "without --quit-on-interrupt") -eq 1 ]] || fail "warned more than once"
grep -q -- "-DKML_STEP=synth .*-DKML_LAUNCHER=srun;--ntasks=1" "$w/build-warn/build.ninja" ||
  fail "the synthesis should run under srun"
grep -- "-DKML_STEP=export " "$w/build-warn/build.ninja" | grep -q -- "-DKML_LAUNCHER=srun" &&
  fail "KML_VENDOR_LAUNCHER_SYNTH wraps the export step too"
step "ok"
