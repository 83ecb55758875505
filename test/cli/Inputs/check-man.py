#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""check-man.py MAN HELP VERSION: the man page documents every option that
`dmacheck --help` lists (an option tag of its OPTIONS section), documents no
option that --help-hidden does not know, and carries the version that
`dmacheck --version` prints."""
import re
import sys

man_path, help_path, version_path = sys.argv[1:4]
man = open(man_path).read()
help_text = open(help_path).read()
version = open(version_path).read()
errors = []


def unroff(line):
    line = re.sub(r"\\f[BIRP]", "", line)
    return line.replace("\\-", "-").replace('"', "")


# --help: "  --name=<value> - ..." or "  -j <uint> - ..."
listed = set(re.findall(r"^  (--?[a-zA-Z][a-zA-Z0-9-]*)", help_text, re.M))
if len(listed) < 10:
    errors.append("found only %d options in --help" % len(listed))

# The man page's option tags: the line after each .TP in OPTIONS.
section = man.split("\n.SH OPTIONS\n", 1)[1].split("\n.SH ", 1)[0]
lines = section.split("\n")
tagged = set()
for i, line in enumerate(lines):
    if line == ".TP" and i + 1 < len(lines):
        tag = unroff(lines[i + 1])
        m = re.match(r"^\.(?:B|BI|BR|I|IR)\s+(--?[a-zA-Z][a-zA-Z0-9-]*)", tag)
        if m:
            tagged.add(m.group(1))
for name in sorted(listed - tagged):
    errors.append("%s: option %s of --help is not documented" % (man_path, name))
hidden = set(re.findall(r"^  (--?[a-zA-Z][a-zA-Z0-9-]*)", help_text + open(help_path + ".hidden").read(), re.M))
for name in sorted(tagged - hidden):
    errors.append("%s: documents %s, which dmacheck does not have" % (man_path, name))

th = re.search(r'^\.TH DMACHECK 1 \S+ "dmacheck ([0-9.]+)"', man, re.M)
want = re.match(r"dmacheck ([0-9.]+)", version)
if not th or not want or th.group(1) != want.group(1):
    errors.append("%s: .TH version %s, dmacheck --version says %s" % (
        man_path, th and th.group(1), want and want.group(1)))

for e in errors:
    print(e)
if errors:
    sys.exit(1)
print("ok: %d options" % len(listed))
