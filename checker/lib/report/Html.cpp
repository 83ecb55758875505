// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The HTML report (--format=html -o DIR), all of it: index.html (every
// finding in a table that sorts by a click on a column header and filters by
// check) and finding-N.html (one per finding: the source of every file on its
// path, HTML-escaped, with line numbers, each step of the path numbered and
// its note shown at its line, the warning at its own, and the routines the
// path crosses). The pages are self-contained: inline CSS and JavaScript,
// nothing fetched. Interface: dmacheck/Html.h.
#include "dmacheck/Html.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <map>
#include <set>

using namespace dmacheck;

namespace {

std::string esc(llvm::StringRef S) {
  std::string Out;
  Out.reserve(S.size());
  for (char C : S) {
    switch (C) {
    case '&': Out += "&amp;"; break;
    case '<': Out += "&lt;"; break;
    case '>': Out += "&gt;"; break;
    case '"': Out += "&quot;"; break;
    case '\'': Out += "&#39;"; break;
    case '\r': break;
    default: Out += C;
    }
  }
  return Out;
}

const char *const Style = R"css(
:root { --fg:#1d1f21; --muted:#5f6368; --line:#e3e3e3; --step:#fff4c2;
  --step-border:#e0b400; --warn:#ffe0e0; --warn-border:#d93025; --link:#1a5fb4; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: var(--fg); margin: 0; padding: 16px 24px; background: #fafafa; }
a { color: var(--link); }
h1 { font-size: 20px; margin: 0 0 8px; }
h2 { font-size: 16px; margin: 24px 0 6px; font-family: ui-monospace, monospace; }
.muted { color: var(--muted); }
.check { font-family: ui-monospace, monospace; background: #eef1f6;
  border-radius: 4px; padding: 1px 6px; }
.fn { font-family: ui-monospace, monospace; font-weight: 600; }
.crossed { font-size: 15px; margin: 6px 0; }
.crossed .arrow { color: var(--muted); padding: 0 4px; }
table.findings { border-collapse: collapse; width: 100%; background: #fff; }
table.findings th, table.findings td { border: 1px solid var(--line);
  padding: 4px 8px; text-align: left; vertical-align: top; }
table.findings th { background: #f0f2f5; cursor: pointer; user-select: none;
  white-space: nowrap; }
table.findings th[aria-sort=ascending]::after { content: " \25B2"; }
table.findings th[aria-sort=descending]::after { content: " \25BC"; }
table.findings td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.findings td.nowrap { white-space: nowrap; }
.controls { margin: 10px 0; }
.errors { background: var(--warn); border: 1px solid var(--warn-border);
  padding: 6px 12px; border-radius: 4px; }
ol.steps { margin: 6px 0 0; padding-left: 28px; }
ol.steps li.warning { list-style: none; margin-left: -20px; }
table.source { border-collapse: collapse; width: 100%; background: #fff;
  border: 1px solid var(--line);
  font: 12.5px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
table.source td { padding: 0 8px; vertical-align: top; }
table.source td.ln { text-align: right; color: var(--muted); width: 1%;
  user-select: none; border-right: 1px solid var(--line); }
table.source td.ln a { color: inherit; text-decoration: none; }
table.source pre { margin: 0; white-space: pre-wrap; tab-size: 8;
  font: inherit; }
tr.step td.code pre, tr.step td.ln { background: var(--step); }
tr.warning td.code pre, tr.warning td.ln { background: var(--warn); }
.note { margin: 3px 0 5px; padding: 3px 8px; border-left: 4px solid var(--step-border);
  background: #fffbe6; border-radius: 0 4px 4px 0; white-space: normal;
  font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 80em; }
.note.warning { border-left-color: var(--warn-border); background: #fff0f0; }
.note .num { display: inline-block; min-width: 20px; height: 20px; padding: 0 5px;
  border-radius: 10px; background: var(--step-border); color: #fff; font-weight: 700;
  text-align: center; line-height: 20px; margin-right: 6px; font-size: 12px; }
.note.warning .num { background: var(--warn-border); }
.note .where { color: var(--muted); margin-left: 8px; font-size: 12.5px; }
.note .where .fn { font-weight: 400; }
.note > .fn { font-weight: 400; color: var(--muted); margin-left: 8px; }
.note:target, tr:target td { outline: 2px solid var(--link); }
tbody.fold-toggle td { background: #f0f2f5; color: var(--muted); }
tbody.fold-toggle button, #unfold-all { font: inherit; font-size: 12px;
  color: var(--link); background: none; border: 0; padding: 1px 0; cursor: pointer; }
)css";

// Sorting and filtering; the state is kept in the address (#sort=COLUMN&
// order=asc|desc&check=NAME, COLUMN the header's data-key), so that a view
// can be linked to and reloaded.
const char *const IndexScript = R"js(
(function () {
  var table = document.getElementById('findings');
  var filter = document.getElementById('check-filter');
  var shown = document.getElementById('shown');
  var body = table.tBodies[0];
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var state = { sort: '', order: 'asc', check: '' };
  function value(row, i, numeric) {
    var cell = row.cells[i];
    var v = cell.getAttribute('data-value');
    if (v === null) v = cell.textContent;
    return numeric ? parseFloat(v) : v.toLowerCase();
  }
  function sort() {
    var i = -1;
    heads.forEach(function (th, k) {
      th.removeAttribute('aria-sort');
      if (th.getAttribute('data-key') === state.sort) i = k;
    });
    if (i < 0) return;
    var th = heads[i], up = state.order !== 'desc';
    var numeric = th.getAttribute('data-type') === 'num';
    th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a, i, numeric), y = value(b, i, numeric);
      var c = x < y ? -1 : x > y ? 1 : 0;
      if (!up) c = -c;
      return c !== 0 ? c : value(a, 0, true) - value(b, 0, true);
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  function applyFilter() {
    var n = 0;
    Array.prototype.forEach.call(body.rows, function (r) {
      var show = !state.check || r.getAttribute('data-check') === state.check;
      r.hidden = !show;
      if (show) n++;
    });
    shown.textContent = n + ' of ' + body.rows.length + ' shown';
  }
  function save() {
    var parts = [];
    if (state.sort) parts.push('sort=' + state.sort, 'order=' + state.order);
    if (state.check) parts.push('check=' + encodeURIComponent(state.check));
    history.replaceState(null, '', parts.length ? '#' + parts.join('&') :
                         location.pathname + location.search);
  }
  heads.forEach(function (th) {
    th.addEventListener('click', function () {
      var key = th.getAttribute('data-key');
      state.order = state.sort === key && state.order === 'asc' ? 'desc' : 'asc';
      state.sort = key;
      sort();
      save();
    });
  });
  filter.addEventListener('change', function () {
    state.check = filter.value;
    applyFilter();
    save();
  });
  location.hash.slice(1).split('&').forEach(function (kv) {
    var i = kv.indexOf('='), k = kv.slice(0, i), v = decodeURIComponent(kv.slice(i + 1));
    if (i > 0 && k in state) state[k] = v;
  });
  if (state.check && !filter.querySelector('option[value="' + state.check + '"]'))
    state.check = '';
  filter.value = state.check;
  sort();
  applyFilter();
})();
)js";

const char *const FindingScript = R"js(
(function () {
  function unfold(fold) {
    if (!fold || !fold.hidden) return;
    fold.hidden = false;
    var toggle = fold.previousElementSibling;
    if (toggle && toggle.className === 'fold-toggle') toggle.hidden = true;
  }
  Array.prototype.forEach.call(document.querySelectorAll('button[data-fold]'),
    function (b) {
      b.addEventListener('click', function () {
        unfold(document.getElementById(b.getAttribute('data-fold')));
      });
    });
  var all = document.getElementById('unfold-all');
  if (all) all.addEventListener('click', function () {
    Array.prototype.forEach.call(document.querySelectorAll('tbody.fold'), unfold);
    all.hidden = true;
  });
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var t = id && document.getElementById(id);
    if (!t) return;
    for (var e = t; e; e = e.parentElement)
      if (e.tagName === 'TBODY') unfold(e);
    t.scrollIntoView();
  }
  window.addEventListener('hashchange', reveal);
  reveal();
})();
)js";

std::string head(llvm::StringRef Title) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<title>" +
         esc(Title) + "</title>\n<style>" + Style + "</style>\n</head>\n<body>\n";
}

