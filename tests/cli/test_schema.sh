#!/usr/bin/env bash
# checklists/schema.json and the tool agree: every bundled checklist is valid for both, and every
# file of the invalid corpus is refused by both (but for the few listed in
# tests/invalid/tool-only.txt, which break rules a JSON Schema cannot state).
# checklists/report.schema.json accepts the tool's reports and refuses broken variants of them.
. "$(dirname "$0")/lib.sh"
AJV=${MS_AJV:-$SRC/.tools/node_modules/.bin/ajv}
if [ ! -x "$AJV" ]; then
  echo "FAIL: no ajv at $AJV: run scripts/install-deps" >&2
  exit 1
fi
cd "$SRC" || exit 1
# ajv exits non-zero on an invalid file: its output, not its status, says which (pipefail).
ajv() { "$AJV" validate --spec=draft2020 --strict=false --all-errors "$@" 2>&1 || true; }

# Both schemas are themselves valid JSON Schemas.
"$AJV" compile --spec=draft2020 --strict=false -s checklists/schema.json >/dev/null 2>&1 && ok || bad "schema.json does not compile"
"$AJV" compile --spec=draft2020 --strict=false -s checklists/answers.schema.json >/dev/null 2>&1 && ok || bad "answers.schema.json does not compile"

# Valid for both.
GOOD=(checklists/website.json checklists/api.json checklists/hotline.json checklists/seven-sins.json
      checklists/three-factors.json checklists/internal-customers.json checklists/vi/hotline.json
      checklists/demo/demo.json tests/fixtures/pass.json tests/fixtures/network.json
      tests/fixtures/with-schema.json)
ajv -s checklists/schema.json -d "{$(IFS=,; echo "${GOOD[*]}")}" >"$TMP/good.txt"
for f in "${GOOD[@]}"; do
  grep -qx "$f valid" "$TMP/good.txt" && ok || { bad "the schema refuses $f"; grep -A5 "^$f" "$TMP/good.txt" >&2; }
done
"$MS" validate "${GOOD[@]:0:7}" >/dev/null 2>&1 && ok || bad "the tool refuses a bundled checklist"
"$MS" validate checklists/demo/demo.json >/dev/null 2>&1 && ok || bad "the tool refuses the demo"
# A "$schema" key (for editors) is taken by the tool, in a checklist and in an answers file.
"$MS" validate -a tests/fixtures/answers-with-schema.json tests/fixtures/with-schema.json \
  >"$TMP/out" 2>"$TMP/err" && ok || bad "the tool refuses a \$schema key: $(cat "$TMP/err")"
for a in checklists/demo/answers.json tests/fixtures/answers-pass.json tests/fixtures/vi-hotline-answers.json \
  tests/fixtures/answers-with-schema.json; do
  out=$(ajv -s checklists/answers.schema.json -d "$a")
  [ "$out" = "$a valid" ] && ok || bad "the answers schema refuses $a: $out"
done

