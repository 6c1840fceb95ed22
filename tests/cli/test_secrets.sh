#!/usr/bin/env bash
# Secrets ({{env.NAME}}) and substitution: every secret is sent (the server proves it) and shown
# in no output (text, JSON, JUnit, stderr), whatever form it comes back in; values that would
# break a request are refused before anything is sent.
. "$(dirname "$0")/lib.sh"
start_server web --secret "Tk-0123456789abcdefghijklmnopqrstuvwxyz-0123456789ABCDEFGHIJKLMNOP"
B=http://127.0.0.1:$PORT_web

# run_all FILE ARGS...: run FILE with reports in every format.
run_all() {
  local f=$1
  shift
  rm -f "$TMP/r.json" "$TMP/r.xml" # no_leak must never look at an earlier run's reports
  run_ms run --no-input -D "base=$B" --json "$TMP/r.json" --junit "$TMP/r.xml" "$@" "$f"
}
# no_leak TEXT WHAT: TEXT is in no output of the last run.
no_leak() {
  local f
  for f in "$TMP/out" "$TMP/err" "$TMP/r.json" "$TMP/r.xml"; do
    if [ -f "$f" ] && grep -qF -- "$1" "$f"; then
      bad "$2: '$1' found in $f"
      return
    fi
  done
  ok
}
requests() { # how many requests the server answered since the last reset
  python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])' \
    < <(curl -s "$B/stats")
}

# An expectation's evidence quotes a long value: the secret is hidden before the quote is cut
# (cutting first left most of the token, which the whole-token match then missed).
export MS_LONG_TOKEN=Tk-0123456789abcdefghijklmnopqrstuvwxyz-0123456789ABCDEFGHIJKLMNOP
cat >"$TMP/long.json" <<'JSON'
{"format": 1, "id": "long", "defaults": {"samples": 1,
   "headers": {"Authorization": "Bearer {{env.MS_LONG_TOKEN}}"}},
 "sections": [{"id": "s", "checks": [
  {"id": "private", "kind": "http", "request": {"url": "{{base}}/private"}},
  {"id": "echoed", "kind": "http", "request": {"url": "{{base}}/echo"},
   "expect": {"json": {"headers.Authorization": "Bearer nope"}}},
  {"id": "echoed-all", "kind": "http", "request": {"url": "{{base}}/echo"},
   "expect": {"json": {"headers": {}}}}
 ]}]}
JSON
run_all "$TMP/long.json"
expect_rc 1 "the echo checks fail"
json_check "$TMP/r.json" '
# the server accepted the token: it was sent whole
check("private")["status"] == "pass"
check("echoed")["status"] == "fail" and "json headers.Authorization is" in check("echoed")["evidence"]
"Bearer ***" in check("echoed")["evidence"]
'
no_leak "Tk-0123456789" "a cut quote"
no_leak "KLMNOP" "the end of a cut quote"
unset MS_LONG_TOKEN

# One secret that begins another: the longer one is hidden whole, not as ***ghXYZ.
export MS_A=abcdef1 MS_B=abcdef1ghXYZ
cat >"$TMP/prefix.json" <<'JSON'
{"format": 1, "id": "prefix", "defaults": {"samples": 1},
 "sections": [{"id": "s", "checks": [
  {"id": "both", "kind": "http",
   "request": {"url": "{{base}}/echo", "headers": {"X-A": "{{env.MS_A}}", "X-B": "{{env.MS_B}}"}},
   "expect": {"json": {"headers.X-B": "nope", "headers.X-A": "nope"}}}
 ]}]}
JSON
run_all "$TMP/prefix.json"
expect_rc 1 "the prefix check fails"
# (the response arrived whole: its statistic follows the failure, "; median total ...")
json_check "$TMP/r.json" 'check("both")["evidence"].startswith("1 of 1 samples failed: json headers.X-B is \"***\" (expected \"nope\"); json headers.X-A is \"***\" (expected \"nope\"); median total ")'
no_leak "ghXYZ" "the rest of a longer secret"
no_leak "abcdef1" "a secret"
unset MS_A MS_B

