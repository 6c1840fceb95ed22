#!/usr/bin/env bash
# The bundled checklists: all valid together, each runnable; the web and API walks pass against
# the local server; the Vietnamese hotline walk keeps its text intact and aligned.
. "$(dirname "$0")/lib.sh"
C=$SRC/checklists
F=$SRC/tests/fixtures
BUNDLED=("$C"/website.json "$C"/api.json "$C"/hotline.json "$C"/seven-sins.json
         "$C"/three-factors.json "$C"/internal-customers.json "$C"/vi/hotline.json)

run_ms validate "${BUNDLED[@]}"
expect_rc 0 "every bundled checklist is valid, and their ids do not clash"
run_ms validate "$C"/demo/demo.json
expect_rc 0 "the demo checklist is valid"

# The website walk over HTTPS, with plain http moved to https by a second server.
make_cert
start_server tls --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem"
start_server plain --https-redirect "$PORT_tls"
run_ms run -D "base=https://127.0.0.1:$PORT_tls" -D "plain=http://127.0.0.1:$PORT_plain" \
  --cacert "$TMP/cert.pem" --no-input -n 2 --json "$TMP/web.json" "$C/website.json"
expect_rc 0 "the website walk passes against a healthy local site"
json_check "$TMP/web.json" '
all(c["status"] == "pass" for c in checks() if c["kind"] == "http")
len([c for c in checks() if c["kind"] == "http"]) == 7
all(s["phases_ms"]["tls"] > 0 for s in check("web-home")["samples"])
check("web-https-redirect")["samples"][0]["status"] == 301
[c["status"] for c in checks() if c["kind"] != "http"] == ["unanswered"] * 3
'

# The API walk against the server's small JSON API.
start_server api
run_ms run -D "api=http://127.0.0.1:$PORT_api/api" --no-input -n 2 --json "$TMP/api.json" "$C/api.json"
expect_rc 0 "the API walk passes against a healthy local API"
json_check "$TMP/api.json" '
all(c["status"] == "pass" for c in checks())
check("api-order")["samples"][0]["status"] == 201
[s["new_connections"] for s in check("api-search-warm")["samples"]] == [1, 0]
[s["new_connections"] for s in check("api-search")["samples"]] == [1, 1]
'

# The manual walks run too: unanswered without answers (nothing scored: NO SCORE, exit 1; it
# was a PASS), exit 4 with --require-complete.
for f in hotline seven-sins three-factors internal-customers; do
  run_ms run --no-input "$C/$f.json"
  expect_rc 1 "$f runs with nothing answered"
  expect_out "Verdict: NO SCORE: nothing could be scored" "$f: nothing scored"
  run_ms run --no-input --require-complete -q "$C/$f.json"
  expect_rc 4 "$f with --require-complete"
done

# The Vietnamese hotline walk, answered: text aligned, JSON and JUnit carry the text intact.
run_ms run --no-input -a "$F/vi-hotline-answers.json" --json "$TMP/vi.json" --junit "$TMP/vi.xml" \
  "$C/vi/hotline.json"
expect_rc 1 "the Vietnamese walk fails four checks"
expect_aligned 9
expect_out "Nhân viên lắng nghe trước khi trả lời" "a Vietnamese title in the text"
expect_out "evidence: answered yes, good is no: 'bảo tôi gọi số khác'" "a Vietnamese note in the evidence"
json_check "$TMP/vi.json" '
d["run"]["auditor"] == "Trần Văn Minh"
check("vi-khong-phai-viec-toi")["title"] == "Không ai nói \u0027đó không phải việc của tôi\u0027"
check("vi-khong-phai-viec-toi")["status"] == "fail"
check("vi-thoi-gian-cho")["answer"]["note"] == "nhạc chờ rất lâu"
check("vi-goi-lai-dung-hen")["status"] == "na"
d["checklists"][0]["sections"][1]["title"] == "Cách nhân viên đối xử với bạn"
[f["check"] for f in d["fixes"]][0] == "vi-giai-quyet-ngay"
'
if python3 - "$TMP/vi.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite = root.find("testsuite")
assert suite.get("name") == "Vi hành: gọi tổng đài chăm sóc khách hàng", suite.get("name")
names = [c.get("name") for c in suite.iter("testcase")]
assert "Được giải quyết ngay cuộc gọi đầu tiên" in names
f = [c for c in suite.iter("testcase") if c.get("name") == "Không ai nói 'đó không phải việc của tôi'"][0]
assert "bảo tôi gọi số khác" in f.find("failure").get("message")
assert "owner: Ban giám đốc" in f.find("failure").text
assert suite.get("failures") == "4" and suite.get("skipped") == "1", (suite.get("failures"), suite.get("skipped"))
PY
then ok; else bad "the Vietnamese JUnit file"; fi
finish
