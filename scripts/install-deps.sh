#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Installs what a fresh Debian 12 machine lacks to build and test dmacheck:
# LLVM/Clang (19, the default, and 14, the oldest supported) with their
# clang-tidy, lit and FileCheck; mingw-w64's DDK headers, gcc and g++ (the
# bundled drivers parse against ddk/wdm.h and must compile with gcc or g++
# -Werror); python3-jsonschema for the SARIF tests, python3-yaml for the
# GitHub Action's; libxml2-dev (MSBuild projects are read with libxml2);
# dpkg-dev (dpkg-shlibdeps declares the packages' library dependencies),
# groff-base (the man page test), git (the pre-commit and GitHub Action
# tests) and chromium with a font (headless: the HTML report is rendered and
# a screenshot taken). Only missing packages are installed.
set -euo pipefail

versions=${DMACHECK_LLVM_VERSIONS:-"19 14"}
pkgs=(cmake ninja-build g++ python3 python3-jsonschema python3-yaml libxml2-dev
      mingw-w64-x86-64-dev gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64
      dpkg-dev groff-base git chromium fonts-dejavu-core)
for v in $versions; do
  pkgs+=("llvm-$v-dev" "libclang-$v-dev" "clang-$v" "clang-tidy-$v" "llvm-$v-tools")
done

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: everything is installed"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
