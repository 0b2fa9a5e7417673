# Sourced by the shell tests: fail MESSAGE, and expect CODE PATTERN COMMAND... (passes when
# COMMAND exits with CODE and its stderr matches the extended regex PATTERN; else fails the test).
fail() { echo "FAIL: $*"; exit 1; }
expect() {
  local code=$1 pattern=$2
  shift 2
  local err
  err=$("$@" 2>&1 >/dev/null)
  local actual=$?
  [ "$actual" -eq "$code" ] || fail "$* exited $actual, expected $code: $err"
  grep -Eq -- "$pattern" <<<"$err" || fail "$*: '$err' does not match '$pattern'"
}
