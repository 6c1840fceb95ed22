#!/usr/bin/env bash
# The run record read back from a JSON report (ms_run_from_json, through tests/tools/ms-roundtrip):
# every writer renders it as the run did, and formats 1, 2 and 3 all read.
. "$(dirname "$0")/lib.sh"
RT=$(realpath "${MS_ROUNDTRIP:?MS_ROUNDTRIP must name the ms-roundtrip test program}")
RUNS=$SRC/tests/golden/runs

# tests/golden/runs/NAME.json, .txt and .xml are the JSON, text and JUnit reports of one run
# (scripts in tests/golden/runs/README.md). Read back, the JSON gives each of them again.
for json in "$RUNS"/*.json; do
  n=${json%.json}
  for f in json:json text:txt junit:xml; do
    "$RT" "${f%%:*}" "$json" >"$TMP/again" 2>"$TMP/err"
    if [ $? -eq 0 ] && cmp -s "$TMP/again" "$n.${f#*:}"; then ok; else
      bad "$(basename "$n") read back and written as ${f%%:*} differs: $(diff "$n.${f#*:}" "$TMP/again" | head -5) $(cat "$TMP/err")"
    fi
  done
done

# Formats 1 (the reports of version 0.1.0 before the record) and 2 (the same runs' reports of
# issue 7, tests/golden/runs/v2) read too: written as today's format each keeps every field it
# had, with the same values, and reads back to the same bytes.
for json in "$RUNS"/v1/*.json "$RUNS"/v2/*.json; do
  "$RT" json "$json" >"$TMP/v2.json" 2>"$TMP/err" || bad "$json: $(cat "$TMP/err")"
  "$RT" json "$TMP/v2.json" | cmp -s - "$TMP/v2.json" && ok || bad "$json: today's format from an older one does not read back the same"
  # Its JUnit reaches its verdict: a run that failed its gate has a failure, if only the gate's.
  "$RT" junit "$json" >"$TMP/old.xml" 2>"$TMP/err" || bad "$json: no JUnit: $(cat "$TMP/err")"
  python3 - "$json" "$TMP/old.xml" <<'PY' && ok || bad "$json: the JUnit report of an older format disagrees with its verdict"
import json, sys, xml.etree.ElementTree as ET
v = json.load(open(sys.argv[1]))["verdict"]
failures = int(ET.parse(sys.argv[2]).getroot().get("failures"))
sys.exit(0 if (failures > 0) == (not v["passed"] or v.get("incomplete", False)) else 1)
PY
  if python3 - "$json" "$TMP/v2.json" <<'PY'
import json, sys
# what formats 2 and 3 added: a stopwatch answer's elapsed_ms is not one of them; an
# unanswered rating's scale and pass are
ADDED = {"file", "line", "judged_phase", "body_cut_held", "body_cut", "elapsed_ms", "good",
         "scale", "pass", "max_failed_samples", "checks", "host", "error", "could_be_better",
         "reasons", "fail_on", "fail_under", "require_complete", "network", "stale"}
def strip(o, v1):
    """today's format less the fields it added where the older object lacks them"""
    if isinstance(o, dict):
        had = v1 if isinstance(v1, dict) else {}
        return {k: strip(x, had.get(k)) for k, x in o.items() if k not in ADDED or k in had}
    if isinstance(o, list):
        return [strip(x, v1[i] if isinstance(v1, list) and i < len(v1) else None) for i, x in enumerate(o)]
    return o
v1 = json.load(open(sys.argv[1])); v2 = json.load(open(sys.argv[2]))
assert v1["format"] in (1, 2) and v2["format"] == 3
v1["format"] = 3
# format 3 lists the checks that passed apart, with severity none, each list ranked from 1
status = {c["id"]: c["status"] for l in v1["checklists"] for s in l["sections"] for c in s["checks"]}
fixes = [f for f in v1["fixes"] if status[f["check"]] == "fail"]
better = [dict(f, severity="none") for f in v1["fixes"] if status[f["check"]] != "fail"]
for lst in (fixes, better):
    for i, f in enumerate(lst):
        f["rank"] = i + 1
v1["fixes"] = fixes
assert all(f["checks"] == [f["check"]] and f["host"] is None and f["error"] is None
           for f in v2["fixes"] + v2["could_be_better"])
assert [strip(f, b) for f, b in zip(v2["could_be_better"], better)] == better
assert len(v2["could_be_better"]) == len(better)
del v2["could_be_better"]
sys.exit(0 if strip(v2, v1) == v1 else 1)
PY
  then ok; else bad "$json: today's format from an older one lost or changed a field"; fi
done

# The judged phase and the held-on-cut body that format 1 did not say are derived as scoring did:
# the demo's home page is judged on ttfb, and its text line says so.
"$RT" json "$RUNS/v1/demo.json" >"$TMP/v2.json"
json_check "$TMP/v2.json" '
check("home")["judged_phase"] == "ttfb"
check("api-orders")["judged_phase"] is None
check("hotline-wait")["judged_phase"] is None
all(c["line"] is None and c["file"] is None for c in checks())
'
"$RT" text "$RUNS/v1/demo.json" | grep -q "Home page opens quickly  *median ttfb" && ok || bad "format 1 text: judged phase"

# A report it cannot take is refused with the place and the field, exit 1.
mkdir -p "$TMP/crafted"
sed 's/"kind":\t"http"/"kind":\t"ftp"/' "$RUNS/demo.json" >"$TMP/crafted/bad.json"
"$RT" json "$TMP/crafted/bad.json" >/dev/null 2>"$TMP/err"
[ $? -eq 1 ] && grep -q "bad.json:[0-9]*:[0-9]*: checklists.0.sections.0.checks.0.kind: not a known name" "$TMP/err" && ok || bad "bad kind: $(cat "$TMP/err")"

# What the reader would not write again is refused, not changed: one edit of the demo's report
# each, with the field it names.
while IFS='|' read -r from to field; do
  sed "0,/$from/s//$to/" "$RUNS/demo.json" >"$TMP/crafted/edit.json"
  cmp -s "$RUNS/demo.json" "$TMP/crafted/edit.json" && { bad "the edit $from did not apply"; continue; }
  "$RT" json "$TMP/crafted/edit.json" >/dev/null 2>"$TMP/err"
  [ $? -eq 1 ] && grep -q ": $field: " "$TMP/err" && ok || bad "edit $from -> $to: $(cat "$TMP/err")"
done <<'EDITS'
"elapsed_ms":\t21.03|"elapsed_ms":\t21.031|checklists.0.sections.0.checks.0.samples.0.elapsed_ms
"remote_ip":\t"127.0.0.1"|"remote_ip":\t""|checklists.0.sections.0.checks.0.samples.0.remote_ip
"duration_ms":\t2605.442|"duration_ms":\t2605.4421|run.duration_ms
"duration_ms":\t2605.442|"duration_ms":\t-1|run.duration_ms
"exit_code":\t1|"exit_code":\t0|verdict.exit_code
"reason":\t"6 checks failed"|"reason":\tnull|verdict.reason
"judged_phase":\t"ttfb"|"judged_phase":\t"dns"|checklists.0.sections.0.checks.0.judged_phase
"weight":\t3,|"weight":\t0.30000000000000004,|checklists.0.sections.0.checks.0.weight
"note":\t"two menu levels, then music"|"note":\tnull|checklists.0.sections.2.checks.0.answer.note
"max_failed_samples":\t0|"max_failed_samples":\t1001|checklists.0.sections.0.checks.0.max_failed_samples
"severity":\t"none"|"severity":\t"minor"|could_be_better.0.severity
"checks":\t\["checkout"\]|"checks":\t["home"]|fixes.0.checks.0
"check":\t"api-orders"|"check":\tnull|fixes.1.checks
EDITS
finish
