#!/usr/bin/env bash
# The command line: help, version, usage errors, validate and list.
. "$(dirname "$0")/lib.sh"
F=$SRC/tests/fixtures

run_ms --version
expect_rc 0 "--version"
expect_out "mystery-shopper 0.1.0" "--version names the tool"
expect_out "libcurl/" "--version names libcurl"

run_ms --help
expect_rc 0 "--help"
for c in run validate list help; do expect_out "  $c" "--help lists $c"; done
run_ms help run
expect_rc 0 "help run"
for o in --answers --auditor --label --no-input --var --samples --parallel --per-host --timeout \
         --only --json --junit --quiet --color --fail-on --fail-under --require-complete \
         --cacert --insecure; do
  expect_out "$o" "help run documents $o"
done
run_ms run --help
expect_rc 0 "run --help"
expect_out "--fail-under" "run --help is the run help"
run_ms help nothing
expect_rc 2 "help for an unknown command"

run_ms
expect_rc 2 "no command"
run_ms rnu "$F/pass.json"
expect_rc 2 "unknown command"
expect_err 'unknown command "rnu" (did you mean "run"?)' "did you mean for commands"
run_ms run --sampels 3 "$F/pass.json"
expect_rc 2 "unknown option"
expect_err 'unknown option "--sampels"' "names the unknown option"
expect_err 'unknown option "--sampels" (did you mean "--samples"?)' "did you mean for options"
run_ms --verison
expect_rc 2 "--verison"
expect_err 'unknown option "--verison" (did you mean "--version"?)' "did you mean --version"
run_ms valdiate "$F/pass.json"
expect_rc 2 "valdiate"
expect_err 'unknown command "valdiate" (did you mean "validate"?)' "did you mean validate"
run_ms validate --jsno "$F/pass.json"
expect_rc 2 "validate --jsno"
expect_err 'unknown option "--jsno" (did you mean "--json"?)' "each command's own options"
run_ms run --fial-on=any "$F/pass.json"
expect_rc 2 "--fial-on=any"
expect_err 'unknown option "--fial-on=any" (did you mean "--fail-on"?)' "an option with its value"
run_ms list --zzzzzz "$F/pass.json"
expect_err 'unknown option "--zzzzzz"; see mystery-shopper help list' "nothing near: the help"
run_ms run --samples "$F/pass.json"
expect_rc 2 "an option without its value"
run_ms run -n 0 "$F/pass.json"
expect_rc 2 "--samples 0"
expect_err '--samples: "0" is not a whole number from 1 to 1000' "says what --samples takes"
# -D env.NAME would do nothing ({{env.NAME}} reads the environment): refused with the way to do it.
run_ms validate -D env.MS_TOKEN=abc "$F/pass.json"
expect_rc 2 "-D env.NAME"
expect_err "--var env.MS_TOKEN: {{env.MS_TOKEN}} comes from the environment, not from --var: run with MS_TOKEN=VALUE in the environment" "says how to give it"

# An option file that cannot be read is a usage error, before anything is sent (not a failed
# HTTPS check each).
run_ms run --no-input --cacert "$TMP/no-such-ca.pem" "$F/pass.json"
expect_rc 2 "--cacert that does not exist"
expect_err "--cacert $TMP/no-such-ca.pem: cannot read it: No such file or directory" "names the file and why"
run_ms run --no-input --cacert "$TMP" "$F/pass.json"
expect_rc 2 "--cacert that is a directory"
expect_err "--cacert $TMP: cannot read it: Is a directory" "a directory"
run_ms run --timeout soon "$F/pass.json"
expect_rc 2 "--timeout soon"
expect_err 'a duration from 1ms to 1h such as 500ms, 10s or 10 (seconds)' "says what --timeout takes"
run_ms run --timeout 3601 "$F/pass.json"
expect_rc 2 "--timeout 3601 is more than an hour (a bare number is seconds)"
run_ms run --fail-on some "$F/pass.json"
expect_rc 2 "--fail-on some"
run_ms run --fail-under 101 "$F/pass.json"
expect_rc 2 "--fail-under 101"
run_ms run --color sometimes "$F/pass.json"
expect_rc 2 "--color sometimes"
run_ms run -D novalue "$F/pass.json"
expect_rc 2 "--var without ="
run_ms run
expect_rc 2 "run without a checklist"
run_ms run --json - --junit - "$F/pass.json"
expect_rc 2 "both reports to stdout"
run_ms run --only nothing-here "$F/pass.json"
expect_rc 2 "--only with an unknown id"
expect_err "--only nothing-here: no check or section has that id" "names the unknown id"
run_ms run "$TMP/missing.json"
expect_rc 2 "a missing checklist"
expect_err "missing.json: cannot open" "names the missing file"

