#!/usr/bin/env bash
# multihost_agent.sh [-x] HOST COMMAND...: Open MPI's "rsh agent" (--mca plm_rsh_agent) for
# multihost_test.sh, used instead of ssh. HOST is the name of a network namespace made by the
# test; COMMAND (the orted start-up line, one shell string as ssh would get it) runs inside it,
# in its own UTS namespace whose hostname is HOST, so each "host" has its own name for Open MPI.
# Only the namespaces listed in HPSWEEP_MULTIHOST_HOSTS are accepted: a typo in a hostfile must
# not run anything anywhere else. Each launch is appended to HPSWEEP_MULTIHOST_LOG, if set.
[ "$1" = "-x" ] && shift   # ssh's "no X11 forwarding" flag, which Open MPI may pass
host=$1
shift
case " ${HPSWEEP_MULTIHOST_HOSTS:-} " in
  *" $host "*) ;;
  *) echo "multihost_agent.sh: $host is not one of the test's namespaces (${HPSWEEP_MULTIHOST_HOSTS:-none})" >&2; exit 1 ;;
esac
[ -n "${HPSWEEP_MULTIHOST_LOG:-}" ] && echo "launch $host" >>"$HPSWEEP_MULTIHOST_LOG"
# "$*": Open MPI hands over the remote command as words meant to be joined and parsed by a shell.
exec ip netns exec "$host" unshare --uts bash -c "hostname $host && $*"
