#!/usr/bin/env bash
# The network options of run, end to end on loopback: a real proxy (tinyproxy, started here on a
# free 127.0.0.1 port and stopped with the test) from --proxy and from the environment, and
# --noproxy / no_proxy around it; client certificates against a server that checks them;
# --http1.1 and --http2; --resolve and --connect-to to reach a made-up host name (.invalid never
# resolves, and no name here is ever looked up in the DNS).
. "$(dirname "$0")/lib.sh"

# Certificates: the server's for 127.0.0.1 and shop.invalid; a CA that signs the auditor's client
# certificate; a client certificate no one signed.
(
  cd "$TMP" || exit 1
  openssl req -x509 -newkey rsa:2048 -nodes -keyout srv.key -out srv.pem -days 2 \
    -subj "/CN=shop.invalid" -addext "subjectAltName=DNS:shop.invalid,IP:127.0.0.1" &&
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=test-ca" &&
    openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj "/CN=auditor" &&
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 2 &&
    openssl req -x509 -newkey rsa:2048 -nodes -keyout rogue.key -out rogue.pem -days 2 -subj "/CN=rogue" &&
    cat client.pem client.key >both.pem
) >/dev/null 2>&1 || { echo "FAIL: openssl could not make the test certificates" >&2; exit 1; }
start_server web
start_server tls --tls-cert "$TMP/srv.pem" --tls-key "$TMP/srv.key"
start_server mtls --tls-cert "$TMP/srv.pem" --tls-key "$TMP/srv.key" --client-ca "$TMP/ca.pem"
W=$PORT_web

# checklist NAME URL [EXPECT-JSON]: a one-check checklist in $TMP/NAME.json, one sample.
checklist() {
  cat >"$TMP/$1.json" <<JSON
{"format": 1, "id": "$1", "defaults": {"samples": 1, "timeout_ms": 10000},
 "sections": [{"id": "s", "checks": [
  {"id": "$1", "kind": "http", "request": {"url": "$2"}, "expect": ${3:-{\}}}]}]}
JSON
}

# --- Usage errors: nothing is run, no report written.
checklist plain "http://127.0.0.1:$W/"
usage_error() { # usage_error MESSAGE ARGS...
  local msg=$1
  shift
  rm -f "$TMP/never.json"
  run_ms run --no-input --json "$TMP/never.json" "$@" "$TMP/plain.json"
  expect_rc 2 "$* is a usage error"
  expect_err "$msg" "$*: the message"
  [ ! -e "$TMP/never.json" ] && ok || bad "$*: a report was written"
}
usage_error "--cert $TMP/missing.pem: cannot read it: No such file or directory" --cert "$TMP/missing.pem"
usage_error "--key $TMP: cannot read it: Is a directory" --cert "$TMP/client.pem" --key "$TMP"
usage_error "--key $TMP/missing.key: cannot read it" --cert "$TMP/client.pem" --key "$TMP/missing.key"
usage_error "--key $TMP/client.key: a key needs its certificate: give --cert FILE too" --key "$TMP/client.key"
usage_error '--resolve "shop.invalid:443": not HOST:PORT:ADDRESS' --resolve shop.invalid:443
usage_error '--resolve "shop.invalid:443:localhost": not HOST:PORT:ADDRESS[,ADDRESS]... (each an IPv4 or IPv6 address' \
  --resolve shop.invalid:443:localhost
usage_error '--resolve "shop.invalid:99999:127.0.0.1": not HOST:PORT:ADDRESS (PORT a number from 1 to 65535)' \
  --resolve shop.invalid:99999:127.0.0.1