/// A source file split into lines (no line terminators), read once per run.
struct SourceFile {
  bool Read = false;
  std::string Error;
  std::vector<std::string> Lines;
};

class Sources {
public:
  const SourceFile &get(const std::string &Path) {
    auto It = Files.find(Path);
    if (It != Files.end())
      return It->second;
    SourceFile &S = Files[Path];
    auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
    if (!Buf) {
      S.Error = Buf.getError().message();
      return S;
    }
    S.Read = true;
    llvm::StringRef Text = (*Buf)->getBuffer();
    while (!Text.empty()) {
      auto Split = Text.split('\n');
      S.Lines.push_back(Split.first.rtrim('\r').str());
      Text = Split.second;
    }
    return S;
  }

private:
  std::map<std::string, SourceFile> Files;
};

bool writeFile(llvm::StringRef Path, llvm::StringRef Text, std::string &Error) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC, llvm::sys::fs::OF_None);
  if (EC) {
    Error = "cannot write '" + Path.str() + "': " + EC.message();
    return false;
  }
  OS << Text;
  OS.close();
  if (OS.has_error()) {
    Error = "cannot write '" + Path.str() + "': " + OS.error().message();
    OS.clear_error();
    return false;
  }
  return true;
}

std::string crossedHtml(const std::vector<std::string> &Fns) {
  std::string Out;
  for (size_t I = 0; I < Fns.size(); ++I) {
    if (I)
      Out += "<span class=\"arrow\">&rarr;</span>";
    Out += "<span class=\"fn\">" + esc(Fns[I]) + "</span>";
  }
  return Out;
}

