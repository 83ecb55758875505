#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""dmacheck's robustness run (issue 8).

    python3 scripts/robustness.py --dmacheck build/llvm-19/checker/dmacheck \
        [--mutants N] [--seed S] [--timeout SEC] [--csmith [--csmith-programs N]]
        [--out DIR] [-j N] [--no-shapes] [--slow SEC]

The default (300 mutants, the shapes, 2 parallel runs) takes about a minute
on 2 cores, for CI. The same seed gives the same inputs.

Three kinds of input, all generated deterministically from --seed:

  (a) mutants: every .c file of test/checks, test/engine, test/tidy,
      test/cli/Inputs, examples/ and test/fixtures/reference-driver/, mutated
      line by line and statement by statement (a line deleted, duplicated or
      swapped with another, a '{' or '}' removed, a DMA call's argument
      replaced by another identifier of the function, a goto/return/break
      deleted); N mutants in all, spread over the files; half of them with
      -DDMA_MINI;
  (b) with --csmith: random programs from csmith (Debian package 'csmith',
      headers from 'libcsmith-dev'), with a DMA prelude and map / flush /
      advance / free / complete calls spliced into some of their functions;
  (c) pathological shapes: a 10,000-case switch, 500-deep nesting,
      irreducible gotos, computed goto, recursion, K&R definitions, huge macro
      expansions and a few more, each run plainly and with --verbose (which
      says the functions that were only partly analysed).

