#!/usr/bin/env bash
# Installs what hpsweep needs to build, test and benchmark on Debian 12 (bookworm).
# Runs apt-get as root (through sudo when not root). Safe to run again.
set -euo pipefail
run_as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
packages=(
  build-essential cmake                      # compiler and build
  libeigen3-dev libtbb-dev                   # the trainer
  libopenblas0-pthread                       # the trainer's GEMM (OpenBLAS, held to one thread)
  libfast-float-dev                          # the CSV reader's number parsing
  libxxhash-dev                              # the data fingerprint (XXH3, at memory speed)
  libopenmpi-dev openmpi-bin                 # the coordinator and workers
  libhdf5-dev hdf5-tools                     # the results file (h5dump, h5diff for checks)
  libyaml-cpp-dev libcli11-dev               # sweep files, command line
  nlohmann-json3-dev                         # JSON output of plan, rank, info
  libgtest-dev libgmock-dev libbenchmark-dev # tests and benchmarks
  python3 python3-h5py python3-pandas python3-matplotlib  # the docs' h5py/pandas example and its test
  python3-yaml python3-pil                   # the report tests: the stored sweep, screenshots
)
run_as_root apt-get update -q
run_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=600 \
  --no-install-recommends "${packages[@]}"
