#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Measure dmacheck on real driver trees.

Usage:
  python3 scripts/real-world.py CORPUS --dmacheck build/llvm-19/checker/dmacheck \\
      --clang /usr/lib/llvm-19/bin/clang [-j 2] [--json out.json] [--tree NAME]...

CORPUS is a directory holding checked-out driver trees under fixed names
(reactos, wds, wdk6001, winddk, w2kddbook, virtio-win, xenbus, and
wdk-headers, the WDK 10 headers that wds/virtio-win/xenbus build against).
Missing trees are skipped.  The table TREES below says, for each tree, the
compiler flags its header family needs and how a driver's sources are found.

For every .c/.cpp file that calls a packet-DMA routine (IoMapTransfer,
MapTransfer, FlushAdapterBuffers, ...), the script finds the driver it
belongs to (its CMakeLists.txt / *.cmake for ReactOS, its WDK `sources`
file, or else its directory), and runs ONE dmacheck over all the driver's
C/C++ files:

  dmacheck --verbose -j N <the driver's files> -- <flags>

It also times `clang -fsyntax-only <flags> file` for each file (the floor;
alternative flag variants of a tree are parsed too, for comparison), and
reports per driver: files tried, files that parse, the first compile error
of each failing file, findings, partly analysed functions with reasons,
transfers not followed past an unknown call, the routines called but
defined nowhere, and dmacheck's time against the summed clang time.

With --sweep, it instead runs EVERY .c file under the ReactOS tree's
drivers/ and hal/ (or --sweep-dir DIR...) through dmacheck, one file per
invocation and -j invocations at a time, each with a hard --timeout
(default 120 s), in ReactOS's GNU mode (the file's directory and its
parent's include/ and inc/ before the SDK headers), and times clang
-fsyntax-only with the same flags.  Each file is ok (exit 0/1), a parse
failure (its first compile error bucketed by cause), a crash (signal,
"internal error in the analysis", or an LLVM stack dump) or a hang.

A markdown summary goes to standard output; --json writes everything.
Temporary case-alias directories (for mixed-case local header names) are
created under a temporary directory and removed at the end.  At most -j
dmacheck jobs run at a time, and clang runs one file at a time.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

DMA_ROUTINES = [
    "IoMapTransfer", "MapTransfer", "FlushAdapterBuffers",
    "IoFlushAdapterBuffers", "AllocateAdapterChannel",
    "IoAllocateAdapterChannel", "GetScatterGatherList",
    "BuildScatterGatherList", "PutScatterGatherList", "FreeMapRegisters",
    "IoFreeMapRegisters", "FreeAdapterChannel", "IoFreeAdapterChannel",
]
# Whole identifiers only: StorPortGetScatterGatherList or NdisMFreeMapRegisters
# are other APIs.
DMA_RE = re.compile(r"(?<![A-Za-z0-9_])(%s)(?![A-Za-z0-9_])" %
                    "|".join(DMA_ROUTINES))
SRC_EXTS = (".c", ".cpp", ".cxx", ".cc")

# ---------------------------------------------------------------------------
# Header families.  {C} is the corpus directory.

# Flags every Microsoft DDK/WDK "build.exe" x86 build passes (makefile.def),
# minus the ones that only matter to cl.exe.
MS_X86_BUILD = [
    "-D_X86_=1", "-Di386=1", "-DSTD_CALL", "-DCONDITION_HANDLING=1",
    "-DNT_UP=1", "-DNT_INST=0", "-DWIN32=100", "-D_NT1X_=100", "-DWINNT=1",
    "-DWIN32_LEAN_AND_MEAN=1", "-DDEVL=1", "-DFPO=1", "-DNDEBUG", "-D_DLL=1",
    "-D_IDWBUILD",
]
MSVC_MODE = ["-fms-extensions", "-fms-compatibility",
             "-fms-compatibility-version=19", "-D_KERNEL_MODE",
             "-Wno-everything"]
# Old DDK headers declare or define MSVC intrinsics that clang knows as
# builtins with other types (x86 Interlocked*64 inline bodies, a mistyped
# _InterlockedXor, _interlockedbittestandset with LONG* instead of long*).
# Renaming them makes the header's declaration an ordinary function.
RENAME_BUILTINS_3790 = [
    "-D_InterlockedXor=_dmck_InterlockedXor",
    "-D_interlockedbittestandset=_dmck_interlockedbittestandset",
    "-D_interlockedbittestandreset=_dmck_interlockedbittestandreset",
]
RENAME_BUILTINS_WDK6 = ["-D%s=_dmck%s" % (n, n) for n in (
    "_InterlockedAnd64", "_InterlockedOr64", "_InterlockedXor64",
    "_InterlockedIncrement64", "_InterlockedDecrement64",
    "_InterlockedExchange64", "_InterlockedExchangeAdd64")]


def ms_ddk(ddk, os_, winnt, case):
    """A Server 2003 DDK (3790) per-OS include set for an x86 build."""
    return (["--target=i686-pc-windows-msvc"] + MSVC_MODE + MS_X86_BUILD +
            ["-D_WIN32_WINNT=%s" % winnt, "-DWINVER=%s" % winnt,
             "-D_WIN32_IE=0x0603"] + RENAME_BUILTINS_3790 +
            ["-I" + ddk + "/inc/ddk/" + os_, "-I" + ddk + "/inc/ddk/wdm/" + os_,
             "-I" + ddk + "/inc/" + os_, "-I" + ddk + "/inc/crt",
             "-I" + ddk + "/" + case])


def ms_wdk6(root):
    """WDK 6001 / 7600 (inc/ddk, inc/api, inc/crt), XP target, x86."""
    return (["--target=i686-pc-windows-msvc"] + MSVC_MODE + MS_X86_BUILD +
            ["-D_WIN32_WINNT=0x0501", "-DWINVER=0x0501", "-D_WIN32_IE=0x0603",
             "-DNTDDI_VERSION=0x05010000"] + RENAME_BUILTINS_WDK6 +
            ["-I" + root + "/inc/ddk", "-I" + root + "/inc/api",
             "-I" + root + "/inc/crt", "-I" + root + "/_case_aliases"])