A run is fine when dmacheck exits 0 or 1 with no compile error on stderr, or
exits 2 with an "error:" on stderr. Anything else is a failure: another exit
status (negative: a signal), a timeout, or "LLVM ERROR", "Assertion ... failed",
"Stack dump", a sanitizer report, "runtime error:", or dmacheck's own "internal
error" (a crash it caught and turned into exit 2) on stderr. Each failure's
input, stderr and command line are saved under --out, and the script exits 1.
The summary gives the runs by outcome, the failures, the slowest run, the run
that used the most memory and the runs slower than --slow seconds (listed,
not failed: the engine's bounds are counts, not time).

Point --dmacheck at a -DDMACHECK_SANITIZE=ON build to get sanitizer reports.
"""

import argparse
import collections
import concurrent.futures
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DDK = "/usr/x86_64-w64-mingw32/include/ddk"
TEST_INCLUDE = os.path.join(REPO, "test", "include")
CSMITH_INCLUDE = "/usr/include/csmith"
BASE_FLAGS = ["--target=x86_64-w64-mingw32", "-fms-extensions",
              "-isystem", DDK, "-I", TEST_INCLUDE]
SOURCE_DIRS = ["test/checks", "test/engine", "test/tidy", "test/cli/Inputs",
               "examples", "test/fixtures/reference-driver"]

CRASH_MARKERS = [
    ("LLVM ERROR", re.compile(r"LLVM ERROR")),
    ("Assertion", re.compile(r"Assertion .* failed|Assertion failed")),
    ("Stack dump", re.compile(r"Stack dump")),
    ("AddressSanitizer", re.compile(r"AddressSanitizer")),
    ("Sanitizer", re.compile(r"(Leak|Memory|Thread|UndefinedBehavior)Sanitizer")),
    ("runtime error:", re.compile(r"runtime error:")),
    ("stack exhausted", re.compile(r"stack overflow|stack exhausted", re.I)),
    # dmacheck catches a crash of the analysis (CrashRecoveryContext) and
    # exits 2 with this: still a crash
    ("internal error", re.compile(r"internal error")),
    ("terminate called", re.compile(r"terminate called|std::bad_alloc")),
]
COMPILE_ERROR = re.compile(r"(^|\s|:)error:", re.M)

C_KEYWORDS = set("""auto break case char const continue default do double else
enum extern float for goto if inline int long register restrict return short
signed sizeof static struct switch typedef union unsigned void volatile while
_Bool _Complex __try __finally __except __leave __int64 __declspec __cdecl
__stdcall __inline __forceinline _In_ _Out_ _Inout_ IN OUT OPTIONAL""".split())

DMA_CALL = re.compile(
    r"\b(\w*(?:MapTransfer|FlushAdapterBuffers|FreeMapRegisters|"
    r"FreeAdapterChannel|CompleteRequest|PutDmaAdapter|AllocateAdapterChannel|"
    r"ScatterGatherList)\w*|Map|Flush|Free)\s*\(")


# ---------------------------------------------------------------------------
# Running dmacheck and classifying a run

class Runner:
    def __init__(self, dmacheck, timeout, out):
        self.dmacheck = dmacheck
        self.timeout = timeout
        self.out = out
        self.lock = threading.Lock()
        self.failure_names = set()

    def _stamp(self):
        try:
            st = os.stat(self.dmacheck)
            return (st.st_mtime_ns, st.st_size)
        except OSError:
            return None

    def _wait_for_binary(self):
        # The lead may rebuild dmacheck while we run: wait until it is back
        # and has stopped changing.
        for _ in range(600):
            a = self._stamp()
            if a is not None and os.access(self.dmacheck, os.X_OK):
                time.sleep(0.05)
                if self._stamp() == a:
                    return a
            time.sleep(1)
        sys.exit("robustness: %s is missing" % self.dmacheck)

    def run(self, args, cwd=REPO):
        """Runs dmacheck ARGS. Returns (exit status, None on a timeout;
        stdout; stderr; seconds; peak resident memory in MB)."""
        for attempt in range(3):
            before = self._wait_for_binary()
            cmd = [self.dmacheck] + args
            with tempfile.TemporaryFile() as fout, tempfile.TemporaryFile() as ferr:
                start = time.monotonic()
                try:
                    p = subprocess.Popen(cmd, cwd=cwd, stdout=fout, stderr=ferr,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
                except OSError:
                    time.sleep(2)
                    continue
                # wait4 rather than wait, for the child's own peak memory
                rc, rss, delay = None, 0, 0.002
                while True:
                    pid, status, usage = os.wait4(p.pid, os.WNOHANG)
                    if pid:
                        rc = os.waitstatus_to_exitcode(status)
                        rss = usage.ru_maxrss / 1024.0
                        break
                    if time.monotonic() - start > self.timeout:
                        try:
                            os.killpg(p.pid, signal.SIGKILL)
                        except ProcessLookupError:
                            pass
                        os.wait4(p.pid, 0)
                        break
                    time.sleep(delay)
                    delay = min(0.05, delay * 1.5)
                p.returncode = rc if rc is not None else -signal.SIGKILL
                secs = time.monotonic() - start
                fout.seek(0)
                ferr.seek(0)
                out = fout.read().decode("utf-8", "replace")
                err = ferr.read().decode("utf-8", "replace")
            # A rebuild during the run can make any result meaningless: rerun.
            if self._stamp() != before and attempt < 2:
                continue
            return rc, out, err, secs, rss
        return rc, out, err, secs, rss

    @staticmethod
    def classify(rc, err, timeout):
        """Returns (outcome, failure reason or None)."""
        if rc is None:
            return "timeout", "timed out after %s s" % timeout
        for name, rx in CRASH_MARKERS:
            if rx.search(err):
                if rc < 0:
                    return "signal %d" % -rc, "%r on stderr, killed by signal %d" % (name, -rc)
                return "crash-report", "%r on stderr (exit %d)" % (name, rc)
        if rc < 0:
            return "signal %d" % -rc, "killed by signal %d" % -rc
        if rc in (0, 1):
            if COMPILE_ERROR.search(err):
                return "error-but-exit-%d" % rc, "compile errors on stderr but exit %d" % rc
            return "exit %d" % rc, None
        if rc == 2:
            if "error:" in err:
                return "exit 2", None
            return "exit 2 without error", "exit 2 with no 'error:' on stderr"
        return "exit %d" % rc, "unexpected exit status %d" % rc

    def save_failure(self, name, files, args, rc, out, err, secs, info):
        """Saves FILES {basename: text} and the run under out/failures/NAME."""
        with self.lock:
            base = re.sub(r"[^\w.-]+", "_", name)
            n, k = base, 1
            while n in self.failure_names:
                k += 1
                n = "%s.%d" % (base, k)
            self.failure_names.add(n)
        d = os.path.join(self.out, "failures", n)
        os.makedirs(d, exist_ok=True)
        for fname, text in files.items():
            with open(os.path.join(d, fname), "w") as f:
                f.write(text)
        with open(os.path.join(d, "stderr.txt"), "w") as f:
            f.write(err)
        with open(os.path.join(d, "stdout.txt"), "w") as f:
            f.write(out[:200000])
        with open(os.path.join(d, "cmd.sh"), "w") as f:
            f.write("# exit %s after %.2f s\ncd %s\n%s\n" % (
                rc, secs, shlex.quote(d),
                " ".join(shlex.quote(a) for a in [self.dmacheck] + args)))
        with open(os.path.join(d, "info.txt"), "w") as f:
            f.write(info + "\n")
        return d


class Result:
    __slots__ = ("kind", "name", "outcome", "reason", "rc", "secs", "saved",
                 "partial", "flags", "rss")

    def __init__(self, kind, name, outcome, reason, rc, secs, saved=None,
                 partial=None, flags="", rss=0.0):
        self.kind, self.name, self.outcome, self.reason = kind, name, outcome, reason
        self.rc, self.secs, self.saved, self.partial, self.flags = rc, secs, saved, partial, flags
        self.rss = rss


def run_file(runner, kind, name, text, basename, extra_dirs, flags, info,
             dmacheck_opts=(), keep_dir=None):
    """Writes TEXT as BASENAME in a fresh directory, runs dmacheck on it."""
    tmp = keep_dir or tempfile.mkdtemp(prefix="run-", dir=os.path.join(runner.out, "work"))
    path = os.path.join(tmp, basename)
    if not keep_dir or not os.path.exists(path):
        with open(path, "w") as f:
            f.write(text)
    includes = []
    for d in extra_dirs:
        includes += ["-I", d]
    args = list(dmacheck_opts) + [path, "--"] + BASE_FLAGS + includes + list(flags)
    rc, out, err, secs, rss = runner.run(args)
    outcome, reason = runner.classify(rc, err, runner.timeout)
    saved = None
    if reason:
        saved = runner.save_failure(name, {basename: text}, args, rc, out, err, secs,
                                    info)
        # cmd.sh should run the saved copy
        with open(os.path.join(saved, "cmd.sh")) as f:
            cmd = f.read().replace(shlex.quote(path), shlex.quote(os.path.join(saved, basename)))
        with open(os.path.join(saved, "cmd.sh"), "w") as f:
            f.write(cmd)
    if not keep_dir:
        shutil.rmtree(tmp, ignore_errors=True)
    partial = re.findall(r"note: function '([^']*)' partly analysed: ([^\n]*)", err)
    return Result(kind, name, outcome, reason, rc, secs, saved, partial,
                  " ".join(list(dmacheck_opts) + list(flags)), rss)


# ---------------------------------------------------------------------------
# (a) Mutants

def source_files():
    files = []
    for d in SOURCE_DIRS:
        for root, _, names in os.walk(os.path.join(REPO, d)):
            for n in names:
                if n.endswith(".c"):
                    files.append(os.path.join(root, n))
    return sorted(files)


def is_code_line(line):
    s = line.strip()
    return bool(s) and not s.startswith(("//", "/*", "*"))


def comment_free(line):
    i = line.find("//")
    return line if i < 0 else line[:i]


def matching_args(text, open_paren):
    """Spans (start, end) of the top-level arguments of the call whose '(' is
    at OPEN_PAREN, or None when the parenthesis is not closed nearby."""
    depth, start, spans = 0, open_paren + 1, []
    for i in range(open_paren, min(len(text), open_paren + 4000)):
        c = text[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                if text[start:i].strip():
                    spans.append((start, i))
                return spans
        elif c == "," and depth == 1:
            spans.append((start, i))
            start = i + 1
        elif c == ";" and depth <= 1:
            return None
    return None


def scope_identifiers(text, pos):
    """Identifiers used in the function around POS (from the end of the
    previous top-level '}' to POS), not called and not keywords."""
    begin = text.rfind("\n}", 0, pos)
    region = text[begin + 1 if begin >= 0 else 0:pos]
    region = re.sub(r"//[^\n]*|/\*.*?\*/", " ", region, flags=re.S)
    ids = set()
    for m in re.finditer(r"(?<![\w.>])[A-Za-z_]\w*\b(?!\s*\()", region):
        w = m.group(0)
        if w not in C_KEYWORDS and not region[:m.start()].rstrip().endswith(("->", ".")):
            ids.add(w)
    return sorted(ids)


DECL = re.compile(r"(?:\b(?:const|volatile|register|static)\s+)*\b([A-Za-z_]\w*)\s+(\**)\s*"
                  r"([A-Za-z_]\w*)\s*(?=[=;,)\[])")
INT_TYPES = {"ULONG", "LONG", "BOOLEAN", "NTSTATUS", "UCHAR", "CHAR", "USHORT", "SHORT",
             "ULONG_PTR", "ULONGLONG", "LONGLONG", "SIZE_T", "int", "unsigned", "long",
             "short", "char", "KIRQL", "CCHAR"}
NOT_TYPES = C_KEYWORDS - {"int", "unsigned", "long", "short", "char", "void"}


def declared(region):
    """{name: 'ptr' | 'int'} for the variables and parameters declared in
    REGION (a function up to some point), by their declared type's spelling."""
    kinds = {}
    region = re.sub(r"//[^\n]*|/\*.*?\*/", " ", region, flags=re.S)
    for m in DECL.finditer(region):
        t, stars, name = m.groups()
        if t in NOT_TYPES or name in C_KEYWORDS:
            continue
        if stars or (t.startswith("P") and t.isupper()) or t == "PVOID":
            kinds[name] = "ptr"
        elif t in INT_TYPES:
            kinds[name] = "int"
    return kinds


def is_declaration(line):
    m = DECL.match(comment_free(line).strip())
    return bool(m) and m.group(1) not in NOT_TYPES


class Mutator:
    def __init__(self, rng, text):
        self.rng = rng
        self.lines = text.split("\n")
        self.log = []

    def text(self):
        return "\n".join(self.lines)

    def _code_line(self):
        idx = [i for i, l in enumerate(self.lines) if is_code_line(l)]
        if not idx or self.rng.random() < 0.05:
            idx = list(range(len(self.lines)))
        return self.rng.choice(idx)

    def _statement_lines(self):
        """Lines that hold one complete statement (not a declaration): end
        with ';', balanced parentheses, and the code line before ends a
        statement or a block. Deleting, duplicating or swapping these mostly
        still compiles."""
        out, prev = [], "{"
        for i, l in enumerate(self.lines):
            c = comment_free(l).strip()
            if not is_code_line(l):
                continue
            if (c.endswith(";") and c.count("(") == c.count(")") and not c.startswith(("}", "for", "else"))
                    and prev.endswith((";", "{", "}", ":")) and not is_declaration(c)):
                out.append(i)
            prev = c
        return out

    def delete_statement(self):
        idx = self._statement_lines()
        if not idx:
            return False
        i = self.rng.choice(idx)
        self.log.append("delete statement at line %d: %s" % (i + 1, self.lines[i].strip()[:60]))
        del self.lines[i]
        return True

    def duplicate_statement(self):
        idx = self._statement_lines()
        if not idx:
            return False
        i = self.rng.choice(idx)
        self.log.append("duplicate statement at line %d: %s" % (i + 1, self.lines[i].strip()[:60]))
        self.lines.insert(i, self.lines[i])
        return True

    def swap_statements(self):
        idx = self._statement_lines()
        if len(idx) < 2:
            return False
        k = self.rng.randrange(len(idx))
        if self.rng.random() < 0.7:
            j = idx[min(len(idx) - 1, max(0, k + self.rng.choice([-1, 1]) * self.rng.randint(1, 4)))]
        else:
            j = self.rng.choice(idx)
        i = idx[k]
        if i == j:
            return False
        self.log.append("swap statements at lines %d and %d" % (i + 1, j + 1))
        self.lines[i], self.lines[j] = self.lines[j], self.lines[i]
        return True

    def delete_line(self):
        i = self._code_line()
        self.log.append("delete line %d: %s" % (i + 1, self.lines[i].strip()[:60]))
        del self.lines[i]
        return True

    def duplicate_line(self):
        i = self._code_line()
        self.log.append("duplicate line %d: %s" % (i + 1, self.lines[i].strip()[:60]))
        self.lines.insert(i, self.lines[i])
        return True

    def swap_lines(self):
        i = self._code_line()
        if self.rng.random() < 0.7:
            j = min(len(self.lines) - 1, max(0, i + self.rng.choice([-1, 1]) * self.rng.randint(1, 8)))
        else:
            j = self._code_line()
        if i == j:
            return False
        self.log.append("swap lines %d and %d" % (i + 1, j + 1))
        self.lines[i], self.lines[j] = self.lines[j], self.lines[i]
        return True

    def remove_brace(self):
        spots = [(i, m.start()) for i, l in enumerate(self.lines)
                 for m in re.finditer(r"[{}]", comment_free(l))]
        if not spots:
            return False
        i, c = self.rng.choice(spots)
        l = self.lines[i]
        self.log.append("remove '%s' at %d:%d" % (l[c], i + 1, c + 1))
        self.lines[i] = l[:c] + l[c + 1:]
        return True

    def _dma_calls(self, text):
        calls = []
        for m in DMA_CALL.finditer(text):
            ls = text.rfind("\n", 0, m.start()) + 1
            before = text[ls:m.start()]
            if "//" in before or before.strip().startswith(("*", "/*", "#")):
                continue
            spans = matching_args(text, m.end() - 1)
            if spans:
                calls.append((m, spans))
        return calls

    # What each argument of the main calls is, when the argument is not a
    # plain variable whose declaration says: 'ptr', 'int' or '&int'.
    POSITIONS = {
        "MapTransfer": ["ptr", "ptr", "ptr", "ptr", "&int", "int"],
        "FlushAdapterBuffers": ["ptr", "ptr", "ptr", "ptr", "int", "int"],
        "FreeMapRegisters": ["ptr", "ptr", "int"],
        "FreeAdapterChannel": ["ptr"], "PutDmaAdapter": ["ptr"],
        "CompleteRequest": ["ptr", "int"],
    }

    def _category(self, callee, index, arg, kinds):
        a = arg.strip()
        if a.startswith("&") and re.fullmatch(r"&\s*\w+", a):
            return "&int"
        if a in kinds:
            return kinds[a]
        if a in ("TRUE", "FALSE") or re.fullmatch(r"\d+|0x[0-9a-fA-F]+", a):
            return "int"
        for k, cats in self.POSITIONS.items():
            if k in callee and index < len(cats):
                return cats[index]
        return None

    def replace_dma_arg(self):
        """Replaces an argument of a DMA call with another variable of the
        function, of the same kind (pointer or integer) 4 times in 5, so that
        most mutants still compile and reach the checks."""
        text = self.text()
        calls = self._dma_calls(text)
        if not calls:
            return False
        m, spans = self.rng.choice(calls)
        index = self.rng.randrange(len(spans))
        a, b = spans[index]
        begin = text.rfind("\n}", 0, m.start())
        kinds = declared(text[begin + 1 if begin >= 0 else 0:m.start()])
        old = text[a:b].strip()
        cat = self._category(m.group(1), index, old, kinds)
        if cat and self.rng.random() < 0.8:
            want = "int" if cat == "&int" else cat
            ids = sorted(n for n, k in kinds.items() if k == want)
            if cat == "int":
                ids += ["TRUE", "FALSE", "0", "0x2000"]
            if cat == "&int":
                ids = ["&" + n for n in ids]
        else:
            ids = scope_identifiers(text, m.start())
        ids = [w for w in ids if w != old]
        if not ids:
            return False
        new = self.rng.choice(ids)
        lead = text[a:b][:len(text[a:b]) - len(text[a:b].lstrip())]
        text = text[:a] + lead + new + text[b:]
        line = text.count("\n", 0, m.start()) + 1
        self.log.append("line %d: %s argument %d '%s' -> '%s'" % (line, m.group(1), index + 1,
                                                                 old[:40], new))
        self.lines = text.split("\n")
        return True

    def swap_dma_args(self):
        text = self.text()
        calls = [(m, s) for m, s in self._dma_calls(text) if len(s) >= 2]
        if not calls:
            return False
        m, spans = self.rng.choice(calls)
        begin = text.rfind("\n}", 0, m.start())
        kinds = declared(text[begin + 1 if begin >= 0 else 0:m.start()])
        cats = [self._category(m.group(1), i, text[a:b], kinds) for i, (a, b) in enumerate(spans)]
        pairs = [(i, j) for i in range(len(spans)) for j in range(i + 1, len(spans))
                 if cats[i] is not None and cats[i] == cats[j]]
        if pairs and self.rng.random() < 0.9:
            i, j = self.rng.choice(pairs)
        elif self.rng.random() < 0.2:
            i, j = sorted(self.rng.sample(range(len(spans)), 2))
        else:
            return False
        (a1, b1), (a2, b2) = spans[i], spans[j]
        x, y = text[a1:b1], text[a2:b2]
        text = text[:a1] + y + text[b1:a2] + x + text[b2:]
        line = text.count("\n", 0, m.start()) + 1
        self.log.append("line %d: %s arguments %d and %d swapped: '%s' <-> '%s'" % (
            line, m.group(1), i + 1, j + 1, x.strip()[:30], y.strip()[:30]))
        self.lines = text.split("\n")
        return True

    def delete_jump(self):
        spots = [(i, m) for i, l in enumerate(self.lines)
                 for m in re.finditer(r"\b(goto\s+\w+|return\b[^;]*|break|continue|__leave)\s*;",
                                      comment_free(l))]
        if not spots:
            return False
        i, m = self.rng.choice(spots)
        l = self.lines[i]
        repl = ";" if self.rng.random() < 0.8 else ""
        self.log.append("line %d: delete '%s'" % (i + 1, m.group(0)[:50]))
        self.lines[i] = l[:m.start()] + repl + l[m.end():]
        return True

    OPS = [("delete_line", 1.5), ("delete_statement", 2), ("duplicate_line", 1),
           ("duplicate_statement", 1.5), ("swap_lines", 1), ("swap_statements", 1.5),
           ("remove_brace", 1.5), ("replace_dma_arg", 3), ("delete_jump", 2),
           ("swap_dma_args", 0.5)]

    def mutate(self):
        count = self.rng.choices([1, 2, 3, 4, 6], weights=[70, 18, 7, 3, 2])[0]
        names = [n for n, _ in self.OPS]
        weights = [w for _, w in self.OPS]
        done = 0
        for _ in range(count * 4):
            if done == count:
                break
            if getattr(self, self.rng.choices(names, weights)[0])():
                done += 1
        return self.text()


def allocate(files, total):
    """Mutants per file, proportional to the square root of its line count,
    at least one each when TOTAL allows (largest remainder, deterministic)."""
    weights = []
    for f in files:
        with open(f) as fh:
            weights.append(max(1, sum(1 for l in fh if is_code_line(l))) ** 0.5)
    s = sum(weights)
    exact = [total * w / s for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(files)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[:total - sum(counts)]:
        counts[i] += 1
    return counts


def mutant_jobs(total, seed):
    files = source_files()
    jobs = []
    for f, n in zip(files, allocate(files, total)):
        for k in range(n):
            jobs.append((f, k))
    return jobs


def run_mutant(runner, seed, index, path, k):
    with open(path) as fh:
        original = fh.read()
    rel = os.path.relpath(path, REPO)
    rng = random.Random("%s/mutant/%s/%d" % (seed, rel, k))
    mut = Mutator(rng, original)
    text = mut.mutate()
    mini = index % 2 == 1
    flags = ["-DDMA_MINI"] if mini else []
    name = "mutant-%04d-%s" % (index, os.path.basename(path)[:-2])
    info = "mutant %d (seed %s) of %s%s\n%s" % (k, seed, rel, " with -DDMA_MINI" if mini else "",
                                                "\n".join(mut.log))
    return run_file(runner, "mutant", name, text, os.path.basename(path),
                    [os.path.dirname(path)], flags, info)


# ---------------------------------------------------------------------------
# (b) csmith programs with DMA calls spliced in

CSMITH_PRELUDE = """#include "dmatest.h"
static PDMA_ADAPTER g_dma_adapter;
static PMDL g_dma_mdl;
static PVOID g_dma_mrb;
static PIRP g_dma_irp;
static PUCHAR g_dma_start;
"""


def csmith_available():
    return shutil.which("csmith") and os.path.exists(os.path.join(CSMITH_INCLUDE, "csmith.h"))


def install_csmith():
    if csmith_available():
        return True
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    print("robustness: installing csmith and libcsmith-dev with apt-get", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    r = subprocess.run(["apt-get", "install", "-y", "csmith", "libcsmith-dev"],
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if r.returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "csmith", "libcsmith-dev"],
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return bool(csmith_available())


def dma_stmt(rng, k):
    va, ln = "dma_va_%d" % k, "dma_len_%d" % k
    ops = "g_dma_adapter->DmaOperations"
    flush = rng.choice([
        "%s->FlushAdapterBuffers(g_dma_adapter, g_dma_mdl, g_dma_mrb, %s, %s, TRUE);" % (ops, va, ln),
        "IoFlushAdapterBuffers(g_dma_adapter, g_dma_mdl, g_dma_mrb, %s, %s, TRUE);" % (va, ln),
        "IoFlushAdapterBuffers(g_dma_adapter, g_dma_mdl, g_dma_mrb, g_dma_start, %s, TRUE);" % ln,
    ])
    return rng.choice([
        flush,
        "if (%s & 1) %s" % (ln, flush),
        "%s += 16; %s -= 16;" % (va, ln),
        "%s++;" % va,
        "IoFreeMapRegisters(g_dma_adapter, g_dma_mrb, 1);",
        "IoCompleteRequest(g_dma_irp, IO_NO_INCREMENT);",
        "%s->MapTransfer(g_dma_adapter, g_dma_mdl, g_dma_mrb, %s, &%s, TRUE);" % (ops, va, ln),
        "%s = g_dma_start;" % va,
        "if (%s) { %s IoCompleteRequest(g_dma_irp, IO_NO_INCREMENT); }" % (ln, flush),
    ])


def splice_csmith(rng, program):
    lines = program.split("\n")
    out = []
    fn = re.compile(r"^(static\s+)?[\w\s\*]*\bfunc_\d+\s*\(.*\)\s*$")
    i, k = 0, 0
    while i < len(lines):
        l = lines[i]
        if l.strip() == '#include "csmith.h"':
            out += CSMITH_PRELUDE.rstrip("\n").split("\n")
            out.append(l)
            i += 1
            continue
        if fn.match(l) and i + 1 < len(lines) and lines[i + 1].startswith("{") \
                and rng.random() < 0.7:
            k += 1
            va, ln = "dma_va_%d" % k, "dma_len_%d" % k
            mapcall = rng.choice([
                "g_dma_adapter->DmaOperations->MapTransfer(g_dma_adapter, g_dma_mdl, g_dma_mrb, %s, &%s, TRUE);",
                "IoMapTransfer(g_dma_adapter, g_dma_mdl, g_dma_mrb, %s, &%s, FALSE);"]) % (va, ln)
            out += [l, lines[i + 1],
                    "    PUCHAR %s = g_dma_start; ULONG %s = 0x1000;" % (va, ln),
                    "    " + mapcall]
            i += 2
            prev = lines[i - 1]
            while i < len(lines) and lines[i] != "}":
                cur = lines[i]
                s = cur.strip()
                starts_stmt = prev.rstrip().endswith((";", "{")) and not s.startswith(("else", "}", "while"))
                if starts_stmt and rng.random() < 0.15:
                    out.append("    " + dma_stmt(rng, k))
                m = re.match(r"^(\s*)return\b(.*);\s*$", cur)
                if m and rng.random() < 0.6:
                    flush = "IoFlushAdapterBuffers(g_dma_adapter, g_dma_mdl, g_dma_mrb, %s, %s, TRUE); " % (va, ln) \
                        if rng.random() < 0.6 else ""
                    cur = "%s{ %sIoCompleteRequest(g_dma_irp, IO_NO_INCREMENT); return%s; }" % (
                        m.group(1), flush, m.group(2))
                out.append(cur)
                prev = lines[i]
                i += 1
            continue
        out.append(l)
        i += 1
    return "\n".join(out)


def run_csmith(runner, seed, index, csmith_seed):
    opts = ["--max-funcs", "8"] if index % 3 else \
        ["--max-funcs", "20", "--max-block-depth", "6", "--max-expr-complexity", "12"]
    r = subprocess.run(["csmith", "--seed", str(csmith_seed)] + opts,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if r.returncode != 0:
        return Result("csmith", "csmith-%d" % csmith_seed, "csmith failed", None, None, 0.0)
    rng = random.Random("%s/csmith/%d" % (seed, index))
    text = splice_csmith(rng, r.stdout.decode("utf-8", "replace"))
    mini = index % 2 == 1
    flags = (["-DDMA_MINI"] if mini else []) + ["-I", CSMITH_INCLUDE]
    name = "csmith-%03d-seed%d" % (index, csmith_seed)
    info = "csmith --seed %d %s, DMA spliced with %s/csmith/%d%s" % (
        csmith_seed, " ".join(opts), seed, index, " with -DDMA_MINI" if mini else "")
    return run_file(runner, "csmith", name, text, "csmith%d.c" % csmith_seed, [], flags, info)


# ---------------------------------------------------------------------------
# (c) Pathological shapes

HEAD = '#include "dmatest.h"\n'
SIG = "(PDEVICE_EXTENSION Ext, PIRP Irp, ULONG Code)"
PROLOGUE = ("  PMDL Mdl = Irp->MdlAddress;\n"
            "  PUCHAR Va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);\n"
            "  ULONG Length = MmGetMdlByteCount(Mdl);\n")
MAP = ("Ext->DmaAdapter->DmaOperations->MapTransfer(Ext->DmaAdapter, Mdl, "
       "Ext->MapRegisterBase, Va, &Length, TRUE);")
FLUSH = ("Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(Ext->DmaAdapter, Mdl, "
         "Ext->MapRegisterBase, Va, Length, TRUE);")
COMPLETE = "IoCompleteRequest(Irp, IO_NO_INCREMENT);"


def cond(i):
    return "(READ_REGISTER_ULONG(&Ext->Regs->Status) & 0x%x)" % ((i % 31) + 1)


def fn(name, body):
    return "VOID %s%s {\n%s  %s\n%s}\n" % (name, SIG, PROLOGUE, MAP, body)


def shape_switch(rng, n=10000):
    cases = []
    for i in range(n):
        k = i % 7
        stmt = ["Length = %d; break;" % (i + 1),
                "Va += %d; break;" % (i + 1),
                "%s %s return;" % (FLUSH, COMPLETE),
                "Ext->Regs->Control = %d; /* falls through */" % i,
                "%s return;" % COMPLETE,
                "Ext->Regs->Control = %d; break;" % i,
                "if %s goto Done; break;" % cond(i)][k]
        cases.append("  case %d: %s\n" % (i, stmt))
    a = fn("Switch%d" % n, "  switch (Code) {\n%s  default: break;\n  }\nDone:\n  %s\n  %s\n" % (
        "".join(cases), FLUSH, COMPLETE))
    loop_cases = "".join("    case %d: %s\n" % (i, ["Va += 1; break;", "Length -= 1; break;",
                                                       "continue;", "Ext->Regs->Control = 1; break;"][i % 4])
                         for i in range(n))
    b = fn("SwitchInLoop%d" % n, "  ULONG n;\n  for (n = 0; n < Code; n++) {\n    switch "
           "(READ_REGISTER_ULONG(&Ext->Regs->Status)) {\n%s    default: break;\n    }\n  }\n  %s\n  %s\n"
           % (loop_cases, FLUSH, COMPLETE))
    return HEAD + a + b


def shape_nest(rng, depth=500, braces=True):
    opens, closes = [], []
    for i in range(depth):
        k = i % 3
        if k == 0:
            o = "if %s" % cond(i)
        elif k == 1:
            o = "while %s" % cond(i)
        else:
            o = "for (; Length > %d; Length--)" % i
        if braces:
            opens.append("%s%s {\n" % (" " * (i % 40), o))
            closes.append("%s}\n" % (" " * (i % 40)) + ("Va += 1;\n" if i % 7 == 0 else ""))
        else:
            opens.append("%s%s\n" % (" " * (i % 40), o))
    inner = "  %s %s return;\n" % (FLUSH, COMPLETE) if braces else "  { %s %s return; }\n" % (FLUSH, COMPLETE)
    body = "".join(opens) + inner + "".join(reversed(closes)) + "  %s\n" % COMPLETE
    return HEAD + fn("Nest%d%s" % (depth, "" if braces else "NoBraces"), body)


def shape_blocks(rng, depth=500):
    body = "".join("{ ULONG v%d = %d; Length -= v%d;\n" % (i, i, i) for i in range(depth))
    body += FLUSH + "\n" + "}\n" * depth + COMPLETE + "\n"
    return HEAD + fn("Blocks%d" % depth, body)


def shape_goto_web(rng, labels=300):
    body = ["  ULONG s = Code;\n  if (Code & 1) goto Inside;\n  if (Code & 2) goto L%d;\n" % (labels // 2)]
    body.append("  for (s = 0; s < Code; s++) {\n    Va += 1;\n  Inside:\n    Length -= 1;\n"
                "    if (Length == 7) goto Out;\n  }\n")
    for i in range(labels):
        stmt = rng.choice(["Va += 1;", "Length -= 1;", FLUSH, "s = s * 3 + 1;",
                           "Ext->Regs->Control = s;", "Va = (PUCHAR)MmGetMdlVirtualAddress(Mdl);",
                           "if (s == %d) { %s return; }" % (i, COMPLETE)])
        jumps = "".join("  if %s goto L%d;\n" % (cond(rng.randrange(1000)), rng.randrange(labels))
                        for _ in range(rng.randint(1, 2)))
        body.append("L%d:\n  %s\n%s" % (i, stmt, jumps))
    body.append("Out:\n  %s\n  %s\n" % (FLUSH, COMPLETE))
    # The classic two-entry loop.
    classic = ("  if (Code) goto B;\nA:\n  Va += 1;\n  if (Code & 4) goto Exit;\n"
               "B:\n  Length -= 1;\n  if (Length & 8) goto A;\nExit:\n  %s\n  %s\n" % (FLUSH, COMPLETE))
    return HEAD + fn("GotoWeb%d" % labels, "".join(body)) + fn("Irreducible", classic)


def shape_computed_goto(rng, labels=200):
    tbl = ", ".join("&&C%d" % i for i in range(labels))
    body = ["  static void *Tbl[] = { %s };\n  ULONG s = Code;\n  goto *Tbl[s %% %d];\n" % (tbl, labels)]
    for i in range(labels):
        stmt = rng.choice(["Va += 1;", "Length -= 1;", FLUSH, "s = s * 5 + 1;",
                           "%s %s return;" % (FLUSH, COMPLETE), "%s return;" % COMPLETE])
        body.append("C%d:\n  %s\n  if (s & 1) goto *Tbl[(s + %d) %% %d];\n  goto *Tbl[s %% %d];\n"
                    % (i, stmt, i, labels, labels))
    return HEAD + fn("ComputedGoto%d" % labels, "".join(body))


def shape_recursion(rng, chain=10000):
    out = [HEAD]
    out += ["VOID Chain%d%s;\n" % (i, SIG) for i in range(chain)]
    out.append(fn("Direct", "  if (Code) Direct(Ext, Irp, Code - 1);\n  %s\n  %s\n" % (FLUSH, COMPLETE)))
    out.append("VOID MutualB%s;\n" % SIG)
    out.append(fn("MutualA", "  if (Code) MutualB(Ext, Irp, Code - 1);\n  %s\n  %s\n" % (FLUSH, COMPLETE)))
    out.append(fn("MutualB", "  if (Code) MutualA(Ext, Irp, Code - 1);\n  %s\n" % COMPLETE))
    # A cycle of CHAIN functions; one in the middle maps, the first maps and
    # calls the next before flushing.
    for i in range(chain):
        call = "  if (Code) Chain%d(Ext, Irp, Code - 1);\n" % ((i + 1) % chain)
        if i == 0:
            out.append(fn("Chain0", call + "  %s\n  %s\n" % (FLUSH, COMPLETE)))
        elif i == chain // 2:
            out.append(fn("Chain%d" % i, call + "  %s\n" % FLUSH))
        else:
            out.append("VOID Chain%d%s {\n%s}\n" % (i, SIG, call))
    return "".join(out)


KNR = HEAD + r"""
VOID KnrMap(Adapter, Irp, MapRegisterBase, Write)
  PDMA_ADAPTER Adapter; PIRP Irp; PVOID MapRegisterBase; BOOLEAN Write;
{
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Adapter, Mdl, MapRegisterBase, Va, &Length, Write);
  if (Write)
    IoFlushAdapterBuffers(Adapter, Mdl, MapRegisterBase, Va, Length, Write);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

VOID KnrNoProto();

VOID KnrCaller(Ext, Irp, Code)
  PDEVICE_EXTENSION Ext; PIRP Irp; ULONG Code;
{
""" + PROLOGUE + "  " + MAP + r"""
  KnrNoProto(Ext, Va, Length, 1, 2.0);
  KnrMap(Ext->DmaAdapter, Irp);
  if (Code)
    KnrNoProto();
  """ + FLUSH + r"""
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

VOID KnrNoProto(Ext, Va, Length)
  PDEVICE_EXTENSION Ext; PUCHAR Va; ULONG Length;
{
  Ext->DmaAdapter->DmaOperations->MapTransfer(Ext->DmaAdapter, Ext->Mdl,
      Ext->MapRegisterBase, Va, &Length, FALSE);
  Va += Length;
  Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(Ext->DmaAdapter, Ext->Mdl,
      Ext->MapRegisterBase, Va, Length, FALSE);
}

VOID KnrPromoted(Ext, Irp, w, n, f)
  PDEVICE_EXTENSION Ext; PIRP Irp; BOOLEAN w; register short n; float f;
{
  PMDL Mdl = Irp->MdlAddress;
  PVOID Va = MmGetMdlVirtualAddress(Mdl);
  ULONG Length = MmGetMdlByteCount(Mdl);
  IoMapTransfer(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, &Length, w);
  while (n-- > 0 && f > 0)
    Length -= 1;
  IoFlushAdapterBuffers(Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, Length, !w);
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

VOID KnrEmpty()
{
  KnrPromoted(0, 0, 1, 2, 3.0);
  KnrPromoted();
}
"""

KNR89 = HEAD + r"""
/* C89: implicit int, implicit function declarations. */
static Implicit(Ext, Irp, Code)
  PDEVICE_EXTENSION Ext; PIRP Irp;
{
""" + PROLOGUE + "  " + MAP + r"""
  UndeclaredHelper(Ext, Va, Length);
  if (Code)
    return UndeclaredHelper2(Mdl);
  """ + FLUSH + r"""
  IoCompleteRequest(Irp, IO_NO_INCREMENT);
  return 0;
}

VOID UsesImplicit(Ext, Irp) PDEVICE_EXTENSION Ext; PIRP Irp;
{
""" + PROLOGUE + "  " + MAP + r"""
  if (Implicit(Ext, Irp, 1))
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
  """ + FLUSH + r"""
}
"""


def shape_macro(rng):
    out = [HEAD]
    out.append("#define X10(s) s s s s s s s s s s\n")
    out.append("#define STEP Va += 1; Length -= 1;\n")
    out.append("#define BRANCH if (READ_REGISTER_ULONG(&Ext->Regs->Status) & 1) Va += 1; "
               "else if (READ_REGISTER_ULONG(&Ext->Regs->Status) & 2) Length -= 1; "
               "else Ext->Regs->Control = 1;\n")
    out.append(fn("Macro10000Straight", "  X10(X10(X10(X10(STEP))))\n  %s\n  %s\n" % (FLUSH, COMPLETE)))
    out.append(fn("Macro10000Branches", "  X10(X10(X10(X10(BRANCH))))\n  %s\n  %s\n" % (FLUSH, COMPLETE)))
    # 200 levels of macros around the map and the flush
    out.append("#define W0(x) x\n")
    out += ["#define W%d(x) W%d(x)\n" % (i, i - 1) for i in range(1, 200)]
    out.append("VOID MacroDeep%s {\n%s  W199(%s)\n  if %s W199(%s)\n  W199(%s)\n}\n" % (
        SIG, PROLOGUE, MAP, cond(1), FLUSH, COMPLETE))
    # a 10,000-term sum as the flush's Length, from one macro
    out.append("#define P10(x) x + x + x + x + x + x + x + x + x + x\n")
    out.append("VOID MacroSum%s {\n%s  %s\n  Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers("
               "Ext->DmaAdapter, Mdl, Ext->MapRegisterBase, Va, P10(P10(P10(P10(Length)))), TRUE);\n"
               "  %s\n}\n" % (SIG, PROLOGUE, MAP, COMPLETE))
    # 2,000 functions from one macro expansion
    out.append("#define DEF_(n) VOID MacroFn##n%s { %s %s if %s %s %s }\n" % (
        SIG, PROLOGUE.replace("\n", " "), MAP, cond(3), FLUSH, COMPLETE))
    out.append("#define DEF(n) DEF_(n)\n#define DEFN() DEF(__COUNTER__)\n")
    out.append("#define T1() DEFN() DEFN() DEFN() DEFN() DEFN() DEFN() DEFN() DEFN() DEFN() DEFN()\n")
    out.append("#define T2() T1() T1() T1() T1() T1() T1() T1() T1() T1() T1()\n")
    out.append("#define T3() T2() T2() T2() T2() T2() T2() T2() T2() T2() T2()\n")
    out.append("T3() T3()\n")
    return "".join(out)


def shape_expr_chain(rng, n=50000):
    # clang itself parses and checks these sizes (its own CFG for the
    # warnings gives out near 20,000 '&&' and 100,000 '+' terms)
    chain = " + ".join(["Length"] * n)
    andchain = " && ".join("(Code & %d)" % (i % 64 + 1) for i in range(n // 10))
    return HEAD + fn("ExprChain%d" % n,
                     "  ULONG Total = %s;\n  if (%s) Va += 1;\n  "
                     "Ext->DmaAdapter->DmaOperations->FlushAdapterBuffers(Ext->DmaAdapter, Mdl, "
                     "Ext->MapRegisterBase, Va, %s, TRUE);\n  %s\n  (void)Total;\n" % (
                         chain, andchain, " + ".join(["Length"] * (n // 10)), COMPLETE))


def shape_ternary(rng, n=2000):
    t = "".join("Code == %d ? Va + %d : " % (i, i) for i in range(n)) + "Va"
    return HEAD + fn("Ternary%d" % n, "  Va = %s;\n  %s\n  %s\n" % (t, FLUSH, COMPLETE))


def shape_branches(rng, n=2000):
    body = []
    for i in range(n):
        stmt = rng.choice(["Va += 1;", "Length -= 1;", FLUSH, MAP,
                           "IoFreeMapRegisters(Ext->DmaAdapter, Ext->MapRegisterBase, 1);",
                           "Ext->Regs->Control = %d;" % i])
        body.append("  if %s %s\n" % (cond(i), stmt))
    return HEAD + fn("Branches%d" % n, "".join(body) + "  %s\n  %s\n" % (FLUSH, COMPLETE))


def shape_many_blocks(rng, n=60000):
    body = "".join("  if (Code == %d) Ext->Regs->Control = %d;\n" % (i, i) for i in range(n))
    return HEAD + fn("Blocks%d" % n, body + "  %s\n  %s\n" % (FLUSH, COMPLETE))


def shape_straight(rng, n=50000):
    body = "".join("  Ext->Regs->Control = %d; Va += 1;\n" % i for i in range(n))
    return HEAD + fn("Straight%d" % n, body + "  %s\n  %s\n" % (FLUSH, COMPLETE))


def shape_many_transfers(rng, n=40):
    # distinct Mdls and map registers, so that no map joins an open
    # transfer: more than the engine's 6 transfers open at once
    body = []
    for i in range(n):
        body.append("  PMDL M{i} = {m}; PUCHAR V{i} = (PUCHAR)MmGetMdlVirtualAddress(M{i}); "
                    "ULONG L{i} = MmGetMdlByteCount(M{i}); PVOID R{i} = M{i}->StartVa;\n"
                    .format(i=i, m="Mdl" if i == 0 else "M%d->Next" % (i - 1)))
    for i in range(n):
        body.append("  IoMapTransfer(Ext->DmaAdapter, M{i}, R{i}, V{i}, &L{i}, TRUE);\n".format(i=i))
    for i in range(n):
        body.append("  if {c} IoFlushAdapterBuffers(Ext->DmaAdapter, M{i}, R{i}, V{i}, L{i}, TRUE);\n"
                    .format(c=cond(i), i=i))
    body.append("  %s\n  %s\n" % (FLUSH, COMPLETE))
    return HEAD + fn("Transfers%d" % n, "".join(body))


def shape_loops(rng, depth=60):
    body = "".join("%sfor (ULONG n%d = 0; n%d < Code; n%d++) { Va += 1;\n" % (" " * (i % 20), i, i, i)
                   for i in range(depth))
    body += "if (Length & 1) break;\n" + "Length -= 1; }\n" * depth
    return HEAD + fn("Loops%d" % depth, body + "  %s\n  %s\n" % (FLUSH, COMPLETE))


def shape_seh(rng, depth=100):
    body = "".join("__try { Length -= 1; if %s __leave;\n" % cond(i) for i in range(depth))
    body += "Va += 1;\n" + "".join("} __finally { if (Length == %d) { %s } }\n" % (i, FLUSH)
                                    for i in range(depth))
    body += "  %s\n" % COMPLETE
    mixed = ("  __try {\n    if (Code) return;\n    if (Code & 2) goto Out;\n    __leave;\n"
             "  } __finally {\n    %s\n  }\nOut:\n  %s\n" % (FLUSH, COMPLETE))
    return HEAD + fn("Seh%d" % depth, body) + fn("SehMixedExits", mixed)


def shape_locals_branches(rng, n=2500):
    # N initialised locals, then N branches after a map: each block keeps
    # every local's value in each of its states, so time and memory grow
    # with locals x blocks while the step count stays far below its bound.
    decls = "".join("  ULONG x%d = %d;\n" % (i, i) for i in range(n))
    branches = "".join("  if (Code & %d) Code++;\n" % ((i % 30) + 1) for i in range(n))
    return HEAD + "VOID Locals%dBranches%d%s {\n%s%s  %s\n%s  %s\n  %s\n}\n" % (
        n, n, SIG, PROLOGUE, decls, MAP, branches, FLUSH, COMPLETE)


def shape_helper_cases(rng, n=200):
    # A map helper with several ways to return (nothing mapped with various
    # constants and statuses, mapped with the cursor moved or not), called n
    # times in one block: each call forks the path once per way.
    helper = ("static ULONG MapCases(PDEVICE_EXTENSION Ext, ULONG Code) {\n"
              "  ULONG Length = Ext->Length;\n"
              "  if (Code == 1) return 1;\n"
              "  if (Code == 2) { Ext->UseDma = 0; return 2; }\n"
              "  if (Code == 3) { Ext->UseDma = 1; return 3; }\n"
              "  if (Length > Ext->Remaining) Length = Ext->Remaining;\n"
              "  Ext->StartVa = Ext->CurrentVa;\n"
              "  IoMapTransfer(Ext->DmaAdapter, Ext->Mdl, Ext->MapRegisterBase, "
              "Ext->CurrentVa, &Length, TRUE);\n"
              "  if (Code == 4) Ext->CurrentVa += Length;\n"
              "  Ext->Remaining -= Length;\n"
              "  return 0;\n}\n")
    calls = "".join("  if (MapCases(Ext, Code + %d) == 0) Code++;\n" % i for i in range(n))
    straight = "".join("  MapCases(Ext, Code + %d);\n" % i for i in range(n))
    return (HEAD + helper + fn("HelperCases%d" % n, calls + "  %s\n" % COMPLETE)
            + fn("HelperCasesStraight%d" % n, straight + "  %s\n" % COMPLETE))


def shape_clamps(rng, n=2000):
    body = "".join("  if (Length > Code + %d) Length = Code + %d;\n  Va = Code < %d ? Va : Va + 1;\n"
                   % (i, i, i) for i in range(n))
    return HEAD + fn("Clamps%d" % n, body + "  %s\n  %s\n" % (FLUSH, COMPLETE))


def shapes(seed):
    """(name, generator, [extra flag lists]). Sizes are those of issue 8 where
    it gives one."""
    bd = ["-fbracket-depth=4096"]
    return [
        ("switch-10000", lambda r: shape_switch(r, 10000), [[]]),
        ("nest-500", lambda r: shape_nest(r, 500, True), [[], bd]),
        ("nest-500-nobraces", lambda r: shape_nest(r, 500, False), [[]]),
        ("nest-3000-nobraces", lambda r: shape_nest(r, 3000, False), [[]]),
        ("blocks-500", lambda r: shape_blocks(r, 500), [[], bd]),
        ("goto-irreducible", lambda r: shape_goto_web(r, 300), [[]]),
        ("computed-goto", lambda r: shape_computed_goto(r, 200), [[]]),
        ("recursion", lambda r: shape_recursion(r, 10000), [[]]),
        ("knr", lambda r: KNR, [[], ["-std=gnu89"], ["-std=c2x"]]),
        ("knr-c89", lambda r: KNR89, [["-std=gnu89"], []]),
        ("macro-huge", shape_macro, [[]]),
        ("expr-chain-50000", lambda r: shape_expr_chain(r, 50000), [[]]),
        ("ternary-2000", lambda r: shape_ternary(r, 2000), [[], bd]),
        ("branches-2000", lambda r: shape_branches(r, 2000), [[]]),
        ("cfg-blocks-60000-ifs", lambda r: shape_many_blocks(r, 60000), [[]]),
        ("straight-50000", lambda r: shape_straight(r, 50000), [[]]),
        ("transfers-40", lambda r: shape_many_transfers(r, 40), [[]]),
        ("loops-60-nested", lambda r: shape_loops(r, 60), [[]]),
        ("seh-100-nested", lambda r: shape_seh(r, 100), [[]]),
        ("locals-x-branches-2500", lambda r: shape_locals_branches(r, 2500), [[]]),
        ("helper-cases-200", lambda r: shape_helper_cases(r, 200), [[]]),
        ("clamps-2000", lambda r: shape_clamps(r, 2000), [[]]),
    ]


def shape_jobs(seed, out):
    d = os.path.join(out, "shapes")
    os.makedirs(d, exist_ok=True)
    jobs = []
    for name, gen, variants in shapes(seed):
        text = gen(random.Random("%s/shape/%s" % (seed, name)))
        path = os.path.join(d, name + ".c")
        with open(path, "w") as f:
            f.write(text)
        for flags in variants:
            for verbose in (False, True):
                jobs.append((name, path, text, flags, verbose))
    return jobs


def run_shape(runner, name, path, text, flags, verbose):
    opts = ["--verbose"] if verbose else []
    label = "shape-%s%s%s" % (name, "".join(flags).replace("-f", "-").replace("-std=", "-"),
                              "-verbose" if verbose else "")
    return run_file(runner, "shape", label, text, os.path.basename(path), [], flags,
                    "pathological shape %s (%s)" % (name, " ".join(opts + flags)),
                    dmacheck_opts=opts, keep_dir=os.path.dirname(path))


# ---------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dmacheck", required=True, help="the dmacheck binary")
    ap.add_argument("--mutants", type=int, default=300, help="mutants in all (default 300)")
    ap.add_argument("--seed", default="8", help="seed of every random choice (default 8)")
    ap.add_argument("--timeout", type=float, default=60, help="seconds per run (default 60)")
    ap.add_argument("--csmith", action="store_true", help="also run csmith programs with DMA calls")
    ap.add_argument("--csmith-programs", type=int, default=40,
                    help="csmith programs with --csmith (default 40)")
    ap.add_argument("--no-shapes", action="store_true", help="skip the pathological shapes")
    ap.add_argument("--slow", type=float, default=5,
                    help="list runs slower than this many seconds (default 5)")
    ap.add_argument("--out", default="/tmp/dmacheck-robustness",
                    help="where failures are saved (default /tmp/dmacheck-robustness)")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="parallel runs (default 2)")
    args = ap.parse_args()

    dmacheck = os.path.abspath(args.dmacheck)
    out = os.path.abspath(args.out)
    shutil.rmtree(os.path.join(out, "failures"), ignore_errors=True)
    os.makedirs(os.path.join(out, "work"), exist_ok=True)
    runner = Runner(dmacheck, args.timeout, out)
    runner._wait_for_binary()

    tasks = []
    for index, (path, k) in enumerate(mutant_jobs(args.mutants, args.seed)):
        tasks.append((run_mutant, (runner, args.seed, index, path, k)))
    if args.csmith:
        if install_csmith():
            rng = random.Random("%s/csmith-seeds" % args.seed)
            for index in range(args.csmith_programs):
                tasks.append((run_csmith, (runner, args.seed, index, rng.randrange(1, 2 ** 31))))
        else:
            print("robustness: csmith is not available; skipping (b)", flush=True)
    if not args.no_shapes:
        for job in shape_jobs(args.seed, out):
            tasks.append((run_shape, (runner,) + job))

    start = time.monotonic()
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(f, *a) for f, a in tasks]
        for fut in concurrent.futures.as_completed(futures):
            r = fut.result()
            results.append(r)
            if r.reason:
                print("FAILURE %-14s %s: %s (%.1f s) -> %s" % (r.outcome, r.name, r.reason, r.secs,
                                                             r.saved), flush=True)
    wall = time.monotonic() - start
    order = {"mutant": 0, "csmith": 1, "shape": 2}
    results.sort(key=lambda r: (order[r.kind], r.name))

    with open(os.path.join(out, "results.tsv"), "w") as f:
        f.write("kind\tname\toutcome\texit\tseconds\tmb\tflags\tpartly analysed\n")
        for r in results:
            f.write("%s\t%s\t%s\t%s\t%.3f\t%.0f\t%s\t%s\n" % (
                r.kind, r.name, r.outcome, r.rc, r.secs, r.rss, r.flags,
                "; ".join("%s: %s" % p for p in r.partial or [])))
    shapes_done = [r for r in results if r.kind == "shape"]
    if shapes_done:
        print("\npathological shapes (time, peak memory; partly analysed functions from --verbose):")
        for r in shapes_done:
            part = ""
            if r.partial:
                part = "; partly analysed: " + ", ".join(
                    "%s (%s)" % (f, why) for f, why in r.partial[:4])
                if len(r.partial) > 4:
                    part += ", ... %d in all" % len(r.partial)
            print("  %-46s %-16s %7.2f s %6.0f MB%s" % (
                r.name, r.outcome if not r.reason else "FAILURE " + r.outcome, r.secs, r.rss, part))

    kinds = collections.Counter(r.kind for r in results)
    outcomes = collections.Counter(r.outcome for r in results)
    failures = [r for r in results if r.reason]
    print("\nruns: %d (%s) in %.0f s with %d jobs" % (
        len(results), ", ".join("%s %d" % (k, kinds[k]) for k in order if kinds[k]), wall, args.jobs))
    for kind in order:
        c = collections.Counter(r.outcome for r in results if r.kind == kind)
        if c:
            print("  %-7s %s" % (kind + ":", ", ".join("%s: %d" % kv for kv in sorted(c.items()))))
    print("by outcome: " + ", ".join("%s: %d" % kv for kv in sorted(outcomes.items())))
    print("failures: %d" % len(failures))
    for r in failures:
        print("  %s: %s -> %s" % (r.name, r.reason, r.saved))
    timed = [r for r in results if r.rc is not None or r.outcome == "timeout"]
    if timed:
        slow = max(timed, key=lambda r: r.secs)
        print("slowest: %s (%s) %.2f s" % (slow.name, slow.flags or "default flags", slow.secs))
        for kind in order:
            ks = [r for r in timed if r.kind == kind]
            if ks:
                m = max(ks, key=lambda r: r.secs)
                print("  slowest %s: %s %.2f s" % (kind, m.name, m.secs))
        big = max(timed, key=lambda r: r.rss)
        print("most memory: %s %.0f MB" % (big.name, big.rss))
        slow_runs = [r for r in timed if r.secs > args.slow and not r.reason]
        if slow_runs:
            print("slower than %g s (not failures, but no count bounds them): %s" % (
                args.slow, ", ".join("%s %.1f s %.0f MB" % (r.name, r.secs, r.rss)
                                     for r in sorted(slow_runs, key=lambda r: -r.secs))))
    shutil.rmtree(os.path.join(out, "work"), ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
