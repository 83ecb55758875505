#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""sarif-results.py FILE: one line per result of a SARIF log (its file, line
and rule), sorted, then the count, for FileCheck."""
import json
import sys

log = json.load(open(sys.argv[1]))
results = [r for run in log["runs"] for r in run["results"]]
lines = []
for r in results:
    loc = r["locations"][0]["physicalLocation"]
    lines.append("result %s:%d %s" % (loc["artifactLocation"]["uri"],
                                      loc["region"]["startLine"], r["ruleId"]))
for line in sorted(lines):
    print(line)
print("results %d" % len(results))
