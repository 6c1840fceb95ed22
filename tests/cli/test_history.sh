#!/usr/bin/env bash
# The history (SQLite): where runs are recorded, what a failure to record does, the history
# command (listings, a check over time, prune, import), the migration of a version-1 database,
# and nothing lost: 20 runs at once all land, 200 runs killed at random moments leave a sound
# database of whole runs. Every database is under $TMP (lib.sh sets MS_HISTORY there).
. "$(dirname "$0")/lib.sh"
start_server web
BASE=http://127.0.0.1:$PORT_web
DB=$TMP/h.db
q() { sqlite3 "$1" "$2"; } # q DB SQL: the result of a query

cat >"$TMP/tiny.json" <<EOF
{ "format": 1, "id": "tiny", "title": "Tiny",
  "vars": { "base": "$BASE" },
  "sections": [ { "id": "s", "checks": [
    { "id": "up", "kind": "http", "samples": 1, "request": { "url": "{{base}}/" },
      "budget": { "total_ms": 5000 } },
    { "id": "asked", "kind": "yesno", "title": "Asked" } ] } ] }
EOF
mkdir -p "$TMP/answers"
echo '{ "format": 1, "answers": { "asked": { "value": "no", "note": "nobody asked" } } }' \
  >"$TMP/answers/a.json"

