#!/usr/bin/env bash
# What the probe measures, against the local server over HTTP and HTTPS: phases, TLS,
# redirects, faults, connection reuse, per-host limits, secrets.
. "$(dirname "$0")/lib.sh"
F=$SRC/tests/fixtures
make_cert
start_server web
start_server tls --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem"
VARS=(-D "base=http://127.0.0.1:$PORT_web" -D "tls=https://127.0.0.1:$PORT_tls")

run_ms run "${VARS[@]}" --cacert "$TMP/cert.pem" --no-input --json "$TMP/n.json" "$F/network.json"
expect_rc 1 "the faults fail their checks"
json_check "$TMP/n.json" '
# the server phase carries the injected delay, within the total (no upper limit: a loaded machine
# slows every phase)
all(100 <= s["phases_ms"]["server"] <= s["phases_ms"]["total"] for s in ok_samples("delayed"))
len(ok_samples("delayed")) == 3
# TLS: a handshake on every cold HTTPS sample, none on plain HTTP
all(s["phases_ms"]["tls"] > 0 for s in ok_samples("secure")) and len(ok_samples("secure")) == 3
all(s["phases_ms"]["tls"] == 0 for s in ok_samples("plain"))
check("secure")["status"] == "pass"
# phases do not overlap: they add up to no more than the total
all(sum(s["phases_ms"][p] for p in ("dns", "connect", "tls", "server", "transfer")) <= s["phases_ms"]["total"] + 0.01 for c in checks() if c["kind"] == "http" for s in c["samples"] if s["ok"])
all(s["phases_ms"]["ttfb"] <= s["phases_ms"]["total"] for c in checks() if c["kind"] == "http" for s in c["samples"] if s["phases_ms"])
# a slow drip is transfer time
ok_samples("drip")[0]["phases_ms"]["transfer"] >= 120
ok_samples("drip")[0]["bytes"] == 5
ok_samples("large")[0]["bytes"] == 2000000
# redirects
all(s["redirects"] == 3 and s["status"] == 200 and s["phases_ms"]["redirect"] > 0 for s in check("chain")["samples"])
check("chain")["status"] == "pass"
"redirects" in check("too-many")["samples"][0]["error"].lower()
"protocol" in check("to-ftp")["samples"][0]["error"].lower() and check("to-ftp")["status"] == "fail"
check("not-followed")["status"] == "pass" and check("not-followed")["samples"][0]["status"] == 302
# faults are findings with their error, never 0 ms
"timed out" in check("hang")["samples"][0]["error"]
check("hang")["stats_ms"]["total"]["n"] == 0 and "median" not in check("hang")["stats_ms"]["total"]
check("hang")["samples"][0]["phases_ms"] is None and check("closed")["samples"][0]["phases_ms"] is None
check("reset")["samples"][0]["ok"] is False and check("reset")["samples"][0]["error"]
"connect" in check("closed")["samples"][0]["error"].lower()
check("closed")["evidence"].startswith("1 of 1 samples failed")
# methods, bodies, headers (the defaults merge with the request own)
check("post")["status"] == "pass"
check("put")["status"] == "pass"
'
run_ms run "${VARS[@]}" --no-input --only secure --json "$TMP/notrust.json" "$F/network.json"
expect_rc 1 "an untrusted certificate is a failed check, not a tool error"
json_check "$TMP/notrust.json" '"certificate" in check("secure")["samples"][0]["error"].lower()'
run_ms run "${VARS[@]}" --no-input --only secure --insecure --json "$TMP/insecure.json" --junit "$TMP/insecure.xml" "$F/network.json"
expect_rc 0 "--insecure accepts it"
expect_err "--insecure: TLS certificates are NOT verified" "--insecure says so loudly"
expect_out "WARNING: TLS certificates were not verified" "and in the report"
json_check "$TMP/insecure.json" 'd["run"]["insecure"] is True'
json_check "$TMP/notrust.json" 'd["run"]["insecure"] is False'
python3 - "$TMP/insecure.xml" <<'PY' && ok || bad "the JUnit report does not record --insecure"
import sys, xml.etree.ElementTree as ET
suites = ET.parse(sys.argv[1]).getroot().findall("testsuite")
assert suites and all(s.find("properties/property[@name='insecure']").get("value") == "true" for s in suites)
PY
# --timeout 200ms wins over the checklist's 60 s: libcurl says when it gave up, at 199 ms or later
# on any machine, and long before the checklist's minute (the gap leaves a loaded machine room).
cat >"$TMP/slow-timeout.json" <<JSON
{"format": 1, "id": "slow-timeout", "sections": [{"id": "s", "checks": [
  {"id": "hang", "kind": "http", "samples": 1, "timeout_ms": 60000,
   "request": {"url": "http://127.0.0.1:$PORT_web/hang"}}]}]}
