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
for field in 'title' 'defaults.owner' 'section "web": title' 'check "home": title' \
  'check "home": description' 'check "home": expect.body_contains.1' \
  'check "home": expect.body_not_contains' 'check "home": expect.json.a' 'check "home": fix' \
  'check "ask": prompt'; do
  grep -qF ": ${field}: unknown variable" "$TMP/err" && ok ||
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

# validate and list never need secrets: an unset {{env.NAME}} is a warning there, at its
# place; run still refuses it (exit 2, naming the variable).
unset MS_VARS_UNSET MS_VARS_UNSET_BASE
cat >"$TMP/env.json" <<'JSON'
{"format": 1, "id": "env", "vars": {"token": "{{env.MS_VARS_UNSET}}"},
 "sections": [{"id": "s", "checks": [
  {"id": "a", "kind": "http", "request": {"url": "http://127.0.0.1:9/",
   "headers": {"Authorization": "Bearer {{env.MS_VARS_UNSET}}"}}},
  {"id": "b", "kind": "http", "request": {"url": "{{env.MS_VARS_UNSET_BASE}}/api"}}]}]}
JSON
run_ms validate "$TMP/env.json"
expect_rc 0 "validate with an unset environment variable"
expect_err "env.json:1:46: vars.token: warning: environment variable MS_VARS_UNSET is not set (run needs it)" \
  "validate warns of an unset environment variable, at its place"
expect_err "warning: environment variable MS_VARS_UNSET_BASE is not set" "a URL that is only known at run time"
expect_out "env.json: ok (1 section, 2 checks)" "validate says ok with warnings"
"$MS" validate --json "$TMP/env.json" >"$TMP/v.json" 2>"$TMP/err"
RC=$?
expect_rc 0 "validate --json with an unset environment variable"
json_check "$TMP/v.json" '
d["valid"] is True and d["problems"] == []
[(w["line"], w["path"]) for w in d["warnings"]] == [(1, "vars.token"), (4, "sections.0.checks.0.request.headers.Authorization"), (5, "sections.0.checks.1.request.url")]
d["warnings"][0]["message"] == "environment variable MS_VARS_UNSET is not set (run needs it)"'
run_ms list "$TMP/env.json"
expect_rc 0 "list with an unset environment variable"
expect_err "warning: environment variable MS_VARS_UNSET is not set" "list warns"
run_ms run --no-input -q "$TMP/env.json"
expect_rc 2 "run with an unset environment variable"
expect_err "vars.token: environment variable MS_VARS_UNSET is not set" "run names the variable"
expect_no "warning:" "$TMP/err"
# A warning does not hide a problem.
sed 's/"id": "b", "kind": "http",/"id": "b", "kind": "http", "samples": 0,/' "$TMP/env.json" >"$TMP/env-bad.json"
run_ms validate "$TMP/env-bad.json"
expect_rc 2 "validate with a warning and a problem"
expect_err "1 problem found" "a warning is not a problem"

# --vars-file: a JSON object of names to strings, applied before -D (which wins), for run,
# validate and list.
printf '{\n  "base": "http://127.0.0.1:1",\n  "word": "Welcome"\n}\n' >"$TMP/vars.json"
cat >"$TMP/vf.json" <<'JSON'
{"format": 1, "id": "vf", "defaults": {"samples": 1}, "sections": [{"id": "s", "checks": [
  {"id": "home", "kind": "http", "request": {"url": "{{base}}/"}, "expect": {"body_contains": "{{word}}"}}]}]}
JSON
run_ms run --no-input -q --vars-file "$TMP/vars.json" -D "base=$B" --json "$TMP/vf-report.json" "$TMP/vf.json"
expect_rc 0 "--vars-file with -D over it"
json_check "$TMP/vf-report.json" 'check("home")["request"]["url"] == "'"$B"'/"'
printf '{"base": "%s", "word": "Welcome"}\n' "$B" >"$TMP/vars-good.json"
run_ms run --no-input -q --vars-file "$TMP/vars-good.json" "$TMP/vf.json"
expect_rc 0 "--vars-file alone"
run_ms validate --vars-file "$TMP/vars.json" "$TMP/vf.json"
expect_rc 0 "validate --vars-file"
run_ms validate "$TMP/vf.json"
expect_rc 2 "validate without the vars file"
run_ms list --vars-file "$TMP/vars.json" "$TMP/vf.json"
expect_rc 0 "list --vars-file"
# Its problems name the file, line, column and field, all at once.
printf '{"base": "http://x",\n "bad name": "1", "env.TOKEN": "x",\n "n": 5, "base": "again"}\n' >"$TMP/vars-bad.json"
run_ms validate --vars-file "$TMP/vars-bad.json" "$TMP/vf.json"
expect_rc 2 "a vars file with problems"
cat >"$TMP/want" <<EOF
$TMP/vars-bad.json:2:2: bad name: "bad name" is not a valid variable name
$TMP/vars-bad.json:2:19: env.TOKEN: {{env.TOKEN}} comes from the environment, not from a vars file: run with TOKEN=VALUE in the environment
$TMP/vars-bad.json:3:7: n: must be a string, not a number
$TMP/vars-bad.json:3:10: base: variable "base" is given twice
4 problems found
EOF
if diff -u "$TMP/want" "$TMP/err" >"$TMP/diff"; then ok; else
  bad "the vars file's problems"; cat "$TMP/diff" >&2; fi