# 1. Where: --history, MS_HISTORY, $XDG_STATE_HOME, ~/.local/state; --no-history records nothing.
run_ms run --no-input -q --history "$DB" --json "$TMP/r1.json" -a "$TMP/answers/a.json" "$TMP/tiny.json"
expect_rc 1 "a run with --history (the yes/no check fails)"
[ "$(q "$DB" 'SELECT count(*) FROM runs')" = 1 ] && ok || bad "--history: one run recorded"
[ "$(q "$DB" 'PRAGMA journal_mode')" = wal ] && ok || bad "the history is in WAL mode"
[ "$(q "$DB" 'PRAGMA user_version')" = 3 ] && ok || bad "the schema version is 3"
[ "$(q "$DB" "SELECT note FROM answers")" = "nobody asked" ] && ok || bad "the answer's note is kept"
[ "$(q "$DB" "SELECT count(*) FROM samples WHERE total_us > 0 AND status = 200")" = 1 ] && ok || bad "the sample with its phases"
[ "$(q "$DB" "SELECT hash FROM checklists")" = "fnv1a64:$(python3 -c '
import sys
h = 0xcbf29ce484222325
for b in open(sys.argv[1], "rb").read():
    h = ((h ^ b) * 0x100000001b3) % 2**64
print("%016x" % h)' "$TMP/tiny.json")" ] && ok || bad "the checklist's content hash"
q "$DB" "SELECT writefile('$TMP/stored.json', report) FROM reports" >/dev/null
cmp -s "$TMP/stored.json" "$TMP/r1.json" && ok || bad "the stored report is the JSON report"
rm -f "$TMP/stored.json"
[ "$(q "$DB" "SELECT exit_code || ' ' || passed || ' ' || (host IS NOT NULL) || ' ' || json_extract(options, '$.fail_on') FROM runs")" = "1 0 1 any" ] \
  && ok || bad "the run's exit code, verdict, host and options"

MS_HISTORY=$TMP/env.db run_ms run --no-input -q "$TMP/tiny.json"
[ "$(q "$TMP/env.db" 'SELECT count(*) FROM runs')" = 1 ] && ok || bad "MS_HISTORY names the history"
mkdir -p "$TMP/home"
env -u MS_HISTORY -u XDG_STATE_HOME HOME="$TMP/home" "$MS" run --no-input -q "$TMP/tiny.json" </dev/null >/dev/null 2>&1
[ "$(q "$TMP/home/.local/state/mystery-shopper/history.db" 'SELECT count(*) FROM runs')" = 1 ] && ok || bad "the default is ~/.local/state/mystery-shopper/history.db"
[ "$(stat -c %a "$TMP/home/.local/state/mystery-shopper")" = 700 ] && ok || bad "the history's directory is private"
env -u MS_HISTORY HOME="$TMP/home" XDG_STATE_HOME="$TMP/xdg" "$MS" run --no-input -q "$TMP/tiny.json" </dev/null >/dev/null 2>&1
[ "$(q "$TMP/xdg/mystery-shopper/history.db" 'SELECT count(*) FROM runs')" = 1 ] && ok || bad "XDG_STATE_HOME is honoured"
env -u MS_HISTORY HOME="$TMP/home" XDG_STATE_HOME="relative" "$MS" run --no-input -q "$TMP/tiny.json" </dev/null >/dev/null 2>&1
[ "$(q "$TMP/home/.local/state/mystery-shopper/history.db" 'SELECT count(*) FROM runs')" = 2 ] && [ ! -e relative ] \
  && ok || bad "a relative XDG_STATE_HOME is ignored, as the XDG specification says"
# A checklist that cannot be read twice (a FIFO, <(...)) has no content hash: the run must not wait
# for a second writer to hash it, also when it was interrupted.
mkfifo "$TMP/tiny.fifo"
cat "$TMP/tiny.json" >"$TMP/tiny.fifo" &
timeout 20 "$MS" run --no-input -q --history "$TMP/fifo.db" "$TMP/tiny.fifo" </dev/null >"$TMP/out" 2>"$TMP/err"
RC=$?
[ "$RC" -ne 124 ] && ok || bad "a run of a FIFO checklist hangs when recorded"
[ "$(q "$TMP/fifo.db" "SELECT count(*) FROM checklists WHERE hash IS NULL")" = 1 ] && ok || bad "a FIFO checklist has no hash"
run_ms run --no-input -q --no-history --history "$TMP/none.db" "$TMP/tiny.json"
[ ! -e "$TMP/none.db" ] && ok || bad "--no-history records nothing"
run_ms run --no-input -q --history "$TMP" "$TMP/tiny.json"
expect_rc 2 "--history naming a directory is a usage error"
expect_err "is a directory" "--history naming a directory says so"

# 2. A history that cannot be written: a warning by default, exit 3 when named (after the reports).
mkdir -p "$TMP/blocked" && : >"$TMP/blocked/.local"
env -u MS_HISTORY -u XDG_STATE_HOME HOME="$TMP/blocked" "$MS" run --no-input -q \
  -a "$TMP/answers/a.json" --json "$TMP/blocked-report.json" "$TMP/tiny.json" </dev/null >"$TMP/out" 2>"$TMP/err"
RC=$?
expect_rc 1 "an unwritable default history does not change the exit code"
expect_err "warning: history $TMP/blocked/.local/state/mystery-shopper/history.db: the run could not be recorded" "the unwritable default is a warning"
: >"$TMP/afile"
for how in option env; do
  rm -f "$TMP/named-report.json"
  if [ $how = option ]; then
    run_ms run --no-input -q --history "$TMP/afile/h.db" --json "$TMP/named-report.json" "$TMP/tiny.json"
  else
    MS_HISTORY=$TMP/afile/h.db run_ms run --no-input -q --json "$TMP/named-report.json" "$TMP/tiny.json"
  fi
  expect_rc 3 "a named history ($how) that cannot be written"
  expect_err "error: history $TMP/afile/h.db: the run could not be recorded" "a named history ($how): the error"
  [ -s "$TMP/named-report.json" ] && ok || bad "a named history ($how): the reports are written first"
done
# ... and the report files say so: the exit code the run ends with, and why.
json_check "$TMP/named-report.json" '
d["verdict"]["exit_code"] == 3
d["verdict"]["reasons"][-1]["text"] == "the run could not be recorded in the history"
'
# The history holds the verdict the reports state: a stdout that cannot be written (exit 3)
# comes before the run is recorded.
"$MS" run --no-input --history "$TMP/full.db" --json "$TMP/full-report.json" "$TMP/tiny.json" \
  </dev/null >/dev/full 2>"$TMP/err"
RC=$?
expect_rc 3 "a run whose stdout cannot be written"
run_ms history --history "$TMP/full.db" --json
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["runs"]
rep = json.load(open(sys.argv[2]))
assert rep["verdict"]["exit_code"] == 3, rep["verdict"]
assert len(r) == 1 and r[0]["exit_code"] == 3, r
' "$TMP/out" "$TMP/full-report.json" && ok || bad "the history says the exit code of a run whose stdout could not be written"
# An interrupted run stays interrupted (130 before 3), and still says why it was not recorded.
cat >"$TMP/hang.json" <<JSON
{ "format": 1, "id": "hang", "sections": [ { "id": "s", "checks": [
  { "id": "stuck", "kind": "http", "timeout_ms": 30000, "request": { "url": "$BASE/hang" } } ] } ] }
JSON
"$MS" run --no-input -q --history "$TMP/afile/h.db" --json "$TMP/hang-report.json" "$TMP/hang.json" </dev/null >"$TMP/out" 2>"$TMP/err" &
pid=$!
sleep 1
kill -s TERM "$pid"
wait "$pid"
RC=$?
expect_rc 130 "an interrupted run with a named history that cannot be written"
expect_err "error: history $TMP/afile/h.db: the run could not be recorded" "an interrupted run: the history's error"
[ -s "$TMP/hang-report.json" ] && ok || bad "an interrupted run: the report is written"
q "$TMP/newer.db" "PRAGMA user_version = 99"
run_ms run --no-input -q --history "$TMP/newer.db" "$TMP/tiny.json"
expect_rc 3 "a history of a newer schema version"
expect_err "schema version 99 is newer than this mystery-shopper knows (3)" "a newer history: why"
run_ms history --history "$TMP/newer.db"
expect_rc 3 "history on a newer schema version"

# 3. The history command.
H=$TMP/list.db
for label in prod prod staging; do
  run_ms run --no-input -q --history "$H" --label $label -a "$TMP/answers/a.json" "$TMP/tiny.json"
done
run_ms run --no-input -q --history "$H" --label prod -D base=http://127.0.0.1:1 "$TMP/tiny.json"
run_ms history --history "$H"
expect_rc 0 "history"
[ "$(grep -c '' "$TMP/out")" = 5 ] && ok || bad "history: a header and four runs"
[ "$(sed -n 2p "$TMP/out" | awk '{print $1, $3, $5}')" = "4 prod FAIL" ] && ok || bad "history: newest first, with label and verdict"
expect_out "1: up" "history: the failed checks (the unanswered one is not failed)"
sed -n 3p "$TMP/out" | grep -q "1: asked$" && ok || bad "history: a run's failed checks"
# A run with many failed checks and a long label still fits the width (COLUMNS, else 80).
python3 -c '
import json
checks = [{"id": "unreachable-check-%d" % i, "kind": "http", "samples": 1,
           "request": {"url": "http://127.0.0.1:1/"}} for i in range(12)]
print(json.dumps({"format": 1, "id": "many", "sections": [{"id": "s", "checks": checks}]}))
' >"$TMP/many.json"
run_ms run --no-input -q --history "$TMP/wide.db" --label a-rather-long-label-for-a-column "$TMP/many.json"
for cols in 80 120; do
  COLUMNS=$cols run_ms history --history "$TMP/wide.db"
  python3 -c '
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) == 2 and all(len(l) <= int(sys.argv[2]) for l in lines), lines
assert lines[1].endswith(sys.argv[3]), lines
' "$TMP/out" $cols "$([ $cols = 80 ] && echo " 12: …" || echo "-0, …")" && ok || bad "history fits $cols columns"
done
COLUMNS=1000 run_ms history --history "$TMP/wide.db"
expect_out "unreachable-check-10, unreachable-check-11" "history: all the failed checks when they fit"
# history --check of more runs than the width: the sparkline shows the newest that fit.
for _ in $(seq 84); do
  "$MS" run --no-input -q --history "$TMP/wide.db" --only unreachable-check-0 "$TMP/many.json" </dev/null >/dev/null 2>&1