JSON
run_ms run --no-input --timeout 200ms --json "$TMP/t.json" "$TMP/slow-timeout.json"
json_check "$TMP/t.json" '199 <= int(re.search(r"timed out after (\d+) milliseconds", check("hang")["samples"][0]["error"]).group(1)) < 30000'
# A bare number is seconds, as curl's -m (the contract): 1 is a second, not a millisecond.
run_ms run "${VARS[@]}" --no-input --only hang --timeout 1 --json "$TMP/t1.json" "$F/network.json"
json_check "$TMP/t1.json" 'int(re.search(r"timed out after (\d+) milliseconds", check("hang")["samples"][0]["error"]).group(1)) >= 990'

# cold samples open a new connection each; warm ones reuse one (counted by the server).
count_connections() { # count_connections CHECK
  curl -s "http://127.0.0.1:$PORT_web/stats/reset" >/dev/null
  run_ms run -D "base=http://127.0.0.1:$PORT_web" --no-input --only "$1" -q --json "$TMP/c.json" "$F/connections.json"
  python3 -c 'import json,sys; print(json.load(sys.stdin)["connections"])' \
    < <(curl -s "http://127.0.0.1:$PORT_web/stats")
}
n=$(count_connections cold)
[ "$n" = 4 ] && ok || bad "cold: $n connections for 4 samples, expected 4"
json_check "$TMP/c.json" 'all(s["new_connections"] == 1 for s in check("cold")["samples"])'
n=$(count_connections warm)
[ "$n" = 1 ] && ok || bad "warm: $n connections for 4 samples, expected 1"
json_check "$TMP/c.json" '[s["new_connections"] for s in check("warm")["samples"]] == [1, 0, 0, 0]'

# --per-host caps the requests at once to one host; --parallel caps checks in flight.
cat >"$TMP/many.json" <<JSON
{"format": 1, "id": "many", "defaults": {"samples": 2},
 "sections": [{"id": "s", "checks": [
$(for i in 1 2 3 4 5 6; do printf '{"id": "c%d", "kind": "http", "request": {"url": "http://127.0.0.1:%s/p%d?delay=150"}}%s\n' $i "$PORT_web" $i "$([ $i -lt 6 ] && echo ,)"; done)
]}]}
JSON
max_inflight() { # max_inflight ARGS...
  curl -s "http://127.0.0.1:$PORT_web/stats/reset" >/dev/null
  run_ms run --no-input -q "$@" "$TMP/many.json"
  python3 -c 'import json,sys; print(json.load(sys.stdin)["max_inflight"])' \
    < <(curl -s "http://127.0.0.1:$PORT_web/stats")
}
n=$(max_inflight -j 8 --per-host 2)
[ "$n" = 2 ] && ok || bad "--per-host 2: $n connections at once"
n=$(max_inflight -j 3 --per-host 8)
[ "$n" = 3 ] && ok || bad "-j 3: $n connections at once"
n=$(max_inflight -j 1)
[ "$n" = 1 ] && ok || bad "-j 1: $n connections at once"

