#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# The README's second command: build against every supported LLVM installed
# here (19, the default, and 14, the oldest) and run the whole test suite
# (lit + FileCheck, through ctest) against each; then the same suite on an
# AddressSanitizer + UndefinedBehaviorSanitizer build, and a short
# robustness run (mutated and pathological inputs: no crash, no hang).
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
if [ -z "${DMACHECK_SKIP_ASAN:-}" ]; then
  echo "== LLVM 19, ASan + UBSan"
  bash scripts/build.sh 19 asan
  if ! ctest --test-dir build/llvm-19-asan --output-on-failure -j "$(nproc)"; then
    status=1
  fi
fi
if [ -f scripts/robustness.py ] && [ -z "${DMACHECK_SKIP_ROBUSTNESS:-}" ]; then
  echo "== robustness (ASan + UBSan build)"
  if ! python3 scripts/robustness.py --dmacheck build/llvm-19-asan/checker/dmacheck \
      --mutants "${DMACHECK_MUTANTS:-300}"; then
    status=1
  fi
fi
exit $status
