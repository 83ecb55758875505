#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# The README's first command: install what is missing, build, and run
# dmacheck on the bundled example drivers with its embedded default
# configuration (no WDK, no compile database, no flags).
set -euo pipefail
cd "$(dirname "$0")/.."
DMACHECK_LLVM_VERSIONS=19 bash scripts/install-deps.sh
bash scripts/build.sh 19
dmacheck=build/llvm-19/checker/dmacheck

run() {
  echo
  echo "\$ dmacheck $*"
  set +e
  "$dmacheck" "$@"
  echo "(exit status $?)"
  set -e
}
# Example drivers with DMA flush bugs: findings, exit status 1.
run examples/polled-dma.c
run examples/split-transfer.c
# The bundled reference driver is correct: no findings, exit status 0.
run test/fixtures/reference-driver/*.c
# The same driver with seeded bugs (test/fixtures/reference-driver/bugs.md),
# each found across AdapterControl -> DPC: the flush dropped from the DPC,
# and the remaining-bytes counter flushed as the operation's length.
run --extra-arg=-DBUG_DPC_NO_FLUSH test/fixtures/reference-driver/*.c
run --extra-arg=-DBUG_REMAINING_AS_LENGTH test/fixtures/reference-driver/*.c