# The invalid corpus. ajv stops at a file that is not JSON at all, so those go one by one.
# One python3 call sorts the files: JSON ones first line, others second (Python's reading is
# strict like the tool's, but ajv reads bytes that are not UTF-8 as U+FFFD and may accept them).
python3 - tests/invalid/*.json >"$TMP/kinds" <<'PY'
import json, sys
good, bad = [], []
for f in sys.argv[1:]:
    try:
        json.load(open(f, encoding="utf-8"))
        good.append(f)
    except ValueError:
        bad.append(f)
print(",".join(good))
print(" ".join(bad))
PY
json_list=$(sed -n 1p "$TMP/kinds")
for f in $(sed -n 2p "$TMP/kinds"); do
  out=$(ajv -s checklists/schema.json -d "$f")
  case "$out" in *"error:"* | *" invalid"*) echo "$f invalid" ;; *) echo "$out" ;; esac
done >"$TMP/bad.txt"
ajv -s checklists/schema.json -d "{$json_list}" >>"$TMP/bad.txt"
grep -v '^#' tests/invalid/tool-only.txt | awk 'NF {print $1}' >"$TMP/tool-only"
n=0
for f in tests/invalid/*.json; do
  name=$(basename "$f" .json)
  n=$((n + 1))
  "$MS" validate "$f" >/dev/null 2>&1
  [ $? -eq 2 ] && ok || bad "the tool accepts $f"
  if grep -qx "$name" "$TMP/tool-only"; then
    grep -qx "$f valid" "$TMP/bad.txt" && ok || bad "$f is listed as tool-only, but the schema refuses it: take it off the list"
  else
    grep -q "^$f invalid" "$TMP/bad.txt" && ok || bad "the schema accepts $f, which the tool refuses"
  fi
done
while read -r name; do
  [ -f "tests/invalid/$name.json" ] && ok || bad "tool-only.txt names $name, which is not in tests/invalid/"
done <"$TMP/tool-only"
[ "$n" -ge 40 ] && ok || bad "only $n invalid files"

# The report schema (checklists/report.schema.json) accepts the tool's own reports and refuses
# each broken variant of them below. Every report in crafted/ is left out of lib.sh's report
# checks.
"$AJV" compile --spec=draft2020 --strict=false -s checklists/report.schema.json >/dev/null 2>&1 && ok || bad "report.schema.json does not compile"
start_server web
mkdir -p "$TMP/crafted"
run_ms run --no-input -D "base=http://127.0.0.1:$PORT_web" -n 2 --json "$TMP/http.json" \
  tests/fixtures/mixed.json tests/fixtures/network.json
expect_rc 1 "the http run fails its gate"
run_ms run --no-input -a docs/examples/worked-example-answers.json --json "$TMP/manual.json" \
  docs/examples/worked-example.json
expect_rc 1 "the manual run fails its gate"
if python3 - "$TMP/http.json" "$TMP/manual.json" "$TMP/crafted" <<'PY'
import copy, json, os, sys
http, manual = (json.load(open(f, encoding="utf-8")) for f in sys.argv[1:3])
out = sys.argv[3]
def checks(d):
    return [c for cl in d["checklists"] for s in cl["sections"] for c in s["checks"]]
def check(d, test):  # the first check that passes test; none is an error of this script
    return next(c for c in checks(d) if test(c))
def unbudgeted(d):
    return check(d, lambda c: c["kind"] == "http" and not c["budget_ms"])
def manual_check(d):
    return check(d, lambda c: c["kind"] != "http")
def sample(d):
    return check(d, lambda c: c["kind"] == "http" and c["samples"])["samples"][0]
def setting(**kw):
    def f(o):
        o.update(kw)
    return f
# name: (the good report, what to take from it, what to do to it)
BROKEN = {
    "unknown-field": (http, lambda d: d, setting(extra=1)),
    "format-1": (http, lambda d: d, setting(format=1)),
    "other-tool": (http, lambda d: d["tool"], setting(name="other")),
    "no-file": (http, unbudgeted, lambda c: c.pop("file")),
    "line-0": (http, unbudgeted, setting(line=0)),
    "line-text": (http, unbudgeted, setting(line="12")),
    "judged-unbudgeted": (http, unbudgeted, setting(judged_phase="total")),
    "judged-no-phase": (http, unbudgeted, setting(judged_phase="body")),
    "held-uncut": (http, unbudgeted, setting(body_cut_held=True)),
    "http-answer": (http, unbudgeted, setting(answer=None)),
    "check-score-1.5": (http, unbudgeted, setting(score=1.5)),
    "stats-n0-median": (http, lambda d: unbudgeted(d)["stats_ms"], setting(total={"n": 0, "median": 1})),
    "no-body-cut": (http, sample, lambda s: s.pop("body_cut")),
    "no-elapsed": (http, sample, lambda s: s.pop("elapsed_ms")),
    "sample-field": (http, sample, setting(headers={})),
    "manual-judged": (manual, manual_check, setting(judged_phase="total")),
    "manual-held": (manual, manual_check, setting(body_cut_held=True)),
    "manual-samples": (manual, manual_check, setting(samples=[])),
    "yesno-no-good": (manual, lambda d: check(d, lambda c: c["kind"] == "yesno"), lambda c: c.pop("good")),
    "rating-good": (manual, lambda d: check(d, lambda c: c["kind"] == "rating"), setting(good="yes")),
    "rating-no-scale": (manual, lambda d: check(d, lambda c: c["kind"] == "rating"), lambda c: c.pop("scale")),
    "unanswered-answer": (manual, lambda d: check(d, lambda c: c["status"] == "unanswered"),
                          setting(answer={"value": "yes"})),
    "yesno-number": (manual, lambda d: check(d, lambda c: c["kind"] == "yesno" and c["answer"])["answer"],
                     setting(value=1)),
    "exit-code": (http, lambda d: d["verdict"], setting(exit_code=0)),
    "severity": (http, lambda d: d["fixes"][0], setting(severity="blocker")),
    # format 3: max_failed_samples, a fix's checks, host and error, could_be_better
    "no-max-failed": (http, unbudgeted, lambda c: c.pop("max_failed_samples")),
    "max-failed--1": (http, unbudgeted, setting(max_failed_samples=-1)),
    "manual-max-failed": (manual, manual_check, setting(max_failed_samples=0)),
    "fix-no-checks": (http, lambda d: d["fixes"][0], lambda f: f.pop("checks")),
    "fix-host-of-check": (http, lambda d: d["fixes"][0], setting(host="127.0.0.1")),
    "host-fix-no-host": (http, lambda d: d["fixes"][0], setting(check=None, error="x")),
    "fix-none": (http, lambda d: d["fixes"][0], setting(severity="none")),
    "no-could-be-better": (http, lambda d: d, lambda d: d.pop("could_be_better")),
    "better-moderate": (manual, lambda d: d, lambda d: d["could_be_better"].append(
        dict(d["fixes"][0], severity="moderate"))),
}
def dump(d, name):
    with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(d, f, ensure_ascii=False, indent=1)
dump(http, "good-http")
dump(manual, "good-manual")
for name, (good, take, change) in BROKEN.items():
    d = copy.deepcopy(good)
    change(take(d))
    dump(d, "bad-" + name)
PY
then ok; else bad "could not make the report variants"; fi
args=()
for f in "$TMP"/crafted/*.json; do args+=(-d "$f"); done
ajv -s checklists/report.schema.json "${args[@]}" >"$TMP/reports.txt"
for f in good-http good-manual; do
  grep -qx "$TMP/crafted/$f.json valid" "$TMP/reports.txt" && ok || { bad "the report schema refuses the tool's report $f"; grep -A20 "^$TMP/crafted/$f.json" "$TMP/reports.txt" >&2; }
done
n=0
for f in "$TMP"/crafted/bad-*.json; do
  n=$((n + 1))
  grep -qx "$f invalid" "$TMP/reports.txt" && ok || bad "the report schema accepts $(basename "$f")"
done
[ "$n" -ge 25 ] && ok || bad "only $n broken reports"

# A bad answers file is refused by the answers schema too.
echo '{"format": 1, "answers": {"c": {"vale": 3}}}' >"$TMP/bad-answers.json"
out=$(ajv -s checklists/answers.schema.json -d "$TMP/bad-answers.json")
case "$out" in *"bad-answers.json invalid"*) ok ;; *) bad "the answers schema accepts an unknown field" ;; esac
finish
