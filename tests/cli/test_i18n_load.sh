#!/usr/bin/env bash
# Issue 11, the loader's and the network's messages in the auditor's language: a broken checklist
# (validate) names the file, line and field with a Vietnamese sentence, a JSON syntax error is
# Vietnamese, validate --json stays English (its machine form), and a failing expectation's
# evidence from a run against the test server is Vietnamese; the English runs are unchanged.
. "$(dirname "$0")/lib.sh"
VI=(env LANG=vi_VN.UTF-8 LANGUAGE= LC_ALL=)
EN=(env LANG=C.UTF-8 LANGUAGE= LC_ALL=)
# expect_flat SUBSTRING WHAT: stdout has it once its lines are joined (the report wraps evidence)
expect_flat() {
  if tr '\n' ' ' <"$TMP/out" | tr -s ' ' | grep -qF -- "$1"; then ok; else bad "$2: stdout lacks '$1'"; fi
}

cat >"$TMP/bad.json" <<'JSON'
{
  "format": 1,
  "id": "shop",
  "sections": [
    { "id": "web", "checks": [
      { "id": "home", "kind": "http", "titel": "Home", "weight": "heavy",
        "request": { "url": "http://127.0.0.1:1/" }, "budget": { "total_ms": -1 },
        "stat": "mediam" } ] } ]
}
JSON
printf '{ "format": 1,\n  "id": tru }\n' >"$TMP/syntax.json"

# 1. validate in Vietnamese: file:line:col, the check named, the field kept, the sentence translated
"${VI[@]}" "$MS" validate "$TMP/bad.json" "$TMP/syntax.json" </dev/null >"$TMP/out" 2>"$TMP/err"
RC=$?
expect_rc 2 "validate (vi) of broken checklists"
cat "$TMP/out" >>"$TMP/err"
expect_err "$TMP/bad.json:6:39: mục kiểm tra \"home\": titel: trường \"titel\" không hợp lệ (có phải ý bạn là \"title\"?)" \
  "an unknown field with its suggestion, in Vietnamese"
expect_err "$TMP/bad.json:6:66: mục kiểm tra \"home\": weight: phải là một số, không phải một chuỗi" \
  "a wrong type, the type named in Vietnamese"
expect_err "mục kiểm tra \"home\": budget.total_ms: ngưỡng phải lớn hơn 0 ms, không phải -1" \
  "a budget out of range"
expect_err "mục kiểm tra \"home\": stat: \"mediam\" không nằm trong các giá trị \"median\"" \
  "an enum with its values and suggestion"
expect_err "có phải ý bạn là \"median\"?" "the enum's suggestion"
expect_err "$TMP/syntax.json:2:9: JSON không hợp lệ: cần một giá trị (đối tượng, mảng, chuỗi, số, true, false hoặc null)" \
  "a JSON syntax error, what was expected translated too"
expect_no "unknown field" "$TMP/err"
expect_no "must be" "$TMP/err"
expect_no "not valid JSON" "$TMP/err"
cp "$TMP/err" "$TMP/vi-validate.txt"

# 2. ... and in English, as before (and the same places)
"${EN[@]}" "$MS" validate "$TMP/bad.json" "$TMP/syntax.json" </dev/null >"$TMP/out" 2>"$TMP/err"
RC=$?
expect_rc 2 "validate (en) of broken checklists"
cat "$TMP/out" >>"$TMP/err"
expect_err "$TMP/bad.json:6:39: check \"home\": titel: unknown field \"titel\" (did you mean \"title\"?)" \
  "English: the unknown field"
expect_err "$TMP/bad.json:6:66: check \"home\": weight: must be a number, not a string" "English: the type"
expect_err "check \"home\": budget.total_ms: a budget must be more than 0 ms, not -1" "English: the budget"
expect_err "check \"home\": stat: \"mediam\" is not one of \"median\", \"p90\", \"p95\", \"max\", \"mean\", \"min\" (did you mean \"median\"?)" \
  "English: the enum"
expect_err "$TMP/syntax.json:2:9: not valid JSON: expected a value (an object, array, string, number, true, false or null)" \
  "English: the syntax error"
# the same problems at the same places in both languages
# (the problems' lines, which begin with the file; the count after them is a sentence)
[ "$(grep "^$TMP/" "$TMP/err" | cut -d: -f1-3 | sort)" = \
  "$(grep "^$TMP/" "$TMP/vi-validate.txt" | cut -d: -f1-3 | sort)" ] && ok ||
  bad "the problems' places differ between the languages"

