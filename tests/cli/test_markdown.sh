#!/usr/bin/env bash
# run --markdown FILE: GitHub-flavoured Markdown, rendered by Debian's real cmark-gfm with the
# extensions GitHub uses (table, autolink, strikethrough, tagfilter; footnotes and tasklist too)
# and --unsafe, as GitHub renders raw HTML before its sanitiser: so every raw element or link in
# the output would show. Checks on the HTML it renders (Python's html.parser): the scores, fix and
# details tables are <table>s with the right rows and columns; checklist, answers and server text
# holding |, <script>, <img onerror>, [link](http://x), images, autolinks, newlines, backticks
# adds no cell, no element, no <a> or <img>, and shows as the same text; each section is folded
# in a <details> with a <summary>. Then a --baseline run with a regression (the regressions
# table), Markdown on stdout ("-"), and `ms-roundtrip markdown` giving the same bytes from the
# JSON report (a pure writer).
. "$(dirname "$0")/lib.sh"
CMARK=$(command -v cmark-gfm)
if [ -z "$CMARK" ]; then
  bad "cmark-gfm is missing (scripts/install-deps --test installs it)"
  finish
  exit
fi
render() { # render MD HTML
  "$CMARK" --unsafe -e table -e autolink -e strikethrough -e tagfilter -e footnotes -e tasklist \
    "$1" >"$2"
}
start_server web
BASE=http://127.0.0.1:$PORT_web
mkdir -p "$TMP/r"

# Checklist, answers and server text with everything that could break Markdown.
cat >"$TMP/evil.json" <<EOF
{ "format": 1, "id": "evil", "title": "# Evil | <script>alert(1)</script> shop",
  "vars": { "base": "$BASE" },
  "sections": [
    { "id": "web", "title": "Web </summary></details><img src=x onerror=alert(1)> | part",
      "checks": [
        { "id": "page", "kind": "http", "title": "Home page", "samples": 2,
          "request": { "url": "{{base}}/" }, "budget": { "total_ms": 5000 } },
        { "id": "broken", "kind": "http", "critical": true, "samples": 2,
          "title": "- Broken | cell <script>alert(1)</script> <img src=x onerror=alert(1)> [link](http://x) ![i](http://y/i.png)\nnew line \`code\` back\\\\slash www.evil.example http://evil.example/p me@evil.example *em* ~~del~~ \$x\$ [^1] [ ] &amp; <!-- c -->",
          "owner": "> ops | <b>team</b> ops@evil.example",
          "fix": "1. Fix it | [here](javascript:alert(1)) <iframe src=//x></iframe>",
          "request": { "url": "{{base}}/?status=503" } },
        { "id": "body", "kind": "http", "title": "Body", "samples": 1,
          "request": { "url": "{{base}}/" },
          "expect": { "body_contains": ["<script>x</script> | [a](http://b)\n| x | y |"] } }
      ] },
    { "id": "people", "title": "People",
      "checks": [
        { "id": "greet", "kind": "yesno", "title": "Greeted" },
        { "id": "rate", "kind": "rating", "title": "Rated", "scale": [1, 5], "pass": 3 },
        { "id": "wait", "kind": "stopwatch", "title": "Wait", "budget": { "total_ms": 60000 } },
        { "id": "asked", "kind": "yesno", "title": "Not answered" }
      ] } ] }
EOF
cat >"$TMP/ans.json" <<'EOF'
{ "format": 1, "auditor": "Lan | <b>x</b>", "answers": {
  "greet": { "value": "no", "note": "said | <script>alert(2)</script> [x](http://x)\n# heading\n\n- item" },
  "rate": { "value": 4, "note": "ok `tick`" },
  "wait": { "elapsed_ms": 73000 } } }
EOF

