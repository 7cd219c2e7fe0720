#!/usr/bin/env bash
# Builds llama.cpp's llama-server and llama-bench (CPU only) from a llama.cpp source tree you give it, for
# measuring Engram against its peer on the same engine. It never downloads anything.
#
#   scripts/build-llama-cpp.sh SOURCE [BUILD_DIR]
#
# SOURCE is a llama.cpp checkout, or a git bundle of one (the npm package node-llama-cpp ships a release as
# llama/gitRelease.bundle; version 3.20.0 carries b10361, the release nearest to the commit LLamaSharp 0.30.0
# ships). BUILD_DIR defaults to SOURCE/build-engram-bench (for a bundle: beside it).
#
# The build is native (-march=native) but without AMX when /proc/cpuinfo does not list it: a CPU model that
# has AMX under a hypervisor that does not enable it makes a native build die with SIGILL on its first batch.
# Set LLAMA_CMAKE_FLAGS to add CMake options (e.g. -DGGML_NATIVE=OFF -DGGML_AVX512=ON to match other flags).
set -euo pipefail

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }
if [[ $# -lt 1 || $1 == -h || $1 == --help ]]; then usage; exit 2; fi

source_arg=$1
if [[ -f $source_arg && $source_arg == *.bundle ]]; then
    tree=${source_arg%.bundle}-src
    if [[ ! -d $tree ]]; then
        echo "cloning the bundle into $tree (a local clone, nothing is downloaded)"
        git clone --quiet "$source_arg" "$tree"
    fi
    build=${2:-${source_arg%.bundle}-build}
else
    tree=$source_arg
    build=${2:-$tree/build-engram-bench}
fi
if [[ ! -f $tree/CMakeLists.txt || ! -d $tree/ggml ]]; then
    echo "error: $tree is not a llama.cpp source tree (no CMakeLists.txt and ggml/)" >&2
    exit 2
fi
for tool in cmake gcc g++; do
    command -v "$tool" >/dev/null || { echo "error: $tool is needed (apt-get install cmake build-essential)" >&2; exit 2; }
done

flags=""
if grep -qw avx512f /proc/cpuinfo && ! grep -qw amx_tile /proc/cpuinfo; then
    flags="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
fi
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)

echo "configuring $tree into $build (extra compiler flags: ${flags:-none})"
# shellcheck disable=SC2086
cmake -S "$tree" -B "$build" "${generator[@]}" \
    -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON -DBUILD_SHARED_LIBS=OFF \
    -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" ${LLAMA_CMAKE_FLAGS:-} >/dev/null
cmake --build "$build" --target llama-server llama-bench -j "$(nproc)"

echo "built:"
echo "  $build/bin/llama-server"
echo "  $build/bin/llama-bench"
echo "commit: $(git -C "$tree" describe --tags --always 2>/dev/null || echo unknown)"
