#!/usr/bin/env bash
# run --metrics FILE and --push URL with the real tools: promtool (Debian's prometheus) checks
# and lints the file; its values, parsed by prometheus_client's own parser, are the JSON report's
# of the same run (durations: JSON ms / 1000); a title and a label holding '"', '\', a newline and
# Vietnamese survive; the file is replaced atomically, nothing is left beside it. A real
# prometheus-pushgateway on a loopback port receives --push: our series are read back from its
# /metrics with the grouping labels and the run's values, a second run replaces them (PUT); a
# push to a closed port, a Pushgateway refusing the push (inconsistent data) and a server
# answering 500 are warnings naming scheme and host only, exit 3, with the --json and --metrics
# files written saying exit 3; a password in the URL is never printed or written.
. "$(dirname "$0")/lib.sh"
start_server web
B=http://127.0.0.1:$PORT_web
PROMTOOL=$(command -v promtool) || { bad "promtool is missing (Debian's prometheus: scripts/install-deps --test)"; finish; exit; }
GATEWAY=$(command -v prometheus-pushgateway) || { bad "prometheus-pushgateway is missing (scripts/install-deps --test)"; finish; exit; }
# The parser: prometheus_client's (Debian's python3-prometheus-client), for whichever python3 has
# it (a python3 of its own, such as pyenv's, may come first on PATH).
PPY=
for py in python3 /usr/bin/python3; do
  "$py" -c 'import prometheus_client.parser' 2>/dev/null && { PPY=$py; break; }