# The checker: python3 mdcheck.py HTML JSON MODE, MODE "evil" or "baseline".
cat >"$TMP/mdcheck.py" <<'PY'
import html.parser, json, re, sys
page, report, mode = sys.argv[1], sys.argv[2], sys.argv[3]
d = json.load(open(report, encoding="utf-8"))
# What cmark-gfm makes of our Markdown and nothing else: a raw element from a checklist (script,
# img, iframe, b), a link (a), code, emphasis, strikethrough or a list the text made is a failure.
ALLOWED = {"h2", "h3", "h4", "p", "strong", "br", "table", "thead", "tbody", "tr", "th", "td",
           "details", "summary", "ul", "li"}

class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems, self.tables, self.details, self.summaries = [], [], 0, []
        self.cell = self.summary = None
        self.open_details = 0
    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED:
            self.problems.append("an element <%s> %r" % (tag, attrs))
        for k, v in attrs:
            if k != "align":
                self.problems.append("an attribute %s=%r on <%s>" % (k, v, tag))
        if tag == "table":
            self.tables.append({"head": [], "rows": []})
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = ""
        elif tag == "details":
            self.details += 1
            self.open_details += 1
        elif tag == "summary":
            self.summary = ""
        elif tag == "br" and self.cell is not None:
            self.cell += "\n"
    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr":
            t = self.tables[-1]
            if not t["head"]:
                t["head"] = self.row
            else:
                t["rows"].append(self.row)
        elif tag == "summary":
            self.summaries.append(self.summary)
            self.summary = None
        elif tag == "details":
            self.open_details -= 1
    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        if self.summary is not None:
            self.summary += data

p = Page()
p.feed(open(page, encoding="utf-8").read())
p.close()
problems = list(p.problems)
def need(cond, what):
    if not cond:
        problems.append(what)
def table(first):
    ts = [t for t in p.tables if t["head"][:len(first)] == first]
    need(len(ts) >= 1, "no table with the head %r" % first)
    return ts
def shape(t, ncols, nrows, what):
    need(len(t["head"]) == ncols, "%s: %d columns in the head, expected %d" % (what, len(t["head"]), ncols))
    need(len(t["rows"]) == nrows, "%s: %d rows, expected %d" % (what, len(t["rows"]), nrows))
    for r in t["rows"]:
        need(len(r) == ncols, "%s: a row of %d cells, expected %d: %r" % (what, len(r), ncols, r))
def one_line(s):
    return " ".join(s.replace("\n", " ").split(" ")).strip()
checks = [c for cl in d["checklists"] for s in cl["sections"] for c in s["checks"]]
sections = [s for cl in d["checklists"] for s in cl["sections"] if s["checks"]]

scores = table(["scope", "score"])[0]
shape(scores, 2, 6, "the scores table")
need(scores["rows"][0][1] == "%.2f" % d["scores"]["overall"], "the overall score: %r" % scores["rows"][0])
need(p.details == len(sections) and p.open_details == 0,
     "%d <details> (%d open at the end) for %d sections" % (p.details, p.open_details, len(sections)))
need(len(p.summaries) == len(sections), "a <summary> a section")
for s, text in zip(sections, p.summaries):
    need(text.startswith(one_line(s["title"]) + ": score "), "the summary %r" % text)
det = table(["status", "check", "figure", "budget", "evidence", "note"])
need(len(det) == len(sections), "%d details tables for %d sections" % (len(det), len(sections)))
for t, s in zip(det, sections):
    shape(t, 6, len(s["checks"]), "the details table of " + s["id"])
    for row, c in zip(t["rows"], s["checks"]):
        need(row[1] == one_line(c["title"]), "the title %r shows as %r" % (c["title"], row[1]))
        need(row[4] == one_line(c["evidence"]), "the evidence %r shows as %r" % (c["evidence"], row[4]))
        note = (c.get("answer") or {}).get("note") or ""
        need(row[5] == one_line(note), "the note %r shows as %r" % (note, row[5]))
        word = {"pass": "pass", "fail": "fail", "na": "n/a", "unanswered": "unanswered", "not_run": "not"}
        need(row[0].split()[0].lower() == word.get(c["status"]), "the status %r shows as %r" % (c["status"], row[0]))
