#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Run one scenario through both front ends and demand that they agree.

    both.py --dmacheck BIN [--tidy BIN --plugin SO] [--tidy-exe BIN] -- <file> [-- <flags>]

Runs the dmacheck CLI, clang-tidy with the dma plugin and (when built)
dmacheck-tidy on the same file and flags, fails if their findings (stdout)
differ in any line, note or caret,
checks dmacheck's exit status (1 with findings, 0 without), and prints the
shared output for FileCheck.
"""
import argparse
import difflib
import subprocess
import sys


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dmacheck", required=True)
    p.add_argument("--tidy")
    p.add_argument("--plugin")
    p.add_argument("--tidy-exe", help="dmacheck-tidy (clang-tidy with the module linked in)")
    p.add_argument("--dmacheck-arg", action="append", default=[])
    p.add_argument("--tidy-arg", action="append", default=[])
    p.add_argument("rest", nargs=argparse.REMAINDER)
    a = p.parse_args()
    rest = a.rest[1:] if a.rest[:1] == ["--"] else a.rest

    cli = subprocess.run([a.dmacheck] + a.dmacheck_arg + rest,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         universal_newlines=True)
    sys.stderr.write(cli.stderr)
    has_findings = "warning:" in cli.stdout
    want = 1 if has_findings else 0
    if cli.returncode != want:
        sys.stderr.write("both.py: dmacheck exited %d, expected %d\n"
                         % (cli.returncode, want))
        sys.stdout.write(cli.stdout)
        return 1

    if a.tidy and a.plugin:
        tidy = subprocess.run([a.tidy, "--load=" + a.plugin,
                               "--checks=-*,dma-*", "--quiet"]
                              + a.tidy_arg + rest,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True)
        if tidy.returncode != 0:
            sys.stderr.write(tidy.stderr)
            sys.stderr.write("both.py: clang-tidy exited %d\n" % tidy.returncode)
            return 1
        if tidy.stdout != cli.stdout:
            sys.stderr.write("both.py: the front ends disagree "
                             "(- dmacheck, + clang-tidy):\n")
            sys.stderr.writelines(difflib.unified_diff(
                cli.stdout.splitlines(True), tidy.stdout.splitlines(True)))
            return 1
    if a.tidy_exe:
        exe = subprocess.run([a.tidy_exe, "--checks=-*,dma-*", "--quiet"]
                             + a.tidy_arg + rest,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             universal_newlines=True)
        if exe.returncode != 0 or exe.stdout != cli.stdout:
            sys.stderr.write(exe.stderr)
            sys.stderr.write("both.py: dmacheck-tidy disagrees (exit %d; "
                             "- dmacheck, + dmacheck-tidy):\n" % exe.returncode)
            sys.stderr.writelines(difflib.unified_diff(
                cli.stdout.splitlines(True), exe.stdout.splitlines(True)))
            return 1
    sys.stdout.write(cli.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