WDK10 = "{C}/wdk-headers"
WDK10_AMD64 = (["--target=x86_64-pc-windows-msvc", "-fms-extensions",
                "-fms-compatibility", "-fms-compatibility-version=19.29",
                "-D_KERNEL_MODE", "-D_AMD64_", "-D_WIN64", "-DAMD64",
                "-Wno-everything"] +
               ["-I" + WDK10 + "/Include/km/crt", "-I" + WDK10 + "/Include/km",
                "-I" + WDK10 + "/Include/shared",
                "-I" + WDK10 + "/_case_aliases"])

ROS = "{C}/reactos"
ROS_INC = ["-I" + ROS + d for d in (
    "/sdk/include", "/sdk/include/psdk", "/sdk/include/ddk",
    "/sdk/include/crt", "/sdk/include/vcruntime", "/sdk/include/ndk",
    "/sdk/include/reactos", "/sdk/include/reactos/mc",
    "/sdk/include/reactos/drivers", "/sdk/lib/pseh/include",
    # The HAL includes the kernel's internal headers (<internal/i386/ke.h>).
    "/ntoskrnl/include")]
ROS_DEFS = ["-D_X86_", "-D__i386__", "-Di386", "-D_M_IX86", "-D__REACTOS__",
            "-DDBG=1", "-D_WINDOWS", "-DWIN32", "-D_NTDRIVER_",
            "-Wno-everything"]
# ReactOS's GCC/Clang build (i686-pc-windows-gnu, -march=pentium).  -msse:
# clang 19 declares _mm_getcsr/_mm_setcsr/_mm_sfence as builtins only with
# SSE, while ReactOS's vcruntime/xmmintrin.h defines them when
# __has_builtin says no; without SSE every file has 3 errors.
ROS_GNU = (["--target=i686-pc-windows-gnu", "-fms-extensions", "-msse"] +
           ROS_DEFS + ROS_INC)
ROS_MSVC = (["--target=i686-pc-windows-msvc", "-fms-extensions",
             "-fms-compatibility", "-fms-compatibility-version=19.29"] +
            ROS_DEFS + ROS_INC)
ROS_GNU_NOSSE = (["--target=i686-pc-windows-gnu", "-fms-extensions"] +
                 ROS_DEFS + ROS_INC)

W3790 = "{C}/winddk/3790.1830"
W7600 = "{C}/winddk/7600.16385.1"

# name, tree dir, discovery ('cmake' | 'sources' | 'dir'), variants
# (first = the one dmacheck runs with), extra per-tree include dirs
# (relative to the tree, searched before the headers), extra defines.
TREES = [
    {"name": "reactos", "dir": "reactos", "find": "cmake", "family": "reactos",
     # msvc first: it parses more files (ks's block-scope `static` function
     # declarations are an error in GNU mode only)
     "variants": [("msvc", ROS_MSVC), ("gnu", ROS_GNU),
                  ("gnu-no-sse", ROS_GNU_NOSSE)],
     "cmake_vars": {"REACTOS_SOURCE_DIR": ROS}},
    {"name": "wds", "dir": "wds", "find": "dir", "family": "wdk10",
     "variants": [("wdk10-amd64", WDK10_AMD64)]},
    {"name": "wdk6001", "dir": "wdk6001", "find": "sources", "family": "wdk6001",
     "variants": [("wdk6001-x86-xp", ms_wdk6("{C}/wdk6001"))]},
    {"name": "winddk", "dir": "winddk", "find": "sources", "family": "ddk3790/wdk7600",
     # the variant depends on the subtree: see variants_for()
     "variants": [],
     "sub": [("3790.1830/", [("ddk3790-wnet-x86", ms_ddk(W3790, "wnet", "0x0502", "_case_aliases_wxp")),
                             ("ddk3790-wxp-x86", ms_ddk(W3790, "wxp", "0x0501", "_case_aliases_wxp"))]),
             ("7600.16385.1/", [("wdk7600-x86-xp", ms_wdk6(W7600))])]},
    {"name": "w2kddbook", "dir": "w2kddbook", "find": "sources", "family": "ddk3790-w2k",
     # wnet first: the w2k/wxp ntddk.h has an x86 __asm (movzx eax, _PCR
     # KPCR.Number) that clang rejects; the files that include ntddk.h fail
     "variants": [("ddk3790-wnet-x86", ms_ddk(W3790, "wnet", "0x0500", "_case_aliases_w2k")),
                  ("ddk3790-w2k-x86", ms_ddk(W3790, "w2k", "0x0500", "_case_aliases_w2k")),
                  ("ddk3790-wxp-x86", ms_ddk(W3790, "wxp", "0x0501", "_case_aliases_w2k"))]},
    {"name": "virtio-win", "dir": "virtio-win", "find": "dir", "family": "wdk10",
     "variants": [("wdk10-amd64", WDK10_AMD64)]},
    {"name": "xenbus", "dir": "xenbus", "find": "dir", "family": "wdk10",
     "variants": [("wdk10-amd64", WDK10_AMD64)],
     "includes": ["include", "include/xen", "src/common"],
     # proj/xenbus/xenbus.vcxproj builds src/common/registry.c into xenbus
     "extra_files": ["src/common/registry.c"],
     # include/version.h is written by build.py; a stub stands in for it
     "stub_headers": {"version.h": "#define MAJOR_VERSION 8\n#define MINOR_VERSION 0\n"
                      "#define MICRO_VERSION 0\n#define BUILD_NUMBER 0\n"
                      "#define YEAR 2015\n#define MONTH 1\n#define DAY 1\n"},
     "defines": ["-D__x86_64__", '-D__MODULE__="XENBUS"', "-DPOOL_NX_OPTIN=1"]},
]

# ---------------------------------------------------------------------------


def sub(flags, corpus):
    return [f.replace("{C}", corpus) for f in flags]