verdict = re.search(r"<strong>Verdict: ([A-Z ]+)</strong> \(exit (\d+)\)", open(page, encoding="utf-8").read())
need(verdict and int(verdict.group(2)) == d["verdict"]["exit_code"], "the verdict line and exit code")
for r in d["verdict"]["reasons"]:
    need(r["text"] in open(page, encoding="utf-8").read(), "the reason %r" % r["text"])

if mode == "evil":
    fx = table(["#", "severity", "check", "factor", "owner", "impact", "effort", "evidence"])[0]
    shape(fx, 8, len(d["fixes"]), "the fix table")
    for row, f in zip(fx["rows"], d["fixes"]):
        need(row[0] == str(f["rank"]) and row[1] == f["severity"], "fix %r: %r" % (f["rank"], row[:2]))
        need(row[2].startswith(one_line(f["title"])), "the fix title %r shows as %r" % (f["title"], row[2]))
        need(row[4] == one_line(f["owner"] or "nobody named"), "the owner %r shows as %r" % (f["owner"], row[4]))
        ev = row[7].split("\n")
        need(ev[0] == one_line(f["evidence"]), "the fix evidence %r shows as %r" % (f["evidence"], ev[0]))
        if f["fix"]:
            need(("fix: " + one_line(f["fix"])) in ev, "the fix %r shows as %r" % (f["fix"], ev))
    need(any(r[2].startswith("- Broken | cell <script>") for r in fx["rows"]), "the tricky title is in the fix table")
elif mode == "baseline":
    reg = table(["check", "phase", "base", "new", "change", "p"])[0]
    shape(reg, 6, int(sys.argv[4]), "the regressions table")
    for r in reg["rows"]:
        need(r[1] == "total" and re.fullmatch(r"[0-9.]+ ms", r[2]) and re.fullmatch(r"[0-9.]+ ms", r[3]),
             "a regression row %r" % r)
        need(re.fullmatch(r"\+[0-9]+%", r[4]) and re.fullmatch(r"0\.0[0-4][0-9]*|< 0\.001", r[5]), "a regression's change and p %r" % r)
