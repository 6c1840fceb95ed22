#!/usr/bin/env bash
# Hostile conditions around a run: signals while loading, a closed stdout, huge and invalid
# response headers and bodies, control characters and invalid UTF-8 in what the tool prints.
. "$(dirname "$0")/lib.sh"
F=$SRC/tests/fixtures
start_server web
BASE="base=http://127.0.0.1:$PORT_web"

# 1. SIGTERM while the checklist is still being read: the handlers are in place before loading,
# so the run ends as interrupted (130), not killed by the signal (143). The checklist comes
# through a FIFO, so the signal surely lands while the tool is reading it.
mkfifo "$TMP/slow.json"
"$MS" run --no-input -D "$BASE" "$TMP/slow.json" </dev/null >"$TMP/out" 2>"$TMP/err" &
pid=$!
exec 3>"$TMP/slow.json" # returns once the tool has opened the FIFO: it is loading
kill -s TERM "$pid"
sleep 0.2
cat "$F/pass.json" >&3 2>/dev/null
exec 3>&-
timeout 20 tail --pid="$pid" -f /dev/null
wait "$pid"
RC=$?
expect_rc 130 "SIGTERM while the checklist loads"

# 2. A closed stdout (a pipe whose reader has gone, as `| head -c 1` leaves it): SIGPIPE is
# ignored, the failed write is an error (exit 3) that says so, and the JSON file is still
# written.
closed_stdout() { # closed_stdout ARGS...: run the tool with stdout a pipe nobody reads
  python3 - "$MS" "$@" >"$TMP/out" 2>"$TMP/err" <<'PY'
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=w, stderr=subprocess.PIPE)
sys.stderr.buffer.write(p.stderr)
print(p.returncode)
PY
  RC=$(cat "$TMP/out")
}
closed_stdout run -D "$BASE" --no-input -a "$F/answers-pass.json" --json "$TMP/pipe.json" "$F/pass.json"
expect_rc 3 "a report to a closed pipe"
expect_err "stdout: write error: Broken pipe" "says why"
json_check "$TMP/pipe.json" 'd["verdict"]["passed"] is True'
closed_stdout run -D "$BASE" --no-input --json - "$F/pass.json"
expect_rc 3 "the JSON report to a closed pipe"
closed_stdout list "$F/pass.json"
expect_rc 3 "list to a closed pipe"

# 3. Headers and bodies past the limits. A 9000-byte request header is sent whole (the echo
# shows its end); a 9000-byte response header is matched whole; a 1 MB response header is
# named for what it is, not "Out of memory"; a body past 8 MiB says that only 8 MiB were read.
LONG=$(printf 'a%.0s' $(seq 8990))END-OF-IT
NINE=$(printf 'h%.0s' $(seq 9000))
cat >"$TMP/limits.json" <<JSON
{"format": 1, "id": "limits", "defaults": {"samples": 1},
 "sections": [{"id": "s", "checks": [
  {"id": "long-request-header", "kind": "http",
   "request": {"url": "http://127.0.0.1:$PORT_web/echo", "headers": {"X-Long": "$LONG"}},
   "expect": {"body_contains": ["${LONG: -20}\""]}},
  {"id": "long-response-header", "kind": "http",
   "request": {"url": "http://127.0.0.1:$PORT_web/bigheader?bytes=9000"},
   "expect": {"headers": {"X-Big": "$NINE"}}},
  {"id": "huge-header", "kind": "http",
   "request": {"url": "http://127.0.0.1:$PORT_web/bigheader?bytes=1000000"}},
  {"id": "big-body-lacks", "kind": "http",
   "request": {"url": "http://127.0.0.1:$PORT_web/large?bytes=9000000"},
   "expect": {"body_contains": ["zzz"]}},
  {"id": "big-body-clean", "kind": "http",
   "request": {"url": "http://127.0.0.1:$PORT_web/large?bytes=9000000"},
   "expect": {"body_not_contains": ["zzz"]}},
  {"id": "small-body-clean", "kind": "http",
   "request": {"url": "http://127.0.0.1:$PORT_web/large?bytes=9000"},
   "expect": {"body_not_contains": ["zzz"]}},
  {"id": "big-body-json", "kind": "http",
   "request": {"url": "http://127.0.0.1:$PORT_web/large?bytes=9000000"},
   "expect": {"json": {"status": "ok"}}}]}]}