def is_src(name):
    return name.lower().endswith(SRC_EXTS)


def read(path):
    try:
        with open(path, "r", encoding="latin-1") as f:
            return f.read()
    except OSError:
        return ""


def find_dma_files(root):
    out = []
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith("_case_aliases"))
        for fn in sorted(files):
            if is_src(fn):
                p = os.path.join(d, fn)
                m = DMA_RE.findall(read(p))
                if m:
                    out.append((p, sorted(set(m))))
    return out


def ci_resolve(base, rel):
    """Resolve a relative path case-insensitively (Windows semantics)."""
    cur = base
    for part in re.split(r"[\\/]+", rel):
        if part in ("", "."):
            continue
        if part == "..":
            cur = os.path.dirname(cur)
            continue
        cand = os.path.join(cur, part)
        if not os.path.exists(cand):
            try:
                hits = [e for e in os.listdir(cur) if e.lower() == part.lower()]
            except OSError:
                return None
            if not hits:
                return None
            cand = os.path.join(cur, hits[0])
        cur = cand
    return cur


def strip_cmake_comments(text):
    return "\n".join(l.split("#", 1)[0] for l in text.splitlines())


def cmake_driver(path, tree_root, cmake_vars):
    """ReactOS: the CMake file (CMakeLists.txt or *.cmake, in the file's
    directory or up to 3 above) that lists the file; its sources,
    include_directories and add_definitions."""
    d = os.path.dirname(path)
    for _ in range(4):
        cands = [os.path.join(d, "CMakeLists.txt")] + sorted(
            os.path.join(d, f) for f in os.listdir(d) if f.endswith(".cmake"))
        for cm in cands:
            text = strip_cmake_comments(read(cm))
            if not text:
                continue
            rel = os.path.relpath(path, d).replace(os.sep, "/")
            if not re.search(r"(?<![\w/.])" + re.escape(rel) + r"(?![\w.])", text):
                continue
            files = []
            for tok in re.findall(r"[\w./${}-]+\.(?:c|cpp)\b", text):
                p = os.path.normpath(os.path.join(d, tok))
                if os.path.isfile(p) and p not in files:
                    files.append(p)
            if len(files) > 60:      # a library such as WDF: too big
                break
            incs, defs = [], []
            # the directory's own CMakeLists and its parent's (ndis has
            # include_directories(BEFORE include) one level up)
            for cmf in (cm, os.path.join(d, "CMakeLists.txt"),
                        os.path.join(os.path.dirname(d), "CMakeLists.txt")):
                t = strip_cmake_comments(read(cmf))
                base = os.path.dirname(cmf)
                for body in re.findall(r"include_directories\s*\(([^)]*)\)", t):
                    for tok in body.split():
                        if tok in ("BEFORE", "AFTER", "SYSTEM"):
                            continue
                        for k, v in cmake_vars.items():
                            tok = tok.replace("${%s}" % k, v)
                        if "$" in tok:
                            continue
                        p = os.path.normpath(os.path.join(base, tok))
                        if os.path.isdir(p) and p not in incs:
                            incs.append(p)
                for body in re.findall(r"add_definitions\s*\(([^)]*)\)", t):
                    for tok in body.split():
                        if tok.startswith("-D") and tok not in defs:
                            defs.append(tok)
            return {"dir": d, "how": os.path.relpath(cm, tree_root),
                    "files": files, "includes": incs, "defines": defs}
        if os.path.normpath(d) == os.path.normpath(tree_root):
            break
        d = os.path.dirname(d)
    return None


def sources_driver(path, tree_root):
    """A WDK build.exe `sources` file in the file's directory."""
    d = os.path.dirname(path)
    sf = [f for f in os.listdir(d) if f.lower() == "sources"]
    if not sf:
        return None
    text = read(os.path.join(d, sf[0]))
    text = re.sub(r"\\\s*\n", " ", text)
    files, incs = [], []
    m = re.search(r"^\s*SOURCES\s*=(.*)$", text, re.M)
    if m:
        for tok in m.group(1).split():
            if is_src(tok):
                p = ci_resolve(d, tok)
                if p and p not in files:
                    files.append(os.path.normpath(p))
    m = re.search(r"^\s*INCLUDES\s*=(.*)$", text, re.M)
    if m:
        for tok in re.split(r"[;\s]+", m.group(1)):
            if not tok or "$(" in tok:
                continue
            p = ci_resolve(d, tok)
            if p and os.path.isdir(p):
                incs.append(os.path.normpath(p))
    if path not in files:
        files.append(path)
    return {"dir": d, "how": os.path.relpath(os.path.join(d, sf[0]), tree_root),
            "files": files, "includes": incs, "defines": []}


def dir_driver(path, tree_root):
    d = os.path.dirname(path)
    files = sorted(os.path.join(d, f) for f in os.listdir(d) if is_src(f))
    return {"dir": d, "how": "directory", "files": files, "includes": [],
            "defines": []}


def variants_for(tree, rel):
    for prefix, vs in tree.get("sub", []):
        if rel.startswith(prefix):
            return vs
    return tree["variants"]


INCLUDE_RE = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]', re.M)


def case_alias_dir(files, local, header_dirs, tmp):
    """Windows finds headers case-insensitively.  For every #include of the
    driver's files and local headers that no -I directory holds under that
    exact name, link the name to the first case-insensitive match (searching
    in -I order), so "pcidrv.h" finds PCIDRV.H and <NTDDK.h> finds the
    ntddk.h of the chosen OS directory, not of the tree's static alias dir."""
    dirs = local + header_dirs
    names = set()
    texts = [read(f) for f in files]
    for d in local:
        try:
            texts += [read(os.path.join(d, n)) for n in os.listdir(d)
                      if n.lower().endswith((".h", ".hpp"))]
        except OSError:
            pass
    for t in texts:
        names.update(INCLUDE_RE.findall(t))
    listing = {}
    made = None
    for name in sorted(names):
        name = name.replace("\\", "/")
        if any(os.path.exists(os.path.join(d, name)) for d in dirs
               if "_case_aliases" not in d):
            continue
        for d in dirs:
            hit = ci_resolve(d, name)
            if hit and os.path.isfile(hit) and "_case_aliases" not in d:
                if made is None:
                    made = tempfile.mkdtemp(prefix="case-", dir=tmp)
                link = os.path.join(made, name)
                os.makedirs(os.path.dirname(link), exist_ok=True)
                if not os.path.lexists(link):
                    os.symlink(hit, link)
                break
    return made


