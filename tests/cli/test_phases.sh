#!/usr/bin/env bash
# The phases of every sample add up: dns + connect + tls + server + transfer = total, to the
# microsecond, in the JSON report of real runs over plain HTTP and HTTPS, cold and warm
# connections, redirects, a delayed answer and a body that drips in. A sample without phases
# (a transfer that broke off) has none to add up; an ok sample always has them.
. "$(dirname "$0")/lib.sh"
make_cert
start_server web
start_server tls --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem"
checks() { # checks BASE: the checks' list over the server at BASE
  local b=$1
  printf '{"id": "plain", "kind": "http", "request": {"url": "%s/json"}},\n' "$b"
  printf '{"id": "delayed", "kind": "http", "request": {"url": "%s/json?delay=30"}},\n' "$b"
  printf '{"id": "redirected", "kind": "http", "request": {"url": "%s/redirect/3"}},\n' "$b"
  printf '{"id": "drip", "kind": "http", "request": {"url": "%s/drip?bytes=5&ms=5"}},\n' "$b"
  printf '{"id": "warm", "kind": "http", "connection": "warm", "request": {"url": "%s/json"}},\n' "$b"
  printf '{"id": "warm-redirect", "kind": "http", "connection": "warm", "request": {"url": "%s/redirect/2"}}' "$b"
}
for scheme in http https; do
  if [ "$scheme" = http ]; then base=http://127.0.0.1:$PORT_web; else base=https://127.0.0.1:$PORT_tls; fi
  {
    printf '{"format": 1, "id": "phases-%s", "defaults": {"samples": 4},\n' "$scheme"
    printf ' "sections": [{"id": "s", "checks": [\n%s\n]}]}\n' "$(checks "$base")"
  } >"$TMP/$scheme.json"
  run_ms run --no-input --no-history --cacert "$TMP/cert.pem" -j 4 --per-host 4 \
    --json "$TMP/$scheme-report.json" "$TMP/$scheme.json"
  expect_rc 0 "$scheme run"
  json_check "$TMP/$scheme-report.json" '
    # every check took all its samples, and every sample is ok with phases
    all(len(c["samples"]) == 4 for c in checks())
    all(s["ok"] and s["phases_ms"] is not None for c in checks() for s in c["samples"])
    # to the microsecond: the report writes microseconds as milliseconds with three decimals
    all(sum(round(s["phases_ms"][p] * 1000) for p in ("dns", "connect", "tls", "server", "transfer")) == round(s["phases_ms"]["total"] * 1000) for c in checks() for s in c["samples"])
    all(sum(round(s["phases_ms"][p] * 1000) for p in ("dns", "connect", "tls", "server")) == round(s["phases_ms"]["ttfb"] * 1000) for c in checks() for s in c["samples"])
    all(s["phases_ms"][p] >= 0 for c in checks() for s in c["samples"] for p in s["phases_ms"])
    # the delay is the server phase (no timing lost to the sum): 30 ms and not far beyond
    all(30 <= s["phases_ms"]["server"] < 30 + 250 for s in check("delayed")["samples"])
    all(s["phases_ms"]["redirect"] > 0 for s in check("redirected")["samples"])
  '
done
json_check "$TMP/https-report.json" '
  # a cold https sample has a handshake
  all(s["phases_ms"]["tls"] > 0 for s in check("plain")["samples"])
'
finish
