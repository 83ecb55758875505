#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# The README's second command: build against every supported LLVM installed
# here (19, the default, and 14, the oldest) and run the whole test suite
# (lit + FileCheck, through ctest) against each.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for v in ${DMACHECK_LLVM_VERSIONS:-19 14}; do
  echo "== LLVM $v"
  bash scripts/build.sh "$v"
  if ! ctest --test-dir "build/llvm-$v" --output-on-failure -j "$(nproc)"; then
    status=1
  fi
done
exit $status