JSON
run_ms run --no-input --json "$TMP/limits.json.out" "$TMP/limits.json"
expect_rc 1 "the huge header and the cut bodies fail"
json_check "$TMP/limits.json.out" '
check("long-request-header")["status"] == "pass"
check("long-response-header")["status"] == "pass"
check("huge-header")["status"] == "fail"
"response header too large" in check("huge-header")["samples"][0]["error"] and "100 KB" in check("huge-header")["samples"][0]["error"]
"out of memory" not in check("huge-header")["evidence"].lower()
check("big-body-lacks")["status"] == "fail" and "only the first 8 MiB" in check("big-body-lacks")["evidence"]
check("big-body-clean")["status"] == "pass" and "only the first 8 MiB were examined" in check("big-body-clean")["evidence"]
"8 MiB" not in check("small-body-clean")["evidence"]
check("big-body-json")["status"] == "fail" and "only the first 8 MiB" in check("big-body-json")["evidence"]
'
expect_out "response header too large" "the text report names the huge header"

# 4. Control characters in titles, owners, fixes, the answers file's auditor and label never
# reach the terminal: no escape sequence in the text report or in a message.
cat >"$TMP/ctl.json" <<JSON
{"format": 1, "id": "ctl", "title": "List\u001b]0;owned\u0007 title",
 "sections": [{"id": "s", "title": "Section\u001b[2J title", "owner": "team\u001b[31m red",
  "checks": [
  {"id": "web", "kind": "http", "title": "Web\u001b[8m hidden", "samples": 1,
   "request": {"url": "http://127.0.0.1:$PORT_web/?status=500"},
   "fix": "Fix\u009b31m it"},
  {"id": "ask", "kind": "yesno", "title": "Ask\u001b[5m blink",
   "prompt": "Prompt\u001b[1m bold", "description": "Desc\u001b[4m under"}]}]}
JSON
cat >"$TMP/ctl-answers.json" <<'JSON'
{"format": 1, "auditor": "Lan\u001b[31m red", "label": "prod\u001b]8;;http://x\u0007link",
 "answers": {"ask": {"value": "no", "note": "note\u001b[0m reset"}}}
JSON
run_ms run --no-input --color never -a "$TMP/ctl-answers.json" "$TMP/ctl.json"
expect_rc 1 "the control-character checklist runs"
# (the header line wraps at 80 columns, at any of its spaces: compared with the lines joined)
tr -s ' \n' '  ' <"$TMP/out" | grep -qF "auditor Lan [31m red, label prod ]8;;http://x link" &&
  ok || bad "auditor and label cleaned"
expect_no_controls "run reaches the terminal with the checklist's text" "$TMP/out" "$TMP/err"
run_ms list "$TMP/ctl.json"
expect_no_controls "list" "$TMP/out"
# the prompt (stderr, on a terminal) shows the title, prompt and description cleaned
if python3 "$SRC/tests/cli/pty_session.py" '[["expect", "[1/1] Ask"], ["expect", "> "],
  ["send", "?\n"], ["expect", "Desc"], ["expect", "> "], ["send", "q\n"], ["exit", 1]]' \
  -- "$MS" run -a "$TMP/ctl-prompt-answers.json" "$TMP/ctl.json" >"$TMP/ctl-pty.out" 2>&1; then
  ok; else bad "the prompt session"; cat "$TMP/ctl-pty.out" >&2; fi
# (the tool's own colours and progress line are escape sequences too: look for the checklist's)
if LC_ALL=C grep -q $'\x1b\[[458]m\|\x1b\[2J\|\x1b\]\|\x1b\[31m red' "$TMP/ctl-pty.out"; then
  bad "the prompt prints the checklist's escape sequences"; else ok; fi
grep -qF "Prompt [1m bold" "$TMP/ctl-pty.out" && ok || bad "the prompt text, cleaned"

