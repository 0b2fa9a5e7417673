#!/usr/bin/env bash
# multihost_test.sh HPSWEEP MPIEXEC SWEEP: a sweep run by Open MPI over two "hosts" -- two Linux
# network namespaces on this machine, joined only by a veth pair with addresses of their own --
# writes the same results file (all but timing and rank) as one process without a launcher.
# 4 ranks, 2 per host; ranks on the other host are started through multihost_agent.sh (`ip netns
# exec` instead of ssh) and talk over Open MPI's TCP BTL only, restricted to the veth subnet.
# Checks that ranks really ran in both namespaces and that workers on both produced trials.
#
# Needs root and `ip netns` (CAP_NET_ADMIN, CAP_SYS_ADMIN): skipped (exit 77) otherwise.
# Namespaces are named hps-a-PID / hps-b-PID, so concurrent runs never collide; everything the
# test made is removed by the EXIT trap, and namespaces left by a run that was SIGKILLed (e.g. a
# CTest timeout) are removed by the next run.
set -uo pipefail
hpsweep=$(realpath "$1") mpiexec=$2 sweep=$(realpath "$3")
here=$(cd "$(dirname "$0")" && pwd)
export PATH=$PATH:/usr/sbin:/sbin   # ip may live in /usr/sbin, not on a non-root PATH
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || skip "needs root to create network namespaces"
for tool in ip unshare timeout; do command -v "$tool" >/dev/null || skip "$tool not found"; done
ip netns list >/dev/null 2>&1 || skip "ip netns is not available"

a=hps-a-$$ b=hps-b-$$
# The subnet exists only on the veth pair inside the two namespaces (not in the root namespace),
# so it cannot clash with this machine's own networks.
subnet=10.251.77 cidr=10.251.77.0/24

# remove_ns NS: kill whatever still runs inside NS (mpirun, orted, ranks of this test), delete it.
remove_ns() {
  local pids
  pids=$(ip netns pids "$1" 2>/dev/null)
  # shellcheck disable=SC2086
  [ -n "$pids" ] && kill -KILL $pids 2>/dev/null
  ip netns del "$1" 2>/dev/null   # also destroys the veth end inside it (and so the pair)
}

