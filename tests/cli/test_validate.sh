#!/usr/bin/env bash
# validate: every message against its golden file (one invalid file per message, under
# tests/invalid/), and --json for editors and CI.
. "$(dirname "$0")/lib.sh"
cd "$SRC" || exit 1

n=0
for f in tests/invalid/*.json; do
  name=$(basename "$f" .json)
  # timeout: a hang guard (files that once made the loader loop allocating forever)
  timeout 20 "$MS" validate "$f" >"$TMP/out" 2>"$TMP/err"
  RC=$?
  expect_rc 2 "validate $name"
  if diff -u "tests/golden/invalid/$name.txt" "$TMP/err" >"$TMP/diff"; then ok; else
    bad "validate $name differs from its golden file"; cat "$TMP/diff" >&2; fi
  n=$((n + 1))
done
[ "$n" -ge 40 ] && ok || bad "only $n invalid files"
# Every golden file has its invalid file.
for g in tests/golden/invalid/*.txt; do
  [ -f "tests/invalid/$(basename "$g" .txt).json" ] && ok || bad "$g has no invalid file"
done

# --json: every problem of every file, and which files are valid.
"$MS" validate --json checklists/api.json tests/invalid/scale-order.json tests/invalid/not-json.json \
  tests/invalid/nothing-here.json >"$TMP/v.json" 2>"$TMP/err"
RC=$?
expect_rc 2 "validate --json with invalid files"
[ -s "$TMP/err" ] && bad "validate --json wrote to stderr" || ok
if diff -u tests/golden/validate.json "$TMP/v.json" >"$TMP/diff"; then ok; else
  bad "validate --json differs from tests/golden/validate.json"; cat "$TMP/diff" >&2; fi
"$MS" validate --json checklists/api.json >"$TMP/v.json" 2>&1
RC=$?
expect_rc 0 "validate --json with a valid file"
json_check "$TMP/v.json" 'd == {"format": 1, "valid": True, "files": [{"path": "checklists/api.json", "valid": True, "problems": 0}], "problems": []}'

# An answers file is read as strictly as a checklist, with the place of the first problem.
printf '{"format": 1, "id": "one", "sections": [{"id": "s", "checks": [{"id": "c", "kind": "yesno"}]}]}\n' \
  >"$TMP/one.json"
check_answers() { # check_answers BYTES WHERE WHAT
  printf "$1" >"$TMP/a.json"
  timeout 20 "$MS" run --no-input -q --answers "$TMP/a.json" "$TMP/one.json" </dev/null >"$TMP/out" 2>"$TMP/err"
  RC=$?
  expect_rc 2 "answers file $3"
  expect_err "$TMP/a.json:$2" "answers file $3"
}
check_answers '[\001{}]' '1:2: not valid JSON: control character U+0001 between values' 'with a control byte'
check_answers '{"format": 1,\n\f"answers": {}}' '2:1: not valid JSON: control character U+000C' 'with a form feed'
check_answers '{"format": 1, "auditor": "J\351r\364me"}' '1:28: not valid UTF-8 (byte 0xE9)' 'in Latin-1'
check_answers '{"format": 1, "answers": {"c": {"value": "yes", "note": "a\tb"}}}' \
  '1:59: not valid JSON: control character U+0009 inside a string' 'with a raw tab in a note'

# Loading is linear: 40,000 variables with 40,000 sections, or 40,000 checks in one section,
# and 40,000 answers take well under a second (they took from seconds to minutes when each
# lookup scanned everything loaded before it). The timeout is only a hang guard.
python3 - "$TMP" <<'PY'
import json, sys
n = 40000
vars_ = {"v%d" % i: "value %d" % i for i in range(n)}
sections = [{"id": "s%d" % i, "checks": [{"id": "c%d" % i, "kind": "yesno",
                                          "prompt": "Is {{v%d}} right?" % i}]} for i in range(n)]
json.dump({"format": 1, "id": "big", "vars": vars_, "sections": sections},
          open(sys.argv[1] + "/big.json", "w"))
json.dump({"format": 1, "id": "wide", "vars": vars_, "sections": [{"id": "s", "checks": [
    {"id": "c%d" % i, "kind": "yesno"} for i in range(n)]}]}, open(sys.argv[1] + "/wide.json", "w"))
json.dump({"format": 1, "answers": {"c%d" % i: {"value": "yes"} for i in range(n)}},
          open(sys.argv[1] + "/big-answers.json", "w"))
PY
run_timed() { timeout 20 "$MS" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"; RC=$?; }
run_timed validate "$TMP/big.json"
expect_rc 0 "validate 40,000 variables and 40,000 sections"
expect_out "ok (40000 sections, 40000 checks)" "validate 40,000 variables and 40,000 sections"
run_timed validate "$TMP/wide.json"
expect_rc 0 "validate 40,000 variables and 40,000 checks in one section"
run_timed run --no-input -q --answers "$TMP/big-answers.json" --json "$TMP/big-report.json" "$TMP/wide.json"
expect_rc 0 "run with 40,000 answers"
json_check "$TMP/big-report.json" 'sum(1 for s in d["checklists"][0]["sections"] for c in s["checks"] if c["status"] == "pass") == 40000'
# Many problems, each reported once and in file order (found in another order: the checks,
# which come first in this file, are loaded after the variables).
python3 -c '
import json, sys
checks = [{"id": "c%d" % i, "kind": "yesno", "weight": 0} for i in range(20000)]
json.dump({"format": 1, "id": "t", "sections": [{"id": "s", "checks": checks}],
           "vars": {"-v%d" % i: "x" for i in range(20000)}}, open(sys.argv[1], "w"), indent=1)' \
  "$TMP/many-problems.json"
run_timed validate "$TMP/many-problems.json"
expect_rc 2 "validate 40,000 problems"
[ "$(grep -c 'is not a valid variable name' "$TMP/err")" -eq 20000 ] && ok || bad "not every bad variable name reported once"
[ "$(grep -c 'a weight must be more than 0' "$TMP/err")" -eq 20000 ] && ok || bad "not every bad weight reported once"
grep -q '^40000 problems found' "$TMP/err" && ok || bad "40,000 problems not counted"
grep -v 'problems found' "$TMP/err" | awk -F: '{print $2}' | sort -n -c && ok || bad "problems not in file order"
finish