std::string plainCrossed(const std::vector<std::string> &Fns) {
  return llvm::join(Fns, " -> ");
}

/// Where a note is: its function, and the routine whose path reached it when
/// that is another (a callback that called a helper).
std::string noteWhere(const PortableNote &N) {
  std::string Out;
  if (!N.Function.empty())
    Out += "in <span class=\"fn\">" + esc(N.Function) + "</span>";
  if (!N.Routine.empty() && N.Routine != N.Function)
    Out += std::string(Out.empty() ? "" : ", ") +
           "on the path of <span class=\"fn\">" + esc(N.Routine) + "</span>";
  return Out;
}

/// Lines shown around each step; runs of at least MinFold other lines are
/// folded.
/// The first lines of the functions on the path stay shown too (their
/// start and FunctionHead lines after it).
constexpr unsigned Context = 4, MinFold = 4, FunctionHead = 2;

std::string findingPage(const PortableFinding &F, unsigned Number,
                        unsigned Total, llvm::StringRef Root,
                        Sources &Src) {
  llvm::StringRef Check = checkInfo(F.Check).Name;
  std::string File = relativePath(F.Loc.File, Root);
  std::vector<std::string> Fns = crossedFunctions(F);
  std::string Out = head("Finding " + std::to_string(Number) + ": " +
                         Check.str() + " in " + File);
  Out += "<header>\n<p><a href=\"index.html\">&larr; all findings</a>";
  if (Number > 1)
    Out += " &middot; <a href=\"finding-" + std::to_string(Number - 1) +
           ".html\">previous</a>";
  if (Number < Total)
    Out += " &middot; <a href=\"finding-" + std::to_string(Number + 1) +
           ".html\">next</a>";
  Out += " <span class=\"muted\">(finding " + std::to_string(Number) + " of " +
         std::to_string(Total) + ")</span></p>\n";
  Out += "<h1><span class=\"check\">" + esc(Check) + "</span> " +
         esc(F.Message) + "</h1>\n";
  Out += "<p class=\"loc\"><a href=\"#warning\">" + esc(File) + ":" +
         std::to_string(F.Loc.Line) + ":" + std::to_string(F.Loc.Column) +
         "</a>";
  if (!F.Function.empty())
    Out += " in <span class=\"fn\">" + esc(F.Function) + "</span>";
  Out += "</p>\n";
  if (Fns.size() > 1)
    Out += "<p class=\"crossed\" title=\"" + esc(plainCrossed(Fns)) +
           "\">Path across routines: " + crossedHtml(Fns) + "</p>\n";

  // The steps, listed; each links to its note at its line.
  Out += "<ol class=\"steps\">\n";
  for (size_t I = 0; I < F.Notes.size(); ++I) {
    const PortableNote &N = F.Notes[I];
    std::string Id = "step-" + std::to_string(I + 1);
    // The line alone in the warning's file; the file too in another.
    std::string At = N.Loc.File == F.Loc.File
                         ? "line " + std::to_string(N.Loc.Line)
                         : esc(relativePath(N.Loc.File, Root)) + ":" +
                               std::to_string(N.Loc.Line);
    Out += "<li><a href=\"#" + Id + "\">" + At + "</a> " + esc(N.Message);
    std::string Where = noteWhere(N);
    if (!Where.empty())
      Out += " <span class=\"muted\">(" + Where + ")</span>";
    Out += "</li>\n";
  }
  Out += "<li class=\"warning\"><a href=\"#warning\">line " +
         std::to_string(F.Loc.Line) +
         "</a> the warning</li>\n</ol>\n<p><button type=\"button\" "
         "id=\"unfold-all\">show all lines</button></p>\n</header>\n";

  // The files on the path, in the order the path reaches them.
  std::vector<std::string> Files;
  auto AddFile = [&](const std::string &P) {
    if (!P.empty() && std::find(Files.begin(), Files.end(), P) == Files.end())
      Files.push_back(P);
  };
  for (const PortableNote &N : F.Notes)
    AddFile(N.Loc.File);
  AddFile(F.Loc.File);

  for (size_t FI = 0; FI < Files.size(); ++FI) {
    const std::string &Path = Files[FI];
    // What is shown at each line: the notes (step numbers from 1), then the
    // warning (-1).
    std::map<unsigned, std::vector<int>> At;
    for (size_t I = 0; I < F.Notes.size(); ++I)
      if (F.Notes[I].Loc.File == Path && F.Notes[I].Loc.Line)
        At[F.Notes[I].Loc.Line].push_back(int(I) + 1);
    if (F.Loc.File == Path && F.Loc.Line)
      At[F.Loc.Line].push_back(-1);

    std::string Prefix = "f" + std::to_string(FI) + "-L";
    Out += "<section class=\"file\" id=\"file-" + std::to_string(FI) + "\">\n";
    Out += "<h2>" + esc(relativePath(Path, Root)) + "</h2>\n";
    const SourceFile &S = Src.get(Path);
    if (!S.Read) {
      Out += "<p class=\"errors\">cannot read '" + esc(Path) + "': " +
             esc(S.Error) + "</p>\n</section>\n";
      continue;
    }
    Out += "<table class=\"source\">\n";
    unsigned LineCount = unsigned(S.Lines.size());
    if (!At.empty())
      LineCount = std::max(LineCount, At.rbegin()->first);
    // Lines far from every step are folded (in the page, hidden, shown by a
    // click): the path reads without scrolling through the whole file.
    std::vector<bool> Near(LineCount + 2, false);
    for (const auto &M : At)
      for (unsigned L = M.first > Context ? M.first - Context : 1;
           L <= std::min(LineCount, M.first + Context); ++L)
        Near[L] = true;
    // The first lines of the functions the steps are in (their names and
    // parameters) stay shown as well.
    std::set<unsigned> Starts;
    for (const PortableNote &N : F.Notes)
      if (N.Loc.File == Path && N.FunctionLine)
        Starts.insert(N.FunctionLine);
    if (F.Loc.File == Path && F.FunctionLine)
      Starts.insert(F.FunctionLine);
    for (unsigned Start : Starts)
      for (unsigned L = Start; L <= std::min(LineCount, Start + FunctionHead);
           ++L)
        Near[L] = true;
    // Runs of lines: shown, or folded when long enough.
    struct Run {
      unsigned Begin, End;
      bool Folded;
    };
    std::vector<Run> Runs;
    for (unsigned L = 1; L <= LineCount;) {
      unsigned End = L;
      while (End + 1 <= LineCount && Near[End + 1] == Near[L])
        ++End;
      bool Fold = !Near[L] && End - L + 1 >= MinFold;
      if (!Runs.empty() && !Runs.back().Folded && !Fold)
        Runs.back().End = End;
      else
        Runs.push_back({L, End, Fold});
      L = End + 1;
    }
    for (const Run &R : Runs) {
      if (R.Folded) {
        std::string FoldId =
            "fold-" + std::to_string(FI) + "-" + std::to_string(R.Begin);
        Out += "<tbody class=\"fold-toggle\"><tr><td class=\"ln\">&#8942;</td>"
               "<td><button type=\"button\" data-fold=\"" +
               FoldId + "\">show lines " + std::to_string(R.Begin) +
               "&ndash;" + std::to_string(R.End) + "</button></td></tr></tbody>\n";
        Out += "<tbody class=\"fold\" id=\"" + FoldId + "\" hidden>\n";
      } else {
        Out += "<tbody>\n";
      }
      for (unsigned L = R.Begin; L <= R.End; ++L) {
        auto Marks = At.find(L);
        std::string Class = "line";
        if (Marks != At.end()) {
          bool Warn = std::find(Marks->second.begin(), Marks->second.end(), -1) !=
                      Marks->second.end();
          Class += Warn ? " warning" : " step";
        }
        std::string Id = Prefix + std::to_string(L);
        Out += "<tr id=\"" + Id + "\" class=\"" + Class + "\" data-line=\"" +
               std::to_string(L) + "\"><td class=\"ln\"><a href=\"#" + Id +
               "\">" + std::to_string(L) + "</a></td><td class=\"code\"><pre>" +
               (L <= S.Lines.size() ? esc(S.Lines[L - 1]) : std::string()) +
               "</pre>";
        if (Marks != At.end())
          for (int Step : Marks->second) {
            if (Step < 0) {
              Out += "<div class=\"note warning\" id=\"warning\"><span "
                     "class=\"num\">!</span><span class=\"msg\">warning: " +
                     esc(F.Message) + " <span class=\"check\">" + esc(Check) +
                     "</span></span>";
              if (!F.Function.empty())
                Out += "<span class=\"where\">in <span class=\"fn\">" +
                       esc(F.Function) + "</span></span>";
              Out += "</div>";
              continue;
            }
            const PortableNote &N = F.Notes[Step - 1];
            Out += "<div class=\"note\" id=\"step-" + std::to_string(Step) +
                   "\" data-step=\"" + std::to_string(Step) +
                   "\"><span class=\"num\">" + std::to_string(Step) +
                   "</span><span class=\"msg\">" + esc(N.Message) + "</span>";
            std::string Where = noteWhere(N);
            if (!Where.empty())
              Out += "<span class=\"where\">" + Where + "</span>";
            Out += "</div>";
          }
        Out += "</td></tr>\n";
      }
      Out += "</tbody>\n";
    }
    Out += "</table>\n</section>\n";
  }
  Out += "<script>" + std::string(FindingScript) + "</script>\n</body>\n</html>\n";
  return Out;
}