usage_error '--connect-to "shop.invalid:443:127.0.0.1": not HOST1:PORT1:HOST2:PORT2' --connect-to shop.invalid:443:127.0.0.1
usage_error '--connect-to "a:b:c:d": not HOST1:PORT1:HOST2:PORT2' --connect-to a:b:c:d
# A proxy URL libcurl cannot read is refused without quoting it: it may hold a password.
usage_error "--proxy: libcurl cannot read the value as a proxy URL" --proxy "http://auditor:pa55-word-x@127.0.0.1:99999"
expect_no "pa55-word-x" "$TMP/err"
usage_error "--proxy: libcurl cannot read the value as a proxy URL: libcurl's proxies are http, https" \
  --proxy "ftp://auditor:pa55-word-x@127.0.0.1:21"
expect_no "pa55-word-x" "$TMP/err"
# --http3 runs only on a libcurl that has HTTP/3 (its version string names an HTTP/3 library).
"$MS" --version >"$TMP/version"
if grep -qiE "ngtcp2|quiche|msh3|nghttp3" "$TMP/version"; then
  run_ms run --no-input --http3 -q "$TMP/plain.json"
  expect_rc 0 "--http3 with a libcurl that has it"
else
  usage_error "--http3: the libcurl this tool runs on (libcurl/" --http3
  expect_err "cannot speak HTTP/3" "--http3 says why"
fi

# --- --resolve and --connect-to: a made-up name reaches the loopback server, which sees that name.
checklist named "http://shop.invalid:$W/echo" "{\"status\": 200, \"body_contains\": \"\\\"Host\\\":\\\"shop.invalid:$W\\\"\"}"
run_ms run --no-input --resolve "shop.invalid:$W:127.0.0.1" --json "$TMP/resolve.json" "$TMP/named.json"
expect_rc 0 "--resolve sends shop.invalid to 127.0.0.1"
expect_out "network options: --resolve shop.invalid:$W:127.0.0.1" "the text report says so"
json_check "$TMP/resolve.json" "
check('named')['samples'][0]['remote_ip'] == '127.0.0.1'
d['run']['network']['resolve'] == ['shop.invalid:$W:127.0.0.1']
d['run']['network']['connect_to'] == [] and d['run']['network']['proxies'] == []
"
# the address given is the one connected to: nothing listens on 127.0.0.2
run_ms run --no-input --resolve "shop.invalid:$W:127.0.0.2" --json "$TMP/resolve2.json" "$TMP/named.json"
expect_rc 1 "--resolve to an address where nothing listens fails the check"
json_check "$TMP/resolve2.json" "check('named')['samples'][0]['ok'] is False"
# repeatable: only the entry for the URL's host and port counts
run_ms run --no-input --resolve "other.invalid:$W:127.0.0.2" --resolve "shop.invalid:$W:127.0.0.1" -q "$TMP/named.json"
expect_rc 0 "--resolve is repeatable"
checklist named80 "http://shop.invalid/echo" '{"status": 200, "body_contains": "\"Host\":\"shop.invalid\""}'
run_ms run --no-input --connect-to "shop.invalid:80:127.0.0.1:$W" --json "$TMP/cto.json" "$TMP/named80.json"
expect_rc 0 "--connect-to sends shop.invalid:80 to 127.0.0.1:$W"
expect_out "network options: --connect-to shop.invalid:80:127.0.0.1:$W" "the text report says so"
json_check "$TMP/cto.json" "
check('named80')['samples'][0]['remote_port'] == $W
d['run']['network']['connect_to'] == ['shop.invalid:80:127.0.0.1:$W']
"
run_ms run --no-input --connect-to "::127.0.0.1:$W" -q "$TMP/named80.json"
expect_rc 0 "--connect-to with empty HOST1 and PORT1 matches every URL"
# HTTPS to the name: the certificate is checked against shop.invalid, as a CDN's origin would be
checklist namedtls "https://shop.invalid:$PORT_tls/" '{"status": 200}'
run_ms run --no-input --cacert "$TMP/srv.pem" --resolve "shop.invalid:$PORT_tls:127.0.0.1" --http1.1 \
  --json "$TMP/rtls.json" "$TMP/namedtls.json"