# Leftovers of runs that died without their EXIT trap (e.g. SIGKILLed by a CTest timeout):
# hps-[ab]-PID whose PID is not a live multihost_test.sh (a recycled PID running something else
# does not count), with whatever still runs inside them, and their temp dirs.
for ns in $(ip netns list | awk '{print $1}'); do
  case $ns in hps-[ab]-*) ;; *) continue ;; esac
  pid=${ns#hps-?-}
  [[ $pid =~ ^[0-9]+$ ]] || continue
  [ "$pid" != $$ ] && grep -qs multihost_test "/proc/$pid/cmdline" && continue
  echo "removing leftover namespace $ns"
  remove_ns "$ns"
  rm -rf "${TMPDIR:-/tmp}/hps-multihost-$pid".*   # that run's temp dir
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/hps-multihost-$$.XXXXXX")
cleanup() { remove_ns "$a"; remove_ns "$b"; rm -rf "$dir"; }
trap cleanup EXIT
trap 'exit 1' INT TERM HUP   # turn signals into an exit, so the EXIT trap still cleans up

ip netns add "$a" 2>"$dir/err" || skip "cannot create a network namespace (needs CAP_SYS_ADMIN and CAP_NET_ADMIN): $(cat "$dir/err")"
ip netns add "$b" || fail "cannot create namespace $b"
# The veth pair is created inside $a with its peer put straight into $b: its names never exist in
# the root namespace (no clash with anything there) and it vanishes with the namespaces.
ip -n "$a" link add veth0 type veth peer name veth0 netns "$b" 2>"$dir/err" ||
  skip "cannot create a veth pair: $(cat "$dir/err")"
ip -n "$a" addr add "$subnet.1/24" dev veth0 || fail "cannot add $subnet.1 in $a"
ip -n "$b" addr add "$subnet.2/24" dev veth0 || fail "cannot add $subnet.2 in $b"
for ns in "$a" "$b"; do
  # lo: Open MPI's local connections (mpirun <-> its ranks, rank <-> rank on one host) need it.
  ip -n "$ns" link set lo up || fail "cannot bring up lo in $ns"
  ip -n "$ns" link set veth0 up || fail "cannot bring up veth0 in $ns"
done
# The agent gives each host its own UTS namespace (hostname = namespace name): Open MPI tells
# hosts apart by hostname, and two "hosts" both called $(hostname) would be merged into one.
ip netns exec "$a" unshare --uts true 2>"$dir/err" || skip "unshare --uts fails: $(cat "$dir/err")"

start=$(date +%s.%N)
"$hpsweep" run "$sweep" -o "$dir/one.h5" --quiet || fail "the one-host reference run failed"
ref_done=$(date +%s.%N)

# Hostfile names = namespace names: mpirun runs in $a under hostname $a, so it recognises $a as
# itself (ranks 0, 1 started directly) and starts an orted on $b through the agent (ranks 2, 3).
printf '%s slots=2\n%s slots=2\n' "$a" "$b" >"$dir/hostfile"
export HPSWEEP_MULTIHOST_HOSTS="$a $b" HPSWEEP_MULTIHOST_LOG=$dir/agent.log
# Inside a SLURM allocation mpirun would use its nodes (and srun) instead of the hostfile and agent.
unset "${!SLURM_@}"
# Each rank first records its rank, network namespace and hostname, then becomes hpsweep.
# --threads 1: 4 ranks on a 2-core machine; the results do not depend on the thread count.
# btl tcp,self (no shared memory): all rank traffic, even on one host, goes over TCP on the veth
# subnet; oob_tcp_if_include keeps mpirun <-> orted traffic there too. orte_tmpdir_base: the
# session directories go to $dir, so even a killed run leaves nothing in /tmp. timeout: a hang
# fails fast; run in the background and waited for, so a signal to this script acts at once.
# shellcheck disable=SC2016  # the single-quoted scripts expand $0, $@, ... when they run
timeout -k 5 90 ip netns exec "$a" unshare --uts bash -c 'hostname "$0" && exec "$@"' "$a" \
  "$mpiexec" -np 4 --hostfile "$dir/hostfile" --map-by slot --bind-to none \
  --mca plm rsh --mca plm_rsh_agent "$here/multihost_agent.sh" \
  --mca btl tcp,self --mca btl_tcp_if_include "$cidr" --mca oob_tcp_if_include "$cidr" \
  --mca orte_tmpdir_base "$dir" \
  bash -c 'echo "$OMPI_COMM_WORLD_RANK $(ip netns identify) $(hostname)" >"$0/rank.$OMPI_COMM_WORLD_RANK" && exec "$@"' \
  "$dir" "$hpsweep" run "$sweep" -o "$dir/multi.h5" --quiet --threads 1 &
wait $!
code=$?
multi_done=$(date +%s.%N)
[ "$code" -eq 0 ] || fail "mpirun over two namespaces exited $code"

grep -qx "launch $b" "$dir/agent.log" 2>/dev/null || fail "the agent never launched anything on $b"
/usr/bin/python3 - "$dir" "$a" "$b" <<'PY' || fail "ranks did not run (or produce trials) on both hosts"
import glob, os, sys
import h5py
d, a, b = sys.argv[1:]
where = {}  # rank -> (network namespace, hostname), as each rank recorded them
for path in glob.glob(os.path.join(d, "rank.*")):
    rank, ns, host = open(path).read().split()
    where[int(rank)] = (ns, host)
expected = {0: (a, a), 1: (a, a), 2: (b, b), 3: (b, b)}
if where != expected:
    sys.exit(f"ranks ran at {where}, expected {expected}")
ranks = h5py.File(os.path.join(d, "multi.h5"), "r")["trials"]["rank"].tolist()
per_host = {a: 0, b: 0}
for r in ranks:
    if r not in where:
        sys.exit(f"a trial was run by rank {r}, which never started")
    per_host[where[r][0]] += 1
print("trials per host:", per_host, "per rank:", {r: ranks.count(r) for r in sorted(set(ranks))})
if min(per_host.values()) == 0:
    sys.exit("one host ran no trials")
PY
/usr/bin/python3 "$here/../runtime/compare_results.py" "$dir/one.h5" "$dir/multi.h5" ||
  fail "the two-host results differ from the one-host results"
took() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
echo "two hosts ($a, $b), 4 ranks: identical to one host" \
  "(reference $(took "$start" "$ref_done") s, mpirun $(took "$ref_done" "$multi_done") s)"