done
COLUMNS=80 run_ms history --history "$TMP/wide.db" --check unreachable-check-0
expect_out "unreachable-check-0: median total ms, 85 runs, oldest first" "history --check: every run counted"
python3 -c '
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines[1]) == 80 and lines[2] == "  (the sparkline shows the last 78 runs)", lines[:3]
assert all(len(l) <= 80 for l in lines), [l for l in lines if len(l) > 80]
' "$TMP/out" && ok || bad "history --check: the sparkline fits 80 columns"
run_ms history --history "$H" --label staging --json
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
r = d["runs"]
assert len(r) == 1 and r[0]["label"] == "staging" and r[0]["id"] == 3, r
assert r[0]["checklists"] == ["tiny"] and r[0]["failed"] == ["asked"] and r[0]["verdict"] == "FAIL"
assert r[0]["exit_code"] == 1 and r[0]["passed"] is False and r[0]["overall"] > 0, r
' "$TMP/out" && ok || bad "history --label --json"
for args in "--last 2:2" "--checklist tiny:4" "--checklist other:0" "--since 2000-01-01:4" \
  "--since 2999-01-01T00:00:00Z:0" "--since 1000d:4" "--label prod --last 1:1"; do
  run_ms history --history "$H" --json ${args%:*}
  n=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["runs"]))' "$TMP/out")
  [ "$n" = "${args##*:}" ] && ok || bad "history ${args%:*}: $n runs, expected ${args##*:}"
