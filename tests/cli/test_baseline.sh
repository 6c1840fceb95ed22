#!/usr/bin/env bash
# run --baseline REF: a regression is a finding. Against the test server's exact delays
# (?delay=MS): a baseline at 20 ms, then runs at 120 ms (slower by 100 ms, +500%: far past both
# default thresholds even when a loaded machine slows the baseline run by tens of ms; 5 samples a
# side all slower give p = 1/252, a slow sample overlapping takes any p < 0.05) and at 20 ms
# again (nothing: judged with --min-slowdown 40ms, as load can slow one run by more than 10 ms).
# Exit code, text report, JSON (round-tripped by lib.sh), JUnit gate testsuite, the fix list's
# evidence, --fail-on none, --max-slowdown, @last with the history, and a bad reference.
. "$(dirname "$0")/lib.sh"
export COLUMNS=1000 # one long line an entry: the text checks read what lines say
start_server web
BASE=http://127.0.0.1:$PORT_web
mkdir -p "$TMP/r"
cat >"$TMP/bl.json" <<EOF
{ "format": 1, "id": "bl", "title": "Baseline",
  "vars": { "base": "$BASE", "delay": "20" },
  "sections": [ { "id": "s", "checks": [
    { "id": "page", "kind": "http", "title": "Home page", "samples": 5, "owner": "web team",
      "fix": "Cache the home page", "request": { "url": "{{base}}/?delay={{delay}}" },
      "budget": { "total_ms": 5000 } },
    { "id": "api", "kind": "http", "title": "API", "samples": 5,
      "request": { "url": "{{base}}/?delay={{delay}}" } } ] } ] }
EOF
rows() { sqlite3 "$MS_HISTORY" 'SELECT count(*) FROM runs' 2>/dev/null || echo 0; }

# The baseline: a run at 20 ms, recorded in the history too.
run_ms run --no-input -q -D delay=20 --label main --json "$TMP/r/base.json" "$TMP/bl.json"
expect_rc 0 "the baseline run"

# 1. Slower (120 ms): exit 1, reported everywhere.
run_ms run --no-input -D delay=120 --baseline "$TMP/r/base.json" --json "$TMP/r/slow.json" \
  --junit "$TMP/r/slow.xml" "$TMP/bl.json"
expect_rc 1 "a run slower than its baseline fails"
expect_out "Compared with $TMP/r/base.json (started " "the text report names the baseline"
expect_out ", label main)" "the text report names the baseline's label"
expect_out "2 checks got slower (by more than 20% and 10 ms, p < 0.05):" "the text report counts the regressions"
expect_out "Verdict: FAIL: 2 checks got slower since $TMP/r/base.json" "the verdict says why"
if grep -qE "evidence: got slower since $TMP/r/base.json: median total [0-9.]+ ms -> [0-9.]+ ms, \+[0-9]+%, p (= 0\.0[0-4][0-9]*|< 0\.001)$" "$TMP/out"; then
  ok; else bad "the fix list has the contract's evidence"; fi
expect_out "fix: Cache the home page" "a regression's fix entry has the check's fix"
expect_out "owner: web team" "a regression's fix entry has the check's owner"
json_check "$TMP/r/slow.json" "
d['baseline']['ref'] == '$TMP/r/base.json'
d['baseline']['label'] == 'main'
d['baseline']['started_at'] == json.load(open('$TMP/r/base.json'))['run']['started_at']
d['verdict']['exit_code'] == 1 and not d['verdict']['passed']
[r['kind'] for r in d['verdict']['reasons']] == ['regression']
d['verdict']['reasons'][0]['text'] == '2 checks got slower since $TMP/r/base.json'
sorted(f['check'] for f in d['fixes']) == ['api', 'page']
all(re.fullmatch(r'got slower since .*: median total [0-9.]+ ms -> [0-9.]+ ms, \+[0-9]+%, p (= 0\.0[0-4][0-9]*|< 0\.001)', f['evidence']) for f in d['fixes'])
d['could_be_better'] == []
d['scores']['overall'] == 100
"
if python3 - "$TMP/r/slow.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
gate = [s for s in root.iter("testsuite") if s.get("name") == "gate"]
assert len(gate) == 1, "one gate testsuite"
case = [c for c in gate[0].iter("testcase") if c.get("name") == "regression"]
assert len(case) == 1, "a regression testcase"
f = case[0].find("failure")
assert f is not None, "it fails the run: a <failure>"
assert f.get("message").startswith("2 checks got slower since "), f.get("message")
assert "page: got slower since " in f.text and "api: got slower since " in f.text, f.text
assert int(root.get("failures")) == 1, root.get("failures")
PY
then ok; else bad "the JUnit gate testsuite has a failing regression testcase"; fi

# 80 columns (the default width), also with -v: every compared phase, each line within them.
COLUMNS=80 run_ms run --no-input -v -D delay=120 --baseline "$TMP/r/base.json" "$TMP/bl.json"
expect_rc 1 "-v: a regression fails the run"
if grep -qE "n=5/5 total [0-9.]+ ms -> [0-9.]+ ms, \+[0-9]+%, p (= 0\.0[0-4][0-9]*|< 0\.001): slower" "$TMP/out"; then
  ok; else bad "-v shows every compared phase"; fi
expect_fits 80

