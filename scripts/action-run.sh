#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# The steps of the GitHub Action (action.yml), as a script that runs the same
# anywhere (test/ci/action.test runs it with the variables GitHub sets).
#
#   action-run.sh        run dmacheck, write the SARIF and the step outputs;
#                        exits 0 when dmacheck ran, whatever it found (the
#                        SARIF is uploaded before the gate), 2 when it could
#                        not run (a bad input, no base to diff against)
#   action-run.sh gate   fail (exit 1 or 2) as the run's status says
#
# Inputs, from the environment (action.yml maps its inputs to them):
#   INPUT_BUILD_DIR           a directory with compile_commands.json (-p)
#   INPUT_FILES               files to analyse, whitespace-separated
#   INPUT_VCXPROJ             a .vcxproj to read compile commands from (--vcxproj)
#   INPUT_CHECKS              --checks globs
#   INPUT_ARGS                more arguments, with shell-like quoting, after
#                             the files (options, or "-- <compiler flags>")
#   INPUT_SARIF               the SARIF file to write (default dmacheck.sarif)
#   INPUT_SOURCE_ROOT         paths in the SARIF are relative to it (default:
#                             the workspace); the diff is taken there
#   INPUT_CHANGED_LINES_ONLY  on pull requests, only findings that touch a
#                             line the pull request adds or changes (default true)
#   INPUT_DIFF_BASE           the commit to diff against (default: the merge
#                             base with the pull request's base branch)
#   INPUT_FAIL_ON_FINDINGS    findings fail the gate (default true); input
#                             errors (exit status 2) always do
#   DMACHECK                  the dmacheck binary (default: dmacheck on PATH)
# and GitHub's: GITHUB_EVENT_NAME, GITHUB_BASE_REF, GITHUB_WORKSPACE,
# GITHUB_OUTPUT (sarif, findings, exit-code, status), GITHUB_STEP_SUMMARY.
set -euo pipefail

say() { echo "dmacheck-action: $*" >&2; }

output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "$1=$2" >>"$GITHUB_OUTPUT"
  fi
}

if [ "${1:-}" = gate ]; then
  status=${STATUS:-2}
  case "$status" in
    0) say "passed" ;;
    1) say "failed: ${FINDINGS:-some} finding(s)${GATED_BY_DIFF:+ on the lines this pull request changes}" ;;
    *) say "failed: some input could not be analysed (see the dmacheck step's log)"; status=2 ;;
  esac
  exit "$status"
fi