done
for args in "--since yesterday" "--since 2026-13-01" "--last 0" "prune" "prune --older-than 90" \
  "prune --older-than 90d --label x" "import" "--check" "extra.json"; do
  run_ms history --history "$H" $args
  expect_rc 2 "history $args is a usage error"
done
run_ms history --history "$H" --check up
expect_rc 0 "history --check"
expect_out "up: median total ms, 4 runs, oldest first" "history --check: what it follows"
sed -n 2p "$TMP/out" | grep -qE '^  [▁▂▃▄▅▆▇█]{3}·$' && ok || bad "history --check: a sparkline, a dot for the run without a figure"
expect_out "run 4 at" "history --check: the change of state"
expect_out "pass -> fail" "history --check: from pass to fail"
run_ms history --history "$H" --check upp
expect_rc 2 "history --check of a check no run has is a usage error"
expect_err "no recorded run has a check upp (did you mean up?)" "history --check: did you mean"
run_ms history --history "$H" --check up --label nosuchlabel
expect_rc 0 "history --check: a known check the filters leave out is an answer, not an error"
expect_err "no run that matches has a check up" "history --check: says the filters left it out"
run_ms history --history "$H" --check asked --json
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
r = d["runs"]
assert d["check"] == "asked" and [x["status"] for x in r] == ["fail"] * 3 + ["unanswered"], r
assert [x["value"] for x in r] == [0, 0, 0, None] and r[0]["measure"] == "yes/no", r
assert [x["changed"] for x in r] == [False, False, False, True], r
' "$TMP/out" && ok || bad "history --check --json"
run_ms history --history "$TMP/missing.db"
expect_rc 0 "history without a database yet"
expect_err "no runs recorded yet in $TMP/missing.db" "history without a database says so"
[ ! -e "$TMP/missing.db" ] && ok || bad "history makes no database"

# prune: a run made old by hand goes, with all it has; the others stay.
q "$H" "UPDATE runs SET started_unix = 86400, started_at = '1970-01-02T00:00:00+00:00' WHERE id = 1"
run_ms history prune --history "$H" --older-than 90d
expect_rc 0 "history prune"
expect_out "removed 1 run older than 90d" "history prune says how many"
[ "$(q "$H" 'SELECT group_concat(id) FROM runs')" = "2,3,4" ] && ok || bad "prune removed the old run only"
[ "$(q "$H" 'SELECT count(*) FROM checks WHERE run_id = 1') $(q "$H" 'SELECT count(*) FROM samples WHERE run_id = 1') $(q "$H" 'SELECT count(*) FROM reports WHERE run_id = 1')" = "0 0 0" ] \
  && ok || bad "prune removed all the old run had"

# import: reports made elsewhere, each once; a bad one imports nothing.
I=$TMP/import.db
run_ms run --no-input -q --no-history --json "$TMP/r2.json" -a "$TMP/answers/a.json" "$TMP/tiny.json"
run_ms history import --history "$I" "$TMP/r1.json" "$TMP/r2.json"
expect_rc 0 "history import"
expect_out "$TMP/r2.json: recorded as run 2" "history import names the run"
[ "$(q "$I" "SELECT count(*) FROM runs WHERE source = 'import'") $(q "$I" 'SELECT count(*) FROM checks')" = "2 4" ] \
  && ok || bad "history import records the runs and their checks"
q "$I" "SELECT writefile('$TMP/stored.json', report) FROM reports WHERE run_id = 2" >/dev/null
cmp -s "$TMP/stored.json" "$TMP/r2.json" && ok || bad "an imported report is kept as it was"
rm -f "$TMP/stored.json"
run_ms history import --history "$I" "$TMP/r2.json"
expect_out "already recorded as run 2" "importing a report twice records it once"
mkdir -p "$TMP/crafted"
echo '{ "format": 3, "tool": { "name": "mystery-shopper" } }' >"$TMP/crafted/bad.json"
run_ms history import --history "$I" "$TMP/r1.json" "$TMP/crafted/bad.json" "$TMP/nothere.json"
expect_rc 2 "history import of a report it cannot read"
expect_err "$TMP/crafted/bad.json:" "history import: the bad report's problem"
expect_err "$TMP/nothere.json:" "history import: the missing report"
expect_err "nothing was imported" "history import: nothing imported"
[ "$(q "$I" 'SELECT count(*) FROM runs')" = 2 ] && ok || bad "a failed import records nothing"