def run(cmd, timeout):
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout)
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        rc, out, err = "timeout", e.stdout or b"", e.stderr or b""
    return (rc, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
            time.monotonic() - t0)


ERR_RE = re.compile(r"^(.*?):(\d+):(\d+): (?:fatal )?error: (.*)$")
FINDING_RE = re.compile(r"^(.*?):(\d+):(\d+): warning: (.*) \[(dma-[\w-]+)\]$")
NOTE_RE = re.compile(r"^(.*?):(\d+):(\d+): note: (.*)$")
PARTIAL_RE = re.compile(r"^(.*?):(\d+): dmacheck: note: function '([^']*)' (.*)$")
SILENCED_RE = re.compile(
    r"^(.*?):(\d+): dmacheck: note: in '([^']*)', the transfer mapped at line "
    r"(\d+) is not followed past this call to '([^']*)': (.*)$")
UNKNOWN_RE = re.compile(
    r"dmacheck: note: (\d+) routine\(s\) of the driver are called but defined "
    r"in no analysed file; their DMA effects are unknown:(.*)$")
COMPILING_RE = re.compile(r"^dmacheck: note: compiling '(.*)' with:")
HASERR_RE = re.compile(r"dmacheck: error: '(.*)' has compile errors")


def clang_floor(clang, flags, f, timeout):
    cmd = [clang, "-fsyntax-only"] + flags + [f]
    rc, out, err, dt = run(cmd, timeout)
    errs = [l for l in err.splitlines() if ERR_RE.match(l)]
    return {"rc": rc, "errors": len(errs), "first_error": errs[0] if errs else None,
            "seconds": round(dt, 3)}


def parse_dmacheck(out, err, files):
    findings = []
    for line in out.splitlines():
        m = FINDING_RE.match(line)
        if m:
            findings.append({"check": m.group(5), "file": m.group(1),
                             "line": int(m.group(2)), "message": m.group(4),
                             "notes": []})
            continue
        m = NOTE_RE.match(line)
        if m and findings:
            findings[-1]["notes"].append("%s:%s: %s" % (
                os.path.basename(m.group(1)), m.group(2), m.group(4)))
    partial, silenced, unknown, bad, first_err = [], [], [], set(), {}
    current = None
    for line in err.splitlines():
        m = COMPILING_RE.match(line)
        if m:
            current = os.path.normpath(m.group(1))
            continue
        m = SILENCED_RE.match(line)
        if m:
            silenced.append({"file": m.group(1), "line": int(m.group(2)),
                             "function": m.group(3), "map_line": int(m.group(4)),
                             "callee": m.group(5), "why": m.group(6)})
            continue
        m = PARTIAL_RE.match(line)
        if m:
            partial.append({"file": m.group(1), "line": int(m.group(2)),
                            "function": m.group(3), "reason": m.group(4)})
            continue
        m = UNKNOWN_RE.search(line)
        if m:
            unknown = m.group(2).split()
            continue
        m = HASERR_RE.search(line)
        if m:
            bad.add(os.path.normpath(m.group(1)))
            continue
        m = ERR_RE.match(line)
        if m and current:
            first_err.setdefault(current, line)
    return findings, partial, silenced, unknown, bad, first_err


def body_in_tree(name, tree_root, cache):
    """Is routine `name` defined (a body) anywhere in the tree's C files?"""
    if name in cache:
        return cache[name]
    rx = re.compile(r"(?<![\w>.])%s\s*\([^;{}]*\)\s*\{" % re.escape(name), re.S)
    hit = None
    for d, dirs, files in os.walk(tree_root):
        dirs[:] = [x for x in dirs if not x.startswith("_case_aliases")]
        for fn in files:
            if is_src(fn):
                p = os.path.join(d, fn)
                if rx.search(read(p)):
                    hit = os.path.relpath(p, tree_root)
                    break
        if hit:
            break
    cache[name] = hit
    return hit


