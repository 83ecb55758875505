#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""What a command writes on its standard error, made visible for FileCheck:
carriage returns as a new line starting <CR>, the erase-line sequence as <EL>,
and <END> after the last byte.

  terminal.py [--columns N] -- command...   run the command with standard
      error on a pseudo-terminal (raw mode; N columns when given) and standard
      output discarded; exit with the command's status
  terminal.py --file FILE                   show what a file holds
"""
import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import tty


def show(data):
    text = data.decode("utf-8", "replace")
    text = text.replace("\x1b[K", "<EL>").replace("\r", "\n<CR>")
    sys.stdout.write(text + "\n<END>\n")


args = sys.argv[1:]
if args[:1] == ["--file"]:
    with open(args[1], "rb") as f:
        show(f.read())
    sys.exit(0)
columns = 0
if args[:1] == ["--columns"]:
    columns = int(args[1])
    args = args[2:]
if args[:1] == ["--"]:
    args = args[1:]

master, slave = pty.openpty()
tty.setraw(slave)
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=slave)
os.close(slave)
out = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:  # EIO: every writer has closed the terminal
        break
    if not chunk:
        break
    out += chunk
status = p.wait()
show(out)
sys.exit(status)
