#!/usr/bin/env bash
# The verdict, the gate, the JUnit report and the exit code agree: for every combination of
# --fail-on, --fail-under and --require-complete, the exit status, the JSON verdict, the text
# verdict and what a JUnit consumer (python3-junitparser) reads from the XML say the same thing.
# Manual checks only (answers files), so every score is known exactly and no time matters.
. "$(dirname "$0")/lib.sh"
# The text checks here read what a line says, not how it is laid out (cli_text checks that at 80
# columns and narrower): one long line a verdict or a fix entry, as on a wide terminal.
export COLUMNS=1000
mkdir -p "$TMP/t"
cat >"$TMP/gate.json" <<'JSON'
{"format": 1, "id": "gate", "title": "Gate table", "defaults": {"factor": "product"},
 "sections": [{"id": "s", "checks": [
  {"id": "crit", "kind": "yesno", "title": "Critical", "critical": true, "weight": 6},
  {"id": "n1", "kind": "yesno", "title": "First"},
  {"id": "n2", "kind": "yesno", "title": "Second"},
  {"id": "r", "kind": "rating", "title": "Rated", "scale": [0, 100], "pass": 50, "weight": 2},
  {"id": "extra", "kind": "yesno", "title": "Extra"}]}]}
JSON
# Two non-critical checks fail always; the critical one passes (B) or fails (A); "extra" is
# answered (complete) or not. Scores: B 75.00 / 77.27, A 15.00 / 22.73; --fail-under 10 passes
# them all, 80 fails them all.
answers() { # answers FILE CRIT-ANSWER COMPLETE
  local extra=""
  [ "$3" = yes ] && extra=', "extra": {"value": "yes"}'
  printf '{"format": 1, "answers": {"crit": {"value": "%s"}, "n1": {"value": "no"}, "n2": {"value": "no"}, "r": {"value": 75}%s}}\n' \
    "$2" "$extra" >"$1"
}
answers "$TMP/A-no.json" no no
answers "$TMP/A-yes.json" no yes
answers "$TMP/B-no.json" yes no
answers "$TMP/B-yes.json" yes yes

# The JUnit consumer: Debian's python3-junitparser, for whichever python3 has it (a python3 of
# its own, such as pyenv's, may come first on PATH).
JPY=
for py in python3 /usr/bin/python3; do
  "$py" -c 'import junitparser' 2>/dev/null && { JPY=$py; break; }
done
[ -n "$JPY" ] || { bad "python3-junitparser is missing (scripts/install-deps installs it)"; finish; exit; }

