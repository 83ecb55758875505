#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# scripts/test-package.sh [LLVM_VERSION]: build the Debian packages for LLVM
# N (default 19; scripts/package.sh), install them with apt-get, run the
# quick start against the installed files (/usr/bin/dmacheck,
# /usr/bin/dmacheck-tidy, the plugin in /usr/lib/llvm-N/lib loaded into
# clang-tidy-N; scripts/quickstart-check.sh) and remove them again.
# Needs root, or sudo without a password, and a machine with no dmacheck
# installed (the removal would take it away): without them, says so and
# exits 77 (skipped).
set -euo pipefail
cd "$(dirname "$0")/.."
v=${1:-19}

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "test-package: skipped: installing packages needs root or password-less sudo" >&2
    exit 77
  fi
fi
for f in /usr/bin/dmacheck /usr/bin/dmacheck-tidy; do
  if [ -e "$f" ]; then
    echo "test-package: skipped: $f is already installed ($(dpkg -S "$f" 2>/dev/null || echo 'by no package')); not replacing it" >&2
    exit 77
  fi
done

mapfile -t debs < <(bash scripts/package.sh "$v")
[ ${#debs[@]} -gt 0 ] || { echo "test-package: no package built" >&2; exit 1; }
names=()
for d in "${debs[@]}"; do
  echo "test-package: built $d"
  names+=("$(dpkg-deb -f "$d" Package)")
done

remove() {
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get remove -y -qq --purge "${names[@]}" >/dev/null 2>&1 || true
}
trap remove EXIT
# Every dependency is installed by scripts/install-deps.sh: nothing is
# downloaded. apt's and dpkg's output is shown only when they fail.
log=$(mktemp)
trap 'remove; rm -f "$log"' EXIT
if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${debs[@]}" >"$log" 2>&1; then
  cat "$log" >&2
  echo "test-package: apt-get install failed" >&2
  exit 1
fi
echo "test-package: installed ${names[*]}"
for n in "${names[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$n" 2>/dev/null | grep -q "install ok installed"; then
    echo "test-package: $n did not install" >&2
    exit 1
  fi
done

status=0
plugin=/usr/lib/llvm-$v/lib/libdmacheck-tidy-plugin.so
for f in /usr/bin/dmacheck /usr/bin/dmacheck-tidy "$plugin" /usr/share/man/man1/dmacheck.1.gz \
         /usr/share/doc/dmacheck/README.md; do
  if [ ! -f "$f" ]; then
    echo "test-package: FAIL: $f is not installed" >&2
    status=1
  fi
done
echo "test-package: $(/usr/bin/dmacheck --version)"
bash scripts/quickstart-check.sh /usr/bin/dmacheck "/usr/bin/clang-tidy-$v" "$plugin" /usr/bin/dmacheck-tidy || status=1
# The man page formats with no warning.
if command -v groff >/dev/null; then
  if [ -n "$(gzip -dc /usr/share/man/man1/dmacheck.1.gz | groff -man -Tutf8 -ww -z 2>&1)" ]; then
    echo "test-package: FAIL: groff warns about dmacheck(1)" >&2
    status=1
  fi
fi

remove
for n in "${names[@]}"; do
  if dpkg-query -W -f='${Status}' "$n" 2>/dev/null | grep -q "install ok installed"; then
    echo "test-package: FAIL: $n is still installed" >&2
    status=1
  fi
done
if [ -e /usr/bin/dmacheck ] || [ -e "$plugin" ]; then
  echo "test-package: FAIL: files left after the removal" >&2
  status=1
fi
[ $status -eq 0 ] && echo "test-package: ok (LLVM $v: installed, quick start, removed)"
exit $status