def measure_tree(tree, args, tmp):
    corpus = os.path.abspath(args.corpus)
    root = os.path.join(corpus, tree["dir"])
    if not os.path.isdir(root):
        return None
    dma = find_dma_files(root)
    drivers = {}
    for path, calls in dma:
        path = os.path.normpath(path)
        drv = None
        if tree["find"] == "cmake":
            drv = cmake_driver(path, root, {k: sub([v], corpus)[0] for k, v in
                                            tree.get("cmake_vars", {}).items()})
        elif tree["find"] == "sources":
            drv = sources_driver(path, root)
        if drv is None:
            drv = dir_driver(path, root)
        key = (drv["dir"], drv["how"])
        if key not in drivers:
            drv["dma_files"] = {}
            drivers[key] = drv
        drivers[key]["dma_files"][path] = calls
        if path not in drivers[key]["files"]:
            drivers[key]["files"].append(path)
    results = []
    cache = {}
    for key in sorted(drivers):
        drv = drivers[key]
        rel = os.path.relpath(drv["dir"], root)
        variants = [(n, sub(f, corpus)) for n, f in variants_for(tree, rel + "/")]
        local = [drv["dir"]]
        parent = os.path.dirname(drv["dir"])
        for extra in ("..", "../inc", "../include", "include"):
            p = os.path.normpath(os.path.join(drv["dir"], extra))
            if os.path.isdir(p) and p not in local:
                local.append(p)
        for p in drv["includes"]:
            if p not in local:
                local.append(p)
        for p in tree.get("includes", []):
            p = os.path.join(root, p)
            if os.path.isdir(p) and p not in local:
                local.append(p)
        alias = None   # computed per variant below
        if tree.get("stub_headers"):
            stub = tempfile.mkdtemp(prefix="stub-", dir=tmp)
            for n, text in tree["stub_headers"].items():
                with open(os.path.join(stub, n), "w") as f:
                    f.write(text)
            local.append(stub)
        local_flags = ["-I" + p for p in local]
        for x in tree.get("extra_files", []):
            x = os.path.join(root, x)
            if os.path.isfile(x) and x not in drv["files"]:
                drv["files"].append(x)
        defs = drv["defines"] + tree.get("defines", [])
        files = drv["files"]
        all_c = all(f.lower().endswith(".c") for f in files)
        # an upper-case .C is C++ to clang; these trees are C (PCIDRV.C)
        lang = ["-x", "c"] if all_c and any(f.endswith(".C") for f in files) else []

        def flags_of(vflags):
            # local dirs first (xenbus has its own assert.h), then an alias
            # dir for mis-cased names, then the headers
            hdr = [x[2:] for x in vflags if x.startswith("-I")]
            alias = case_alias_dir(files, local, hdr, tmp)
            f = [x for x in vflags if not x.startswith("-I")]
            f += defs + local_flags + (["-I" + alias] if alias else [])
            f += ["-I" + x for x in hdr]
            return f

        floor = {}
        for vname, vflags in variants:
            fl = flags_of(vflags)
            floor[vname] = {f: clang_floor(args.clang, lang + fl, f, args.timeout)
                            for f in files}
        primary, pflags = variants[0][0], flags_of(variants[0][1])
        cmd = [args.dmacheck, "--verbose", "--quiet", "-j", str(args.j)] + files + \
              ["--"] + lang + pflags
        rc, out, err, dt = run(cmd, args.timeout * max(1, len(files)))
        findings, partial, silenced, unknown, bad, first_err = \
            parse_dmacheck(out, err, files)
        for s in silenced:
            s["body_in_tree"] = body_in_tree(s["callee"], root, cache)
        per_file = []
        for f in files:
            nf = os.path.normpath(f)
            per_file.append({
                "file": os.path.relpath(f, root),
                "calls_dma": sorted(drv["dma_files"].get(f, [])),
                "lang": "c++" if (f.lower().endswith((".cpp", ".cxx", ".cc")) or
                                  (f.endswith(".C") and not lang)) else "c",
                "parsed": nf not in bad and rc != "timeout",
                "first_error": first_err.get(nf) if nf in bad else None,
                "clang": {v: floor[v][f] for v in floor},
            })
        floor_s = sum(x["seconds"] for x in floor[primary].values())
        results.append({
            "driver": rel, "found_by": drv["how"], "variant": primary,
            "command": " ".join(cmd), "exit_status": rc,
            "files": per_file,
            "findings": [dict(x, file=os.path.relpath(x["file"], root)
                              if os.path.isabs(x["file"]) else x["file"])
                         for x in findings],
            "partial": partial, "silenced": silenced,
            "unknown_routines": unknown,
            "dmacheck_seconds": round(dt, 3), "clang_floor_seconds": round(floor_s, 3),
            "ratio": round(dt / floor_s, 2) if floor_s else None,
            "stderr_tail": err.splitlines()[-5:] if rc == "timeout" else [],
        })
        sys.stderr.write("real-world: %s/%s: %d files, %d findings, %.1fs\n" % (
            tree["name"], rel, len(files), len(findings), dt))
    # variant summary: files with 0 clang errors per variant
    vsum = {}
    for r in results:
        for f in r["files"]:
            for v, c in f["clang"].items():
                s = vsum.setdefault(v, {"files": 0, "parsed": 0})
                s["files"] += 1
                s["parsed"] += 1 if c["errors"] == 0 and c["rc"] == 0 else 0
    allv = {}
    for prefix_vs in [tree["variants"]] + [vs for _, vs in tree.get("sub", [])]:
        for n, fl in prefix_vs:
            allv[n] = sub(fl, corpus)
    return {"tree": tree["name"], "family": tree["family"], "drivers": results,
            "dma_files": [os.path.relpath(p, root) for p, _ in dma],
            "variants": {n: {"flags": allv[n], **vsum.get(n, {})} for n in allv},
            "extra_defines": tree.get("defines", [])}


def markdown(data):
    o = []
    w = o.append
    w("# dmacheck real-world run\n")
    w("| tree | drivers | files tried (C/C++) | parsed (dmacheck) | findings | partly analysed | silenced | unknown routines | dmacheck s | clang floor s | ratio |")
    w("|---|---|---|---|---|---|---|---|---|---|---|")
    for t in data["trees"]:
        ds = t["drivers"]
        files = [f for d in ds for f in d["files"]]
        nc = sum(1 for f in files if f["lang"] == "c")
        dm = sum(d["dmacheck_seconds"] for d in ds)
        fl = sum(d["clang_floor_seconds"] for d in ds)
        w("| %s | %d | %d (%d/%d) | %d | %d | %d | %d | %d | %.1f | %.1f | %s |" % (
            t["tree"], len(ds), len(files), nc, len(files) - nc,
            sum(1 for f in files if f["parsed"]),
            sum(len(d["findings"]) for d in ds),
            sum(len([p for p in d["partial"] if "compile errors" not in p["reason"]]) for d in ds),
            sum(len(d["silenced"]) for d in ds),
            sum(len(d["unknown_routines"]) for d in ds), dm, fl,
            "%.1f" % (dm / fl) if fl else "-"))
    w("\n## Flags per header family\n")
    for t in data["trees"]:
        for n, v in t["variants"].items():
            w("- **%s / %s**: %s/%s files parse with clang -fsyntax-only\n\n  `%s`\n" % (
                t["tree"], n, v.get("parsed", 0), v.get("files", 0),
                " ".join(v["flags"])))
    for t in data["trees"]:
        w("\n## %s\n" % t["tree"])
        if not t["drivers"]:
            w("No file calls a packet-DMA routine.\n")
        for d in t["drivers"]:
            w("### %s (%s; exit %s; %d files; dmacheck %.2fs vs clang %.2fs)\n" % (
                d["driver"], d["found_by"], d["exit_status"], len(d["files"]),
                d["dmacheck_seconds"], d["clang_floor_seconds"]))
            bad = [f for f in d["files"] if not f["parsed"]]
            w("- files: %s" % ", ".join(
                ("**%s**" % f["file"] if f["calls_dma"] else f["file"]) +
                ("" if f["parsed"] else " (errors)") for f in d["files"]))
            for f in bad:
                w("  - %s: `%s`" % (f["file"], f["first_error"]))
            for x in d["findings"]:
                w("- finding [%s] %s:%d: %s" % (x["check"], x["file"], x["line"], x["message"]))
            for p in d["partial"]:
                w("- partly analysed: %s (%s:%d): %s" % (p["function"], os.path.basename(p["file"]), p["line"], p["reason"]))
            for s in d["silenced"]:
                w("- silenced: in %s, map at line %d not followed past %s (%s:%d): %s; body in tree: %s" % (
                    s["function"], s["map_line"], s["callee"], os.path.basename(s["file"]),
                    s["line"], s["why"], s["body_in_tree"] or "no"))
            if d["unknown_routines"]:
                w("- %d unknown routines: %s" % (len(d["unknown_routines"]), " ".join(d["unknown_routines"])))
            w("")
    return "\n".join(o)