expect_rc 0 "--resolve over HTTPS verifies the certificate for the name"
json_check "$TMP/rtls.json" "
check('namedtls')['samples'][0]['http_version'] == '1.1'
d['run']['network']['http_version'] == '1.1'
"

# --- HTTP versions. --http2 over plain http asks for an upgrade (h2c), which the server ignores:
# the answer is HTTP/1.1, as with curl. Without it, or with --http1.1, nothing is asked.
checklist upgrade "http://127.0.0.1:$W/echo" '{"body_contains": "\"Upgrade\":\"h2c\""}'
checklist noupgrade "http://127.0.0.1:$W/echo" '{"body_not_contains": "h2c"}'
run_ms run --no-input --http2 --json "$TMP/h2.json" "$TMP/upgrade.json"
expect_rc 0 "--http2 asks for h2c over plain http"
json_check "$TMP/h2.json" "
check('upgrade')['samples'][0]['http_version'] == '1.1'
d['run']['network']['http_version'] == '2'
"
expect_out "network options: --http2" "the text report says --http2"
run_ms run --no-input -q "$TMP/noupgrade.json"
expect_rc 0 "libcurl's default asks for no upgrade over plain http"
run_ms run --no-input --http2 --http1.1 --json "$TMP/h11.json" "$TMP/noupgrade.json"
expect_rc 0 "--http1.1 (the last one given wins) asks for no upgrade"
json_check "$TMP/h11.json" "d['run']['network']['http_version'] == '1.1'"
checklist tls "https://127.0.0.1:$PORT_tls/" '{"status": 200}'
run_ms run --no-input --cacert "$TMP/srv.pem" --http2 --json "$TMP/h2tls.json" "$TMP/tls.json"
expect_rc 0 "--http2 over HTTPS to a server without HTTP/2"
json_check "$TMP/h2tls.json" "check('tls')['samples'][0]['http_version'] == '1.1'"

# --- Client certificates: the server answers 200 only to a certificate its CA signed.
checklist mtls "https://127.0.0.1:$PORT_mtls/client-cert" '{"status": 200}'
run_ms run --no-input --cacert "$TMP/srv.pem" --json "$TMP/nocert.json" "$TMP/mtls.json"
expect_rc 1 "no client certificate: refused"
json_check "$TMP/nocert.json" "check('mtls')['samples'][0]['status'] == 403 and d['run']['network']['client_cert'] is None"
run_ms run --no-input --cacert "$TMP/srv.pem" --cert "$TMP/client.pem" --key "$TMP/client.key" \
  --json "$TMP/cert.json" "$TMP/mtls.json"
expect_rc 0 "--cert and --key: the server verifies the client"
expect_out "network options: --cert $TMP/client.pem" "the text report names the certificate"
json_check "$TMP/cert.json" "d['run']['network']['client_cert'] == '$TMP/client.pem'"
run_ms run --no-input --cacert "$TMP/srv.pem" --cert "$TMP/both.pem" -q "$TMP/mtls.json"
expect_rc 0 "--cert with the key in the same file"
run_ms run --no-input --cacert "$TMP/srv.pem" --cert "$TMP/rogue.pem" --key "$TMP/rogue.key" \
  --json "$TMP/rogue.json" "$TMP/mtls.json"
expect_rc 1 "a certificate the server's CA did not sign is refused"
json_check "$TMP/rogue.json" "check('mtls')['samples'][0]['status'] == 403"

# --- A real proxy: tinyproxy on a free loopback port, asking for a password, adding a Via
# header to what it forwards and logging every request. At most 200 s, and stopped at the end.
TINYPROXY=$(command -v tinyproxy || true)
[ -n "$TINYPROXY" ] || { echo "FAIL: tinyproxy is not installed: run scripts/install-deps" >&2; exit 1; }
PW=s3cret-proxy-pw
for attempt in 1 2 3 4 5; do
  PP=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat >"$TMP/tinyproxy.conf" <<CONF
