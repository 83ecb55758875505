#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# scripts/build.sh [LLVM_VERSION] [asan]: configure and build dmacheck (the CLI,
# the clang-tidy plugin and dmacheck-tidy) against Debian's LLVM N into
# build/llvm-N (default N=19); with "asan", an AddressSanitizer +
# UndefinedBehaviorSanitizer build into build/llvm-N-asan.
set -euo pipefail
cd "$(dirname "$0")/.."
v=${1:-19}
variant=${2:-}
prefix=/usr/lib/llvm-$v
dir=build/llvm-$v${variant:+-$variant}
extra=()
if [ "$variant" = asan ]; then extra=(-DDMACHECK_SANITIZE=ON); fi
if [ ! -f "$dir/build.ninja" ]; then
  cmake -G Ninja -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release \
    -DLLVM_DIR="$prefix/lib/cmake/llvm" -DClang_DIR="$prefix/lib/cmake/clang" \
    -DPython3_EXECUTABLE=/usr/bin/python3 "${extra[@]}" >/dev/null
fi
ninja -C "$dir" >/dev/null
echo "build: $dir/checker/dmacheck (LLVM $v${variant:+, $variant})"
