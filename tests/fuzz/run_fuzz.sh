#!/usr/bin/env bash
# run_fuzz.sh [SECONDS]: builds the libFuzzer targets (cmake --preset fuzz: clang, ASan + UBSan)
# and runs each for SECONDS (default 20) on a seed corpus made from tests/corpus, the bundled
# sweeps and the format-1 fixtures. Prints one line per target (executions, coverage, findings)
# and exits 1 when any target found a crash, a sanitizer report, a leak or a timeout; the input
# that did it is kept in build/fuzz/findings/ (add it to tests/corpus with its expectation).
set -uo pipefail
seconds=${1:-20}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
cmake --preset fuzz >/dev/null && cmake --build --preset fuzz >/dev/null || { echo "run_fuzz.sh: the fuzz build failed"; exit 2; }
bin=$root/build/fuzz/tests/fuzz
work=$root/build/fuzz/corpora
findings=$root/build/fuzz/findings
rm -rf "$work" "$findings"
mkdir -p "$work" "$findings"
seed() {  # seed TARGET FILES...: copy the files into the target's corpus
  local target=$1
  shift
  mkdir -p "$work/$target"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$work/$target/$(echo "$f" | tr '/' '_')"; done
}
seed fuzz_sweep tests/corpus/bad/*.yaml tests/corpus/good/*.yaml sweeps/*.yaml tests/runtime/*.yaml tests/program/*.yaml examples/*/*.yaml
seed fuzz_csv tests/corpus/bad/data/*.csv tests/cli/model/regression.csv tests/cli/nan_cell.csv
seed fuzz_hdf5_data tests/corpus/good/data/*.h5 tests/data/*.h5
seed fuzz_results tests/store/format1/*.h5
seed fuzz_journal tests/store/format1/.partial.h5.journal
seed fuzz_codec tests/store/format1/.partial.h5.journal
# libhdf5's own findings: HDF5 1.10's object-header parser is not hardened against crafted files
# (tests/store/hostile/: a use-after-free, an allocation of the size a crafted header claims,
# reads past its own buffers, by memcpy and by strdup; without AddressSanitizer each open fails
# cleanly, exit 5).
# A report is libhdf5's when the first frame past the sanitizer's interceptor is in libhdf5 and,
# for a bad heap access, the memory was allocated there too. Those are reported, not failed on,
# since hpsweep cannot fix them. Anything else fails the run: a crash in hpsweep's code, an
# allocation hpsweep asks for, or libhdf5 writing past a buffer hpsweep sized (an H5Dread into a
# vector too small: the allocation's first frame is then hpsweep's).
first_frame_in_libhdf5() {  # first_frame_in_libhdf5 LOG SECTION: SECTION's first non-sanitizer frame is libhdf5's
  awk -v section="$2" '
    index($0, section) { inside = 1; next }
    inside && /^ +#[0-9]+ / {
      if ($0 ~ /__interceptor_|__sanitizer|__asan::|fuzzer::|in (malloc|calloc|realloc|free|memcpy|memmove|memset|memcmp|strdup|strndup|strlen|strnlen|strcmp|strncmp|strcpy|strncpy|strchr)[ (]/) next
      print; exit
    }' "$1" | grep -q 'libhdf5'
}
in_libhdf5() {
  # libFuzzer's own report of an allocation over -rss_limit_mb names no sanitizer: its stack
  # starts in libFuzzer's malloc hook, whose frames are skipped like the interceptor's.
  if grep -q 'ERROR: libFuzzer: out-of-memory (malloc' "$1"; then
    first_frame_in_libhdf5 "$1" 'ERROR: libFuzzer: out-of-memory (malloc'
    return
  fi
  first_frame_in_libhdf5 "$1" 'ERROR: AddressSanitizer' || return 1
  if grep -q 'allocated by thread' "$1"; then first_frame_in_libhdf5 "$1" 'allocated by thread'; fi
}
failed=0
for target in fuzz_sweep fuzz_csv fuzz_hdf5_data fuzz_journal fuzz_codec fuzz_results; do
  mkdir -p "$work/$target" "$findings/$target"
  log=$work/$target.log
  # The HDF5 targets' input files (fuzz_file.hpp) go under the work directory: a crash leaves
  # them there, and the next run removes them.
  mkdir -p "$work/tmp"
  TMPDIR=$work/tmp ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$root/tests/fuzz/lsan.supp "$bin/$target" "$work/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -artifact_prefix="$findings/$target/" -print_final_stats=1 >"$log" 2>&1
  code=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  found=$(find "$findings/$target" -type f | wc -l)
  printf '%-16s %6s s  %9s runs  %-10s  findings: %s\n' "$target" "$seconds" "${runs:-?}" "${cov:-cov: ?}" "$found"
  if [ "$code" -ne 0 ] || [ "$found" -gt 0 ]; then
    grep -m 2 -E "ERROR|SUMMARY|runtime error|deadly signal|Timeout" "$log" | sed 's/^/    /'
    if in_libhdf5 "$log"; then
      echo "    (inside libhdf5: HDF5 1.10's own parser; reported, not counted as hpsweep's)"
    else
      failed=1
    fi
  fi
done
exit $failed