done
[ -n "$PPY" ] || { bad "python3-prometheus-client is missing (scripts/install-deps --test)"; finish; exit; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

TITLE=$'Trang "chủ" \\ Tổng đài\nline 2'
LABEL=$'eu "west" \\ Hà Nội\nnight'
mkdir -p "$TMP/textfile"
cat >"$TMP/shop.json" <<JSON
{ "format": 1, "id": "shop", "title": "Shop", "vars": { "base": "" },
  "defaults": { "samples": 3 },
  "sections": [ { "id": "web", "checks": [
    { "id": "home", "kind": "http", "title": $(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$TITLE"),
      "request": { "url": "{{base}}/?delay=20" }, "budget": { "total_ms": 5000, "ttfb_ms": 4000 },
      "owner": "web team", "critical": true },
    { "id": "broken", "kind": "http", "title": "Orders", "samples": 1, "request": { "url": "{{base}}/?status=503" } },
    { "id": "gone", "kind": "http", "title": "Nothing listens", "samples": 1, "request": { "url": "http://127.0.0.1:$(free_port)/" } } ] } ] }
JSON
cat >"$TMP/desk.json" <<'JSON'
{ "format": 1, "id": "desk", "title": "Help desk",
  "sections": [ { "id": "call", "factor": "people", "checks": [
    { "id": "wait", "kind": "stopwatch", "title": "A person answers", "budget": { "total_ms": 60000 } },
    { "id": "friendly", "kind": "rating", "title": "Friendly", "scale": [1, 5], "pass": 4 },
    { "id": "solved", "kind": "yesno", "title": "Solved", "good": "yes" },
    { "id": "callback", "kind": "yesno", "title": "Called back", "good": "yes" } ] } ] }
JSON
echo '{"format": 1, "answers": {"wait": {"elapsed_ms": 73500}, "friendly": {"value": 4}, "solved": {"na": true}}}' >"$TMP/answers.json"
ALL=("$TMP/shop.json" "$TMP/desk.json")

# compare PROM JSON [EXTRA]: the metrics PROM (a file, parsed by prometheus_client) say what the
# JSON report says; EXTRA "gateway" when PROM is a Pushgateway's /metrics (job and instance
# added, and only our group's series are looked at).
compare() {
  "$PPY" - "$@" <<'PY'
import datetime, json, math, sys
from prometheus_client.parser import text_string_to_metric_families
prom, rep = sys.argv[1], json.load(open(sys.argv[2]))
gateway = len(sys.argv) > 3
text = open(prom, encoding="utf-8").read()
ids = ",".join(c["id"] for c in rep["checklists"])
label = rep["run"].get("label") or ""
series = {}
for fam in text_string_to_metric_families(text):
    if not fam.name.startswith("mystery_shopper_"):
        continue
    assert fam.type == "gauge", (fam.name, fam.type)
    for s in fam.samples:
        l = dict(s.labels)
        assert s.timestamp is None, s
        if gateway:
            assert l.pop("job") == "mystery_shopper" and l.pop("instance") == "", l
        if (l.get("checklist"), l.get("label")) != (ids, label):
            assert gateway, l  # another group of the Pushgateway
            continue
        del l["checklist"], l["label"]
        key = (s.name,) + tuple(sorted(l.items()))
        assert key not in series, key
        series[key] = s.value
def get(_metric, **l):
    return series.pop((_metric,) + tuple(sorted(l.items())), None)
def near(a, b):
    return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
v = rep["verdict"]
assert get("mystery_shopper_run_exit_code") == v["exit_code"], v
assert get("mystery_shopper_run_success") == (1 if v["exit_code"] == 0 else 0)
started = datetime.datetime.fromisoformat(rep["run"]["started_at"]).timestamp()
assert get("mystery_shopper_run_timestamp_seconds") == started
assert near(get("mystery_shopper_run_duration_seconds"), rep["run"]["duration_ms"] / 1000)
sc = rep["scores"]
def score(want, **l):
    got = get("mystery_shopper_score", **l)
    assert (got is None) == (want is None) and (want is None or near(got, want)), (l, got, want)
score(sc["overall"], scope="overall")
for k, x in sc["factor"].items():
    score(x, scope="factor", name=k)
for k, x in sc["audience"].items():
    score(x, scope="audience", name=k)
names = {"pass": "passed", "fail": "failed", "na": "na", "unanswered": "unanswered", "not-run": "not_run"}
for st, k in names.items():
    assert get("mystery_shopper_checks", status=st) == sc["checks"][k], st
for cl in rep["checklists"]:
    for sec in cl["sections"]:
        score(sec["score"], scope="section", name=sec["id"])
        for c in sec["checks"]:
            l = {"section": sec["id"], "check": c["id"]}
            info = {"title": c["title"] or "", "kind": c["kind"], "factor": c["factor"],
                    "audience": c["audience"], "critical": "true" if c["critical"] else "false",
                    "owner": c["owner"] or ""}
            if c["kind"] == "http":
                info["stat"] = c["stat"]
            assert get("mystery_shopper_check_info", **l, **info) == 1, (c["id"], info)
            for st in names:
                assert get("mystery_shopper_check_status", **l, status=st) == (st == c["status"]), (c["id"], st)
            ok = get("mystery_shopper_check_success", **l)
            assert ok == {"pass": 1, "fail": 0}.get(c["status"]), (c["id"], ok)
            s = get("mystery_shopper_check_score", **l)
            assert (s is None) == (c["score"] is None) and (s is None or near(s, c["score"])), c["id"]
            for ph, b in c["budget_ms"].items():
                assert near(get("mystery_shopper_check_budget_seconds", **l, phase=ph), b / 1000), (c["id"], ph)
            if c["kind"] == "http":
                for ph, st in c["stats_ms"].items():
                    for k in ("min", "median", "p90", "p95", "max", "mean"):
                        want = st.get(k)
                        got = get("mystery_shopper_check_duration_seconds", **l, phase=ph, stat=k)
                        assert (got is None) == (want is None), (c["id"], ph, k, got, want)
                        assert want is None or near(got, want / 1000), (c["id"], ph, k, got, want)
            elif c["kind"] == "stopwatch" and c["answer"] and "elapsed_ms" in c["answer"]:
                for k in ("min", "median", "p90", "p95", "max", "mean"):
                    assert near(get("mystery_shopper_check_duration_seconds", **l, phase="total", stat=k),
                                c["answer"]["elapsed_ms"] / 1000), (c["id"], k)
assert not series, "series the JSON report does not explain: %r" % sorted(series)[:5]
PY
}
# promtool_ok FILE WHAT: promtool check metrics passes with nothing to say (no lint complaint).
promtool_ok() {
  if "$PROMTOOL" check metrics <"$1" >"$TMP/promtool.out" 2>&1 && [ ! -s "$TMP/promtool.out" ]; then ok; else
    bad "$2: promtool check metrics: $(head -c 2000 "$TMP/promtool.out")"
  fi
}

# 1. The file: promtool passes it, its values are the JSON report's, the title and the label
# come back whole, and it replaced the file atomically with nothing left beside it.
echo old >"$TMP/textfile/ms.prom"
run_ms run --no-input -q -D "base=$B" -a "$TMP/answers.json" --label "$LABEL" \
  --metrics "$TMP/textfile/ms.prom" --json "$TMP/r1.json" "${ALL[@]}"
expect_rc 1 "a run with failed checks"
promtool_ok "$TMP/textfile/ms.prom" "the metrics file"
compare "$TMP/textfile/ms.prom" "$TMP/r1.json" 2>"$TMP/cmp.err" && ok || bad "the metrics are the JSON report's: $(cat "$TMP/cmp.err")"
"$PPY" - "$TMP/textfile/ms.prom" "$TITLE" "$LABEL" <<'PY' && ok || bad "the title and the label survive escaping"
import sys
from prometheus_client.parser import text_string_to_metric_families
t = open(sys.argv[1], encoding="utf-8").read()
titles = {s.labels["title"] for f in text_string_to_metric_families(t) if f.name == "mystery_shopper_check_info" for s in f.samples}
labels = {s.labels["label"] for f in text_string_to_metric_families(t) for s in f.samples}
assert sys.argv[2] in titles, titles
assert labels == {sys.argv[3]}, labels
assert "\\\"chủ\\\" \\\\ Tổng đài\\nline 2" in t  # escaped as the format says, UTF-8 kept
PY
[ "$(ls -A "$TMP/textfile")" = ms.prom ] && ok || bad "only ms.prom in the textfile directory: $(ls -A "$TMP/textfile")"
# node_exporter's textfile collector reads *.prom only, and must never see one half written: the
# file appears by a rename from a temporary in the same directory whose name does not end in
# .prom, and no *.prom file is ever opened for writing (strace sees the system calls).
if command -v strace >/dev/null 2>&1; then
  strace -f -qq -e trace=openat,open,creat,rename,renameat,renameat2 -e signal=none -o "$TMP/strace.log" \
    "$MS" run --no-input -q -D "base=$B" -a "$TMP/answers.json" --metrics "$TMP/textfile/ms.prom" \
    "${ALL[@]}" </dev/null >"$TMP/out" 2>"$TMP/err"
  python3 - "$TMP/strace.log" "$TMP/textfile" <<'PY' && ok || bad "the metrics file is not replaced atomically (strace)"
import os, re, sys
log, d = open(sys.argv[1]).read(), sys.argv[2]
renames = re.findall(r'rename(?:at2?)?\((?:AT_FDCWD, )?"([^"]*)", (?:AT_FDCWD, )?"([^"]*)"', log)
into = [(a, b) for a, b in renames if b == d + "/ms.prom"]
assert len(into) == 1, renames
tmp = into[0][0]
assert os.path.dirname(tmp) == d and not tmp.endswith(".prom") and os.path.basename(tmp).startswith("."), tmp
for line in log.splitlines():
    m = re.search(r'open(?:at)?\((?:AT_FDCWD, )?"([^"]*)", ([A-Z_|]+)', line)
    if m and m.group(1).endswith(".prom") and re.search(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC", m.group(2)):
        sys.exit("a .prom file opened for writing: " + line)
PY
else
  bad "strace is missing (scripts/install-deps --test): the atomic replacement is not checked"
fi
# The failed check "gone" has no duration (nothing completed), never a 0.
grep -q 'check="gone",phase=' "$TMP/textfile/ms.prom" && bad "a check with nothing measured has durations" || ok
grep -q '^mystery_shopper_check_success{.*check="gone"} 0$' "$TMP/textfile/ms.prom" && ok || bad "the unreachable check is a failure"

# 2. --metrics - on stdout; the same promtool verdict. (A run's bytes are its record's:
# ms-roundtrip renders the metrics of the JSON report again, byte for byte.)
run_ms run --no-input -q -D "base=$B" -a "$TMP/answers.json" --metrics - --json "$TMP/r2.json" "${ALL[@]}"
expect_rc 1 "--metrics -"
promtool_ok "$TMP/out" "--metrics -"
"$ROUNDTRIP" metrics "$TMP/r2.json" >"$TMP/again.prom" 2>"$TMP/rt.err"
cmp -s "$TMP/out" "$TMP/again.prom" && ok || bad "the metrics rendered again from the JSON report differ: $(diff "$TMP/out" "$TMP/again.prom" | head -5)"

# 3. The Pushgateway: started here on a free loopback port, no persistence, ended with the test
# (and by itself after 200 s).
GPORT=$(free_port)
timeout 200 "$GATEWAY" --web.listen-address="127.0.0.1:$GPORT" --web.enable-admin-api \
  >"$TMP/gateway.log" 2>&1 &
PIDS+=($!)
G=http://127.0.0.1:$GPORT
for _ in $(seq 200); do
  curl -sf "$G/-/ready" >/dev/null 2>&1 && break
  sleep 0.05
done
curl -sf "$G/-/ready" >/dev/null 2>&1 || { bad "the Pushgateway did not start: $(cat "$TMP/gateway.log")"; finish; exit; }
gw_metrics() { curl -sf --max-time 10 "$G/metrics" >"$1"; }

# A label with a '/' goes as @base64; the password never shows.
PW=s3cret-Pa55word
run_ms run --no-input -q -D "base=$B" -a "$TMP/answers.json" --label "$LABEL/x" \
  --push "http://mystery:$PW@127.0.0.1:$GPORT/" --metrics "$TMP/p1.prom" --json "$TMP/p1.json" "${ALL[@]}"
expect_rc 1 "a push that succeeds leaves the verdict alone"
gw_metrics "$TMP/gw1.txt" && ok || bad "GET the Pushgateway's /metrics"
compare "$TMP/gw1.txt" "$TMP/p1.json" gateway 2>"$TMP/cmp.err" && ok || bad "the pushed series are the run's: $(cat "$TMP/cmp.err")"
expect_no "$PW" "$TMP/out" "$TMP/err" "$TMP/p1.json" "$TMP/p1.prom"
# An unlabelled run of one checklist is a group of its own (label="" as @base64 "="); a second
# run replaces the first one's series: a check left out is gone, values are the new run's.
run_ms run --no-input -q -D "base=$B" --push "$G" --json "$TMP/p2.json" "$TMP/shop.json"
expect_rc 1 "the unlabelled push"
run_ms run --no-input -q -D "base=$B" --push "$G" --only home --json "$TMP/p3.json" "$TMP/shop.json"
expect_rc 0 "the second unlabelled push"
gw_metrics "$TMP/gw3.txt"
compare "$TMP/gw3.txt" "$TMP/p3.json" gateway 2>"$TMP/cmp.err" && ok || bad "the second push replaced the first: $(cat "$TMP/cmp.err")"
grep -q 'check="broken"' <(grep 'checklist="shop",.*label=""' "$TMP/gw3.txt") && bad "a check of the first push is still there" || ok
compare "$TMP/gw3.txt" "$TMP/p1.json" gateway 2>"$TMP/cmp.err" && ok || bad "the other group is untouched: $(cat "$TMP/cmp.err")"

# 4. A push that fails: exit 3, a warning naming scheme, host and port only, and the report
# files written saying exit 3.
closed=$(free_port)
expect_push_failed() { # expect_push_failed WHAT WHERE
  expect_rc 3 "$1: exit 3"
  expect_err "warning: --push $2: the metrics could not be pushed" "$1: the warning names the place"
  expect_no "$PW" "$TMP/out" "$TMP/err" "$TMP/f.json" "$TMP/f.prom"
  expect_no "/metrics/job" "$TMP/err"
  python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))["verdict"]; assert v["exit_code"] == 3, v; assert any("pushed" in r["text"] for r in v["reasons"]), v' \
    "$TMP/f.json" && ok || bad "$1: the JSON report states exit 3 and why"
  grep -q '^mystery_shopper_run_exit_code{.*} 3$' "$TMP/f.prom" && grep -q '^mystery_shopper_run_success{.*} 0$' "$TMP/f.prom" \
    && ok || bad "$1: the metrics file states exit 3"
}
rm -f "$TMP/f.json" "$TMP/f.prom"
run_ms run --no-input -q -D "base=$B" --only home --push "http://mystery:$PW@127.0.0.1:$closed/gw" \
  --json "$TMP/f.json" --metrics "$TMP/f.prom" "$TMP/shop.json"
expect_push_failed "a closed port" "http://127.0.0.1:$closed"
# The Pushgateway refuses a push inconsistent with what it holds: another group has
# mystery_shopper_checks as a counter (pushed to an empty Pushgateway: it would refuse that too).
curl -sf --max-time 10 -X PUT "$G/api/v1/admin/wipe" >/dev/null || bad "wipe the Pushgateway"
printf '# TYPE mystery_shopper_checks counter\nmystery_shopper_checks 1\n' |
  curl -sf --max-time 10 -X PUT --data-binary @- "$G/metrics/job/other" >/dev/null || bad "the conflicting push"
rm -f "$TMP/f.json" "$TMP/f.prom"
run_ms run --no-input -q -D "base=$B" --only home --push "$G" --json "$TMP/f.json" --metrics "$TMP/f.prom" "$TMP/shop.json"
expect_push_failed "a refused push" "$G"
expect_err "the Pushgateway answered HTTP 400" "the refusal says the Pushgateway's status"
curl -sf --max-time 10 -X DELETE "$G/metrics/job/other" >/dev/null
# A server answering 500 (tests/tools/webhook.py takes PUT too): and what it received is the
# metrics file's text, as text/plain; version=0.0.4.
echo 500 >"$TMP/mode"
python3 "$SRC/tests/tools/webhook.py" "$TMP" 2>"$TMP/receiver.log" &
PIDS+=($!)
for _ in $(seq 200); do
  [ -s "$TMP/hook.port" ] && break
  sleep 0.05
done
HPORT=$(cat "$TMP/hook.port")
rm -f "$TMP/f.json" "$TMP/f.prom"
run_ms run --no-input -q -D "base=$B" --only home --push "http://mystery:$PW@127.0.0.1:$HPORT" \
  --json "$TMP/f.json" --metrics "$TMP/f.prom" "$TMP/shop.json"
expect_push_failed "an answer of 500" "http://127.0.0.1:$HPORT"
expect_err "answered HTTP 500" "the failure says the status"
[ "$(cat "$TMP/ctype")" = "text/plain; version=0.0.4" ] && ok || bad "the push's Content-Type: $(cat "$TMP/ctype")"
[ "$(cat "$TMP/method" 2>/dev/null)" = PUT ] && ok || bad "the push is a PUT: $(cat "$TMP/method" 2>/dev/null)"
# A Pushgateway that does not answer: cut at 10 s.
echo hang >"$TMP/mode"
rm -f "$TMP/f.json" "$TMP/f.prom"
t0=$(date +%s)
run_ms run --no-input -q -D "base=$B" --only home --push "http://127.0.0.1:$HPORT" \
  --json "$TMP/f.json" --metrics "$TMP/f.prom" "$TMP/shop.json"
t1=$(date +%s)
expect_push_failed "a hang" "http://127.0.0.1:$HPORT"
expect_err "timed out" "the hang says it timed out"
[ $((t1 - t0)) -ge 9 ] && [ $((t1 - t0)) -le 25 ] && ok || bad "the hang is cut at 10 s: took $((t1 - t0)) s"
# What was pushed is the metrics of the run before the push failed (it passed then); the file
# says exit 3.
sed -e 's/^\(mystery_shopper_run_exit_code{.*}\) 3$/\1 0/' -e 's/^\(mystery_shopper_run_success{.*}\) 0$/\1 1/' \
  "$TMP/f.prom" | tr '\n' ' ' >"$TMP/f.flat"
echo >>"$TMP/f.flat"
python3 - "$TMP/posts" "$TMP/f.flat" <<'PY' && ok || bad "the pushed body is the metrics file's text"
import re, sys
posted = open(sys.argv[1], encoding="utf-8").read().splitlines()[-1]
flat = open(sys.argv[2], encoding="utf-8").read().strip()
assert posted.strip() == flat, (posted[:300], flat[:300])
PY

# An interrupted run pushes nothing (it was asked to stop), and says so: the Pushgateway keeps the
# previous run's metrics.
cat >"$TMP/hang.json" <<JSON
{"format": 1, "id": "hang", "defaults": {"samples": 1, "timeout_ms": 60000},
 "sections": [{"id": "s", "checks": [
  {"id": "stuck", "kind": "http", "request": {"url": "http://127.0.0.1:$PORT_web/hang"}}]}]}
JSON
interrupt_run "$PORT_web" run --no-input -q --label hang --push "$G" --metrics "$TMP/hang.prom" "$TMP/hang.json"
expect_rc 130 "an interrupted run with --push"
expect_err "--push: the run was interrupted: its metrics were not pushed" "it says it did not push"
curl -sf "$G/metrics" | grep -q 'label="hang"' && bad "the interrupted run was pushed" || ok
grep -q '^mystery_shopper_run_exit_code{.*} 130$' "$TMP/hang.prom" && ok || bad "the interrupted run's metrics file says exit 130"

# 5. docs/metrics.md: its alert rules pass promtool check rules, its example promtool check
# metrics, and it names every family and label the tool writes.
block() { # block MARKER LANG: the fenced block after <!-- MARKER --> in docs/metrics.md
  awk -v m="<!-- $1 -->" -v f="^\`\`\`$2" '$0 == m {on = 1; next} on && $0 ~ f {inb = 1; next}
    inb && /^```/ {exit} inb {print}' "$SRC/docs/metrics.md"
}
block metrics-rules yaml >"$TMP/rules.yml"
[ -s "$TMP/rules.yml" ] && "$PROMTOOL" check rules "$TMP/rules.yml" >"$TMP/promtool.out" 2>&1 && ok ||
  bad "docs/metrics.md's alert rules: $(head -c 2000 "$TMP/promtool.out")"
block metrics-example text >"$TMP/example.prom"
[ -s "$TMP/example.prom" ] && promtool_ok "$TMP/example.prom" "docs/metrics.md's example" || bad "docs/metrics.md has no example"
"$PPY" - "$TMP/p1.prom" "$SRC/docs/metrics.md" <<'PY' && ok || bad "docs/metrics.md names every family and label"
import sys
from prometheus_client.parser import text_string_to_metric_families
doc = open(sys.argv[2], encoding="utf-8").read()
missing = set()
for f in text_string_to_metric_families(open(sys.argv[1], encoding="utf-8").read()):
    missing |= {f.name} if "`%s`" % f.name not in doc else set()
    for s in f.samples:
        missing |= {l for l in s.labels if "`%s`" % l not in doc}
assert not missing, sorted(missing)
PY

finish
