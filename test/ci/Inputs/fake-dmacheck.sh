#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# A stand-in for dmacheck: writes its arguments, one "[arg]" a line, to
# $FAKE_ARGS, a SARIF log with one result to the file after -o, and exits
# with $FAKE_EXIT (default 1).
: >"$FAKE_ARGS"
out=
prev=
for a in "$@"; do
  printf '[%s]\n' "$a" >>"$FAKE_ARGS"
  [ "$prev" = -o ] && out=$a
  prev=$a
done
cat >"$out" <<'SARIF'
{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "dmacheck"}}, "results": [
 {"ruleId": "dma-missing-flush", "level": "warning", "message": {"text": "fake"},
  "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.c"},
                 "region": {"startLine": 3, "startColumn": 5}}}]}]}]}
SARIF
exit "${FAKE_EXIT:-1}"
