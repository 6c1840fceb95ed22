#!/usr/bin/env bash
# The README's own commands, run as written: the hand audit, the cron line and the CI line
# (tests/cli/readme_blocks.py extracts each block by its <!-- readme-test: NAME --> marker)
# against a checklist init made for the loopback test server. Only what must change is
# substituted, and each substitution must apply: the tool under test for `mystery-shopper` and
# `build/mystery-shopper`, the test server for https://shop.example, $TMP for /var/lib/shop/ and
# the textfile collector's /var/lib/prometheus/node-exporter/, a real Pushgateway on a free
# loopback port for http://127.0.0.1:9091, and `true` for scripts/build (ctest built the tool already). Every ```sh and ```cron block has
# a marker, so a new one is either run here (or by the install tests) or says why not.
. "$(dirname "$0")/lib.sh"
README=$SRC/README.md
BLOCKS=$SRC/tests/cli/readme_blocks.py
start_server web
B="http://127.0.0.1:$PORT_web"
# The cron line's webhook: a receiver on loopback (tests/cli/test_notify.sh tests the alerts).
echo ok >"$TMP/mode"
python3 "$SRC/tests/tools/webhook.py" "$TMP" 2>"$TMP/webhook.log" &
PIDS+=($!)
for _ in $(seq 100); do
  [ -s "$TMP/hook.port" ] && break
  sleep 0.05
done
[ -s "$TMP/hook.port" ] || { echo "the webhook receiver did not start" >&2; exit 1; }
HOOK=http://127.0.0.1:$(cat "$TMP/hook.port")
export MS
# The reports block's Pushgateway: Debian's prometheus-pushgateway (scripts/install-deps --test).
PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
prometheus-pushgateway --web.listen-address="127.0.0.1:$PG_PORT" >"$TMP/pushgateway.log" 2>&1 &
PIDS+=($!)
PUSHGW=http://127.0.0.1:$PG_PORT
for _ in $(seq 200); do
  curl -sf "$PUSHGW/-/ready" >/dev/null 2>&1 && break
  sleep 0.05
done
curl -sf "$PUSHGW/-/ready" >/dev/null || { echo "the Pushgateway did not start" >&2; cat "$TMP/pushgateway.log" >&2; exit 1; }

# Every command block is marked, and the names are the ones the tests run.
python3 "$BLOCKS" "$README" --check >"$TMP/names" 2>"$TMP/err" && ok || bad "a README block has no marker"
for name in $(sort -u "$TMP/names"); do
  case $name in
  skip | hand-audit | cron | ci | ci-baseline | history | reports) ok ;;
  install) ok ;; # tests/cli/test_install.sh
  deb) ok ;;     # scripts/test-package
  *) bad "README: the block marked \"$name\" is run by no test" ;;
  esac
done
for name in hand-audit cron ci ci-baseline history reports; do
  grep -qx "$name" "$TMP/names" && ok || bad "README: no block marked $name"
done
# The quick start's scripts exist.
for s in scripts/demo scripts/test scripts/build; do
  [ -x "$SRC/$s" ] && ok || bad "README names $s, which is not an executable script"
done