# A report from elsewhere is the user's text: an id with a quote and an escape sequence is valid
# JSON in history --json and harmless on a terminal in history.
python3 - "$TMP/r1.json" "$TMP/crafted/odd.json" <<'PY'
import sys
t = open(sys.argv[1], encoding="utf-8").read()
t = t.replace('"id":\t"asked"', '"id":\t"as\\"ked\\u001b[2J"')
t = t.replace('"check":\t"asked"', '"check":\t"as\\"ked\\u001b[2J"')
t = t.replace('"checks":\t["asked"]', '"checks":\t["as\\"ked\\u001b[2J"]')  # its fix names it
open(sys.argv[2], "w", encoding="utf-8").write(t)
PY
grep -q 'u001b' "$TMP/crafted/odd.json" && ok || bad "the odd report was not made"
run_ms history import --history "$TMP/odd.db" "$TMP/crafted/odd.json"
expect_rc 0 "history import of a report with an odd id"
run_ms history --history "$TMP/odd.db" --json
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["runs"]
assert r[0]["failed"] == ["as\"ked\u001b[2J"], r
' "$TMP/out" && ok || bad "history --json: an odd id is escaped"
run_ms history --history "$TMP/odd.db"
expect_out 'as"ked [2J' "history: an odd id is shown cleaned"
expect_no_controls "history: an odd id" "$TMP/out"

# 4. A version-1 database, built here with SQL, migrates to the current version with its data.
V1=$TMP/v1.db
sqlite3 "$V1" <<'SQL'
CREATE TABLE runs (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT,
 duration_us INTEGER NOT NULL, tool_version TEXT, libcurl TEXT, label TEXT, auditor TEXT,
 host TEXT, source TEXT NOT NULL, answers_file TEXT, visited_at TEXT, options TEXT,
 samples INTEGER, parallel INTEGER NOT NULL, per_host INTEGER NOT NULL,
 insecure INTEGER NOT NULL, interrupted INTEGER NOT NULL, overall REAL, product REAL,
 people REAL, convenience REAL, external REAL, internal REAL, passed INTEGER NOT NULL,
 reason TEXT, incomplete INTEGER NOT NULL, exit_code INTEGER NOT NULL,
 nchecks INTEGER NOT NULL, report TEXT NOT NULL);
CREATE TABLE checklists (run_id INTEGER NOT NULL, pos INTEGER NOT NULL, id TEXT NOT NULL,
 title TEXT, path TEXT, hash TEXT, PRIMARY KEY (run_id, pos));
CREATE TABLE checks (run_id INTEGER NOT NULL, pos INTEGER NOT NULL, checklist TEXT NOT NULL,
 section TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, factor TEXT NOT NULL,
 critical INTEGER NOT NULL, status TEXT NOT NULL, score REAL, stat TEXT, judged_phase TEXT,
 measure TEXT, value REAL, evidence TEXT, PRIMARY KEY (run_id, pos));
CREATE TABLE stats (run_id INTEGER NOT NULL, check_pos INTEGER NOT NULL, phase TEXT NOT NULL,
 n INTEGER NOT NULL, min_us INTEGER, median_us INTEGER, p90_us INTEGER, p95_us INTEGER,
 max_us INTEGER, mean_us INTEGER, budget_us INTEGER, PRIMARY KEY (run_id, check_pos, phase));
CREATE TABLE samples (run_id INTEGER NOT NULL, check_pos INTEGER NOT NULL, idx INTEGER NOT NULL,
 ok INTEGER NOT NULL, error TEXT, status INTEGER NOT NULL, http_version TEXT, remote_ip TEXT,
 remote_port INTEGER, redirects INTEGER, connects INTEGER, bytes INTEGER, body_cut INTEGER,
 completed INTEGER NOT NULL, dns_us INTEGER, connect_us INTEGER, tls_us INTEGER,
 server_us INTEGER, transfer_us INTEGER, ttfb_us INTEGER, total_us INTEGER,
 redirect_us INTEGER, elapsed_us INTEGER NOT NULL, PRIMARY KEY (run_id, check_pos, idx));
