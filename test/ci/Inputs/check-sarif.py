#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""check-sarif.py SCHEMA FILE: validate a SARIF log against the OASIS 2.1.0
schema and print a digest of it for FileCheck."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
log = json.load(open(sys.argv[2]))
jsonschema.Draft4Validator.check_schema(schema)
errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log),
                key=lambda e: list(e.path))
for e in errors:
    print("SCHEMA ERROR:", list(e.path), e.message)
run = log["runs"][0]
print("valid" if not errors else "invalid")
print("tool", run["tool"]["driver"]["name"])
for r in run["tool"]["driver"]["rules"]:
    print("rule", r["id"], r["helpUri"].endswith(r["id"] + ".md"))
print("srcroot", run.get("originalUriBaseIds", {}).get("SRCROOT", {}).get("uri", "-").startswith("file:///"))
for res in run["results"]:
    loc = res["locations"][0]["physicalLocation"]
    steps = res["codeFlows"][0]["threadFlows"][0]["locations"]
    print("result", res["ruleId"], res["level"],
          loc["artifactLocation"].get("uriBaseId", "-"), loc["artifactLocation"]["uri"],
          loc["region"]["startLine"], loc["region"]["startColumn"],
          "steps=%d" % len(steps), "related=%d" % len(res.get("relatedLocations", [])),
          "fingerprint=%s" % ("yes" if res["partialFingerprints"]["dmacheckFingerprint/v1"] else "no"))
    print("  message", res["message"]["text"])
    for s in steps:
        print("  step", s["location"]["physicalLocation"]["region"]["startLine"],
              s["location"]["message"]["text"])
    for f in res.get("fixes", []):
        for c in f["artifactChanges"]:
            for r in c["replacements"]:
                d = r["deletedRegion"]
                print("  fix", c["artifactLocation"].get("uriBaseId", "-"),
                      c["artifactLocation"]["uri"],
                      "%d:%d-%d:%d" % (d["startLine"], d["startColumn"],
                                       d["endLine"], d["endColumn"]),
                      repr(r["insertedContent"]["text"]))
inv = run["invocations"][0]
print("executionSuccessful", inv["executionSuccessful"])
for n in inv.get("toolExecutionNotifications", []):
    print("notification", n["level"], n["message"]["text"])