# Messages about bad files quote the files' own text: cleaned too.
printf '{"format": 1, "id": "a\\u001b[31mb", "sections": []}' >"$TMP/bad-id.json"
run_ms validate "$TMP/bad-id.json"
expect_rc 2 "an id with an escape sequence is invalid"
expect_err 'id: "a [31mb" is not a valid id' "the message quotes it cleaned"
expect_no_controls "validate's message" "$TMP/err"
printf '{"format": 1, "answers": {"ask": {"valu\\u001b[2Je": "no"}}}' >"$TMP/bad-answers.json"
run_ms run --no-input -a "$TMP/bad-answers.json" "$TMP/ctl.json"
expect_rc 2 "an answers file with an unknown field"
expect_err 'unknown field "valu [2Je"' "the answers file's message quotes it cleaned"
expect_no_controls "the answers file's message" "$TMP/err"

# 5. Invalid UTF-8 from the network (a header value, a JSON value of a body) quoted in the
# evidence: every report is valid UTF-8, with U+FFFD in place of the bad bytes.
cat >"$TMP/bad-utf8.json" <<JSON
{"format": 1, "id": "bad-utf8", "defaults": {"samples": 1},
 "sections": [{"id": "s", "checks": [
  {"id": "header", "kind": "http", "request": {"url": "http://127.0.0.1:$PORT_web/raw?h=41ff42c3"},
   "expect": {"headers": {"X-Raw": "nope"}}},
  {"id": "body", "kind": "http",
   "request": {"url": "http://127.0.0.1:$PORT_web/raw?b=7b2261223a2261ff62227d"},
   "expect": {"json": {"a": "x"}}},
  {"id": "cut-quote", "kind": "http",
   "request": {"url": "http://127.0.0.1:$PORT_web/raw?h=$(printf '61%.0s' $(seq 79))e1bb9562"},
   "expect": {"headers": {"X-Raw": "nope"}}}]}]}
JSON
run_ms run --no-input --json "$TMP/bad-utf8.out.json" --junit "$TMP/bad-utf8.xml" "$TMP/bad-utf8.json"
expect_rc 1 "the invalid UTF-8 checks fail"
json_check "$TMP/bad-utf8.out.json" '
"A\ufffdB\ufffd" in check("header")["evidence"]
"a\ufffdb" in check("body")["evidence"]
# a valid header value cut at 80 bytes keeps whole characters, and says it was cut
("a" * 79 + "...") in check("cut-quote")["evidence"] and "\ufffd" not in check("cut-quote")["evidence"]
all("\ufffd" in f["evidence"] for f in d["fixes"] if f["check"] != "cut-quote")
'
if python3 -c 'import sys; open(sys.argv[1], encoding="utf-8", errors="strict").read()' "$TMP/out"; then
  ok; else bad "the text report is not valid UTF-8"; fi
grep -qF "A�B�" "$TMP/out" && ok || bad "the text report shows U+FFFD"
run_ms run --no-input --json - "$TMP/bad-utf8.json"
python3 -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$TMP/out" && ok || bad "--json - is not valid UTF-8 JSON"

# 6. An answers file's problem about a check with a long id names its whole path and points at
# its own line (a fixed 512-byte path was cut, and the message pointed at 1:1).
LONG=$(printf 'k%.0s' $(seq 700))
cat >"$TMP/long-id.json" <<JSON
{"format": 1, "id": "long-id", "sections": [{"id": "s", "checks": [
  {"id": "$LONG", "kind": "rating", "scale": [1, 5], "pass": 4}]}]}
JSON
printf '{"format": 1,\n "answers": {\n  "%s": {"value": 9}}}\n' "$LONG" >"$TMP/long-answers.json"
run_ms run --no-input -a "$TMP/long-answers.json" "$TMP/long-id.json"
expect_rc 2 "an answer out of its scale is invalid"
expect_err "long-answers.json:3:" "the problem points at the answer's own line"
expect_err "answers.$LONG.value: must be a number from 1 to 5" "the whole path of a long id"

finish
