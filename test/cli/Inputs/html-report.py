#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Checks an HTML report (--format=html) against the same run's JSON.

    html-report.py report DIR JSON
        index.html lists every finding of JSON (check, file, line, function,
        message) and links its finding-N.html; each page shows every note
        inside the row of its line, with its step number, and the warning at
        its line; no page loads anything from outside (src/href/url()).
        Prints one line per page with the routines its path crosses.
    html-report.py dom DOM JSON N
        The DOM of finding-N.html as a browser rendered it (chromium
        --dump-dom): each note of finding N inside the element of its line.
    html-report.py index-dom DOM
        The DOM of index.html: prints the rows in their order, shown or hidden.
    html-report.py chromium URL (--dump-dom | --screenshot=FILE) [TMPDIR]
        Runs headless Chromium on URL (60 s at most), prints the DOM.
    html-report.py png FILE MIN_BYTES WIDTH HEIGHT
        FILE is a PNG of WIDTH x HEIGHT and at least MIN_BYTES.
"""
import html.parser
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

VOID = {"meta", "link", "br", "img", "input", "hr", "col", "area", "base",
        "embed", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children = []

    def text(self):
        return "".join(c if isinstance(c, str) else c.text()
                       for c in self.children)

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def walk(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.walk()

    def find_all(self, tag=None, cls=None, **attrs):
        for n in self.walk():
            if tag and n.tag != tag:
                continue
            if cls and cls not in n.classes():
                continue
            if any(n.attrs.get(k.replace("_", "-")) != v for k, v in attrs.items()):
                continue
            yield n


class Tree(html.parser.HTMLParser):
    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.cur = self.root
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


failures = []


def fail(msg):
    failures.append(msg)
    sys.stderr.write("html-report.py: " + msg + "\n")


def squash(s):
    return " ".join(s.split())


EXTERNAL = re.compile(r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:[a-z]+:)?//)"""
                      r"""|url\(\s*["']?\s*(?:[a-z]+:)?//|@import""", re.I)


def check_self_contained(name, text):
    m = EXTERNAL.search(text)
    if m:
        fail("%s loads from outside: %r" % (name, m.group(0)))
    tree = Tree(text)
    for n in tree.root.walk():
        if n.tag in ("link", "iframe", "img", "object", "embed"):
            fail("%s has a <%s>" % (name, n.tag))
        if n.tag == "script" and "src" in n.attrs:
            fail("%s has a <script src>" % name)
    return tree


def line_rows(tree):
    """{(file shown in the section's heading, line): the row's node}."""
    rows = {}
    for sec in tree.root.find_all("section", cls="file"):
        heading = next(sec.find_all("h2"))
        file = squash(heading.text())
        for tr in sec.find_all("tr", cls="line"):
            rows[(file, int(tr.attrs["data-line"]))] = tr
    return rows


def check_page(name, tree, f):
    rows = line_rows(tree)
    for i, n in enumerate(f["notes"], 1):
        tr = rows.get((n["file"], n["line"]))
        if tr is None:
            fail("%s: no row for %s:%d (step %d)" % (name, n["file"], n["line"], i))
            continue
        notes = [d for d in tr.find_all("div", cls="note") if d.attrs.get("data-step") == str(i)]
        if not notes:
            fail("%s: step %d is not in the row of %s:%d" % (name, i, n["file"], n["line"]))
            continue
        d = notes[0]
        num = next(d.find_all("span", cls="num"))
        if squash(num.text()) != str(i):
            fail("%s: step %d is numbered %r" % (name, i, num.text()))
        if squash(n["message"]) not in squash(d.text()):
            fail("%s: step %d does not say %r: %r" % (name, i, n["message"], d.text()))
        if "step" not in tr.classes() and "warning" not in tr.classes():
            fail("%s: the row of step %d is not highlighted" % (name, i))
    tr = rows.get((f["file"], f["line"]))
    warn = list(tr.find_all("div", cls="warning")) if tr is not None else []
    if not warn or squash(f["message"]) not in squash(warn[0].text()):
        fail("%s: the warning is not at %s:%d" % (name, f["file"], f["line"]))
    # The line's own source text is in its row.
    for (file, line), tr in rows.items():
        if not next(tr.find_all("pre"), None):
            fail("%s: %s:%d has no source cell" % (name, file, line))
            break


