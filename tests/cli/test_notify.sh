#!/usr/bin/env bash
# run --notify URL: a webhook receiver on loopback (started here) takes each POST; --notify-on
# change alerts once when a series starts failing and once when it is fixed (labels are series
# of their own), fail and always; the message is JSON with the verdict and the failed check in
# its text, and no secret; a post that fails (closed port, 500, a hang past the timeout) is a
# warning, exit 3, in the JSON report and the history, and the webhook's path never printed.
. "$(dirname "$0")/lib.sh"
start_server web
B=http://127.0.0.1:$PORT_web
export MS_HISTORY=$TMP/h.db
export MS_NOTIFY_TOKEN="tok-SECRET-0123456789abcdef"

# The receiver (tests/tools/webhook.py): appends each POST body (one line) to $TMP/posts;
# $TMP/mode says how to answer (ok, 500 or hang: 15 s, past the tool's 10 s).
echo ok >"$TMP/mode"
python3 "$SRC/tests/tools/webhook.py" "$TMP" 2>"$TMP/receiver.log" &
PIDS+=($!)
for _ in $(seq 100); do
  [ -s "$TMP/hook.port" ] && break
  sleep 0.05
done
[ -s "$TMP/hook.port" ] || { echo "the receiver did not start" >&2; cat "$TMP/receiver.log" >&2; exit 1; }
HOOK_PATH=/services/T000/B000/hooksecretpath
HOOK=http://127.0.0.1:$(cat "$TMP/hook.port")$HOOK_PATH

# A checklist whose check passes or fails by -D code (the server answers with that status); its
# URL carries a secret from the environment.
cat >"$TMP/shop.json" <<'JSON'
{ "format": 1, "id": "shop", "title": "Shop",
  "vars": { "base": "", "code": "200", "token": "{{env.MS_NOTIFY_TOKEN}}" },
  "sections": [ { "id": "s", "checks": [
    { "id": "home", "kind": "http", "title": "Home page answers ({{token}})", "samples": 1,
      "request": { "url": "{{base}}/?status={{code}}&token={{token}}" } } ] } ] }
JSON
posts() { if [ -s "$TMP/posts" ]; then grep -c '' "$TMP/posts"; else echo 0; fi; }
# shop CODE [ARGS...]: a run of the checklist answering CODE.
shop() {
  local code=$1
  shift
  run_ms run --no-input -q -D "base=$B" -D "code=$code" --notify "$HOOK" "$@" "$TMP/shop.json"
}

# 1. change: pass, pass, fail, fail, pass alerts on the first failure and on the fix only.
want=(0 0 1 1 2)
i=0
for code in 200 200 500 500 200; do
  shop $code
  [ "$(posts)" = "${want[$i]}" ] && ok || bad "change, run $((i + 1)) (status $code): $(posts) alerts, expected ${want[$i]}"
  i=$((i + 1))
done
python3 - "$TMP/posts" <<'PY' && ok || bad "the messages: the failure, then the fix"
import json, sys
m = [json.loads(l) for l in open(sys.argv[1])]
assert m[0]["verdict"] == "FAIL" and m[0]["exit_code"] == 1, m[0]
assert "FAIL" in m[0]["text"] and "Home page answers" in m[0]["text"], m[0]["text"]
assert m[0]["failed"] == ["home"] and m[0]["checklists"] == ["shop"], m[0]
assert m[0]["label"] is None and m[0]["started_at"], m[0]
assert isinstance(m[0]["overall"], (int, float)) or m[0]["overall"] is None
assert m[1]["verdict"] == "PASS" and m[1]["exit_code"] == 0 and m[1]["failed"] == [], m[1]
assert "PASS" in m[1]["text"], m[1]["text"]
PY
[ "$(cat "$TMP/ctype")" = application/json ] && ok || bad "the message is posted as application/json"
grep -qF "$MS_NOTIFY_TOKEN" "$TMP/posts" && bad "the secret is in a message" || ok
grep -qF "***" "$TMP/posts" && ok || bad "the secret is shown as *** in the message"

# 2. Labels are series of their own: a first failing run of a new label alerts (no previous
# run counts as a pass), the unlabelled series is not disturbed.
: >"$TMP/posts"
shop 500 --label eu
[ "$(posts)" = 1 ] && ok || bad "a new label's first failing run alerts"
shop 500 --label eu
[ "$(posts)" = 1 ] && ok || bad "the label's second failing run does not alert"
shop 200
[ "$(posts)" = 1 ] && ok || bad "the unlabelled series still passes: no alert"
shop 200 --label us
[ "$(posts)" = 1 ] && ok || bad "a new label's first passing run does not alert"
python3 -c 'import json,sys; m=json.loads(open(sys.argv[1]).readline()); assert m["label"]=="eu" and "(eu)" in m["text"], m' \
  "$TMP/posts" && ok || bad "the message names the label"