std::string indexPage(const std::vector<PortableFinding> &Findings,
                      const std::vector<RunErrorRecord> &Errors,
                      llvm::StringRef Root, llvm::StringRef Version) {
  std::string Out = head("dmacheck report");
  std::set<std::string> Files;
  std::map<std::string, unsigned> PerCheck;
  for (const PortableFinding &F : Findings) {
    Files.insert(F.Loc.File);
    ++PerCheck[checkInfo(F.Check).Name.str()];
  }
  Out += "<h1>dmacheck report</h1>\n<p class=\"summary\">" +
         std::to_string(Findings.size()) +
         (Findings.size() == 1 ? " finding" : " findings") + " in " +
         std::to_string(Files.size()) + (Files.size() == 1 ? " file" : " files") +
         " <span class=\"muted\">&middot; dmacheck " + esc(Version) +
         "</span></p>\n";
  if (!Errors.empty()) {
    Out += "<div class=\"errors\" id=\"errors\"><p>Some input could not be "
           "analysed:</p>\n<ul>\n";
    for (const RunErrorRecord &E : Errors)
      Out += "<li>" + esc(E.Message) + "</li>\n";
    Out += "</ul></div>\n";
  }
  if (Findings.empty()) {
    Out += "<p id=\"no-findings\">No findings.</p>\n</body>\n</html>\n";
    return Out;
  }
  Out += "<div class=\"controls\"><label>Check: <select id=\"check-filter\">"
         "<option value=\"\">all checks</option>";
  for (const auto &C : PerCheck)
    Out += "<option value=\"" + esc(C.first) + "\">" + esc(C.first) + " (" +
           std::to_string(C.second) + ")</option>";
  Out += "</select></label> <span id=\"shown\" class=\"muted\"></span></div>\n";
  Out += "<table class=\"findings\" id=\"findings\">\n<thead><tr>"
         "<th data-key=\"number\" data-type=\"num\">#</th>"
         "<th data-key=\"check\">Check</th><th data-key=\"file\">File</th>"
         "<th data-key=\"line\" data-type=\"num\">Line</th>"
         "<th data-key=\"function\">Function</th><th data-key=\"path\">Path</th>"
         "<th data-key=\"steps\" data-type=\"num\">Steps</th>"
         "<th data-key=\"message\">Message</th></tr></thead>\n<tbody>\n";
  for (size_t I = 0; I < Findings.size(); ++I) {
    const PortableFinding &F = Findings[I];
    std::string Check = checkInfo(F.Check).Name.str();
    std::string Page = "finding-" + std::to_string(I + 1) + ".html";
    Out += "<tr class=\"finding\" data-check=\"" + esc(Check) +
           "\"><td class=\"num\" data-value=\"" + std::to_string(I + 1) +
           "\"><a href=\"" + Page + "\">" + std::to_string(I + 1) +
           "</a></td><td class=\"nowrap\"><span class=\"check\">" + esc(Check) +
           "</span></td><td class=\"nowrap\">" +
           esc(relativePath(F.Loc.File, Root)) +
           "</td><td class=\"num\">" + std::to_string(F.Loc.Line) +
           "</td><td><span class=\"fn\">" + esc(F.Function) + "</span></td><td>" +
           crossedHtml(crossedFunctions(F)) + "</td><td class=\"num\">" +
           std::to_string(F.Notes.size()) + "</td><td><a href=\"" + Page +
           "\">" + esc(F.Message) + "</a></td></tr>\n";
  }
  Out += "</tbody>\n</table>\n<script>" + std::string(IndexScript) +
         "</script>\n</body>\n</html>\n";
  return Out;
}

} // namespace