# -q: the stderr summary's fixes include the regressions.
run_ms run --no-input -q -D delay=120 --baseline "$TMP/r/base.json" "$TMP/bl.json"
expect_rc 1 "-q: a regression fails the run"
expect_err "Home page: got slower since" "-q: the summary shows the regressions"

# 2. --fail-on none: exit 0, still reported.
run_ms run --no-input -D delay=120 --fail-on none --baseline "$TMP/r/base.json" \
  --json "$TMP/r/none.json" --junit "$TMP/r/none.xml" "$TMP/bl.json"
expect_rc 0 "--fail-on none: a regression does not fail the run"
expect_out "2 checks got slower" "--fail-on none: still reported"
json_check "$TMP/r/none.json" "
d['verdict']['passed'] and d['verdict']['reasons'] == []
len(d['fixes']) == 2
"
if python3 - "$TMP/r/none.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
case = [c for s in root.iter("testsuite") if s.get("name") == "gate"
        for c in s.iter("testcase") if c.get("name") == "regression"]
assert len(case) == 1 and case[0].find("failure") is None
assert "got slower" in case[0].find("system-out").text
PY
then ok; else bad "--fail-on none: a passing regression testcase saying what was found"; fi

# 3. The same delay: nothing regressed.
run_ms run --no-input -D delay=20 --min-slowdown 40ms --baseline "$TMP/r/base.json" --json "$TMP/r/same.json" \
  --junit "$TMP/r/same.xml" "$TMP/bl.json"
expect_rc 0 "the same delay: no regression"
expect_out "no check got slower" "the same delay: said so"
json_check "$TMP/r/same.json" "
d['verdict']['passed'] and d['fixes'] == []
d['baseline']['comparison'] is not None
"
if python3 - "$TMP/r/same.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
case = [c for s in root.iter("testsuite") if s.get("name") == "gate"
        for c in s.iter("testcase") if c.get("name") == "regression"]
assert len(case) == 1 and case[0].find("failure") is None
PY
then ok; else bad "nothing regressed: a passing regression testcase"; fi

# 4. Thresholds: +500% is within --max-slowdown 1000%, 100 ms within --min-slowdown 1s.
run_ms run --no-input -q -D delay=120 --max-slowdown 1000% --baseline "$TMP/r/base.json" "$TMP/bl.json"
expect_rc 0 "--max-slowdown 1000%: no regression"
run_ms run --no-input -q -D delay=120 --min-slowdown 1s --baseline "$TMP/r/base.json" "$TMP/bl.json"
expect_rc 0 "--min-slowdown 1s: no regression"

# 5. @last: the newest run of the history (the one just made, at 120 ms): 120 against 120.
run_ms run --no-input -q -D delay=120 --min-slowdown 40ms --baseline @last "$TMP/bl.json"
expect_rc 0 "--baseline @last: compared with the newest run"
run_ms run --no-input -D delay=120 --baseline @label:main "$TMP/bl.json"
expect_rc 1 "--baseline @label:main: the 20 ms run"
expect_out "Compared with @label:main" "the text report names the reference as given"

# 6. The notification says what regressed (a webhook receiver on loopback).
echo ok >"$TMP/mode"
python3 "$SRC/tests/tools/webhook.py" "$TMP" 2>"$TMP/webhook.log" &
PIDS+=($!)
for _ in $(seq 100); do
  [ -s "$TMP/hook.port" ] && break
  sleep 0.05
done
run_ms run --no-input -q -D delay=120 --baseline "$TMP/r/base.json" --notify-on always \
  --notify "http://127.0.0.1:$(cat "$TMP/hook.port")/hook" "$TMP/bl.json"
expect_rc 1 "a regression with --notify"
python3 - "$TMP/posts" <<'PY' && ok || bad "the notification names what regressed"
import json, sys
m = json.loads(open(sys.argv[1]).readline())
assert sorted(m["regressed"]) == ["api", "page"], m
assert "got slower since" in m["text"], m["text"]
PY

# A baseline that has none of the run's checks (another checklist's run) is a warning.
sed 's/"id": "bl"/"id": "other"/; s/"id": "page"/"id": "elsewhere"/; s/"id": "api"/"id": "other-api"/' \
  "$TMP/bl.json" >"$TMP/other.json"
run_ms run --no-input -q -D delay=20 --json "$TMP/r/other.json" "$TMP/other.json"
run_ms run --no-input -q -D delay=20 --baseline "$TMP/r/other.json" "$TMP/bl.json"
expect_rc 0 "a baseline without any of the run's checks gates nothing"
expect_err "the baseline run has none of this run's checks: nothing was compared" "and says so"

# 7. A bad reference: exit 2 before anything is run, nothing recorded.
before=$(rows)
run_ms run --no-input -D delay=120 --baseline "$TMP/nope.json" "$TMP/bl.json"
expect_rc 2 "a reference that cannot be loaded is a usage error"
expect_err "--baseline $TMP/nope.json" "the error names the option and the reference"
run_ms run --no-input -D delay=120 --baseline @label:nosuch "$TMP/bl.json"
expect_rc 2 "a label no run has is a usage error"
[ "$(rows)" = "$before" ] && ok || bad "a bad reference records nothing in the history"
[ -z "$OUT" ] && ok || bad "a bad reference prints no report"
finish
