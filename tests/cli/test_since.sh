#!/usr/bin/env bash
# The text report of a run with history: each failed check says how long it has been failing
# ("failing since HH:MM, N runs", the date when not today), and the scores a trend of the overall
# score over the last runs; nothing of it without earlier runs; within 80 columns.
. "$(dirname "$0")/lib.sh"
start_server web
B=http://127.0.0.1:$PORT_web
export MS_HISTORY=$TMP/h.db
cat >"$TMP/shop.json" <<'JSON'
{ "format": 1, "id": "shop", "title": "Shop",
  "vars": { "base": "", "code": "200" },
  "sections": [ { "id": "s", "checks": [
    { "id": "home", "kind": "http", "title": "Home page answers", "samples": 1,
      "request": { "url": "{{base}}/?status={{code}}" } },
    { "id": "api", "kind": "http", "title": "API answers", "samples": 1,
      "request": { "url": "{{base}}/api/health" } } ] } ] }
JSON
shop() { # shop CODE [ARGS...]: a run with the text report at 80 columns
  local code=$1
  shift
  COLUMNS=80 run_ms run --no-input -D "base=$B" -D "code=$code" "$@" "$TMP/shop.json"
}

shop 500
expect_rc 1 "a first failing run"
grep -q "failing since" "$TMP/out" && bad "a first run says 'failing since'" || ok
grep -q "trend" "$TMP/out" && bad "a first run shows a trend" || ok
shop 200
shop 500
expect_out "failing since this run" "a check that passed in the run before fails since this run"
shop 500
shop 500
shop 500
expect_rc 1 "the fourth failing run in a row"
grep -qE "failing since [0-2][0-9]:[0-5][0-9], 4 runs" "$TMP/out" && ok || bad "failing since HH:MM, 4 runs"
expect_out "trend        50.00 " "the trend begins with the oldest run's score"
expect_out "50.00 (the last 6 runs)" "the trend ends with this run's score and counts the runs"
python3 - "$TMP/out" <<'PY' && ok || bad "the trend's sparkline: 6 bars, the pass highest"
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"trend +50\.00 (\S+) 50\.00", t)
assert m and len(m.group(1)) == 6 and m.group(1)[1] == "█" and m.group(1)[0] == "▁", m
PY
grep -c "failing since" "$TMP/out" | grep -qx 1 && ok || bad "only the failed check says how long"
expect_fits 80
# A label is a series of its own; --json - (no text report) still works.
shop 500 --label other
grep -q "failing since\|trend" "$TMP/out" && bad "another label's first run shows the series" || ok

# A streak that began on another day shows the date: an earlier failing run imported with an
# old start, then the streak (since the pass) continues from it.
rm -f "$MS_HISTORY"
shop 500 --no-history --json "$TMP/old.json"
# (edited in place, so that the file stays as the writer made it but for the time)
sed -i -E '0,/"started_at":[[:space:]]*"[^"]*"/s//"started_at":\t"2020-01-02T09:05:00+00:00"/' "$TMP/old.json"
grep -q '"2020-01-02T09:05:00+00:00"' "$TMP/old.json" && ok || bad "the old report's start is edited"
run_ms history import "$TMP/old.json"
expect_rc 0 "the old run is imported"
shop 500
expect_out "failing since 2020-01-02, 2 runs" "a streak from another day shows the date"
expect_fits 80

# Many failed checks with earlier runs: each run says how long each has failed, in linear time
# (the timeout is a hang guard).
python3 - "$TMP" <<'PY'
import json, sys
n = 20000
json.dump({"format": 1, "id": "many", "sections": [{"id": "s", "checks": [
    {"id": "c%d" % i, "kind": "yesno"} for i in range(n)]}]}, open(sys.argv[1] + "/many.json", "w"))
json.dump({"format": 1, "answers": {"c%d" % i: {"value": "no"} for i in range(n)}},
          open(sys.argv[1] + "/many-answers.json", "w"))
PY
for i in 1 2 3; do
  timeout 60 "$MS" run --no-input -a "$TMP/many-answers.json" "$TMP/many.json" </dev/null >"$TMP/out" 2>"$TMP/err"
  RC=$?
done
expect_rc 1 "the third run of 20,000 failing checks"
[ "$(grep -c 'failing since [0-2][0-9]:[0-5][0-9], 3 runs' "$TMP/out")" = 20000 ] && ok || bad "each of 20,000 failed checks says how long"

# A streak longer than the runs the history is read for (100): the report does not make up a
# start, it says "since before" the oldest it read and "more than 100 runs".
export MS_HISTORY=$TMP/long.db
cat >"$TMP/one.json" <<'JSON'
{ "format": 1, "id": "one", "sections": [ { "id": "s", "checks": [ { "id": "q", "kind": "yesno" } ] } ] }
JSON
echo '{ "format": 1, "answers": { "q": { "value": "no" } } }' >"$TMP/one-answers.json"
for i in $(seq 101); do
  "$MS" run --no-input -q -a "$TMP/one-answers.json" "$TMP/one.json" </dev/null >/dev/null 2>&1
done
run_ms run --no-input -a "$TMP/one-answers.json" "$TMP/one.json"
expect_rc 1 "the 102nd failing run"
grep -qE 'failing since before [0-2][0-9]:[0-5][0-9], more than 100 runs' "$TMP/out" && ok ||
  bad "a streak longer than what was read says more than 100 runs"
finish
