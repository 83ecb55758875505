#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# The README's second command: build against every supported LLVM installed
# here (19, the default, and 14, the oldest) and run the whole test suite
# (lit + FileCheck, through ctest) against each; then the same suite on an
# AddressSanitizer + UndefinedBehaviorSanitizer build, and a short
# robustness run (mutated and pathological inputs: no crash, no hang); and
# the LLVM 19 Debian packages, installed, run on the quick start and removed
# (as root, or with password-less sudo; said and skipped otherwise). DMACHECK_SKIP_ASAN,
# DMACHECK_SKIP_ROBUSTNESS and DMACHECK_SKIP_PACKAGE skip those steps.
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
if [ -z "${DMACHECK_SKIP_PACKAGE:-}" ]; then
  echo "== Debian packages (LLVM 19): install, quick start on the installed files, remove"
  rc=0
  bash scripts/test-package.sh 19 || rc=$?
  if [ $rc -ne 0 ] && [ $rc -ne 77 ]; then
    echo "(DMACHECK_SKIP_PACKAGE=1 skips this step)"
    status=1
  fi
fi
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