# Encoded forms: JSON-escaped (a secret with " and \), percent-encoded (in a path), IDNA (in a
# host, as libcurl sends it: the server stands in for a proxy so nothing is resolved).
export MS_QUOTE='q"uo\te-secret' MS_PATH='pä-ss-wörd/x' MS_HOST='bí-mật-khẩu'
cat >"$TMP/encoded.json" <<'JSON'
{"format": 1, "id": "encoded", "defaults": {"samples": 1},
 "sections": [{"id": "s", "checks": [
  {"id": "quoted", "kind": "http",
   "request": {"url": "{{base}}/echo", "headers": {"X-Q": "{{env.MS_QUOTE}}"}},
   "expect": {"json": {"headers.X-Q": "nope"}}},
  {"id": "path", "kind": "http", "request": {"url": "{{base}}/echo/{{env.MS_PATH}}"},
   "expect": {"json": {"target": "nope"}}},
  {"id": "host", "kind": "http", "request": {"url": "http://{{env.MS_HOST}}.invalid/echo"},
   "expect": {"json": {"headers.Host": "nope"}}}
 ]}]}
JSON
http_proxy=$B no_proxy= run_all "$TMP/encoded.json"
expect_rc 1 "the encoded checks fail"
json_check "$TMP/r.json" '
check("quoted")["evidence"].split("; median total ")[0].endswith(": json headers.X-Q is \"***\" (expected \"nope\")")
check("path")["evidence"].split("; median total ")[0].endswith("/echo/***\" (expected \"nope\")")
check("host")["evidence"].split("; median total ")[0].endswith(": json headers.Host is \"***.invalid\" (expected \"nope\")")
'
no_leak 'te-secret' "a secret with a quote and a backslash, in any escaping"
no_leak "ss-w%c3%b6rd" "a percent-encoded secret (libcurl writes lower-case hex)"
no_leak "xn--" "a secret host in IDNA form"
unset MS_QUOTE MS_PATH MS_HOST

# A secret host that is an address: the address libcurl connected to is that secret too.
export MS_ADDR=127.0.0.1
cat >"$TMP/addr.json" <<JSON
{"format": 1, "id": "addr", "defaults": {"samples": 1},
 "sections": [{"id": "s", "checks": [
  {"id": "a", "kind": "http", "request": {"url": "http://{{env.MS_ADDR}}:$PORT_web/"}}
 ]}]}
JSON
run_all "$TMP/addr.json"
expect_rc 0 "the check at a secret address passes"
json_check "$TMP/r.json" 'check("a")["samples"][0]["remote_ip"] == "***"'
no_leak "127.0.0.1" "a secret address, as the remote address of a sample"
unset MS_ADDR

# A secret too short to hide without mangling other text: run refuses it, naming the variable
# only; validate and list do not need it.
export MS_SHORT=abcde
cat >"$TMP/short.json" <<'JSON'
{"format": 1, "id": "short", "defaults": {"samples": 1},
 "sections": [{"id": "s", "checks": [
  {"id": "c", "kind": "http", "request": {"url": "{{base}}/echo", "headers": {"X-S": "{{env.MS_SHORT}}"}},
   "expect": {"body_contains": ["X-S"]}}
 ]}]}
JSON
curl -s "$B/stats/reset" >/dev/null
run_all "$TMP/short.json"
expect_rc 2 "a short secret is refused"
expect_err "MS_SHORT" "the refusal names the variable"
expect_no "abcde" "$TMP/out" "$TMP/err"
n=$(requests)
[ "$n" = 0 ] && ok || bad "a refused run sent $n requests"
run_ms validate -D "base=$B" "$TMP/short.json"
expect_rc 0 "validate does not refuse a short secret"
MS_SHORT=abcdef run_all "$TMP/short.json"
expect_rc 0 "six characters are enough"
MS_SHORT=$'\xc3\xa9\xc3\xa9\xc3\xa9' run_all "$TMP/short.json" # six bytes, three characters
expect_rc 2 "the length of a secret is counted in characters, not bytes"
unset MS_SHORT