# ---------------------------------------------------------------------------
# --sweep: a robustness sweep.  Every .c file of a tree (DMA or not), one
# file per dmacheck invocation, -j of them at a time, each with a hard
# timeout; `clang -fsyntax-only` with the same flags is timed on each file.

SWEEP_TREE = "reactos"
SWEEP_DIRS = ["drivers", "hal"]
SWEEP_TIMEOUT = 120
# ReactOS's GCC/Clang build, as in run 1's gnu variant (the SDK headers
# define _M_IX86 themselves from _X86_).
SWEEP_GNU = (["--target=i686-pc-windows-gnu", "-fms-extensions", "-msse",
              "-D_X86_", "-D__i386__", "-Di386", "-D__REACTOS__", "-DDBG=1",
              "-D_WINDOWS", "-DWIN32", "-D_NTDRIVER_", "-Wno-everything"] +
             ROS_INC)

CRASH_TEXT = ("PLEASE submit a bug report", "Stack dump")
INTERNAL_TEXT = "internal error in the analysis"
# Causes of a file's first compile error, tried in this order.  A pattern
# is matched against the error line; a (pattern, context pattern) pair also
# needs the context pattern in the error's notes and source snippets.
NESTED = "GCC-only construct (nested function)"
CAUSES = [
    ("missing header", re.compile(r"file not found")),
    # clang has no GCC nested functions: `auto void f(void);` in a block
    # (PSEH2's GCC implementation, used without _USE_PSEH3).  A block-scope
    # `static` function declaration, by contrast, is MSVC-only (below).
    (NESTED, (re.compile(r"illegal storage class on function"),
              re.compile(r"\bauto\b|__SEH_SCOPE_LOCALS"))),
    (NESTED, re.compile(r"function definition is not allowed here")),
    ("C++ file", re.compile(
        r"C\+\+|\.(?:hpp|hxx|hh|inl)(?::\d+)+: |unknown type name "
        r"'(?:class|namespace|template|typename|public|private|protected|"
        r"using|virtual|explicit|operator)'|must use '(?:struct|class|enum|"
        r"union)' tag|'(?:bool|true|false|nullptr|this|new|delete)'|"
        r"expected expression.*'::'|reference to overloaded function")),
    ("clang builtin/intrinsic redefinition", re.compile(
        r"builtin|intrinsic|library function|redefinition of '_{0,2}(?:"
        r"Interlocked|interlocked|_?mm_|rot|Bit|bittest|byteswap|"
        r"readfs|writefs|readgs|writegs|inbyte|outbyte|inword|outword|"
        r"indword|outdword|debugbreak|disable|enable|cpuid|rdtsc|"
        r"readmsr|writemsr|readcr|writecr|halt|lidt|sidt|invlpg|wbinvd|"
        r"_?emul|ll|ull|(?:u)?mul|(?:a)?bs|memcpy|memset|strlen)|"
        r"(?:conflicting types|redefinition|cannot redeclare) for "
        r"'__")),
    ("MSVC-only construct", re.compile(
        r"__asm|MS-style inline assembly|ambiguous operand size|"
        r"__declspec|__try|__except|__finally|__leave|__ptr32|__ptr64|"
        r"__w64|__based|__if_exists|__if_not_exists|__pragma|"
        r"illegal storage class on function|_PCR|"
        r"Microsoft|MSVC|-fms-compatibility")),
]


def sweep_cause(first_error, context=""):
    """context: the error's notes and source snippets (macro expansions)."""
    if not first_error:
        return "other"
    for name, rx in CAUSES:
        if isinstance(rx, tuple):
            if rx[0].search(first_error) and rx[1].search(context):
                return name
        elif rx.search(first_error):
            return name
    return "other"


def sweep_files(root, dirs):
    out = []
    for top in dirs:
        for d, subdirs, files in os.walk(os.path.join(root, top)):
            subdirs[:] = sorted(x for x in subdirs
                                if not x.startswith("_case_aliases"))
            for fn in sorted(files):
                if fn.endswith(".c"):
                    out.append(os.path.join(d, fn))
    return out


def sweep_flags(path, corpus, extra=()):
    """ReactOS GNU mode: the file's directory, its parent's include/ and
    inc/ if present, then the SDK headers."""
    d = os.path.dirname(path)
    local = [d] + [p for p in (os.path.join(os.path.dirname(d), "include"),
                               os.path.join(os.path.dirname(d), "inc"))
                   if os.path.isdir(p)]
    gnu = sub(SWEEP_GNU, corpus)
    extra = list(extra)
    return ([x for x in gnu if not x.startswith("-I")] + extra +
            ["-I" + p for p in local] + [x for x in gnu if x.startswith("-I")])