# 3. validate --json is the machine form: English messages whatever the language
"${VI[@]}" "$MS" validate --json "$TMP/bad.json" </dev/null >"$TMP/out" 2>"$TMP/err"
RC=$?
expect_rc 2 "validate --json (vi)"
expect_out '"message":	"unknown field \"titel\" (did you mean \"title\"?)"' "validate --json keeps English"
expect_out '"message":	"must be a number, not a string"' "validate --json: the type in English"
expect_no "không" "$TMP/out"

# ... and so are the answers file's problems and a rating's scale (their own readers), while the
# same problems print in Vietnamese
echo '{"format": 1, "answers": {"vi-so-tang-menu": {"value": 9}, "vi-than-thien": {"na": 1}}}' >"$TMP/bad-answers.json"
for f in "-a $TMP/bad-answers.json $SRC/checklists/vi/hotline.json" "$SRC/tests/fixtures/invalid.json"; do
  # shellcheck disable=SC2086 # two words: the answers file and its checklist
  "${VI[@]}" "$MS" validate --json $f </dev/null >>"$TMP/vjson" 2>>"$TMP/err"
  RC=$?
  expect_rc 2 "validate --json $f (vi)"
  # shellcheck disable=SC2086
  "${VI[@]}" "$MS" validate $f </dev/null >>"$TMP/vtext" 2>&1
  RC=$?
  expect_rc 2 "validate $f (vi)"
done
cp "$TMP/vjson" "$TMP/out"
expect_out "must be a number from 1 to 5 (the check's scale)" "validate --json: the answer's problem in English"
expect_out '"message":	"must be true or false"' "validate --json: the answer's type in English"
expect_out "must be below the high end" "validate --json: the scale's problem in English"
expect_no "phải" "$TMP/out"
cp "$TMP/vtext" "$TMP/err"
expect_err "phải là một số từ 1 đến 5" "the answer's problem in Vietnamese"
expect_err "phải nhỏ hơn đầu cao" "the scale's problem in Vietnamese"

# 4. A run against the test server: the expectations' failures as evidence, in Vietnamese
start_server web
BASE=http://127.0.0.1:$PORT_web
cat >"$TMP/net.json" <<JSON
{ "format": 1, "id": "net", "title": "Net",
  "sections": [ { "id": "api", "checks": [
    { "id": "status", "kind": "http", "samples": 1, "title": "Status",
      "request": { "url": "$BASE/json?status=500" }, "expect": { "status": [200, 204] } },
    { "id": "body", "kind": "http", "samples": 1, "title": "Body",
      "request": { "url": "$BASE/json" },
      "expect": { "body_contains": "closed", "json": { "shop.open": false, "missing.x": 1 },
                  "headers": { "X-Shop": "yes" } } } ] } ] }
JSON
for cols in 60 80; do
  COLUMNS=$cols "${VI[@]}" "$MS" run --no-input --no-history "$TMP/net.json" </dev/null >"$TMP/out" 2>"$TMP/err"
  RC=$?
  expect_rc 1 "run (vi, $cols columns) with failing expectations"
  expect_flat "HTTP 500 (cần 200 hoặc 204)" "the status expectation in Vietnamese ($cols)"
  expect_flat "nội dung phản hồi không chứa \"closed\"" "the body expectation in Vietnamese ($cols)"
  expect_flat "json shop.open là true (cần false)" "the JSON expectation in Vietnamese ($cols)"
  expect_flat "thiếu json missing.x" "a JSON path missing, in Vietnamese ($cols)"
  expect_flat "không có header X-Shop" "a header missing, in Vietnamese ($cols)"
  expect_no "expected" "$TMP/out"
  expect_fits "$cols"
done

# 5. ... and in English, unchanged
COLUMNS=80 "${EN[@]}" "$MS" run --no-input --no-history --json "$TMP/en.json" "$TMP/net.json" </dev/null >"$TMP/out" 2>"$TMP/err"
RC=$?
expect_rc 1 "run (en) with failing expectations"
expect_flat "HTTP 500 (expected 200 or 204)" "English: the status expectation"
expect_flat "the body lacks \"closed\"" "English: the body expectation"
expect_flat "json shop.open is true (expected false)" "English: the JSON expectation"
expect_flat "json missing.x is missing" "English: the JSON path missing"
expect_flat "no X-Shop header" "English: the header missing"
finish