dmacheck=${DMACHECK:-dmacheck}
workspace=${GITHUB_WORKSPACE:-$PWD}
root=${INPUT_SOURCE_ROOT:-$workspace}
root=$(cd "$root" && pwd)
sarif=${INPUT_SARIF:-dmacheck.sarif}
case "$sarif" in
  /*) ;;
  *) sarif=$PWD/$sarif ;;
esac
mkdir -p "$(dirname "$sarif")"
rm -f "$sarif"

args=(--format=sarif -o "$sarif" "--source-root=$root")
[ -z "${INPUT_BUILD_DIR:-}" ] || args+=(-p "$INPUT_BUILD_DIR")
[ -z "${INPUT_VCXPROJ:-}" ] || args+=("--vcxproj=$INPUT_VCXPROJ")
[ -z "${INPUT_CHECKS:-}" ] || args+=("--checks=$INPUT_CHECKS")

# Changed lines: the pull request's change, from the merge base with its base
# branch (actions/checkout with fetch-depth: 0; a merge commit checked out
# with its parents, fetch-depth: 2, also works).
gated=
diff=
trap '[ -z "$diff" ] || rm -f "$diff"' EXIT
event=${GITHUB_EVENT_NAME:-}
if [ "${INPUT_CHANGED_LINES_ONLY:-true}" = true ] &&
   { [ "$event" = pull_request ] || [ "$event" = pull_request_target ]; }; then
  git=(git -C "$root")
  base=${INPUT_DIFF_BASE:-}
  if [ -z "$base" ]; then
    if [ -z "${GITHUB_BASE_REF:-}" ]; then
      say "error: a pull request with no GITHUB_BASE_REF; set diff-base, or changed-lines-only: false"
      exit 2
    fi
    ref=refs/remotes/origin/$GITHUB_BASE_REF
    if ! "${git[@]}" rev-parse -q --verify "$ref^{commit}" >/dev/null; then
      "${git[@]}" fetch -q --no-tags origin "+refs/heads/$GITHUB_BASE_REF:$ref" ||
        say "warning: could not fetch '$GITHUB_BASE_REF' from origin"
    fi
    if base=$("${git[@]}" merge-base "$ref" HEAD 2>/dev/null); then
      :
    elif "${git[@]}" rev-parse -q --verify 'HEAD^2^{commit}' >/dev/null &&
         "${git[@]}" rev-parse -q --verify 'HEAD^1^{commit}' >/dev/null; then
      base=$("${git[@]}" rev-parse 'HEAD^1')   # the merge commit's base side
    else
      say "error: no merge base of origin/$GITHUB_BASE_REF and HEAD: check out the history (actions/checkout with fetch-depth: 0), or set diff-base"
      exit 2
    fi
  fi
  diff=$(mktemp)
  # Paths relative to the source root, as dmacheck reads them.
  if ! (cd "$root" && git diff -U0 --no-color --no-ext-diff --relative "$base" HEAD) >"$diff"; then
    say "error: git diff against '$base' failed"
    exit 2
  fi
  say "changed lines only: the diff of HEAD against $base ($(grep -c '^+++ ' "$diff" || true) file(s))"
  args+=("--diff=$diff")
  gated=1
fi

files=()
if [ -n "${INPUT_FILES:-}" ]; then
  read -r -d '' -a files <<<"$INPUT_FILES" || true
fi
extra=()
if [ -n "${INPUT_ARGS:-}" ]; then
  # Shell-like words (quotes, backslashes) with no expansion of any kind.
  words=$(mktemp)
  if ! printf '%s' "$INPUT_ARGS" | xargs -r printf '%s\0' >"$words"; then
    rm -f "$words"
    say "error: cannot split args into words (an unmatched quote?): $INPUT_ARGS"
    exit 2
  fi
  mapfile -d '' -t extra <"$words"
  rm -f "$words"
fi

say "running: $dmacheck ${args[*]} ${files[*]} ${extra[*]}"
set +e
"$dmacheck" "${args[@]}" "${files[@]}" "${extra[@]}"
code=$?
set -e

findings=0
if [ -f "$sarif" ]; then
  # The findings, in the log as in a terminal, and their count.
  findings=$(python3 - "$sarif" <<'EOF'
import json, sys
results = [r for run in json.load(open(sys.argv[1])).get("runs", [])
           for r in run.get("results", [])]
for r in results:
    loc = r.get("locations", [{}])[0].get("physicalLocation", {})
    region = loc.get("region", {})
    sys.stderr.write("%s:%s:%s: %s: %s [%s]\n" % (
        loc.get("artifactLocation", {}).get("uri", "?"), region.get("startLine", 0),
        region.get("startColumn", 0), r.get("level", "warning"),
        r.get("message", {}).get("text", ""), r.get("ruleId", "")))
print(len(results))
EOF
)
  output sarif "$sarif"
else
  say "dmacheck wrote no SARIF (exit status $code)"
fi

status=$code
if [ "$code" = 1 ] && [ "${INPUT_FAIL_ON_FINDINGS:-true}" != true ]; then
  status=0
fi
case "$code" in 0|1|2) ;; *) status=2 ;; esac
output findings "$findings"
output exit-code "$code"
output status "$status"
output gated-by-diff "${gated:+true}"
say "dmacheck exit status $code, $findings finding(s)${gated:+ on changed lines}"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  echo "dmacheck: $findings finding(s)${gated:+ on the lines this pull request changes}, exit status $code" >>"$GITHUB_STEP_SUMMARY"
fi
exit 0
