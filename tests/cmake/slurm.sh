# A one-node Slurm cluster on 127.0.0.1 for kml's tests, from Debian's packages (slurmctld, slurmd,
# slurm-client, munge), without systemd or cgroups; sourced by the test scripts after lib.sh.
#
#   slurm_start <dir>   starts munged (private socket and key), slurmctld -i and slurmd, everything under
#                       <dir>; waits until sinfo says the node is idle; exports SLURM_CONF.  Stopped by pid
#                       when the test exits.  A licence "vivado" with 2 tokens is configured (srun -L vivado).
#
# Slurm needs root here (slurmd runs the jobs).  Where it cannot start (not root, a package missing), the
# test prints "skipped: <reason>" and exits 77, which CTest reports as skipped -- except under CI (CI set),
# where that is a failure: CI must run these tests.
: "${KML_TEST_WORK:?}"

SLURM_SKIP_CODE=77
slurm_skip() {
  if [[ -n "${CI:-}" ]]; then
    fail "Slurm cannot start, and CI must run this test: $*"
  fi
  echo "skipped: $*"
  exit $SLURM_SKIP_CODE
}

# A TCP port nobody listens on (several clusters may run at once on one machine, one per test).
_slurm_free_port() {
  local p i
  for i in $(seq 200); do
    p=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

SLURM_DIR=""
slurm_stop() {
  [[ -n $SLURM_DIR ]] || return 0
  local f pid i
  if [[ -f $SLURM_DIR/slurmctld.pid ]]; then
    "$SLURM_BIN/scancel" --quiet --full --user="$(id -un)" >/dev/null 2>&1 || true
  fi
  for f in slurmd.pid slurmctld.pid munge/munged.pid; do
    [[ -f $SLURM_DIR/$f ]] || continue
    pid=$(cat "$SLURM_DIR/$f")
    kill "$pid" 2>/dev/null || continue
    for i in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
  done
  SLURM_DIR=""
}

slurm_start() {
  local d=$1
  [[ $(id -u) -eq 0 ]] || slurm_skip "Slurm's test cluster needs root (slurmd runs the jobs); run the suite as root"
  local exe
  for exe in slurmctld slurmd munged mungekey; do
    PATH="$PATH:/usr/sbin:/sbin" command -v "$exe" >/dev/null ||
      slurm_skip "$exe not found (Debian packages slurmctld slurmd slurm-client munge: scripts/install-deps.sh)"
  done
  for exe in srun sbatch squeue sinfo scontrol scancel; do
    command -v "$exe" >/dev/null || slurm_skip "$exe not found (Debian package slurm-client: scripts/install-deps.sh)"
  done
  SLURM_BIN=$(dirname "$(command -v srun)")
  local sbin_path="$PATH:/usr/sbin:/sbin"
  rm -rf "$d"
  mkdir -p "$d/munge" "$d/state" "$d/spool"
  chmod 755 "$d" "$d/munge"
  SLURM_DIR=$d
  trap 'slurm_stop' EXIT

  PATH=$sbin_path mungekey -c -k "$d/munge/munge.key" || fail "mungekey failed"
  chmod 600 "$d/munge/munge.key"
  PATH=$sbin_path munged -f --socket="$d/munge/munge.socket" --key-file="$d/munge/munge.key" \
    --pid-file="$d/munge/munged.pid" --log-file="$d/munge/munged.log" --seed-file="$d/munge/munged.seed" ||
    { cat "$d/munge/munged.log" 2>/dev/null; fail "munged did not start"; }

  local node ctld_port slurmd_port
  node=$(PATH=$sbin_path slurmd -C | head -n 1)
  [[ $node == NodeName=* ]] || fail "slurmd -C printed no NodeName line: $node"
  ctld_port=$(_slurm_free_port) && slurmd_port=$(_slurm_free_port) || fail "no free TCP port for Slurm"
  local host=${node#NodeName=}
  host=${host%% *}
  cat >"$d/slurm.conf" <<EOF
ClusterName=kmltest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$d/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
SchedulerType=sched/backfill
MpiDefault=none
SwitchType=switch/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
KillWait=5
Licenses=vivado:2
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=kml Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF="$d/slurm.conf"
  local t0
  t0=$(date +%s%N)
  PATH=$sbin_path slurmctld -i -f "$SLURM_CONF" || { cat "$d/slurmctld.log" 2>/dev/null; fail "slurmctld did not start"; }
  PATH=$sbin_path slurmd -f "$SLURM_CONF" || { cat "$d/slurmd.log" 2>/dev/null; fail "slurmd did not start"; }
  local i state=""
  for i in $(seq 300); do
    state=$(sinfo -h -o %T 2>/dev/null || true)
    [[ $state == idle ]] && break
    sleep 0.1
  done
  if [[ $state != idle ]]; then
    tail -n 20 "$d/slurmctld.log" "$d/slurmd.log" 2>/dev/null
    fail "the Slurm node did not become idle (sinfo: '$state')"
  fi
  echo "   Slurm cluster up in $((($(date +%s%N) - t0) / 1000000)) ms ($host, ports $ctld_port/$slurmd_port, $d)"
}

# slurm_jobs: the jobs in the queue, one line each (id state name), or nothing
slurm_jobs() { squeue -h -o '%i %T %j' 2>/dev/null || true; }