Port $PP
Listen 127.0.0.1
Timeout 30
LogFile "$TMP/tinyproxy.log"
LogLevel Info
MaxClients 20
Allow 127.0.0.1
ViaProxyName "ms-test-proxy"
BasicAuth auditor $PW
CONF
  timeout 200 "$TINYPROXY" -d -c "$TMP/tinyproxy.conf" >"$TMP/tinyproxy.out" 2>&1 &
  TP=$!
  PIDS+=($TP)
  up=
  for _ in $(seq 100); do
    if python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$PP" 2>/dev/null; then
      up=1
      break
    fi
    kill -0 "$TP" 2>/dev/null || break
    sleep 0.05
  done
  [ -n "$up" ] && break
  kill "$TP" 2>/dev/null
done
[ -n "$up" ] || { echo "FAIL: tinyproxy did not start" >&2; cat "$TMP/tinyproxy.out" >&2; exit 1; }
PROXY="http://auditor:$PW@127.0.0.1:$PP"
checklist via "http://127.0.0.1:$W/echo" '{"status": 200, "body_contains": "\"Via\":\"1.1 ms-test-proxy"}'
checklist direct "http://127.0.0.1:$W/echo" '{"status": 200, "body_not_contains": "ms-test-proxy"}'
proxied_requests() { grep -c "Request (file descriptor [0-9]*): GET http://127.0.0.1:$W/echo" "$TMP/tinyproxy.log"; }

