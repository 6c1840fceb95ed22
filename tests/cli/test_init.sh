#!/usr/bin/env bash
# mystery-shopper init: a starter checklist that validates and runs as it is, and that never
# replaces a file without --force.
. "$(dirname "$0")/lib.sh"
start_server web
B="http://127.0.0.1:$PORT_web"

run_ms init --url "$B/"
expect_rc 0 "init to stdout"
"$MS" validate - <"$TMP/out" >/dev/null 2>&1 && ok || bad "init's output does not validate"
json_check "$TMP/out" '
d["format"] == 1 and d["id"] == "127-0-0-1"
d["vars"] == {"base": "'"$B"'"}
d["defaults"]["budget"] == {"ttfb_ms": 800, "total_ms": 1000}
d["sections"][0]["checks"][0]["request"]["url"] == "{{base}}/"
d["sections"][0]["checks"][0]["id"] == "home"
len(d["sections"]) == 1
'

run_ms init --url "$B/" --url "$B/a-b" --url "$B/a/b" --url "http://127.0.0.1:9/elsewhere" \
  --with-hotline --id my-shop --title "My shop" -o "$TMP/shop.json"
expect_rc 0 "init to a file"
expect_err "wrote $TMP/shop.json" "says where"
json_check "$TMP/shop.json" '
d["id"] == "my-shop" and d["title"] == "My shop"
[c["id"] for c in d["sections"][0]["checks"]] == ["home", "a-b", "a-b-2", "127-0-0-1-9-elsewhere"]
d["sections"][0]["checks"][2]["request"]["url"] == "{{base}}/a/b"
d["sections"][0]["checks"][3]["request"]["url"] == "http://127.0.0.1:9/elsewhere"
[c["kind"] for c in d["sections"][1]["checks"]] == ["stopwatch", "rating", "yesno"]
'
# Written as people write JSON: two spaces a level, no tabs, "key": value, short arrays on
# one line; exactly what Python writes with indent=2 but for those arrays.
python3 - "$TMP/shop.json" <<'PY' && ok || bad "init does not write two-space-indented JSON"
import json, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
assert "\t" not in text, "a tab"
want = json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
flat = re.sub(r"\[\n\s*([^\[\]{}]*?)\n\s*\]", lambda m: "[" + re.sub(r",\n\s*", ", ", m.group(1)) + "]", want)
assert text == flat, "\n" + text[:400]
assert '\n  "sections": [\n    {\n      "id": "pages",' in text
PY
run_ms validate "$TMP/shop.json"
expect_rc 0 "the written checklist validates"

# It runs as it is: against the local server, everything on it passes.
run_ms init --url "$B/" --url "$B/products/1" --with-hotline -o "$TMP/run.json"
run_ms run --no-input -n 2 --json "$TMP/r.json" "$TMP/run.json"
expect_rc 0 "the starter checklist runs and passes against a healthy site"
json_check "$TMP/r.json" '
[c["status"] for c in checks()] == ["pass", "pass", "unanswered", "unanswered", "unanswered"]
'

# Never over a file without --force.
cp "$TMP/shop.json" "$TMP/before.json"
run_ms init --url "$B/other" -o "$TMP/shop.json"
expect_rc 2 "an existing file"
expect_err "shop.json exists; use --force to replace it" "says how"
cmp -s "$TMP/shop.json" "$TMP/before.json" && ok || bad "the existing file was changed"
run_ms init --url "$B/other" -o "$TMP/shop.json" --force
expect_rc 0 "--force"
json_check "$TMP/shop.json" 'd["sections"][0]["checks"][0]["id"] == "other"'

# Bad input.
run_ms init
expect_rc 2 "init without --url"
run_ms init --url ftp://example/
expect_rc 2 "a URL that is not http"
expect_err "--url ftp://example/: not an http:// or https:// address" "names the URL"
run_ms init --url file:///tmp/x
expect_rc 2 "a file: URL (no host, no port) is not http"
expect_err "--url file:///tmp/x: not an http:// or https:// address" "a file: URL"
run_ms init --url "$B/" --id "My Shop"
expect_rc 2 "an id that is not one"
run_ms init --url "$B/" extra.json
expect_rc 2 "files after init"
run_ms help init
expect_rc 0 "help init"
expect_out "--with-hotline" "help init documents --with-hotline"
# Tricky URLs, read as libcurl reads them (src/net/url.c). A row: the first URL, then {{base}},
# the checklist's id, the host in its title and the first page's URL; a second URL with a
# user and password on another host gets an id from its host, port and path alone.
while IFS='|' read -r url base id host page; do
  run_ms init --url "$url" --url "http://u:secret@other.example:81/p?x"
  expect_rc 0 "init --url $url"
  json_check "$TMP/out" '
d["vars"] == {"base": "'"$base"'"} and d["id"] == "'"$id"'"
d["title"] == "'"$host"': the king'"'"'s walk in disguise"
d["sections"][0]["checks"][0]["request"]["url"] == "'"$page"'"
d["sections"][0]["checks"][1]["id"] == "other-example-81-p-x"
d["sections"][0]["checks"][1]["request"]["url"] == "http://u:secret@other.example:81/p?x"
'
done <<'ROWS'
http://user:pw@shop.example:8080/a|http://user:pw@shop.example:8080|shop-example|shop.example|{{base}}/a
http://[::1]:8080/x|http://[::1]:8080|1|[::1]|{{base}}/x
http://user@[::1]/|http://user@[::1]|1|[::1]|{{base}}/
https://shop.example:8443|https://shop.example:8443|shop-example|shop.example|{{base}}/
http://shop.example/p?q=1#top|http://shop.example|shop-example|shop.example|{{base}}/p?q=1#top
http://shop.example?q=1|http://shop.example|shop-example|shop.example|{{base}}/?q=1
HTTPS://Shop.Example/Path|https://Shop.Example|shop-example|Shop.Example|{{base}}/Path
ROWS
# A URL libcurl cannot read is refused with its reason.
while IFS='|' read -r url why; do
  run_ms init --url "$url"
  expect_rc 2 "init --url $url"
  expect_err "--url $url: not an http:// or https:// address (libcurl: $why)" "says why: $url"
done <<'ROWS'
http://shop.example:99999/|Port number was not a decimal number between 0 and 65535
http://shop.example:abc/|Port number was not a decimal number between 0 and 65535
http://[::1/|Bad IPv6 address
http://a:b@c@d/|Bad hostname
ROWS
# Nothing is cut: a 3000-byte URL, a 600-character title, a long host in another URL and a
# 60-character id come back whole (they went through fixed buffers of 2048, 512 and 64 bytes).
LONGPATH=/$(printf 'p%.0s' $(seq 3000))/end
LONGTITLE="Title $(printf 'ổ%.0s' $(seq 600)) end"
LONGHOST=$(printf 'h%.0s' $(seq 60)).$(printf 'k%.0s' $(seq 60)).example
LONGID=$(printf 'i%.0s' $(seq 60))
run_ms init --url "$B$LONGPATH" --url "http://$LONGHOST:8080$LONGPATH" --title "$LONGTITLE" --id "$LONGID"
expect_rc 0 "init with long values"
json_check "$TMP/out" '
d["sections"][0]["checks"][0]["request"]["url"] == "{{base}}'"$LONGPATH"'"
d["sections"][0]["checks"][1]["request"]["url"] == "http://'"$LONGHOST"':8080'"$LONGPATH"'"
d["title"] == "'"$LONGTITLE"'"
d["id"] == "'"$LONGID"'"
'
finish
