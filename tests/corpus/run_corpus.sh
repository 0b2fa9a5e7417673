#!/usr/bin/env bash
# run_corpus.sh HPSWEEP CORPUS_DIR: the bad-input corpus and the good sweep files.
#
# Bad cases (CORPUS_DIR/bad/EXPECTED.tsv, one per line): each runs in its own scratch directory
# that already holds a valid results file (existing.h5, of tests/runtime/tiny_sweep.yaml); `run`
# cases write to it with -o unless the case names another results file. A case passes when the
# exit code is the expected one, stderr (newlines joined by spaces) matches the case's extended
# regex, and nothing was trained or written: every file in the scratch directory keeps its sha256
# and no file appears (the lock file a run leaves is the only exception).
# Good cases (CORPUS_DIR/good/*.yaml): `hpsweep plan` exits 0.
# Prints one line per case and ends with "N passed, M failed"; exits 1 when a case failed.
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 HPSWEEP CORPUS_DIR" >&2
  exit 2
fi
hpsweep=$(realpath "$1")
corpus=$(realpath "$2")
bad=$corpus/bad
good=$corpus/good
tiny=$corpus/../runtime/tiny_sweep.yaml

work=$(mktemp -d "${TMPDIR:-/tmp}/hpsweep-corpus.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The results files the cases start from.
if ! "$hpsweep" run "$tiny" -o "$work/existing.h5" --quiet 2>"$work/setup.err"; then
  echo "setup: cannot write a results file with $tiny:"
  cat "$work/setup.err"
  exit 1
fi
size=$(stat -c %s "$work/existing.h5")
head -c $((size / 2)) "$work/existing.h5" >"$work/truncated.h5"
cp "$work/existing.h5" "$work/corrupt.h5"
# Keep the HDF5 signature and superblock start; overwrite the object headers after it.
yes 'corrupt!' | head -c 4000 | dd of="$work/corrupt.h5" bs=4000 seek=96 oflag=seek_bytes conv=notrunc status=none
cp "$bad/data/not_results.h5" "$work/not_results.h5"
# Crafted copies of the valid file (@crafted:NAME), each lying about its own shape in one way.
mkdir "$work/crafted"
/usr/bin/python3 "$corpus/craft_results.py" "$work/existing.h5" "$work/crafted" >/dev/null || { echo "setup: craft_results.py failed"; exit 1; }
cp "$good/data/tiny.h5" "$work/other_data.h5"

# Every file under a directory with its sha256, lock files left out (sorted, one per line).
snapshot() {
  (cd "$1" && find . -type f ! -name '.*.lock' -print0 | sort -z | xargs -0 -r sha256sum)
}

passed=0
failed=0
n=0
pass() {
  passed=$((passed + 1))
  printf 'PASS  %s\n' "$1"
}
fail() {
  failed=$((failed + 1))
  printf 'FAIL  %s\n      %s\n' "$1" "$2"
}

while IFS=$'\t' read -r file command code regex results || [ -n "$file" ]; do
  case "$file" in '' | '#'* | file) continue ;; esac
  n=$((n + 1))
  scratch=$work/case$n
  mkdir "$scratch"
  cp "$work/existing.h5" "$scratch/existing.h5"
  # The results file of the case.
  target=
  case "${results:-@existing}" in
    @existing) target=$scratch/existing.h5 ;;
    @truncated | @corrupt | @text | @hdf5_not_results)
      source_file=${results#@}
      case "$source_file" in text) source_file=not_results ;; hdf5_not_results) source_file=other_data ;; esac
      cp "$work/$source_file.h5" "$scratch/$source_file.h5"
      target=$scratch/$source_file.h5 ;;
    @crafted:*)
      cp "$work/crafted/${results#@crafted:}.h5" "$scratch/" || { fail "$command $file $results" "no crafted file"; continue; }
      target=$scratch/${results#@crafted:}.h5 ;;
    @missing) target=$scratch/missing.h5 ;;
    @missing_dir) target=$scratch/no/such/dir/results.h5 ;;
    @directory) mkdir "$scratch/results.h5" && target=$scratch/results.h5 ;;
    @*) fail "$command $file $results" "unknown results spec '$results' in EXPECTED.tsv"; continue ;;
    *) target=$results ;;
  esac
  case "$command" in
    plan) args=(plan "$bad/$file") ;;
    run) args=(run "$bad/$file" -o "$target" --quiet) ;;
    rank | info) args=("$command" "$target") ;;
    curves) args=(curves "$target" --trial 1) ;;
    report) args=(report "$target" -o "$scratch/report.html") ;;
    compare) args=(compare "$scratch/existing.h5" "$target") ;;
    merge) args=(merge -o "$scratch/merged.h5" "$target") ;;
    *) fail "$command $file" "unknown command '$command' in EXPECTED.tsv"; continue ;;
  esac
  label="$command $file${results:+ $results}"
  before=$(snapshot "$scratch")
  (cd "$scratch" && timeout 60 "$hpsweep" "${args[@]}") >/dev/null 2>"$work/case$n.err"
  actual=$?
  after=$(snapshot "$scratch")
  stderr=$(tr '\n' ' ' <"$work/case$n.err")
  problems=()
  [ "$actual" -eq "$code" ] || problems+=("expected exit $code, got $actual")
  grep -Eq -- "$regex" <<<"$stderr" || problems+=("stderr does not match /$regex/")
  if [ "$before" != "$after" ]; then
    problems+=("files changed or appeared (training or writing happened): $(diff <(echo "$before") <(echo "$after") | grep '^[<>]' | tr '\n' ' ')")
  fi
  if [ ${#problems[@]} -eq 0 ]; then
    pass "$label"
  else
    fail "$label" "$(printf '%s; ' "${problems[@]}")stderr: ${stderr:-<empty>}"
  fi
done <"$bad/EXPECTED.tsv"

for sweep in "$good"/*.yaml; do
  "$hpsweep" plan "$sweep" >/dev/null 2>"$work/good.err"
  actual=$?
  if [ "$actual" -eq 0 ]; then
    pass "plan good/$(basename "$sweep")"
  else
    fail "plan good/$(basename "$sweep")" "expected exit 0, got $actual: $(tr '\n' ' ' <"$work/good.err")"
  fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