# From the environment, as libcurl takes it: the request goes through the proxy, and every
# report says so, without the password.
before=$(proxied_requests)
http_proxy=$PROXY run_ms run --no-input --json "$TMP/envproxy.json" --junit "$TMP/envproxy.xml" "$TMP/via.json"
expect_rc 0 "http_proxy from the environment carries the request"
[ "$(proxied_requests)" -gt "$before" ] && ok || bad "tinyproxy logged no request"
expect_out "via proxy http://127.0.0.1:$PP (from http_proxy)" "the text report says which proxy"
json_check "$TMP/envproxy.json" "
d['run']['network']['proxies'] == [{'url': 'http://127.0.0.1:$PP', 'from': 'http_proxy', 'checks': ['via']}]
"
grep -qF "<property name=\"proxy\" value=\"http://127.0.0.1:$PP\"/>" "$TMP/envproxy.xml" && ok || bad "JUnit: no proxy property"
expect_no "$PW" "$TMP/out" "$TMP/err" "$TMP/envproxy.json" "$TMP/envproxy.xml"
# A proxy libcurl cannot use fails the checks, and libcurl's error quotes the value whole: the
# value, and its password, are secrets.
http_proxy="foo://auditor:$PW@127.0.0.1:$PP" run_ms run --no-input --json "$TMP/foo.json" --junit "$TMP/foo.xml" "$TMP/via.json"
expect_rc 1 "an unsupported proxy scheme fails the check"
expect_out "Unsupported proxy scheme for '***'" "libcurl's error, with the proxy hidden"
expect_no "$PW" "$TMP/out" "$TMP/err" "$TMP/foo.json" "$TMP/foo.xml"
# The proxy really is asked with the password: a wrong one is its refusal (tinyproxy answers 401),
# a failed check.
http_proxy="http://auditor:wrong-password@127.0.0.1:$PP" run_ms run --no-input -q --json "$TMP/407.json" "$TMP/via.json"
expect_rc 1 "a wrong proxy password fails the check"
json_check "$TMP/407.json" "check('via')['samples'][0]['status'] in (401, 407)"
# --proxy, and the upper-case variables libcurl reads (never HTTP_PROXY), and all_proxy
run_ms run --no-input --proxy "$PROXY" --json "$TMP/optproxy.json" "$TMP/via.json"
expect_rc 0 "--proxy carries the request"
expect_out "via proxy http://127.0.0.1:$PP (from --proxy)" "the text report says --proxy"
expect_no "$PW" "$TMP/out" "$TMP/err" "$TMP/optproxy.json"
HTTP_PROXY=$PROXY run_ms run --no-input --json "$TMP/upper.json" "$TMP/direct.json"
expect_rc 0 "HTTP_PROXY is not read (libcurl never reads it)"
json_check "$TMP/upper.json" "d['run']['network']['proxies'] == []"
expect_no "via proxy" "$TMP/out"
ALL_PROXY=$PROXY run_ms run --no-input --json "$TMP/all.json" "$TMP/via.json"
expect_rc 0 "ALL_PROXY carries the request"
json_check "$TMP/all.json" "d['run']['network']['proxies'][0]['from'] == 'ALL_PROXY'"
# HTTPS through the proxy: a CONNECT tunnel, from https_proxy
https_proxy=$PROXY run_ms run --no-input --cacert "$TMP/srv.pem" --json "$TMP/tunnel.json" "$TMP/tls.json"
expect_rc 0 "https_proxy tunnels HTTPS"
grep -q "CONNECT 127.0.0.1:$PORT_tls" "$TMP/tinyproxy.log" && ok || bad "tinyproxy logged no CONNECT"
json_check "$TMP/tunnel.json" "d['run']['network']['proxies'][0]['from'] == 'https_proxy'"
# Around the proxy: no_proxy, --noproxy (which wins over no_proxy), --proxy "".
before=$(proxied_requests)
http_proxy=$PROXY no_proxy=127.0.0.1 run_ms run --no-input --json "$TMP/noproxy-env.json" "$TMP/direct.json"
expect_rc 0 "no_proxy sends the request straight"
json_check "$TMP/noproxy-env.json" "d['run']['network']['proxies'] == []"
expect_no "via proxy" "$TMP/out"
http_proxy=$PROXY run_ms run --no-input --noproxy 127.0.0.0/8 -q "$TMP/direct.json"
expect_rc 0 "--noproxy sends the request straight"
run_ms run --no-input --proxy "$PROXY" --noproxy 127.0.0.1 -q "$TMP/direct.json"
expect_rc 0 "--noproxy applies to --proxy too"
http_proxy=$PROXY run_ms run --no-input --proxy "" -q "$TMP/direct.json"
expect_rc 0 "--proxy \"\" turns the environment's proxy off"
[ "$(proxied_requests)" -eq "$before" ] && ok || bad "a request went through the proxy although it should not"
http_proxy=$PROXY no_proxy=127.0.0.1 run_ms run --no-input --noproxy other.invalid -q "$TMP/via.json"
expect_rc 0 "--noproxy replaces no_proxy"
# Some checks through the proxy, some not: the report names the ones it carried.
cat >"$TMP/mixed.json" <<JSON
{"format": 1, "id": "mixed", "defaults": {"samples": 1},
 "sections": [{"id": "s", "checks": [
  {"id": "proxied", "kind": "http", "request": {"url": "http://127.0.0.1:$W/echo"},
   "expect": {"body_contains": "ms-test-proxy"}},
  {"id": "straight", "kind": "http", "request": {"url": "http://shop.invalid:$W/echo"},
   "expect": {"body_not_contains": "ms-test-proxy"}}]}]}
JSON
http_proxy=$PROXY no_proxy=shop.invalid run_ms run --no-input --resolve "shop.invalid:$W:127.0.0.1" \
  --json "$TMP/mixed.out.json" "$TMP/mixed.json"
expect_rc 0 "no_proxy by name: one check through the proxy, one straight"
expect_out "via proxy http://127.0.0.1:$PP (from http_proxy) for 1 of 2 http checks" "the text report counts them"
json_check "$TMP/mixed.out.json" "d['run']['network']['proxies'][0]['checks'] == ['proxied']"
finish