# run_block NAME WANT-EXIT...: run block NAME's commands in order in $TMP/work, each substituted,
# each expected to exit with the next code (the last one repeats).
run_block() {
  local name=$1 cmd i=0 want used
  shift
  local wants=("$@")
  python3 "$BLOCKS" "$README" "$name" >"$TMP/$name.cmds" || { bad "README: block $name"; return; }
  while IFS= read -r -d '' cmd; do
    used=$cmd
    cmd=${cmd//https:\/\/shop.example/$B}
    cmd=${cmd//\/var\/lib\/shop\//$TMP\/var\/lib\/shop\/}
    cmd=${cmd//https:\/\/hooks.example/$HOOK}
    cmd=${cmd//\/var\/lib\/prometheus\/node-exporter\//$TMP\/var\/lib\/prometheus\/node-exporter\/}
    cmd=${cmd//http:\/\/127.0.0.1:9091/$PUSHGW}
    if [[ $cmd == "scripts/build"* ]]; then
      cmd="true${cmd#scripts/build}"
    fi
    if [[ $cmd == "build/mystery-shopper "* ]]; then
      cmd="\"\$MS\"${cmd#build/mystery-shopper}"
    elif [[ $cmd == "mystery-shopper "* ]]; then
      cmd="\"\$MS\"${cmd#mystery-shopper}"
    fi
    if [ "$cmd" = "$used" ]; then
      bad "README block $name: nothing to substitute in '$used'"
    fi
    want=${wants[$i]:-${wants[-1]}}
    i=$((i + 1))
    (cd "$TMP/work" && bash -c "$cmd") </dev/null >"$TMP/out" 2>"$TMP/err"
    RC=$?
    expect_rc "$want" "README block $name, command $i: $used"
  done <"$TMP/$name.cmds"
  [ "$i" -gt 0 ] && ok || bad "README block $name has no command"
}

mkdir -p "$TMP/work" "$TMP/var/lib/shop" "$TMP/var/lib/prometheus/node-exporter"
# The hand audit: build (done), init, validate, list, run (no terminal: nothing is asked, the
# manual checks stay unanswered, the pages pass against a healthy site).
run_block hand-audit 0
json_check "$TMP/work/my-shop.json" '
[c["id"] for c in d["sections"][0]["checks"]] == ["home", "cart"]
d["vars"]["base"] == "'"$B"'"
'
# The cron lines: the pages alone, a JSON report where it says, recorded under its label; a
# first run that passes posts nothing (--notify-on change), and the weekly trend is of home.
run_block cron 0
[ ! -s "$TMP/posts" ] && ok || bad "the cron line's passing first run posted a notification"
[ "$(sqlite3 "$MS_HISTORY" "SELECT count(*) FROM runs WHERE label = 'prod'")" = 1 ] && ok ||
  bad "the cron line's run is not in the history with its label"
expect_out "home: median total ms, 1 run" "the weekly cron line shows the home page's trend"
json_check "$TMP/var/lib/shop/audit.json" '
sorted(c["id"] for c in checks()) == ["cart", "home"]
all(c["status"] == "pass" for c in checks())
'
PROM=$TMP/var/lib/prometheus/node-exporter/mystery-shopper.prom
grep -q '^mystery_shopper_run_success{.*} 1$' "$PROM" && ok || bad "the cron line's metrics do not say the run passed"
promtool check metrics <"$PROM" >"$TMP/promtool.out" 2>&1 && ok ||
  bad "promtool check metrics on the cron line's metrics: $(head -c 1000 "$TMP/promtool.out")"
# The CI line: passes on a healthy preview, fails its gate (exit 1) on one that cannot be
# reached; the JUnit report is written both times.
PREVIEW_URL=$B run_block ci 0
grep -q '<testsuite ' "$TMP/work/report.xml" && ok || bad "the CI line wrote no JUnit report"
rm -f "$TMP/work/report.xml"
PREVIEW_URL=http://127.0.0.1:9 run_block ci 1
grep -q '<failure' "$TMP/work/report.xml" && ok || bad "the CI line's JUnit report has no failure"

# The CI baseline lines: the main branch's report, then a change compared with it (the same
# healthy site: nothing regressed, and the JUnit gate testsuite says so).
MAIN_URL=$B PREVIEW_URL=$B run_block ci-baseline 0
json_check "$TMP/work/main-report.json" '
sorted(c["id"] for c in checks()) == ["cart", "home"]
'
python3 - "$TMP/work/report.xml" <<'PY' && ok || bad "the CI baseline line: a passing regression testcase"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
case = [c for s in root.iter("testsuite") if s.get("name") == "gate"
        for c in s.iter("testcase") if c.get("name") == "regression"]
assert len(case) == 1 and case[0].find("failure") is None, case
PY

# The reports lines: every file written, the metrics pushed to the Pushgateway (read back from
# it), and the page rendered again from the history byte for byte.
run_block reports 0
for f in report.html summary.md audit.prom last.html; do
  [ -s "$TMP/work/$f" ] && ok || bad "the reports block wrote no $f"
done
cmp -s "$TMP/work/report.html" "$TMP/work/last.html" && ok || bad "report @last --html differs from the run's page"
grep -q '<table' "$TMP/work/report.html" && ok || bad "the reports block's page has no table"
curl -sf "$PUSHGW/metrics" >"$TMP/pushed.txt" || bad "the Pushgateway's /metrics cannot be read"
grep -q '^mystery_shopper_run_success{.*job="mystery_shopper".*} 1$' "$TMP/pushed.txt" && ok ||
  bad "the Pushgateway has no mystery_shopper_run_success of the pushed run: $(grep mystery_shopper "$TMP/pushed.txt" | head -5)"

# The history lines, on what the lines above recorded (lib.sh's MS_HISTORY): a report made
# elsewhere is the cron line's, under the name the README gives it.
cp "$TMP/var/lib/shop/audit.json" "$TMP/work/ci-report.json"
n_before=$(sqlite3 "$MS_HISTORY" 'SELECT count(*) FROM runs')
run_block history 0
[ "$n_before" -ge 4 ] && ok || bad "the README's runs were not recorded ($n_before runs)"
# the cron line's report was recorded when it ran: importing it again records nothing
[ "$(sqlite3 "$MS_HISTORY" 'SELECT count(*) FROM runs')" = "$n_before" ] && ok ||
  bad "the README's import recorded a run that was there already"

# The README's checklist example is a valid checklist.
python3 "$BLOCKS" "$README" --json >"$TMP/json-blocks"
n=0
while IFS= read -r -d '' block; do
  n=$((n + 1))
  printf '%s' "$block" >"$TMP/example-$n.json"
  run_ms validate "$TMP/example-$n.json"
  expect_rc 0 "the README's JSON example $n validates"
done <"$TMP/json-blocks"
[ "$n" -ge 1 ] && ok || bad "the README has no JSON checklist example"
finish
