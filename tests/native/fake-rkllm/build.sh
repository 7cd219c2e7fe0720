#!/usr/bin/env bash
# Builds the fake runtime once per supported ABI: OUT/1.2.3/librkllmrt.so and OUT/1.3.0/librkllmrt.so.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUTPUT_DIR}
for abi in 120:1.2.3 130:1.3.0; do
  mkdir -p "$out/${abi#*:}"
  gcc -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter -shared -fPIC -fvisibility=hidden \
      -DRKLLM_ABI="${abi%%:*}" -o "$out/${abi#*:}/librkllmrt.so" "$here/fake_rkllm.c"
done
