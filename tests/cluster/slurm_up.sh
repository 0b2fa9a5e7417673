#!/usr/bin/env bash
# slurm_up.sh [DIR]: start a one-node SLURM "cluster" on this machine by hand (no systemd): munged,
# slurmctld and slurmd, as root. Everything SLURM needs lives in DIR (default /run/hpsweep-slurm):
# slurm.conf, state, spool, logs and the daemons' PID files, so the tests never touch
# /etc/slurm and slurm_down.sh can stop exactly what this script started, by PID.
# Callers must `export SLURM_CONF=DIR/slurm.conf` (sbatch exports it on to the jobs).
#
# Exit codes: 0 the node is idle; 77 the SLURM packages are not installed (or not root), so a
# CTest test using it reports a skip; 1 something failed (the logs are printed).
#
# Robust to leftovers: daemons still running from an earlier run (recorded in DIR) are stopped
# first and the state directory is wiped, so jobs of an aborted run never come back. A munged
# that already works (e.g. the system's own, started by systemd) is reused and left alone.
# The node declares CPUs=8 on a 2-core machine (SlurmdParameters=config_overrides keeps slurmd
# from draining it), so 4- and 8-task jobs fit; the ports are not SLURM's defaults (6817/6818) so a
# system SLURM on the same machine does not collide with this one.
set -uo pipefail
dir=${1:-/run/hpsweep-slurm}
here=$(cd "$(dirname "$0")" && pwd)

export PATH=$PATH:/usr/sbin   # the daemons live in /usr/sbin
for tool in munged munge unmunge slurmctld slurmd sbatch squeue scontrol sinfo srun; do
  command -v "$tool" >/dev/null 2>&1 ||
    { echo "SKIP: $tool not found (apt-get install slurmctld slurmd slurm-client munge)"; exit 77; }
done
[ "$(id -u)" -eq 0 ] || { echo "SKIP: starting SLURM daemons needs root"; exit 77; }

# Leftovers of an earlier run: stop them by their recorded PIDs.
"$here/slurm_down.sh" "$dir" >/dev/null 2>&1

host=$(hostname -s)
rm -rf "$dir/state" "$dir/spool"
mkdir -p "$dir/state" "$dir/spool" "$dir/log"
: >"$dir/log/slurmctld.log"
: >"$dir/log/slurmd.log"
# AuthInfo cred_expire: a requeued job waits this long before it may start again (default 120 s;
# 10 s keeps the requeue tests short). bf_interval, sched_interval: how often pending jobs are
# looked at (30 s, 60 s by default), so a requeued job starts soon after. KillWait: the grace
# after SIGTERM at a time limit or scancel. MinJobAge: keep finished jobs visible to
# `scontrol show job` long enough for the tests to read their exit codes.
cat >"$dir/slurm.conf" <<CONF
ClusterName=hpsweeptest
SlurmctldHost=${host}
SlurmctldPort=6917
SlurmdPort=6918
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=cred_expire=10
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SwitchType=switch/none
SchedulerType=sched/backfill
SchedulerParameters=bf_interval=2,sched_interval=5
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MailProg=/bin/true
KillWait=30
MinJobAge=300
StateSaveLocation=${dir}/state
SlurmdSpoolDir=${dir}/spool
SlurmctldPidFile=${dir}/slurmctld.pid
SlurmdPidFile=${dir}/slurmd.pid
SlurmctldLogFile=${dir}/log/slurmctld.log
SlurmdLogFile=${dir}/log/slurmd.log
SlurmdParameters=config_overrides
NodeName=${host} CPUs=8 Boards=1 SocketsPerBoard=1 CoresPerSocket=8 ThreadsPerCore=1 RealMemory=16000 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$dir/slurm.conf

show_logs() {
  echo "--- slurmctld.log"; tail -n 30 "$dir/log/slurmctld.log" 2>/dev/null
  echo "--- slurmd.log"; tail -n 30 "$dir/log/slurmd.log" 2>/dev/null
}

# munged must run as user munge with /run/munge owned by munge.
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  install -d -o munge -g munge -m 0755 /run/munge
  # --force: a socket left by a killed munged would otherwise stop it from starting.
  runuser -u munge -- munged --force --pid-file=/run/munge/munged.pid || { echo "munged did not start"; exit 1; }
  cp /run/munge/munged.pid "$dir/munged.pid"   # ours: slurm_down.sh stops it
  munge -n | unmunge >/dev/null || { echo "munge does not work"; exit 1; }
fi

slurmctld || { echo "slurmctld did not start"; show_logs; exit 1; }   # daemonizes; PID in $dir
slurmd || { echo "slurmd did not start"; show_logs; exit 1; }
for _ in $(seq 1 80); do
  sinfo -h -o %T 2>/dev/null | grep -qx idle && { sinfo; exit 0; }
  sleep 0.25
done
echo "the node did not become idle within 20 s"
sinfo
show_logs
exit 1