# Checks start in checklist order, one sample of a check after another: at -j 1 the requests
# are c1, c1, c2, c2, c3, c3, c4, c4, and every third one to /flaky?every=3 is answered 500,
# so c2's first sample and c3's second fail, and both of c4's pass (8 requests).
cat >"$TMP/order.json" <<JSON
{"format": 1, "id": "order", "defaults": {"samples": 2, "max_failed_samples": 2},
 "sections": [{"id": "s", "checks": [
$(for i in 1 2 3 4; do printf '{"id": "c%d", "kind": "http", "request": {"url": "http://127.0.0.1:%s/flaky?every=3"}}%s\n' $i "$PORT_web" "$([ $i -lt 4 ] && echo ,)"; done)
]}]}
JSON
curl -s "http://127.0.0.1:$PORT_web/stats/reset" >/dev/null
run_ms run --no-input -q -j 1 --json "$TMP/order-report.json" "$TMP/order.json"
json_check "$TMP/order-report.json" '
  [[s["status"] for s in check(c)["samples"]] for c in ("c1", "c2", "c3", "c4")] == [[200, 200], [500, 200], [200, 500], [200, 200]]
'

# Secrets from the environment are sent, and appear in no output.
start_server priv --secret "s3cr3t-tok3n"
export MS_TEST_TOKEN=s3cr3t-tok3n
run_ms run -D "base=http://127.0.0.1:$PORT_priv" --no-input --json "$TMP/s.json" --junit "$TMP/s.xml" "$F/secrets.json"
expect_rc 1 "one secret check fails"
json_check "$TMP/s.json" '
check("private")["status"] == "pass"
check("private")["request"]["url"].endswith("/private?t=***")
check("wrong-place")["status"] == "fail"
'
expect_no "s3cr3t" "$TMP/out" "$TMP/err" "$TMP/s.json" "$TMP/s.xml"
run_ms list "$F/secrets.json"
expect_no "s3cr3t" "$TMP/out" "$TMP/err"
MS_TEST_TOKEN=wrong-token run_ms run -D "base=http://127.0.0.1:$PORT_priv" --no-input --only private -q "$F/secrets.json"
expect_rc 1 "the server refuses a wrong token (so the token really is sent)"
# A POST redirected with 302 goes on as a GET, as browsers and curl -L do (a custom "POST"
# request would be sent again as POST to the new place); a PUT stays a PUT.
cat >"$TMP/post.json" <<JSON
{"format": 1, "id": "post", "defaults": {"samples": 1},
 "sections": [{"id": "s", "checks": [
  {"id": "post", "kind": "http", "request": {"method": "POST", "url": "{{base}}/goto?to=/echo",
   "body": "{\"a\": 1}"}, "expect": {"json": {"method": "GET", "body": ""}}},
  {"id": "post-plain", "kind": "http", "request": {"method": "POST", "url": "{{base}}/echo",
   "body": "x=1"}, "expect": {"json": {"method": "POST", "body": "x=1"}}},
  {"id": "empty-post", "kind": "http", "request": {"method": "POST", "url": "{{base}}/echo"},
   "expect": {"json": {"method": "POST", "body": ""}}},
  {"id": "put", "kind": "http", "request": {"method": "PUT", "url": "{{base}}/goto?to=/echo",
   "body": "y"}, "expect": {"json": {"method": "PUT"}}}
 ]}]}
JSON
run_ms run "${VARS[@]}" --no-input --json "$TMP/post.json.out" "$TMP/post.json"
expect_rc 0 "a redirected POST becomes a GET; other methods keep theirs"
json_check "$TMP/post.json.out" '
all(c["status"] == "pass" for c in checks())
'

unset MS_TEST_TOKEN
run_ms validate "$F/secrets.json"
expect_rc 0 "an unset environment variable is a warning for validate (it never needs secrets)"
expect_err "warning: environment variable MS_TEST_TOKEN is not set" "names the variable"
run_ms run --no-input -q "$F/secrets.json"
expect_rc 2 "an unset environment variable is an error for run"
expect_err "environment variable MS_TEST_TOKEN is not set" "run names the variable"
finish