std::vector<std::string> dmacheck::crossedFunctions(const PortableFinding &F) {
  std::vector<std::string> Out;
  auto Add = [&](const std::string &Fn) {
    if (!Fn.empty() && (Out.empty() || Out.back() != Fn))
      Out.push_back(Fn);
  };
  for (const PortableNote &N : F.Notes)
    Add(N.Routine.empty() ? N.Function : N.Routine);
  Add(F.Function);
  return Out;
}

bool dmacheck::writeHtml(llvm::StringRef Dir,
                         const std::vector<PortableFinding> &Findings,
                         const std::vector<RunErrorRecord> &Errors,
                         llvm::StringRef Root, llvm::StringRef Version,
                         std::string &Error) {
  if (std::error_code EC = llvm::sys::fs::create_directories(Dir)) {
    Error = "cannot create the directory '" + Dir.str() + "': " + EC.message();
    return false;
  }
  auto In = [&](llvm::StringRef Name) {
    llvm::SmallString<256> P(Dir);
    llvm::sys::path::append(P, Name);
    return std::string(P);
  };
  // Pages of an earlier, longer report would be left linked to nothing.
  std::error_code EC;
  std::vector<std::string> Stale;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; !EC && It != End;
       It.increment(EC)) {
    llvm::StringRef Name = llvm::sys::path::filename(It->path());
    unsigned N = 0;
    if (Name.consume_front("finding-") && Name.consume_back(".html") &&
        !Name.getAsInteger(10, N) && N > Findings.size())
      Stale.push_back(It->path());
  }
  for (const std::string &P : Stale)
    llvm::sys::fs::remove(P);

  Sources Src;
  for (size_t I = 0; I < Findings.size(); ++I)
    if (!writeFile(In("finding-" + std::to_string(I + 1) + ".html"),
                   findingPage(Findings[I], unsigned(I + 1),
                               unsigned(Findings.size()), Root, Src),
                   Error))
      return false;
  return writeFile(In("index.html"), indexPage(Findings, Errors, Root, Version),
                   Error);
}
