#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# scripts/build.sh [LLVM_VERSION]: configure and build dmacheck (the CLI and the
# clang-tidy plugin) against Debian's LLVM N into build/llvm-N. Default: 19.
set -euo pipefail
cd "$(dirname "$0")/.."
v=${1:-19}
prefix=/usr/lib/llvm-$v
dir=build/llvm-$v
if [ ! -f "$dir/build.ninja" ]; then
  cmake -G Ninja -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release \
    -DLLVM_DIR="$prefix/lib/cmake/llvm" -DClang_DIR="$prefix/lib/cmake/clang" \
    -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
fi
ninja -C "$dir" >/dev/null
echo "build: $dir/checker/dmacheck (LLVM $v)"