CREATE TABLE answers (run_id INTEGER NOT NULL, check_pos INTEGER NOT NULL, na INTEGER NOT NULL,
 value REAL, elapsed_us INTEGER, note TEXT, at TEXT, PRIMARY KEY (run_id, check_pos));
INSERT INTO runs VALUES (1, '2026-11-20T09:30:00+07:00', NULL, 0, '0.1.0', NULL, 'old', NULL,
 NULL, 'run', NULL, NULL, NULL, NULL, 4, 2, 0, 0, 50, NULL, NULL, NULL, NULL, NULL, 0,
 '1 check failed', 0, 1, 1, '{}');
INSERT INTO checklists VALUES (1, 0, 'tiny', 'Tiny', 'tiny.json', NULL);
INSERT INTO checks VALUES (1, 0, 'tiny', 's', 'up', 'http', 'product', 0, 'fail', 0.5,
 'median', 'total', 'median total ms', 30.5, 'slow');
PRAGMA user_version = 1;
SQL
run_ms history --history "$V1"
expect_rc 0 "history on a version-1 database"
expect_out "2026-11-20T09:30:00+07:00  old" "the version-1 run is listed"
[ "$(q "$V1" 'PRAGMA user_version') $(q "$V1" 'SELECT started_unix FROM runs')" = "3 1795141800" ] \
  && ok || bad "migrated to version 3, the new column filled from the old data"
# version 3: the report moved to a table of its own, as it was (a BLOB of the same bytes)
[ "$(q "$V1" "SELECT typeof(report) || ' ' || CAST(report AS TEXT) FROM reports WHERE run_id = 1")" = "blob {}" ] \
  && [ "$(q "$V1" "SELECT count(*) FROM pragma_table_info('runs') WHERE name = 'report'")" = 0 ] \
  && ok || bad "migrated to version 3: the report is in reports, and runs has no report column"
[ "$(q "$V1" "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ('runs_started', 'checks_id', 'checklists_id')") $(q "$V1" 'PRAGMA integrity_check')" = "3 ok" ] \
  && ok || bad "migrated to version 3: the indexes kept, the database sound"
run_ms run --no-input -q --history "$V1" --label old "$TMP/tiny.json"
run_ms history --history "$V1" --check up --json
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["runs"]
assert [x["id"] for x in r] == [1, 2] and r[0]["value"] == 30.5 and r[0]["status"] == "fail", r
' "$TMP/out" && ok || bad "the migrated database takes new runs beside the old one"
[ "$(q "$V1" 'PRAGMA integrity_check')" = ok ] && ok || bad "the migrated database is sound"

# 5. Nothing lost. 20 runs started at once against one new database all land.
C=$TMP/concurrent.db
pids=()
for i in $(seq 20); do
  "$MS" run --no-input -q --history "$C" --label "c$i" "$TMP/tiny.json" </dev/null >/dev/null 2>"$TMP/c$i.err" &
  pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p"; [ $? -eq 0 ] || failed=$((failed + 1)); done
[ "$failed" = 0 ] && ok || bad "20 runs at once: $failed did not exit 0: $(cat "$TMP"/c*.err | head -5)"
[ "$(q "$C" 'SELECT count(DISTINCT label) FROM runs')" = 20 ] && ok || bad "20 runs at once: $(q "$C" 'SELECT count(*) FROM runs') rows, expected 20"

# 200 runs killed with kill -9 at random moments, from before they start to after they end:
# the database stays sound and holds whole runs only. The delays span about four times one run;
# the first two runs (not killed) make the database and time one run.
K=$TMP/killed.db
"$MS" run --no-input -q --history "$K" "$TMP/tiny.json" </dev/null >/dev/null 2>&1
t0=$(date +%s%N)
"$MS" run --no-input -q --history "$K" "$TMP/tiny.json" </dev/null >/dev/null 2>&1
span=$((($(date +%s%N) - t0) / 250000)) # four times one run, in ms: four lanes share the CPUs
[ "$span" -ge 4 ] || span=4
[ "$span" -le 400 ] || span=400
kill_lane() { # 50 runs, each killed after a random delay
  local i p d
  for i in $(seq 50); do
    "$MS" run --no-input -q --history "$K" "$TMP/tiny.json" </dev/null >/dev/null 2>&1 &
    p=$!
    d=$((RANDOM % span))
    sleep "$(printf '0.%03d' "$d")"
    kill -9 "$p" 2>/dev/null
    wait "$p" 2>/dev/null
  done
}
# four lanes at once, so that kills also land while another run holds the write lock
lanes=()
for lane in 1 2 3 4; do kill_lane & lanes+=($!); done
for p in "${lanes[@]}"; do wait "$p"; done
[ "$(q "$K" 'PRAGMA integrity_check')" = ok ] && ok || bad "after 200 kill -9: integrity_check"
[ "$(q "$K" 'SELECT count(*) FROM runs r WHERE nchecks != (SELECT count(*) FROM checks k WHERE k.run_id = r.id)')" = 0 ] \
  && ok || bad "after 200 kill -9: a run without all its checks"