def report(directory, json_file):
    with open(json_file) as fh:
        findings = json.load(fh)["findings"]
    with open(os.path.join(directory, "index.html")) as fh:
        index = check_self_contained("index.html", fh.read())
    rows = list(index.root.find_all("tr", cls="finding"))
    if len(rows) != len(findings):
        fail("index.html lists %d findings, the JSON %d" % (len(rows), len(findings)))
    pages = sorted(p for p in os.listdir(directory) if p.startswith("finding-"))
    if len(pages) != len(findings):
        fail("%d finding pages for %d findings: %s" % (len(pages), len(findings), pages))
    for k, (row, f) in enumerate(zip(rows, findings), 1):
        cells = [squash(td.text()) for td in row.find_all("td")]
        want = [str(k), f["check"], f["file"], str(f["line"]), f["function"]]
        if cells[:5] != want or cells[-1] != squash(f["message"]):
            fail("index row %d is %r, expected %r ... %r" % (k, cells, want, f["message"]))
        if row.attrs.get("data-check") != f["check"]:
            fail("index row %d: data-check %r" % (k, row.attrs.get("data-check")))
        page = "finding-%d.html" % k
        if not any(a.attrs.get("href") == page for a in row.find_all("a")):
            fail("index row %d does not link %s" % (k, page))
        with open(os.path.join(directory, page)) as fh:
            tree = check_self_contained(page, fh.read())
        check_page(page, tree, f)
        crossed = next(tree.root.find_all("p", cls="crossed"), None)
        print("%s: %s at %s:%d, %d steps; routines: %s" % (
            page, f["check"], os.path.basename(f["file"]), f["line"], len(f["notes"]),
            crossed.attrs["title"] if crossed else f["function"]))
    options = [o.attrs.get("value") for o in index.root.find_all("option")]
    if findings and sorted(set(f["check"] for f in findings)) != sorted(o for o in options if o):
        fail("the check filter offers %r" % options)
    if not findings and not next(index.root.find_all(id="no-findings"), None):
        fail("index.html does not say there are no findings")
    print("checked: %d findings, %d notes" % (len(findings), sum(len(f["notes"]) for f in findings)))


def dom(dom_file, json_file, n):
    with open(json_file) as fh:
        f = json.load(fh)["findings"][int(n) - 1]
    with open(dom_file) as fh:
        tree = Tree(fh.read())
    check_page("DOM of finding-%s.html" % n, tree, f)
    for i, note in enumerate(f["notes"], 1):
        print("step %d at line %d: %s" % (i, note["line"], note["message"]))
    print("warning at line %d" % f["line"])


def index_dom(dom_file):
    with open(dom_file) as fh:
        tree = Tree(fh.read())
    for row in tree.root.find_all("tr", cls="finding"):
        cells = [squash(td.text()) for td in row.find_all("td")]
        print("%s %s line %s%s" % (cells[0], cells[1], cells[3],
                                   " (hidden)" if "hidden" in row.attrs else ""))
    shown = next(tree.root.find_all(id="shown"), None)
    print("shown: " + (squash(shown.text()) if shown else "(none)"))


def chromium(url, what, tmp=None):
    exe = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with tempfile.TemporaryDirectory(dir=tmp) as profile:
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage", "--user-data-dir=" + profile]
        if what.startswith("--screenshot="):
            cmd += [what, "--window-size=1280,1600", "--hide-scrollbars"]
        else:
            cmd += ["--dump-dom"]
        try:
            r = subprocess.run(cmd + [url], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               universal_newlines=True, timeout=60)
        except subprocess.TimeoutExpired:
            fail("chromium did not finish within 60 s: " + " ".join(cmd + [url]))
            return
        if r.returncode != 0:
            sys.stderr.write(r.stderr)
            fail("chromium exited %d" % r.returncode)
        sys.stdout.write(r.stdout)


def png(file, min_bytes, width, height):
    with open(file, "rb") as fh:
        data = fh.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        fail("%s is not a PNG" % file)
        return
    w, h = struct.unpack(">II", data[16:24])
    if (w, h) != (int(width), int(height)):
        fail("%s is %dx%d, expected %sx%s" % (file, w, h, width, height))
    if len(data) < int(min_bytes):
        fail("%s has only %d bytes" % (file, len(data)))
    print("png: %dx%d" % (w, h))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    {"report": report, "dom": dom, "index-dom": index_dom, "chromium": chromium,
     "png": png}[cmd](*args)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