run_ms run --no-input -q --vars-file "$TMP/vars-bad.json" "$TMP/vf.json"
expect_rc 2 "run with a vars file with problems"
expect_err "vars-bad.json:3:7: n: must be a string, not a number" "run says the vars file's problems"
printf '["base"]\n' >"$TMP/vars-array.json"
run_ms list --vars-file "$TMP/vars-array.json" "$TMP/vf.json"
expect_rc 2 "a vars file that is not an object"
expect_err "vars-array.json:1:1: a vars file is a JSON object of names to strings, not an array" "not an object"
printf '{"base": "x",}\n' >"$TMP/vars-json.json"
run_ms validate --vars-file "$TMP/vars-json.json" "$TMP/vf.json"
expect_rc 2 "a vars file that is not JSON"
expect_err "vars-json.json:1:14: not valid JSON" "not JSON, located"
# A report or the answers file written over the vars file is refused, as over a checklist.
cp "$TMP/vars-good.json" "$TMP/vars-keep.json"
run_ms run --no-input -q --vars-file "$TMP/vars-keep.json" --json "$TMP/vars-keep.json" "$TMP/vf.json"
expect_rc 2 "--json over the vars file"
expect_err "is the vars file" "says why"
cmp -s "$TMP/vars-good.json" "$TMP/vars-keep.json" && ok || bad "the vars file was written over"
# One that cannot be read is a usage error.
for cmd in run validate list; do
  run_ms "$cmd" --vars-file "$TMP/no-such-vars.json" "$TMP/vf.json"
  expect_rc 2 "$cmd --vars-file with a missing file"
  expect_err "--vars-file $TMP/no-such-vars.json: cannot read it:" "$cmd names the missing vars file"
done
run_ms validate --vars-file "$TMP" "$TMP/vf.json"
expect_rc 2 "--vars-file with a directory"
expect_err "--vars-file $TMP: cannot read it:" "a directory"
"$MS" validate --json --vars-file "$TMP/vars-bad.json" "$TMP/vf.json" >"$TMP/v.json" 2>"$TMP/err"
RC=$?
expect_rc 2 "validate --json with a bad vars file"
V="$TMP/vars-bad.json" json_check "$TMP/v.json" '
d["files"][0] == {"path": __import__("os").environ["V"], "valid": False, "problems": 4}
len(d["problems"]) == 4'

# A -D or --vars-file name that no checklist string uses as {{name}} is likely a typo (the
# checklist's own value is used instead): a warning naming the option, with a near name the
# checklists use; never an error (a shared vars file holds other checklists' variables too).
cat >"$TMP/typo.json" <<'JSON'
{"format": 1, "id": "typo", "vars": {"base": "http://127.0.0.1:9"}, "defaults": {"samples": 1},
 "sections": [{"id": "s", "checks": [{"id": "home", "kind": "http", "request": {"url": "{{base}}/"}}]}]}
JSON
run_ms run --no-input -q -D bsae=http://x.invalid --json "$TMP/typo-report.json" "$TMP/typo.json"
expect_rc 1 "run with a mistyped -D (the checklist's own base is audited, and fails)"
expect_err 'mystery-shopper: warning: -D bsae: no checklist uses {{bsae}} (did you mean "base"?)' \
  "a mistyped -D warns, with a near name"
json_check "$TMP/typo-report.json" 'check("home")["request"]["url"] == "http://127.0.0.1:9/"'
run_ms run --no-input -q -D "base=$B" -D unrelated=1 "$TMP/typo.json"
expect_rc 0 "run with a used -D and an unused one"
expect_err "warning: -D unrelated: no checklist uses {{unrelated}}" "nothing near: no suggestion"
expect_no "did you mean" "$TMP/err"
expect_no "{{base}}" "$TMP/err"
run_ms run --no-input -q -D "base=$B" "$TMP/typo.json"
expect_rc 0 "run with a used -D"
expect_no "warning:" "$TMP/err"
printf '{"bsae": "http://x.invalid", "base": "%s"}\n' "$B" >"$TMP/vars-typo.json"
run_ms run --no-input -q --vars-file "$TMP/vars-typo.json" "$TMP/typo.json"
expect_rc 0 "run with a vars file holding an unused name"
expect_err "warning: --vars-file $TMP/vars-typo.json: bsae: no checklist uses {{bsae}} (did you mean \"base\"?)" \
  "an unused vars file name warns, naming the file"
expect_no "{{base}}" "$TMP/err"
run_ms validate -D bsae=x "$TMP/typo.json"
expect_rc 0 "validate with a mistyped -D"
expect_err 'warning: -D bsae: no checklist uses {{bsae}} (did you mean "base"?)' "validate warns"
expect_out "typo.json: ok" "validate still says ok"
run_ms list -D bsae=x "$TMP/typo.json"
expect_rc 0 "list with a mistyped -D"
expect_err 'warning: -D bsae: no checklist uses {{bsae}}' "list warns"
# Used by one checklist of two: no warning.
cat >"$TMP/typo2.json" <<'JSON'
{"format": 1, "id": "typo2", "sections": [{"id": "s2", "checks": [
  {"id": "ask", "kind": "yesno", "prompt": "Is {{word}} shown?"}]}]}
JSON
run_ms validate -D word=x "$TMP/typo.json" "$TMP/typo2.json"
expect_rc 0 "validate two checklists, a variable used by one"
expect_no "warning:" "$TMP/err"
"$MS" validate --json -D bsae=x --vars-file "$TMP/vars-typo.json" "$TMP/typo.json" >"$TMP/v.json" 2>"$TMP/err"
RC=$?
expect_rc 0 "validate --json with unused variables"
V="$TMP/vars-typo.json" json_check "$TMP/v.json" '
d["valid"] is True
[(w["file"], w["path"]) for w in d["warnings"]] == [(__import__("os").environ["V"], "bsae"), ("-D", "bsae")]
d["warnings"][1]["message"] == "no checklist uses {{bsae}} (did you mean \"base\"?)"'
expect_no "warning:" "$TMP/err"

finish