# check_run NAME WANT-EXIT WANT-REASONS(kind,kind) FAIL-ON FAIL-UNDER REQUIRE-COMPLETE:
# exit status, JSON verdict and JUnit against each other and the expectation.
check_run() {
  local name=$1 want=$2 kinds=$3
  expect_rc "$want" "$name"
  if "$JPY" - "$TMP/t/$name.json" "$TMP/t/$name.xml" "$RC" "$kinds" "$4" "$5" "$6" "$TMP/out" \
    2>"$TMP/py.err" <<'PY'
import json, sys
import junitparser
from junitparser import JUnitXml, Failure, Error, Skipped
jpath, xpath, rc, kinds, fail_on, fail_under, req, textpath = sys.argv[1:]
rc = int(rc)
d = json.load(open(jpath))
v = d["verdict"]
problems = []
def need(cond, what):
    if not cond:
        problems.append(what)
need(v["exit_code"] == rc, "verdict.exit_code %s != exit %s" % (v["exit_code"], rc))
need([r["kind"] for r in v["reasons"]] == [k for k in kinds.split(",") if k],
     "reasons %r != %r" % ([r["kind"] for r in v["reasons"]], kinds))
need(v["fail_on"] == fail_on, "fail_on")
need(v["fail_under"] == (float(fail_under) if fail_under else None), "fail_under")
need(v["require_complete"] == (req != ""), "require_complete")
gate = [r["text"] for r in v["reasons"] if r["kind"] in ("failed", "critical", "no_score", "score")]
need(v["reason"] == ("; ".join(gate) if gate else None), "reason is the gate's reasons")
# The text verdict names every reason.
text = open(textpath, encoding="utf-8").read()
line = [l for l in text.splitlines() if l.startswith("Verdict: ")]
need(len(line) == 1, "one verdict line")
if line:
    want = {0: "PASS", 1: "FAIL", 4: "INCOMPLETE"}[rc]
    need(line[0].startswith("Verdict: " + want), "verdict word in %r" % line[0])
    for r in v["reasons"]:
        need(r["text"] in line[0], "text verdict lacks %r" % r["text"])
# A JUnit consumer reaches the same verdict: failures iff the exit status is not 0.
xml = JUnitXml.fromfile(xpath)
failing = 0
checks = {c["id"]: c for cl in d["checklists"] for s in cl["sections"] for c in s["checks"]}
for suite in xml:
    n = f = sk = 0
    t = 0.0
    for case in suite:
        n += 1
        res = case.result
        if any(isinstance(x, (Failure, Error)) for x in res):
            f += 1
        elif any(isinstance(x, Skipped) for x in res):
            sk += 1
        t += case.time or 0
        if suite.name != "gate":
            need(case._elem.get("file") == "gate.json" or case._elem.get("file", "").endswith("/gate.json"),
                 "testcase %s has its file" % case.name)
            need(int(case._elem.get("line", "0")) > 0, "testcase %s has its line" % case.name)
            need(case._elem.get("time") is None, "manual testcase %s has no time" % case.name)
    need((suite.tests, suite.failures, suite.skipped) == (n, f, sk),
         "suite %s counts %r != %r" % (suite.name, (suite.tests, suite.failures, suite.skipped), (n, f, sk)))
    need(abs(suite.time - t) < 1e-9, "suite %s time %s != sum %s" % (suite.name, suite.time, t))
    failing += f
root = xml._elem
need(int(root.get("failures")) == failing and int(root.get("tests")) == sum(s.tests for s in xml),
     "testsuites counts")
need((failing > 0) == (rc != 0), "JUnit has %d failures, exit %d" % (failing, rc))
gates = {c.name: c for s in xml if s.name == "gate" for c in s}
if fail_under:
    c = gates.get("--fail-under " + fail_under)
    need(c is not None, "a gate testcase for --fail-under")
    if c is not None:
        need(bool(c.result) == ("score" in kinds), "--fail-under testcase fails iff its reason applies")
if req:
    c = gates.get("--require-complete")
    need(c is not None, "a gate testcase for --require-complete")
    if c is not None:
        need(bool(c.result) == ("incomplete" in kinds), "--require-complete testcase")
if not fail_under and not req:
    need(not gates, "no gate testcases without gate options")
for p in problems:
    print("  " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
  then ok; else bad "$name: $(cat "$TMP/py.err")"; fi
}

# The table: the critical check fails (A) or not (B); --fail-on; --fail-under none, passing
# (10) or failing (80); --require-complete none, with "extra" unanswered or answered.
for crit in A B; do
  for fo in any critical none; do
    for fu in "" 10 80; do
      for req in "" incomplete complete; do
        name=$crit-$fo-${fu:-no}-${req:-no}
        ans=$TMP/$crit-no.json
        [ "$req" = complete ] && ans=$TMP/$crit-yes.json
        args=(--no-input -a "$ans" --fail-on "$fo" --json "$TMP/t/$name.json" --junit "$TMP/t/$name.xml")
        [ -n "$fu" ] && args+=(--fail-under "$fu")
        [ -n "$req" ] && args+=(--require-complete)
        run_ms run "${args[@]}" "$TMP/gate.json"
        kinds=""
        [ "$fo" = any ] && kinds+=",failed"
        [ "$fo" = critical ] && [ "$crit" = A ] && kinds+=",critical"
        [ "$fu" = 80 ] && kinds+=",score"
        [ "$req" = incomplete ] && kinds+=",incomplete"
        want=0
        [ -n "$kinds" ] && want=1
        [ "$req" = incomplete ] && want=4
        check_run "$name" "$want" "${kinds#,}" "$fo" "$fu" "${req:+yes}"
      done
    done
  done
done

# Both reasons are named: a failed critical check and a score under --fail-under.
run_ms run --no-input -a "$TMP/A-no.json" --fail-on critical --fail-under 80 "$TMP/gate.json"
expect_rc 1 "--fail-on critical --fail-under 80"
expect_out "Verdict: FAIL: 1 critical check failed; score 15.00 is below 80" "both reasons"
# Failures the gate ignores are no <failure>, their evidence is in <system-out>.
run_ms run --no-input -a "$TMP/B-no.json" --fail-on critical --junit "$TMP/ign.xml" "$TMP/gate.json"
expect_rc 0 "two non-critical failures with --fail-on critical"
python3 - "$TMP/ign.xml" <<'PY' && ok || bad "ignored failures in system-out"
import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
assert r.get("failures") == "0" and not r.findall(".//failure")
outs = [c.findtext("system-out") for c in r.iter("testcase") if c.get("name") in ("First", "Second")]
assert len(outs) == 2 and all(o.startswith("failed, which --fail-on critical does not count: answered no") for o in outs), outs
PY

# The score gate compares the figure it prints: 69.96 is below 70, and says 69.96.
cat >"$TMP/edge.json" <<'JSON'
{"format": 1, "id": "edge", "sections": [{"id": "s", "checks": [
  {"id": "fine", "kind": "rating", "scale": [0, 10000], "pass": 1}]}]}
JSON
echo '{"format": 1, "answers": {"fine": {"value": 6996}}}' >"$TMP/edge-ans.json"
run_ms run --no-input -a "$TMP/edge-ans.json" --fail-under 70 --json "$TMP/t/edge.json" --junit "$TMP/t/edge.xml" "$TMP/edge.json"
expect_rc 1 "69.96 is below 70"
expect_out "Verdict: FAIL: score 69.96 is below 70" "the figure compared"
expect_out "  overall       69.96" "the text report's overall score is the figure compared too"
json_check "$TMP/t/edge.json" 'd["verdict"]["reason"] == "score 69.96 is below 70" and d["scores"]["overall"] == 69.96'
grep -q 'message="score 69.96 is below 70"' "$TMP/t/edge.xml" && grep -q 'name="overall_score" value="69.96"' "$TMP/t/edge.xml" && ok || bad "JUnit says 69.96"
run_ms run --no-input -a "$TMP/edge-ans.json" --fail-under 69.96 --junit "$TMP/t/edge2.xml" "$TMP/edge.json"
expect_rc 0 "69.96 is not below 69.96"
grep -q '<system-out>score 69.96 is not below 69.96</system-out>' "$TMP/t/edge2.xml" && ok || bad "the passing gate testcase"
# A threshold is said as given, never rounded into a false statement ("70.00 is below 70").
run_ms run --no-input -a "$TMP/edge-ans.json" --fail-under 69.9600001 "$TMP/edge.json"
expect_rc 1 "69.96 is below 69.9600001"
expect_out "Verdict: FAIL: score 69.96 is below 69.9600001" "the threshold as given"

# Nothing scored is not a PASS: NO SCORE, exit 1, unless --fail-on none (exit 0, still NO SCORE).
run_ms run --no-input --json "$TMP/t/none.json" --junit "$TMP/t/none.xml" "$TMP/edge.json"
expect_rc 1 "nothing scored"
expect_out "Verdict: NO SCORE: nothing could be scored" "says so"
expect_out "Fixes: none; nothing was scored." "no fix is not 'at its best'"
expect_no "every scored check is at its best" "$TMP/out"
grep -q '<testcase classname="gate" name="scored checks" time="0.000">' "$TMP/t/none.xml" && ok || bad "the gate testcase of nothing scored"
run_ms run --no-input --fail-on none "$TMP/edge.json"
expect_rc 0 "nothing scored, --fail-on none"
expect_out "Verdict: NO SCORE: nothing could be scored (--fail-on none passes it)" "still says so"
# --require-complete: INCOMPLETE, not PASS.
run_ms run --no-input --require-complete "$TMP/edge.json"
expect_rc 4 "--require-complete"
expect_out "Verdict: INCOMPLETE: " "INCOMPLETE"
expect_no "Verdict: PASS" "$TMP/out"

# A stopwatch answer is not a test duration (3h20m was time="12000.000").
cat >"$TMP/sw.json" <<'JSON'
{"format": 1, "id": "sw", "sections": [{"id": "s", "checks": [
  {"id": "wait", "kind": "stopwatch", "budget": {"total_ms": 60000}}]}]}
JSON
echo '{"format": 1, "answers": {"wait": {"elapsed_ms": 12000000}}}' >"$TMP/sw-ans.json"
run_ms run --no-input -a "$TMP/sw-ans.json" --junit "$TMP/sw.xml" "$TMP/sw.json"
python3 - "$TMP/sw.xml" <<'PY' && ok || bad "stopwatch time in JUnit"
import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
c = r.find(".//testcase")
assert c.get("time") is None and r.get("time") == "0.000", (c.attrib, r.attrib)
PY

# -q under cron: a failing run says its verdict and first three fixes on stderr, nothing on
# stdout; a passing one says nothing at all.
run_ms run --no-input -q -a "$TMP/A-no.json" "$TMP/gate.json"
expect_rc 1 "-q failing"
[ -z "$OUT" ] && ok || bad "-q: nothing on stdout"
expect_err "Verdict: FAIL: 3 checks failed" "-q: the verdict on stderr"
expect_err "  1. critical  Critical: answered no" "-q: the first fix with its evidence"
[ "$(grep -c '^  [0-9]\. ' "$TMP/err")" -eq 3 ] && ok || bad "-q: three fixes"
run_ms run --no-input -q --require-complete "$TMP/edge.json"
expect_err "Verdict: INCOMPLETE" "-q: incomplete"
run_ms run --no-input -q -a "$TMP/B-yes.json" --fail-on none "$TMP/gate.json"
expect_rc 0 "-q passing"
[ -z "$OUT" ] && [ -z "$ERR" ] && ok || bad "-q passing prints nothing"

# A report that cannot be written: exit 3, and the report that was written says 3 and why.
run_ms run --no-input -a "$TMP/B-yes.json" --fail-on none --json "$TMP/t/w.json" --junit "$TMP/nodir/w.xml" "$TMP/gate.json"
expect_rc 3 "--junit cannot be written"
json_check "$TMP/t/w.json" '
d["verdict"]["exit_code"] == 3
[r["kind"] for r in d["verdict"]["reasons"]] == ["report"]
"--junit" in d["verdict"]["reasons"][0]["text"]
'
expect_out "Verdict: ERROR: the JUnit report (--junit $TMP/nodir/w.xml) could not be written" "text says so"
run_ms run --no-input -a "$TMP/B-yes.json" --fail-on none --json "$TMP/nodir/w.json" --junit "$TMP/t/w2.xml" "$TMP/gate.json"
expect_rc 3 "--json cannot be written"
grep -q 'failures="1"' "$TMP/t/w2.xml" && grep -q 'could not be written" type="gate"' "$TMP/t/w2.xml" && ok || bad "JUnit says the JSON was not written"
# stdout that cannot be written (a closed pipe): the files say 3.
RC=$(python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)  # the reader has gone before anything is written
print(subprocess.run(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=w, stderr=open(sys.argv[1], "w")).returncode)
' "$TMP/err" "$MS" run --no-input -a "$TMP/B-yes.json" --fail-on none --json "$TMP/t/p.json" "$TMP/gate.json")
expect_rc 3 "stdout cannot be written"
json_check "$TMP/t/p.json" 'd["verdict"]["exit_code"] == 3 and d["verdict"]["reasons"][-1]["text"] == "the report on stdout could not be written"'

# SIGINT with a report that cannot be written: 130 first (it was 3), and the report written says 130.
start_server web
cat >"$TMP/hang.json" <<JSON
{"format": 1, "id": "hang", "defaults": {"samples": 1, "timeout_ms": 60000},
 "sections": [{"id": "s", "checks": [
  {"id": "stuck", "kind": "http", "request": {"url": "http://127.0.0.1:$PORT_web/hang"}}]}]}
JSON
interrupt_run "$PORT_web" run --no-input --json "$TMP/nodir/h.json" --junit "$TMP/t/h.xml" "$TMP/hang.json"
expect_rc 130 "SIGINT and an unwritable --json"
expect_out "Verdict: INTERRUPTED: " "text says interrupted"
python3 - "$TMP/t/h.xml" <<'PY' && ok || bad "JUnit of the interrupted run"
import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
names = [c.get("name") for s in r if s.get("name") == "gate" for c in s]
assert "interrupted" in names, names
assert any("could not be written" in n for n in names), names
PY
finish
