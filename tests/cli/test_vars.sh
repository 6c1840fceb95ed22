#!/usr/bin/env bash
# Variables: substituted in every string a user writes (request, expect values, title,
# description, prompt, fix, owner), unknown ones refused where they are written (with a "did
# you mean"), secrets hidden wherever they land, a trailing slash not doubled.
. "$(dirname "$0")/lib.sh"
start_server web
B=http://127.0.0.1:$PORT_web
export MS_VARS_TOKEN=vars-secret-0123456789

# Expect values, titles, fixes and owners take variables; the expectations compare the values.
cat >"$TMP/sub.json" <<'JSON'
{"format": 1, "id": "sub", "title": "Audit of {{shop}}",
 "vars": {"shop": "Test shop", "hotline": "1900 1234", "word": "Welcome", "gone": "Error"},
 "defaults": {"samples": 1, "owner": "{{shop}} web team"},
 "sections": [{"id": "web", "title": "{{shop}} website", "checks": [
  {"id": "home", "kind": "http", "title": "{{shop}} home", "description": "Call {{hotline}}",
   "request": {"url": "{{base}}/shop/"},
   "expect": {"body_contains": ["{{word}}", "Hotline: {{hotline}}"], "body_not_contains": "{{gone}}"},
   "fix": "Ask {{shop}} to fix it"},
  {"id": "token", "kind": "http", "title": "Token {{env.MS_VARS_TOKEN}}",
   "request": {"url": "{{base}}/echo", "headers": {"X-Token": "{{env.MS_VARS_TOKEN}}"}},
   "expect": {"body_contains": "{{env.MS_VARS_TOKEN}}", "json": {"method": "{{method}}"}},
   "fix": "Rotate {{env.MS_VARS_TOKEN}}", "owner": "{{env.MS_VARS_TOKEN}}"},
  {"id": "missing", "kind": "http", "request": {"url": "{{base}}/echo"},
   "expect": {"body_contains": "not-{{env.MS_VARS_TOKEN}}"}},
  {"id": "ask", "kind": "yesno", "title": "Asked {{shop}}", "prompt": "Did {{shop}} answer?"}]}]}
JSON
run_ms run --no-input -D "base=$B" -D method=GET --json "$TMP/sub-report.json" "$TMP/sub.json"
expect_rc 1 "a run with variables in expect values (the missing check fails)"
json_check "$TMP/sub-report.json" '
d["checklists"][0]["title"] == "Audit of Test shop"
d["checklists"][0]["sections"][0]["title"] == "Test shop website"
check("home")["status"] == "pass"
check("home")["title"] == "Test shop home"
check("home")["description"] == "Call 1900 1234"
check("home")["fix"] == "Ask Test shop to fix it"
check("home")["owner"] == "Test shop web team"
check("token")["status"] == "pass"
check("token")["title"] == "Token ***"
check("token")["fix"] == "Rotate ***"
check("token")["owner"] == "***"
check("missing")["status"] == "fail"
"***" in check("missing")["evidence"]
check("ask")["title"] == "Asked Test shop"'
expect_out "Test shop home" "the text report shows the substituted title"
if grep -qF -- "$MS_VARS_TOKEN" "$TMP/out" "$TMP/err" "$TMP/sub-report.json"; then
  bad "secrets in expect values, titles, fixes and owners: the secret is shown"; else ok; fi
run_ms validate -D "base=$B" -D method=GET "$TMP/sub.json"
expect_rc 0 "validate a checklist with variables everywhere"

# Unknown variables are refused in every field, at their place; a near one is suggested.
cat >"$TMP/unknown.json" <<'JSON'
{"format": 1, "id": "unknown", "title": "{{shp}}", "vars": {"base": "http://127.0.0.1:9", "hotline": "1"},
 "defaults": {"owner": "{{team}}"},
 "sections": [{"id": "web", "title": "{{nope}}", "checks": [
  {"id": "home", "kind": "http", "title": "{{nope}} home", "description": "{{nope}}",
   "request": {"url": "{{baes}}/"},
   "expect": {"body_contains": ["ok", "{{hotlien}}"], "body_not_contains": "{{nope}}",
              "json": {"a": "{{nope}}"}},
   "fix": "{{nope}}"},
  {"id": "ask", "kind": "yesno", "prompt": "{{nope}}"}]}]}
JSON
run_ms validate "$TMP/unknown.json"
expect_rc 2 "unknown variables outside the request"
for field in title defaults.owner sections.0.title checks.0.title checks.0.description \
  checks.0.expect.body_contains.1 checks.0.expect.body_not_contains checks.0.expect.json.a \
  checks.0.fix checks.1.prompt; do
  grep -q "unknown.json:[0-9]*:[0-9]*: .*${field}: unknown variable" "$TMP/err" && ok ||
    bad "no unknown variable reported at $field"
done
expect_err "unknown variable {{baes}} (did you mean {{base}}?)" "did you mean a variable"
expect_err "unknown variable {{hotlien}} (did you mean {{hotline}}?)" "did you mean in an expect value"
expect_err 'unknown variable {{nope}} (define it in "vars" or with --var)' "nothing near"
expect_err "11 problems found" "every unknown variable, once each"

# A trailing slash in a value followed by "/" in the template is not doubled.
cat >"$TMP/slash.json" <<'JSON'
{"format": 1, "id": "slash", "defaults": {"samples": 1},
 "sections": [{"id": "s", "checks": [
  {"id": "page", "kind": "http", "request": {"url": "{{base}}/echo"},
   "expect": {"json": {"target": "/echo"}}},
  {"id": "root", "kind": "http", "request": {"url": "{{base}}"}, "expect": {"body_contains": "<p>/</p>"}}]}]}
JSON
run_ms run --no-input -q -D "base=$B/" --json "$TMP/slash-report.json" "$TMP/slash.json"
expect_rc 0 "-D base=URL/ with {{base}}/path"
json_check "$TMP/slash-report.json" '
check("page")["request"]["url"].endswith(":'"$PORT_web"'/echo")
check("root")["request"]["url"].endswith(":'"$PORT_web"'/")'

finish