# A line break that arrives with a variable: refused (exit 2, file, line, column and field),
# never sent. So are control characters in a URL.
export MS_INJECT=$'v\r\nX-Injected: yes'
cat >"$TMP/inject.json" <<'JSON'
{"format": 1, "id": "inject", "defaults": {"samples": 1},
 "sections": [{"id": "s", "checks": [
  {"id": "c", "kind": "http",
   "request": {"url": "{{base}}/echo", "headers": {"X-Token": "{{env.MS_INJECT}}"}}},
  {"id": "u", "kind": "http", "request": {"url": "{{base}}/{{seg}}"}}
 ]}]}
JSON
run_ms validate -D "base=$B" -D 'seg=ok' "$TMP/inject.json"
expect_rc 2 "a header value with a line break after substitution is invalid"
expect_err 'inject.json:4:63: check "c": request.headers.X-Token: a header value cannot contain a line break' "located, named"
expect_no "X-Injected" "$TMP/out" "$TMP/err"
curl -s "$B/stats/reset" >/dev/null
run_all "$TMP/inject.json" -D 'seg=ok'
expect_rc 2 "run refuses it"
n=$(requests)
[ "$n" = 0 ] && ok || bad "a refused run sent $n requests"
unset MS_INJECT
export MS_INJECT=fine-value
run_ms validate -D "base=$B" -D $'seg=a\x01b' "$TMP/inject.json"
expect_rc 2 "a URL with a control character after substitution is invalid"
expect_err 'inject.json:5:50: check "u": request.url: a URL cannot contain control characters' "located, named"
run_ms validate -D "base=$B" -D 'seg=ok' "$TMP/inject.json"
expect_rc 0 "clean values are valid"
unset MS_INJECT

# Variables in a JSON body are escaped as JSON strings: the server gets valid JSON with the
# value given; outside a string (a number) the value goes in as it is.
cat >"$TMP/body.json" <<'JSON'
{"format": 1, "id": "body", "defaults": {"samples": 1},
 "sections": [{"id": "s", "checks": [
  {"id": "object", "kind": "http",
   "request": {"method": "POST", "url": "{{base}}/echo-json", "body": {"name": "{{user}}", "{{user}}": 1}},
   "expect": {"status": 200, "json": {"name": "say \"hi\" \\ back\n\ttwice"}}},
  {"id": "text", "kind": "http",
   "request": {"method": "POST", "url": "{{base}}/echo-json",
               "headers": {"Content-Type": "application/json; charset=utf-8"},
               "body": "{\"name\": \"<{{user}}>\", \"n\": {{n}}, \"e\": \"\\\"{{user}}\"}"},
   "expect": {"status": 200, "json": {"name": "<say \"hi\" \\ back\n\ttwice>", "n": 42,
                                      "e": "\"say \"hi\" \\ back\n\ttwice"}}}
 ]}]}
JSON
run_all "$TMP/body.json" -D $'user=say "hi" \\ back\n\ttwice' -D n=42
expect_rc 0 "the server received valid JSON with the right values"
json_check "$TMP/r.json" '
check("object")["status"] == "pass" and check("text")["status"] == "pass"
'

# An environment variable with a long name (no fixed buffer cuts it).
long=MS_$(printf 'N%.0s' $(seq 300))
cat >"$TMP/longname.json" <<JSON
{"format": 1, "id": "longname", "defaults": {"samples": 1},
 "sections": [{"id": "s", "checks": [
  {"id": "c", "kind": "http", "request": {"url": "{{base}}/echo", "headers": {"X-L": "{{env.$long}}"}}}
 ]}]}
JSON
env "$long=long-name-value" "$MS" validate -D "base=$B" "$TMP/longname.json" >"$TMP/out" 2>"$TMP/err"
RC=$?
expect_rc 0 "a 303-character environment variable name is found"
finish
