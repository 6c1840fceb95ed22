#!/usr/bin/env bash
# The HTML report (--html) in a real browser: Debian's headless Chromium, driven by playwright-core
# (tests/tools/html-browser.js), loads the page the tool wrote from its file with the network off
# (unshare -n), and the DOM it built says: only the page itself was requested and no script
# element exists; every check's title and status are there as text (a title holding <script> and
# Vietnamese text intact); the bars' rendered widths are proportional to the sample's phases
# (from the JSON report of the same run) on one scale across the check; failed samples show as
# failed with their error, never as a bar of no width; a narrow window does not scroll sideways;
# an A4 PDF prints; the screenshot is not blank. A missing chromium or playwright-core fails the
# test (scripts/install-deps --test installs them). MS_HTML_SHOT=FILE keeps the screenshot
# (docs/report-html.png is made so, see docs/html-report.md).
. "$(dirname "$0")/lib.sh"
CHROMIUM=${MS_CHROMIUM:-/usr/bin/chromium}
PLAYWRIGHT=${MS_PLAYWRIGHT:-$SRC/.tools/node_modules/playwright-core}
[ -x "$CHROMIUM" ] || { bad "no chromium at $CHROMIUM (scripts/install-deps --test installs it)"; finish; exit; }
[ -d "$PLAYWRIGHT" ] || { bad "no playwright-core at $PLAYWRIGHT (scripts/install-deps --test installs it)"; finish; exit; }
command -v node >/dev/null || { bad "no node to drive chromium (scripts/install-deps --test)"; finish; exit; }
# A browser without a network: its own empty network namespace, where unshare can make one.
NONET=()
unshare -n true 2>/dev/null && NONET=(unshare -n)
[ ${#NONET[@]} -gt 0 ] || echo "note: unshare -n is not possible here: the page's requests are still checked" >&2

start_server web
# A port nothing listens on: bound, then closed.
CLOSED=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
cat >"$TMP/shop.json" <<JSON
{"format": 1, "id": "cua-hang", "title": "C\u1eeda h\u00e0ng H\u00e0 N\u1ed9i <b>& 'nhanh'</b>",
 "vars": {"base": "http://127.0.0.1:$PORT_web", "closed": "http://127.0.0.1:$CLOSED"},
 "defaults": {"samples": 3},
 "sections": [
  {"id": "web", "title": "Trang web & API", "checks": [
   {"id": "home", "kind": "http", "title": "Trang ch\u1ee7 m\u1edf nhanh", "request": {"url": "{{base}}/"},
    "budget": {"total_ms": 5000}, "owner": "web team"},
   {"id": "checkout", "kind": "http", "title": "Thanh to\u00e1n ch\u1eadm \"checkout\"",
    "request": {"url": "{{base}}/?delay=300"}, "budget": {"total_ms": 200}, "critical": true,
    "owner": "payments", "fix": "Cache the basket & <render> it server-side"},
   {"id": "closed", "kind": "http", "title": "<script>alert(1)</script> \u0110\u1eb7t h\u00e0ng",
    "request": {"url": "{{closed}}/orders"}, "owner": "ops <on-call>"},
   {"id": "status", "kind": "http", "title": "API tr\u1ea3 l\u1ed7i 500",
    "request": {"url": "{{base}}/?status=500&delay=40"}, "expect": {"status": [200]}}
  ]},
  {"id": "nguoi", "title": "Con ng\u01b0\u1eddi", "factor": "people", "checks": [
   {"id": "lang-nghe", "kind": "yesno", "title": "Nh\u00e2n vi\u00ean l\u1eafng nghe", "fix": "Train listening"},
   {"id": "than-thien", "kind": "rating", "title": "Th\u00e2n thi\u1ec7n & l\u1ecbch s\u1ef1", "scale": [1, 5], "pass": 4},
   {"id": "cho", "kind": "stopwatch", "title": "Th\u1eddi gian ch\u1edd", "budget": {"total_ms": 60000}},
   {"id": "bo-qua", "kind": "yesno", "title": "Kh\u00f4ng tr\u1ea3 l\u1eddi"}
  ]}]}
JSON
cat >"$TMP/answers.json" <<'JSON'
{"format": 1, "auditor": "Nguy\u1ec5n Th\u1ecb Lan",
 "answers": {"lang-nghe": {"value": "no", "note": "n\u00f3i \"kh\u00f4ng ph\u1ea3i vi\u1ec7c c\u1ee7a t\u00f4i\" <img src=x onerror=alert(2)>"},
  "than-thien": {"value": 3, "note": "ch\u00e0o h\u1ecfi 'l\u1ea1nh l\u00f9ng'"},
  "cho": {"elapsed_ms": 45000, "note": "nh\u1ea1c ch\u1edd r\u1ea5t l\u00e2u"}}}
JSON

run_ms run "$TMP/shop.json" -a "$TMP/answers.json" --no-input --html "$TMP/r.html" --json "$TMP/r.json"
expect_rc 1 "the run fails (checks failed)"
[ -s "$TMP/r.html" ] && ok || bad "no HTML report written"
# Pure: the JSON report of the run (a fresh history: no trend) renders to the same bytes.
"$ROUNDTRIP" html "$TMP/r.json" >"$TMP/again.html" 2>"$TMP/err"
if cmp -s "$TMP/r.html" "$TMP/again.html"; then ok; else
  bad "the HTML written again from the JSON report differs: $(diff "$TMP/r.html" "$TMP/again.html" | head -c 1500)"
fi

# browse HTML PNG: load the page in chromium; the browser's findings in $TMP/browser.json.
browse() {
  if MS_PLAYWRIGHT=$PLAYWRIGHT MS_CHROMIUM=$CHROMIUM TMPDIR=$TMP timeout 200 "${NONET[@]}" \
    node "$SRC/tests/tools/html-browser.js" "$1" "$2" >"$TMP/browser.json" 2>"$TMP/browser.err"; then
    ok
  else
    bad "chromium could not load $1: $(tail -c 2000 "$TMP/browser.err")"
    return 1
  fi
}

if browse "$TMP/r.html" "$TMP/r.png"; then
  if python3 - "$TMP/browser.json" "$TMP/r.json" "$TMP/r.html" 2>"$TMP/py.err" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
rep = json.load(open(sys.argv[2]))
page = "file://" + sys.argv[3]
problems = []
def need(cond, what):
    if not cond:
        problems.append(what)
WORD = {"pass": "PASS", "fail": "FAIL", "na": "N/A", "unanswered": "UNANSWERED", "not-run": "NOT RUN"}
# nothing fetched but the page; nothing scripted; what the page is
need(b["requests"] == [page], "requests other than the page: %r" % b["requests"])
need(b["scripts"] == 0, "%d script elements" % b["scripts"])
need(b["lang"] == "en" and b["charset"] == "UTF-8", "lang %r charset %r" % (b["lang"], b["charset"]))
need("default-src 'none'" in (b["csp"] or ""), "CSP %r" % b["csp"])
text = b["text"]
for s in ["Verdict: FAIL", "Cửa hàng Hà Nội <b>& 'nhanh'</b>", "Nguyễn Thị Lan",
          "nói \"không phải việc của tôi\" <img src=x onerror=alert(2)>", "chào hỏi 'lạnh lùng'",
          "Cache the basket & <render> it server-side", "ops <on-call>", "nhạc chờ rất lâu"]:
    need(s in text, "the page's text lacks %r" % s)
# every check: title and status as text, in the report's order
checks = [c for cl in rep["checklists"] for s in cl["sections"] for c in s["checks"]]
dom = {c["id"]: c for c in b["checks"]}
need([c["id"] for c in b["checks"]] == [c["id"] for c in checks], "checks %r" % list(dom))
for c in checks:
    d = dom.get(c["id"])
    if not d:
        continue
    need(d["title"] == c["title"], "%s: title %r, want %r" % (c["id"], d["title"], c["title"]))
    need(d["status"] == WORD[c["status"]], "%s: status %r, want %r" % (c["id"], d["status"], c["status"]))
    need(d["visible"], "%s is not shown" % c["id"])
need(dom["closed"]["title"] == "<script>alert(1)</script> Đặt hàng", "the <script> title as text")
# the waterfalls: one row a sample; bars proportional to the phases, one scale a check
PH = ["dns", "connect", "tls", "server", "transfer"]
scale = {}  # px per microsecond of each check's waterfall
for c in checks:
    if c["kind"] != "http":
        continue
    rows = dom[c["id"]]["rows"]
    need(len(rows) == len(c["samples"]), "%s: %d rows for %d samples" % (c["id"], len(rows), len(c["samples"])))
    per_us = []  # rendered px per microsecond of each sizeable bar, over the whole check
    for i, (row, s) in enumerate(zip(rows, c["samples"])):
        where = "%s sample %d" % (c["id"], i + 1)
        need(row["failed"] == (not s["ok"]), "%s: failed %r" % (where, row["failed"]))
        if s["phases_ms"] is None:
            # a failed sample without timings: a failed bar across the track with its error
            need(row["failbar"] is not None and row["failbar"] > 0.9 * row["track"],
                 "%s: a failed bar of %r px in a %r px track" % (where, row["failbar"], row["track"]))
            need(row["failbarText"] == "FAILED", "%s: %r" % (where, row["failbarText"]))
            need(s["error"] in row["text"], "%s: the error %r is not shown" % (where, s["error"]))
            need(not row["segs"], "%s: phase bars for a sample without timings" % where)
            continue
        if not s["ok"]:
            need(s["error"] in row["text"], "%s: the error %r is not shown" % (where, s["error"]))
        segs = {g["phase"]: g for g in row["segs"]}
        left = 0.0
        for p in PH:
            us = s["phases_ms"][p] * 1000
            g = segs.get(p)
            if us <= 0:
                need(g is None, "%s: a bar for %s of no time" % (where, p))
                continue
            if g is None:
                problems.append("%s: no bar for %s (%g ms)" % (where, p, us / 1000))
                continue
            # stacked: each starts where the one before ends (1.5 px: rounding, 1 px least width)
            need(abs(g["left"] - left) <= 1.5, "%s: %s starts at %.1f px, not %.1f" % (where, p, g["left"], left))
            left = g["left"] + g["width"]
            if g["width"] >= 20:
                per_us.append((g["width"] / us, where, p))
    if per_us:
        lo, hi = min(x[0] for x in per_us), max(x[0] for x in per_us)
        need(hi / lo < 1.03, "%s: bars not to one scale: %r" % (c["id"], per_us))
        scale[c["id"]] = sum(x[0] for x in per_us) / len(per_us)
need(any(len(dom[c]["rows"]) for c in ("checkout", "status")), "no waterfall rows")
# the slow check's budget line (its samples take 300 ms or more): where 200 ms fall on its scale
for row in dom["checkout"]["rows"]:
    want = 200000 * scale.get("checkout", 0)
    need(len(row["budgets"]) == 1 and abs(row["budgets"][0] - want) <= 2 + 0.02 * want,
         "checkout: budget line at %r px, want %.1f" % (row["budgets"], want))
need(dom["home"]["rows"][0]["budgets"] == [], "home: its far budget drawn on the scale")
need(b["narrow"]["scrollWidth"] <= b["narrow"]["clientWidth"], "a 360 px window scrolls sideways: %r" % b["narrow"])
need(b["pdf"]["magic"] == "%PDF-" and b["pdf"]["pages"] >= 1, "no A4 PDF: %r" % b["pdf"])
need(b["colors"]["distinct"] > 50 and b["colors"]["height"] > 1000, "a blank screenshot? %r" % b["colors"])
for p in problems:
    print("  " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
  then ok; else bad "the page in chromium: $(head -c 4000 "$TMP/py.err")"; fi
  [ -n "${MS_HTML_SHOT:-}" ] && cp "$TMP/r.png" "$MS_HTML_SHOT"
fi

# The page on stdout.
run_ms run "$TMP/shop.json" -a "$TMP/answers.json" --no-input --only nguoi --html -
expect_rc 1 "--html -"
grep -q '^<!DOCTYPE html>' "$TMP/out" && ok || bad "--html - did not write the page to stdout"
grep -qF '&lt;img src=x onerror=alert(2)&gt;' "$TMP/out" && ok || bad "--html -: the note is not escaped"
# With a history (earlier runs of the series): the overall trend and each check's as inline SVG;
# with a baseline (the first run's report): the comparison.
run_ms run "$TMP/shop.json" -a "$TMP/answers.json" --no-input --html "$TMP/second.html" \
  --baseline "$TMP/r.json"
expect_rc 1 "the second run"
grep -q '<svg class="spark"' "$TMP/second.html" && ok || bad "no trend sparkline with a history"
if browse "$TMP/second.html" "$TMP/second.png"; then
  python3 - "$TMP/browser.json" "$TMP/second.html" "$TMP/r.json" 2>"$TMP/py.err" <<'PY' && ok || bad "the second page: $(head -c 2000 "$TMP/py.err")"
import json, sys
b = json.load(open(sys.argv[1]))
assert b["requests"] == ["file://" + sys.argv[2]], b["requests"]
assert b["scripts"] == 0
assert [c["status"] for c in b["checks"]] == ["PASS", "FAIL", "FAIL", "FAIL", "FAIL", "FAIL", "PASS", "UNANSWERED"], b["checks"]
assert "the overall score over the last 3 runs" in open(sys.argv[2]).read()
assert "Compared with " + sys.argv[3] in b["text"], "no comparison with the baseline"
# each check measured in earlier runs: its own trend
art = open(sys.argv[2]).read().split('data-check="checkout"')[1].split("</article>")[0]
assert '<svg class="spark"' in art and "this check over the last" in art, "no trend for checkout"
assert "Only in the baseline" not in b["text"]
PY
fi
finish