[ "$(q "$K" "SELECT count(*) FROM checks k WHERE kind = 'http' AND (SELECT count(*) FROM samples s WHERE s.run_id = k.run_id AND s.check_pos = k.pos) != 1")" = 0 ] \
  && ok || bad "after 200 kill -9: an http check without its sample"
[ "$(q "$K" "SELECT count(*) FROM runs LEFT JOIN reports ON run_id = id WHERE report IS NULL OR NOT json_valid(CAST(report AS TEXT)) OR (SELECT count(*) FROM checklists l WHERE l.run_id = runs.id) != 1")" = 0 ] \
  && ok || bad "after 200 kill -9: a run without its report or checklist"
[ "$(q "$K" 'SELECT count(*) FROM checks WHERE run_id NOT IN (SELECT id FROM runs)')" = 0 ] \
  && ok || bad "after 200 kill -9: checks of no run"
n=$(q "$K" 'SELECT count(*) FROM runs')
echo "200 runs killed at random: $((n - 2)) of them recorded before the kill" >&2
run_ms run --no-input -q --history "$K" "$TMP/tiny.json"
[ "$(q "$K" 'SELECT count(*) FROM runs')" = $((n + 1)) ] && ok || bad "after 200 kill -9 the history still takes runs"
# history --json is UTF-8 whatever bytes a label held (--label comes from the command line).
run_ms run --no-input -q --history "$TMP/bytes.db" --label $'lab\xffel' "$TMP/tiny.json"
run_ms history --history "$TMP/bytes.db" --json
python3 -c '
import json, sys
r = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))["runs"]
assert r[0]["label"] == "lab\ufffdel", r[0]["label"]
' "$TMP/out" && ok || bad "history --json: a label of invalid UTF-8 is written as valid UTF-8"

# SQLite is loaded when the history is first opened (src/store/sqlite_dl.c): the binary does not
# link it, the commands that leave the history alone do not load it, and one that cannot load it
# says why: a warning for the default history, an error for a named one, the reports written.
readelf -d "$MS" 2>/dev/null | grep -q "NEEDED.*libsqlite" && bad "the binary links SQLite" || ok
run_ms run --no-input -q --json "$TMP/nosql-ver.json" -a "$TMP/answers/a.json" "$TMP/tiny.json"
for cmd in "validate $TMP/tiny.json" "list $TMP/tiny.json" "report $TMP/nosql-ver.json" \
  "compare $TMP/nosql-ver.json $TMP/nosql-ver.json" \
  "run --no-input -q --no-history -a $TMP/answers/a.json $TMP/tiny.json"; do
  # (report reads a history that exists, for its "failing since": this one does not)
  MS_HISTORY=$TMP/none.db LD_DEBUG=files $MS $cmd >/dev/null 2>"$TMP/ld-cmd.txt" </dev/null
  rc=$? # a command that failed early proves nothing about what it loads (run: the check fails)
  case "$cmd" in run*) [ "$rc" -eq 1 ] ;; *) [ "$rc" -eq 0 ] ;; esac || bad "$cmd: exit $rc under LD_DEBUG"
  grep -q "file=libsqlite3" "$TMP/ld-cmd.txt" && bad "$cmd loads SQLite" || ok
