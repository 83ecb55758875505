#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# scripts/package.sh [LLVM_VERSION]: build dmacheck against Debian's LLVM N
# (default 19) into build/llvm-N, then its Debian packages with CPack
# (cmake/Packaging.cmake, docs/packaging.md):
#   build/llvm-N/dmacheck-llvmN_<version>_<arch>.deb       dmacheck, dmacheck(1), docs
#   build/llvm-N/dmacheck-tidy-llvmN_<version>_<arch>.deb  dmacheck-tidy, the clang-tidy plugin
# and print their paths, one a line. Install them with
#   apt-get install ./build/llvm-N/dmacheck-llvmN_*.deb ./build/llvm-N/dmacheck-tidy-llvmN_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."
v=${1:-19}
dir=build/llvm-$v
bash scripts/build.sh "$v" >&2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Regenerate CPackConfig.cmake from the current sources, then package.
cmake "$dir" >/dev/null
if ! (cd "$dir" && cpack -G DEB) >"$log" 2>&1; then
  cat "$log" >&2
  echo "package: cpack failed" >&2
  exit 1
fi
found=0
while IFS= read -r deb; do
  echo "$deb"
  found=1
done < <(sed -n 's/^CPack: - package: \(.*\.deb\) generated\.$/\1/p' "$log")
if [ $found -eq 0 ]; then
  cat "$log" >&2
  echo "package: cpack named no package" >&2
  exit 1
fi