def first_error_line(text):
    for line in text.splitlines():
        if ERR_RE.match(line):
            return line
    for line in text.splitlines():
        if re.search(r"(?:^|: )(?:fatal )?error: ", line) and \
                not line.startswith("dmacheck: "):
            return line
    return None


def error_context(text, first, n=12):
    """The lines after the first error, up to the next error."""
    lines = text.splitlines()
    if first not in lines:
        return ""
    i = lines.index(first) + 1
    out = []
    for line in lines[i:i + n]:
        if ERR_RE.match(line) or line.startswith("dmacheck: "):
            break
        out.append(line)
    return "\n".join(out)


def stack_lines(text, n=12):
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if any(t in line for t in CRASH_TEXT) or INTERNAL_TEXT in line:
            return lines[i:i + n]
    return lines[-n:]


def sweep_one(path, root, corpus, args):
    flags = sweep_flags(path, corpus, args.sweep_flag or [])
    cmd = [args.dmacheck, "--verbose", "--quiet", "-j", "1", path, "--"] + flags
    rc, out, err, dt = run(cmd, args.timeout)
    crng = [args.clang, "-fsyntax-only"] + flags + [path]
    crc, cout, cerr, cdt = run(crng, args.timeout)
    both = out + "\n" + err
    if rc == "timeout":
        status = "hang"
    elif (isinstance(rc, int) and rc < 0) or INTERNAL_TEXT in both or \
            any(t in both for t in CRASH_TEXT):
        status = "crash"
    elif rc in (0, 1):
        status = "ok"
    elif rc == 2 and HASERR_RE.search(err):
        status = "parse failure"
    else:
        status = "other failure"
    r = {"file": os.path.relpath(path, root), "status": status,
         "exit_status": rc, "seconds": round(dt, 3),
         "findings": sum(1 for l in out.splitlines() if FINDING_RE.match(l)),
         "clang": {"exit_status": crc, "seconds": round(cdt, 3),
                   "errors": sum(1 for l in cerr.splitlines() if ERR_RE.match(l)),
                   "first_error": first_error_line(cerr),
                   "crash": crc == "timeout" or (isinstance(crc, int) and crc < 0)
                            or any(t in cerr for t in CRASH_TEXT)}}
    if status == "parse failure":
        r["first_error"] = first_error_line(err)
        r["cause"] = sweep_cause(r["first_error"],
                                 error_context(err, r["first_error"]))
    if status in ("crash", "hang", "other failure"):
        r["stack"] = stack_lines(err)
        r["command"] = cmd
    return r


def sweep(args):
    from concurrent.futures import ThreadPoolExecutor
    corpus = os.path.abspath(args.corpus)
    root = os.path.join(corpus, SWEEP_TREE)
    files = sweep_files(root, args.sweep_dir or SWEEP_DIRS)
    if args.sweep_limit:
        files = files[:args.sweep_limit]
    results = []
    t0 = time.monotonic()
    # each worker runs its dmacheck, then its clang: at most -j processes
    with ThreadPoolExecutor(max_workers=args.j) as pool:
        for i, r in enumerate(pool.map(
                lambda p: sweep_one(p, root, corpus, args), files)):
            results.append(r)
            if r["status"] not in ("ok", "parse failure") or (i + 1) % 50 == 0:
                sys.stderr.write("sweep: %d/%d %s %s (%.1fs)\n" % (
                    i + 1, len(files), r["status"], r["file"], r["seconds"]))
    counts = {}
    for r in results:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    causes = {}
    for r in results:
        if r["status"] == "parse failure":
            causes[r["cause"]] = causes.get(r["cause"], 0) + 1
    dm = sum(r["seconds"] for r in results)
    cl = sum(r["clang"]["seconds"] for r in results)
    return {"mode": "sweep", "corpus": corpus, "tree": SWEEP_TREE,
            "dirs": args.sweep_dir or SWEEP_DIRS, "dmacheck": args.dmacheck,
            "clang": args.clang, "jobs": args.j, "timeout": args.timeout,
            "flags": sweep_flags(os.path.join(root, "DIR", "file.c"), corpus,
                                 args.sweep_flag or []),
            "files": len(results), "counts": counts, "causes": causes,
            "dmacheck_seconds": round(dm, 3), "clang_seconds": round(cl, 3),
            "wall_seconds": round(time.monotonic() - t0, 1),
            "results": results}