# 3. fail alerts every failing run, always every run; --notify-on change needs the history.
: >"$TMP/posts"
shop 500 --notify-on fail --label f
shop 500 --notify-on fail --label f
shop 200 --notify-on fail --label f
[ "$(posts)" = 2 ] && ok || bad "--notify-on fail: $(posts) alerts, expected 2"
: >"$TMP/posts"
shop 200 --notify-on always --no-history
shop 200 --notify-on always --no-history
[ "$(posts)" = 2 ] && ok || bad "--notify-on always: $(posts) alerts, expected 2"
shop 200 --no-history
expect_rc 2 "--notify-on change with --no-history is a usage error"
expect_err "--no-history" "the usage error names --no-history"
run_ms run --no-input -q --notify-on fail "$TMP/shop.json"
expect_rc 2 "--notify-on without --notify"
run_ms run --no-input -q --notify "ftp://127.0.0.1$HOOK_PATH" "$TMP/shop.json"
expect_rc 2 "--notify with a URL that is not http(s)"
grep -qF "$HOOK_PATH" "$TMP/err" && bad "a bad --notify URL is printed" || ok

# 4. A post that fails: exit 3 after everything is written, the JSON report and the history
# say so, and the warning names the scheme and host, never the path.
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
for how in closed 500 hang; do
  rm -f "$TMP/r.json"
  url=$HOOK
  [ $how = closed ] && url=http://127.0.0.1:$closed$HOOK_PATH
  [ $how = closed ] || echo $how >"$TMP/mode"
  t0=$(date +%s)
  timeout 60 "$MS" run --no-input -q -D "base=$B" -D code=500 --label "bad-$how" --notify-on always \
    --notify "$url" --json "$TMP/r.json" "$TMP/shop.json" </dev/null >"$TMP/out" 2>"$TMP/err"
  RC=$?
  t1=$(date +%s)
  expect_rc 3 "a failed post ($how) is exit 3"
  expect_err "warning: --notify http://127.0.0.1:" "the failed post ($how) is a warning naming the host"
  expect_err "the notification could not be sent" "the failed post ($how) says what failed"
  grep -qF "$HOOK_PATH" "$TMP/err" "$TMP/out" "$TMP/r.json" && bad "the webhook's path is printed ($how)" || ok
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); v=r["verdict"]; assert v["exit_code"]==3, v; assert any("notification" in x["text"] for x in v["reasons"]), v' \
    "$TMP/r.json" && ok || bad "the JSON report states exit 3 and why ($how)"
  [ "$(sqlite3 "$MS_HISTORY" "SELECT exit_code FROM runs WHERE label = 'bad-$how'")" = 3 ] \
    && ok || bad "the history records exit 3 ($how)"
  [ $how = hang ] && { [ $((t1 - t0)) -ge 9 ] && [ $((t1 - t0)) -le 20 ] && ok || bad "the hang is cut at 10 s: took $((t1 - t0)) s"; }
done
expect_err "timed out" "the hang says it timed out"
run_ms history --label bad-hang --json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"]; assert [x["verdict"] for x in r] == ["ERROR"], r' \
  "$TMP/out" && ok || bad "history says ERROR of a run that ended with exit 3, as its report does"
echo ok >"$TMP/mode"
# change compares verdicts, not exit codes: after a failed post (exit 3, its verdict failed) the
# next failing run is no change (the failed post's warning and exit 3 said it), and a report
# that cannot be written (exit 3 on every run) never makes every run alert.
: >"$TMP/posts"
shop 500 --label bad-500
expect_rc 1 "the next failing run"
[ "$(posts)" = 0 ] && ok || { cat "$TMP/posts" >&2; bad "a run after a failed post with the same verdict alerts"; }
for code in 200 200 200 500 500; do
  shop $code --label unwritable --json "$TMP/no/such/dir/r.json"
  expect_rc 3 "a run whose report cannot be written ($code)"
done
[ "$(posts)" = 1 ] && ok || bad "a report that cannot be written: $(posts) alerts over pass, pass, pass, fail, fail (1 expected)"

finish
