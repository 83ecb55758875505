#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""expect-exit.py N [--merge] -- command...: run the command, pass its output
through byte for byte (stderr after stdout with --merge, for FileCheck),
fail unless it exited with status N."""
import subprocess
import sys

want = int(sys.argv[1])
args = sys.argv[2:]
merge = False
if args[:1] == ["--merge"]:
    merge = True
    args = args[1:]
if args[:1] == ["--"]:
    args = args[1:]
# Bytes, passed through as they are (a progress line's \r included).
p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
sys.stdout.buffer.write(p.stdout)
sys.stdout.flush()
(sys.stdout.buffer if merge else sys.stderr.buffer).write(p.stderr)
if p.returncode != want:
    sys.stderr.write("expect-exit.py: exit status %d, expected %d\n"
                     % (p.returncode, want))
    sys.exit(1)
