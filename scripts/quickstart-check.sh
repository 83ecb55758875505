#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# scripts/quickstart-check.sh DMACHECK [CLANG_TIDY PLUGIN [DMACHECK_TIDY]]:
# the quick start's runs (scripts/quickstart.sh), checked: each run's exit
# status and its findings per check, for the given dmacheck binary; with
# CLANG_TIDY and PLUGIN, the examples through clang-tidy --load=PLUGIN too,
# and with DMACHECK_TIDY through dmacheck-tidy. Run by the tests against the
# build tree (test/package/quickstart.test) and by scripts/test.sh against
# the installed Debian package. Prints one line per run; exits 1 when a run
# differs from what is expected.
set -uo pipefail
cd "$(dirname "$0")/.."
dmacheck=$1
tidy=${2:-}
plugin=${3:-}
dmacheck_tidy=${4:-}
ref=(test/fixtures/reference-driver/*.c)
# What the embedded default gives clang-tidy: a Windows target and
# mingw-w64's DDK headers.
flags=(--target=x86_64-w64-mingw32 -fms-extensions -isystem /usr/x86_64-w64-mingw32/include/ddk)
failed=0
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

# expect STATUS "CHECK=N ..." command...: run the command, compare its exit
# status and the number of findings of each check (no other check may
# appear; "-" for none).
expect() {
  local want_status=$1 want_counts=$2
  shift 2
  "$@" >"$out" 2>"$err"
  local status=$?
  local counts
  counts=$(sed -n 's/.*\[\(dma-[a-z-]*\)\(,-warnings-as-errors\)\{0,1\}\]$/\1/p' "$out" | sort | uniq -c |
           awk '{printf "%s%s=%s", sep, $2, $1; sep=" "}')
  [ -n "$counts" ] || counts=-
  local shown="${*//$PWD\//}"
  if [ "$status" = "$want_status" ] && [ "$counts" = "$want_counts" ]; then
    echo "ok: exit $status, $counts: $shown"
  else
    echo "FAIL: exit $status (expected $want_status), $counts (expected $want_counts): $shown"
    sed 's/^/  | /' "$out" "$err"
    failed=1
  fi
}

expect 1 "dma-flush-arg-mismatch=1 dma-missing-flush=1" "$dmacheck" examples/polled-dma.c
expect 1 "dma-flush-length-mismatch=1 dma-flush-va-mismatch=1" "$dmacheck" examples/split-transfer.c
expect 0 "-" "$dmacheck" "${ref[@]}"
expect 1 "dma-missing-flush=1" "$dmacheck" --extra-arg=-DBUG_DPC_NO_FLUSH "${ref[@]}"
expect 1 "dma-flush-length-mismatch=1" "$dmacheck" --extra-arg=-DBUG_REMAINING_AS_LENGTH "${ref[@]}"

# clang-tidy only fails on warnings made errors.
tidy_args=(--quiet --checks='-*,dma-*' --warnings-as-errors='dma-*')
if [ -n "$tidy" ]; then
  expect 1 "dma-flush-arg-mismatch=1 dma-missing-flush=1" "$tidy" --load="$plugin" "${tidy_args[@]}" examples/polled-dma.c -- "${flags[@]}"
  expect 1 "dma-flush-length-mismatch=1 dma-flush-va-mismatch=1" "$tidy" --load="$plugin" "${tidy_args[@]}" examples/split-transfer.c -- "${flags[@]}"
  expect 0 "-" "$tidy" --load="$plugin" "${tidy_args[@]}" "${ref[@]}" -- "${flags[@]}"
fi
if [ -n "$dmacheck_tidy" ]; then
  expect 1 "dma-flush-arg-mismatch=1 dma-missing-flush=1" "$dmacheck_tidy" "${tidy_args[@]}" examples/polled-dma.c -- "${flags[@]}"
  expect 0 "-" "$dmacheck_tidy" "${tidy_args[@]}" "${ref[@]}" -- "${flags[@]}"
fi
exit $failed
