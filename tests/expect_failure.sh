#!/usr/bin/env bash
# expect_failure.sh CODE PATTERN COMMAND...: passes when COMMAND exits with CODE and its stderr
# matches the extended regex PATTERN; used to test the messages and exit codes users see.
code=$1 pattern=$2
shift 2
stderr=$("$@" 2>&1 >/dev/null)
actual=$?
if [ "$actual" -ne "$code" ]; then echo "expected exit $code, got $actual; stderr: $stderr"; exit 1; fi
if ! grep -Eq -- "$pattern" <<<"$stderr"; then echo "stderr does not match '$pattern': $stderr"; exit 1; fi
echo "ok: exit $actual, $stderr"
