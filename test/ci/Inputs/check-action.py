#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""check-action.py ROOT: action.yml and what it relies on agree: every input
is used by a step and documented in docs/ci.md; the run step maps each
INPUT_* variable scripts/action-run.sh reads from its input; the outputs
are ones the script writes; the example workflow uses the action with inputs
it has."""
import os
import re
import sys

import yaml

root = sys.argv[1]
errors = []
action = yaml.safe_load(open(os.path.join(root, "action.yml")))
script = open(os.path.join(root, "scripts", "action-run.sh")).read()
docs = open(os.path.join(root, "docs", "ci.md")).read()
inputs = action["inputs"]
steps = action["runs"]["steps"]
if action["runs"]["using"] != "composite":
    errors.append("not a composite action")
text = yaml.safe_dump(steps)

run = [s for s in steps if s.get("id") == "run"]
if len(run) != 1 or "action-run.sh" not in run[0].get("run", ""):
    errors.append("no step 'run' running scripts/action-run.sh")
env = run[0].get("env", {}) if run else {}
for var in sorted(set(re.findall(r"\bINPUT_[A-Z_]+", script))):
    name = var[len("INPUT_"):].lower().replace("_", "-")
    if name not in inputs:
        errors.append("action-run.sh reads %s, but there is no input '%s'" % (var, name))
    elif env.get(var) != "${{ inputs.%s }}" % name:
        errors.append("the run step does not set %s from inputs.%s" % (var, name))
for name, spec in inputs.items():
    if "inputs.%s " % name not in text and "inputs.%s}" % name not in text.replace(" }", "}"):
        errors.append("input '%s' is used by no step" % name)
    if not spec.get("description"):
        errors.append("input '%s' has no description" % name)
    if "`%s`" % name not in docs:
        errors.append("docs/ci.md does not document input '%s'" % name)
written = set(re.findall(r"^\s*output ([a-z-]+) ", script, re.M))
for name, spec in action.get("outputs", {}).items():
    m = re.fullmatch(r"\$\{\{ steps\.run\.outputs\.([a-z-]+) \}\}", spec["value"])
    if not m or m.group(1) not in written:
        errors.append("output '%s' is not written by action-run.sh" % name)
    if "`%s`" % name not in docs:
        errors.append("docs/ci.md does not document output '%s'" % name)
for s in steps:
    for ref in re.findall(r"steps\.run\.outputs\.([a-z-]+)", yaml.safe_dump(s)):
        if ref not in written:
            errors.append("a step reads steps.run.outputs.%s, which is never written" % ref)
upload = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
if len(upload) != 1:
    errors.append("no upload-sarif step")
gate = [s for s in steps if "action-run.sh\" gate" in s.get("run", "")]
if len(gate) != 1 or gate[0].get("env", {}).get("STATUS") != "${{ steps.run.outputs.status }}":
    errors.append("no gate step reading the run's status")
elif steps[-1] is not gate[0]:
    errors.append("the gate is not the last step")

example = yaml.safe_load(open(os.path.join(root, "examples", "ci", "github-action.yml")))
uses = [s for job in example["jobs"].values() for s in job["steps"]
        if re.fullmatch(r"[^/]+/dmacheck@v\d+", str(s.get("uses", "")))]
if len(uses) != 1:
    errors.append("examples/ci/github-action.yml does not use <owner>/dmacheck@vN")
for key in (uses[0].get("with", {}) if uses else {}):
    if key not in inputs:
        errors.append("the example gives input '%s', which the action lacks" % key)

for e in errors:
    print("error:", e)
if errors:
    sys.exit(1)
print("ok: %d inputs, %d outputs" % (len(inputs), len(action.get("outputs", {}))))
