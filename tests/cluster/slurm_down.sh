#!/usr/bin/env bash
# slurm_down.sh [DIR]: stop what slurm_up.sh DIR started, by the PIDs it recorded in DIR: first
# cancel the jobs still there (so no slurmstepd lingers), then slurmd, slurmctld, and munged
# only when slurm_up.sh started it. A PID is only signalled while /proc says it is still the
# daemon it was recorded for (a PID file outliving its process must not hit a recycled PID).
# Always exits 0: it runs from EXIT traps.
dir=${1:-/run/hpsweep-slurm}
export PATH=$PATH:/usr/sbin

# stop PIDFILE NAME: SIGTERM, up to 10 s to exit, then SIGKILL.
stop() {
  local file=$1 name=$2 pid
  [ -s "$file" ] || return 0
  pid=$(cat "$file")
  if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 40); do [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ] || break; sleep 0.25; done
    if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]; then kill -KILL "$pid" 2>/dev/null; fi
    echo "stopped $name ($pid)"
  fi
  rm -f "$file"
}

if [ -s "$dir/slurmctld.pid" ] && [ -f "$dir/slurm.conf" ]; then
  export SLURM_CONF=$dir/slurm.conf
  jobs=$(timeout 10 squeue -h -o %i 2>/dev/null)
  if [ -n "$jobs" ]; then
    # shellcheck disable=SC2086
    timeout 10 scancel $jobs 2>/dev/null
    for _ in $(seq 1 40); do [ -z "$(timeout 5 squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.5; done
  fi
fi
stop "$dir/slurmd.pid" slurmd
stop "$dir/slurmctld.pid" slurmctld
stop "$dir/munged.pid" munged
exit 0