for x in problems:
    print("  " + x, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
mdcheck() { # mdcheck MD JSON MODE [N] WHAT
  local what=${*: -1}
  render "$1" "$1.html" || { bad "$what: cmark-gfm failed on $1"; return; }
  if python3 "$TMP/mdcheck.py" "$1.html" "$2" "${@:3:$#-3}" 2>"$TMP/.mdcheck"; then ok; else
    bad "$what: $(head -c 3000 "$TMP/.mdcheck")"
  fi
}

# 1. The tricky run: exit 1 (4 checks failed), Markdown beside the JSON.
run_ms run --no-input -q -a "$TMP/ans.json" --markdown "$TMP/r/evil.md" --json "$TMP/r/evil.json" \
  "$TMP/evil.json"
expect_rc 1 "the tricky run fails"
[ -s "$TMP/r/evil.md" ] && ok || bad "--markdown wrote nothing"
mdcheck "$TMP/r/evil.md" "$TMP/r/evil.json" evil "the tricky run's Markdown"
json_check "$TMP/r/evil.json" "
len(d['fixes']) == 4
[c['status'] for c in checks()] == ['pass', 'fail', 'fail', 'fail', 'pass', 'fail', 'unanswered']
"
# The raw Markdown: no raw tag of the checklist's, one line a table row.
expect_no "<script" "$TMP/r/evil.md"
expect_no "<img" "$TMP/r/evil.md"
if python3 - "$TMP/r/evil.md" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
rows = [l for l in lines if l.startswith("|")]
assert all(l.endswith("|") for l in rows), [l for l in rows if not l.endswith("|")]
assert not any(l.startswith(("-", ">", "#####", "    ")) for l in lines), "a line starts a block of the text's"
PY
then ok; else bad "the Markdown's lines are its own"; fi
# A pure writer: the JSON report read back gives the same bytes.
"$ROUNDTRIP" markdown "$TMP/r/evil.json" >"$TMP/r/evil.again.md" 2>"$TMP/err"
if cmp -s "$TMP/r/evil.md" "$TMP/r/evil.again.md"; then ok; else
  bad "ms-roundtrip markdown differs from what the run wrote: $(diff "$TMP/r/evil.md" "$TMP/r/evil.again.md" | head -20)"
fi

# 2. Markdown on stdout ("-"), as a workflow appends it to $GITHUB_STEP_SUMMARY.
run_ms run --no-input -a "$TMP/ans.json" --markdown - "$TMP/evil.json"
expect_rc 1 "--markdown - fails as the run does"
if head -n 1 "$TMP/out" | grep -qxF "## mystery-shopper: FAIL"; then ok; else bad "--markdown - writes the Markdown on stdout"; fi
expect_no "the king's walk" "$TMP/out"

# 3. A passing run: no fix table, "None".
cat >"$TMP/ok.json" <<EOF
{ "format": 1, "id": "ok", "title": "Fine",
  "sections": [ { "id": "s", "title": "Pages", "checks": [
    { "id": "page", "kind": "http", "title": "Home page", "samples": 2,
      "request": { "url": "$BASE/" }, "budget": { "total_ms": 5000 } } ] } ] }
EOF
run_ms run --no-input -q --markdown "$TMP/r/ok.md" --json "$TMP/r/ok.json" "$TMP/ok.json"
expect_rc 0 "a passing run"
mdcheck "$TMP/r/ok.md" "$TMP/r/ok.json" ok "a passing run's Markdown"
if grep -qxF "None: every scored check is at its best." "$TMP/r/ok.md" &&
  grep -qF "**Verdict: PASS** (exit 0)" "$TMP/r/ok.md"; then ok; else bad "a passing run says so"; fi

# 4. A regression against a baseline (as cli_baseline: 20 ms, then 120 ms, 5 samples a side).
cat >"$TMP/bl.json" <<EOF
{ "format": 1, "id": "bl", "title": "Baseline",
  "vars": { "base": "$BASE", "delay": "20" },
  "sections": [ { "id": "s", "checks": [
    { "id": "page", "kind": "http", "title": "Home | page", "samples": 5,
      "request": { "url": "{{base}}/?delay={{delay}}" }, "budget": { "total_ms": 5000 } },
    { "id": "api", "kind": "http", "title": "API", "samples": 5,
      "request": { "url": "{{base}}/?delay={{delay}}" } } ] } ] }
EOF
run_ms run --no-input -q --no-history -D delay=20 --label main --json "$TMP/r/base.json" "$TMP/bl.json"
expect_rc 0 "the baseline run"
run_ms run --no-input -q --no-history -D delay=120 --baseline "$TMP/r/base.json" \
  --markdown "$TMP/r/slow.md" --json "$TMP/r/slow.json" "$TMP/bl.json"
expect_rc 1 "a run slower than its baseline fails"
mdcheck "$TMP/r/slow.md" "$TMP/r/slow.json" baseline 2 "the regression's Markdown"
if grep -qF "Compared with $TMP/r/base.json (started " "$TMP/r/slow.md" &&
  grep -qF ", label main): 2 checks got slower" "$TMP/r/slow.md"; then ok; else
  bad "the Markdown names the baseline and counts the regressions"; fi
"$ROUNDTRIP" markdown "$TMP/r/slow.json" >"$TMP/r/slow.again.md" 2>"$TMP/err"
cmp -s "$TMP/r/slow.md" "$TMP/r/slow.again.md" && ok || bad "ms-roundtrip markdown differs for the baseline run"
# Against itself nothing got slower, said once.
run_ms run --no-input -q --no-history -D delay=20 --baseline "$TMP/r/base.json" --max-slowdown 1000% \
  --markdown "$TMP/r/same.md" "$TMP/bl.json"
expect_rc 0 "a run as fast as its baseline"
grep -qF ", label main): no check got slower (by more than 1000% and 10 ms, p < 0.05)." "$TMP/r/same.md" &&
  ok || bad "the Markdown says no check got slower: $(grep -F 'Compared with' "$TMP/r/same.md")"
grep -qF "0 checks" "$TMP/r/same.md" && bad "the Markdown counts 0 checks got slower" || ok
finish