run_ms validate "$F/pass.json" "$F/mixed.json"
expect_rc 0 "validate good files"
expect_out "pass.json: ok (2 sections, 4 checks)" "validate says ok"
run_ms validate "$F/invalid.json"
expect_rc 2 "validate a bad file"
expect_err 'invalid.json:6:56: check "a": request.url: unknown variable {{nowhere}}' "unknown variable, located"
expect_err 'invalid.json:6:74: check "a": budjet: unknown field "budjet" (did you mean "budget"?)' "did you mean, located"
expect_err 'invalid.json:7:47: check "b": scale: the low end (5) must be below the high end (1)' "bad scale, located"
expect_err "3 problems found" "counts the problems"
# validate and list never run anything: they do not say "nothing was run"; run does.
expect_no "nothing was run" "$TMP/err"
run_ms list "$F/invalid.json"
expect_rc 2 "list a bad file"
expect_err "3 problems found" "list counts the problems"
expect_no "nothing was run" "$TMP/err"
run_ms run --no-input -q "$F/invalid.json"
expect_rc 2 "run a bad file"
expect_err "3 problems found; nothing was run" "run says nothing was run"
run_ms validate "$F/invalid.json"
# In file order, whatever order they were found in.
lines=$(grep -o 'invalid.json:[0-9]*:[0-9]*' "$TMP/err" | tr '\n' ' ')
if [ "$lines" = "invalid.json:6:56 invalid.json:6:74 invalid.json:7:47 " ]; then ok; else bad "messages out of order: $lines"; fi
run_ms validate -D nowhere=http://127.0.0.1:1 "$F/invalid.json"
expect_err "2 problems found" "validate takes --var"
run_ms validate "$F/pass.json" "$F/pass.json"
expect_rc 2 "the same checklist twice"
expect_err 'checklist id "pass" is also the id of' "duplicate checklist ids"

run_ms list "$F/pass.json"
expect_rc 0 "list"
expect_out "home      http       convenience  external       1  yes       Home" "list shows a check"
expect_out "friendly  rating     people       external       1  no        Friendly" "list shows a manual check"
expect_out "    GET http://127.0.0.1:9/json" "list shows an http check's URL"
expect_out "    budget: total 5000 ms (median of 2 samples)" "list shows the budgets"
# Every line fits 80 columns, long titles, ids and URLs too; a secret in a URL is ***.
export MS_LIST_TOKEN=list-secret-value
printf '{"format": 1, "id": "wide", "sections": [{"id": "s", "checks": [
 {"id": "a-check-id-that-is-long-enough-to-need-its-own-line", "kind": "http",
  "title": "A title that is long enough that it cannot stand on the line of the columns",
  "request": {"method": "POST", "url": "http://127.0.0.1:9/{{env.MS_LIST_TOKEN}}/%s"},
  "budget": {"dns_ms": 50, "ttfb_ms": 300, "total_ms": 800.5}, "stat": "p90"},
 {"id": "wait", "kind": "stopwatch", "title": "Cha\u0300o b\u1ea1n, m\u1ed9t ng\u01b0\u1eddi tr\u1ea3 l\u1eddi \u0111i\u1ec7n tho\u1ea1i nhanh",
  "budget": {"total_ms": 60000}}]}]}\n' "$(printf 'x%.0s' {1..120})" >"$TMP/wide.json"
run_ms list "$TMP/wide.json"
expect_rc 0 "list a wide checklist"
expect_out "    POST http://127.0.0.1:9/***/xxx" "the URL, redacted"
expect_out "    budget: dns 50 ms, ttfb 300 ms, total 800.5 ms (p90 of 5 samples)" "every budget"
expect_out "    budget: total 60000 ms" "a stopwatch's budget"
expect_no "$MS_LIST_TOKEN" "$TMP/out"
python3 - "$TMP/out" <<'PY' && ok || bad "list is wider than 80 columns"
import sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert all(width(l) <= 80 for l in lines), [l for l in lines if width(l) > 80]
assert all(not l.endswith(" ") for l in lines[1:]), "a line ends in spaces"
assert any("A title that is long enough" in l for l in lines)
PY

# A run with invalid answers runs nothing.
echo '{"format": 1, "answers": {"friendly": {"value": 7}}}' >"$TMP/bad-answers.json"
run_ms run --no-input -a "$TMP/bad-answers.json" "$F/pass.json"
expect_rc 2 "invalid answers"
expect_err "bad-answers.json:1:49: answers.friendly.value: must be a number from 1 to 5" "bad answer located"
finish