done
LD_DEBUG=files $MS run --no-input -q --history "$TMP/ld.db" "$TMP/tiny.json" >/dev/null 2>"$TMP/ld-cmd.txt" </dev/null
grep -q "file=libsqlite3" "$TMP/ld-cmd.txt" && ok || bad "a run with a history did not load SQLite"
[ "$(q "$TMP/ld.db" 'SELECT count(*) FROM runs')" = 1 ] && ok || bad "the run loaded SQLite and was recorded"
NOSQL=/nonexistent/libsqlite3.so.0
mkdir -p "$TMP/nosql-home"
env -u MS_HISTORY -u XDG_STATE_HOME HOME="$TMP/nosql-home" MS_LIBSQLITE=$NOSQL "$MS" run --no-input -q \
  --json "$TMP/nosql.json" -a "$TMP/answers/a.json" "$TMP/tiny.json" </dev/null >"$TMP/out" 2>"$TMP/err"
RC=$?
expect_rc 1 "the default history without SQLite: the run's own exit code"
expect_err "warning: history $TMP/nosql-home/.local/state/mystery-shopper/history.db: the run could not be recorded: cannot load SQLite: $NOSQL: cannot open shared object file" "the default history without SQLite: a warning that says why"
[ -s "$TMP/nosql.json" ] && ok || bad "the default history without SQLite: the report is written"
[ ! -e "$TMP/nosql-home/.local" ] && ok || bad "the default history without SQLite: its directory was made for nothing"
# report of a file with a history there: one warning, that the history cannot be read (not also
# that the run is not in it); report and compare of a run in the history, and a baseline from it,
# stop.
MS_HISTORY=$DB MS_LIBSQLITE=$NOSQL run_ms report "$TMP/nosql.json"
expect_rc 0 "report of a file without SQLite"
expect_err "warning: history $DB: cannot be read: cannot load SQLite: $NOSQL" "report of a file without SQLite: why the history is not read"
expect_no "is not in the history" "$TMP/err"
for cmd in "report @last" "compare @last $TMP/nosql.json"; do
  MS_HISTORY=$DB MS_LIBSQLITE=$NOSQL run_ms $cmd
  expect_rc 3 "$cmd without SQLite"
  expect_err "cannot load SQLite: $NOSQL" "$cmd without SQLite says why"
done
MS_HISTORY=$DB MS_LIBSQLITE=$NOSQL run_ms run --no-input -q --no-history --baseline @last "$TMP/tiny.json"
expect_rc 2 "run --baseline @last without SQLite"
expect_err "cannot load SQLite: $NOSQL" "run --baseline @last without SQLite says why"
MS_LIBSQLITE=$NOSQL run_ms history prune --older-than 1d --history "$DB"
expect_rc 3 "history prune without SQLite"
expect_err "history $DB: cannot load SQLite: $NOSQL" "history prune without SQLite says why"
env -u MS_HISTORY -u XDG_STATE_HOME HOME="$TMP/nosql-home" MS_LIBSQLITE=$NOSQL "$MS" history import \
  "$TMP/nosql.json" </dev/null >"$TMP/out" 2>"$TMP/err"
RC=$?
expect_rc 3 "history import into the default history without SQLite"
expect_err "cannot load SQLite: $NOSQL" "history import without SQLite says why"
[ ! -e "$TMP/nosql-home/.local" ] && ok || bad "history import without SQLite: the history's directory was made for nothing"
rm -f "$TMP/nosql.json"
MS_LIBSQLITE=$NOSQL run_ms run --no-input -q --history "$TMP/nosql.db" --json "$TMP/nosql.json" "$TMP/tiny.json"
expect_rc 3 "a named history without SQLite"
expect_err "error: history $TMP/nosql.db: the run could not be recorded: cannot load SQLite: $NOSQL" "a named history without SQLite: the error"
[ -s "$TMP/nosql.json" ] && [ ! -e "$TMP/nosql.db" ] && ok || bad "a named history without SQLite: the report written, no database"
MS_LIBSQLITE=$NOSQL run_ms history --history "$DB"
expect_rc 3 "history without SQLite"
expect_err "history $DB: cannot load SQLite: $NOSQL" "history without SQLite says why"
MS_LIBSQLITE=$NOSQL run_ms history --history "$DB" --since 2026-11-20
expect_rc 3 "history --since DATE without SQLite"
expect_err "--since: cannot load SQLite, which reads the date: $NOSQL" "--since says why, not that the date is wrong"
MS_LIBSQLITE=libm.so.6 run_ms history --history "$DB"
expect_rc 3 "history with a library that is not SQLite"
expect_err "libm.so.6: it has no sqlite3_open_v2" "names what is missing"
MS_LIBSQLITE=$NOSQL run_ms validate "$TMP/tiny.json"
expect_rc 0 "validate needs no SQLite"

finish
