#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# The GitHub Action's first step (action.yml): install what building and
# running dmacheck needs (apt; sudo when not root), build the dmacheck CLI
# from this checkout of the action against LLVM N, and install it into
# PREFIX (default $RUNNER_TEMP/dmacheck). Prints the installed binary's path
# and writes it to $GITHUB_OUTPUT as "dmacheck".
#
#   DMACHECK_LLVM_VERSION   N (default 19)
#   DMACHECK_PREFIX         PREFIX
#   DMACHECK_SKIP_APT       set: install nothing (the packages are there)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
v=${DMACHECK_LLVM_VERSION:-19}
tmp=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
prefix=${DMACHECK_PREFIX:-$tmp/dmacheck}
build=$tmp/dmacheck-build-llvm$v

if [ -z "${DMACHECK_SKIP_APT:-}" ]; then
  # The CLI only: the compiler and LLVM/Clang's development files; gzip for
  # the man page; mingw-w64's DDK headers for the embedded default
  # configuration (drivers that include <wdm.h> with no WDK); git and
  # python3 for the run step.
  pkgs=(cmake ninja-build g++ gzip git python3 "llvm-$v-dev" "libclang-$v-dev"
        mingw-w64-x86-64-dev)
  missing=()
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    echo "dmacheck-action: installing ${missing[*]}" >&2
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

llvm=/usr/lib/llvm-$v
cmake -G Ninja -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DLLVM_DIR="$llvm/lib/cmake/llvm" -DClang_DIR="$llvm/lib/cmake/clang" \
  -DDMACHECK_WERROR=OFF >/dev/null
ninja -C "$build" dmacheck dmacheck-man >/dev/null
cmake --install "$build" --component dmacheck --prefix "$prefix" >/dev/null
"$prefix/bin/dmacheck" --version >&2
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "dmacheck=$prefix/bin/dmacheck" >>"$GITHUB_OUTPUT"
fi
echo "$prefix/bin/dmacheck"