def sweep_markdown(data):
    o = []
    w = o.append
    res = data["results"]
    c = data["counts"]
    w("# dmacheck robustness sweep: %s %s\n" % (
        data["tree"], " ".join(x + "/" for x in data["dirs"])))
    w("Every .c file, one dmacheck per file (`--verbose --quiet -j 1`), %d at a "
      "time, %d s timeout; `clang -fsyntax-only` with the same flags on each "
      "file.\n" % (data["jobs"], data["timeout"]))
    w("Flags (DIR = the file's directory; its parent's include/ and inc/ "
      "follow it when present):\n\n`%s`\n" % " ".join(data["flags"]))
    w("| files | ok | parse failure | crash | hang | other failure |")
    w("|---|---|---|---|---|---|")
    w("| %d | %d | %d | %d | %d | %d |\n" % (
        data["files"], c.get("ok", 0), c.get("parse failure", 0),
        c.get("crash", 0), c.get("hang", 0), c.get("other failure", 0)))
    ok = [r for r in res if r["status"] == "ok"]
    w("ok: %d with exit 0, %d with exit 1 (%d findings).\n" % (
        sum(1 for r in ok if r["exit_status"] == 0),
        sum(1 for r in ok if r["exit_status"] == 1),
        sum(r["findings"] for r in ok)))
    # dmacheck and clang should agree on which files have errors
    dis = [r for r in res if r["status"] in ("ok", "parse failure") and
           (r["status"] == "ok") != (r["clang"]["errors"] == 0 and
                                     r["clang"]["exit_status"] == 0)]
    w("dmacheck and clang -fsyntax-only disagree on whether a file has "
      "compile errors: %d file(s)%s\n" % (len(dis), ":" if dis else "."))
    for r in dis:
        w("- %s: dmacheck %s (exit %s), clang exit %s with %d error(s): `%s`" % (
            r["file"], r["status"], r["exit_status"], r["clang"]["exit_status"],
            r["clang"]["errors"], r["clang"]["first_error"]))
    if dis:
        w("")
    cc = [r for r in res if r["clang"]["crash"]]
    if cc:
        w("clang itself crashed or hung on %d file(s): %s\n" % (
            len(cc), ", ".join(r["file"] for r in cc)))
    w("## Parse failures by cause (first compile error)\n")
    w("| cause | files |")
    w("|---|---|")
    for k, n in sorted(data["causes"].items(), key=lambda x: (-x[1], x[0])):
        w("| %s | %d |" % (k, n))
    w("")
    pf = [r for r in res if r["status"] == "parse failure"]
    for cause in sorted(data["causes"], key=lambda k: -data["causes"][k]):
        group = [r for r in pf if r["cause"] == cause]
        # the same error text (without the location) counts once
        msgs = {}
        for r in group:
            m = ERR_RE.match(r["first_error"] or "")
            key = m.group(4) if m else (r["first_error"] or "(none)")
            if cause == "missing header" and m:
                key = m.group(4)
            msgs.setdefault(key, []).append(r["file"])
        w("### %s (%d)\n" % (cause, len(group)))
        for k, fs in sorted(msgs.items(), key=lambda x: (-len(x[1]), x[0])):
            w("- %d x `%s` (e.g. %s)" % (len(fs), k, ", ".join(fs[:3])))
        w("")
    for kind in ("crash", "hang", "other failure"):
        group = [r for r in res if r["status"] == kind]
        w("## %s (%d)\n" % (kind[0].upper() + kind[1:] + "es" * (kind == "crash")
                            + "s" * (kind != "crash"), len(group)))
        for r in group:
            w("- %s (exit %s, %.1f s)\n\n```\n%s\n```\n" % (
                r["file"], r["exit_status"], r["seconds"],
                "\n".join(r.get("stack", []))))
    w("## Time\n")
    dm, cl = data["dmacheck_seconds"], data["clang_seconds"]
    w("Total dmacheck %.1f s vs total clang -fsyntax-only %.1f s (%.2fx); "
      "wall clock %.0f s.\n" % (dm, cl, dm / cl if cl else 0,
                                data["wall_seconds"]))
    w("Slowest 5 files by dmacheck time:\n")
    w("| file | status | dmacheck s | clang s | ratio |")
    w("|---|---|---|---|---|")
    for r in sorted(res, key=lambda r: -r["seconds"])[:5]:
        w("| %s | %s | %.2f | %.2f | %s |" % (
            r["file"], r["status"], r["seconds"], r["clang"]["seconds"],
            "%.1f" % (r["seconds"] / r["clang"]["seconds"])
            if r["clang"]["seconds"] else "-"))
    okr = [r for r in res if r["status"] == "ok"]
    dm = sum(r["seconds"] for r in okr)
    cl = sum(r["clang"]["seconds"] for r in okr)
    w("\nFiles that parsed (ok) only: dmacheck %.1f s vs clang %.1f s (%.2fx); "
      "the slowest 5:\n" % (dm, cl, dm / cl if cl else 0))
    w("| file | dmacheck s | clang s | ratio |")
    w("|---|---|---|---|")
    for r in sorted(okr, key=lambda r: -r["seconds"])[:5]:
        w("| %s | %.2f | %.2f | %s |" % (
            r["file"], r["seconds"], r["clang"]["seconds"],
            "%.1f" % (r["seconds"] / r["clang"]["seconds"])
            if r["clang"]["seconds"] else "-"))
    return "\n".join(o) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--dmacheck", required=True)
    ap.add_argument("--clang", required=True)
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--json")
    ap.add_argument("--tree", action="append")
    ap.add_argument("--timeout", type=int,
                    help="seconds per clang file (dmacheck: times its files); "
                    "default 300, or with --sweep %d per process" % SWEEP_TIMEOUT)
    ap.add_argument("--sweep", action="store_true",
                    help="robustness sweep: every .c file under the ReactOS "
                    "tree's drivers/ and hal/, one dmacheck per file, -j at a "
                    "time")
    ap.add_argument("--sweep-dir", action="append",
                    help="with --sweep: a directory of the ReactOS tree to "
                    "sweep instead of drivers/ and hal/ (repeatable)")
    ap.add_argument("--sweep-flag", action="append",
                    help="with --sweep: an extra compiler flag (repeatable), "
                    "e.g. -D_USE_PSEH3=1")
    ap.add_argument("--sweep-limit", type=int,
                    help="with --sweep: only the first N files")
    args = ap.parse_args()
    args.dmacheck = os.path.abspath(args.dmacheck)
    if args.sweep:
        if args.timeout is None:
            args.timeout = SWEEP_TIMEOUT
        data = sweep(args)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(data, f, indent=1)
        sys.stdout.write(sweep_markdown(data))
        return
    if args.timeout is None:
        args.timeout = 300
    known = [t["name"] for t in TREES]
    for t in args.tree or []:
        if t not in known:
            ap.error("unknown tree %r (known: %s)" % (t, ", ".join(known)))
    tmp = tempfile.mkdtemp(prefix="real-world-")
    data = {"corpus": os.path.abspath(args.corpus), "dmacheck": args.dmacheck,
            "clang": args.clang, "trees": []}
    try:
        for tree in TREES:
            if args.tree and tree["name"] not in args.tree:
                continue
            r = measure_tree(tree, args, tmp)
            if r is not None:
                data["trees"].append(r)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(data, f, indent=1)
    print(markdown(data))


if __name__ == "__main__":
    main()
