#!/usr/bin/env bash
# The probe scales: its own work (the start loop, the bookkeeping around libcurl) grows linearly
# with the checks, counted in instructions by valgrind's callgrind, never by a clock. The start
# loop scanned every job on every pass (with the default -j 4 --per-host 2 on one host it never
# stopped early): the probe's own instructions grew 3.9 times when the checks doubled.
# And the progress line on a terminal is drawn at most ten times a second.
. "$(dirname "$0")/lib.sh"
start_server web
for n in 300 600; do
  "$SRC/bench/gen-checklist" "$n" --base "http://127.0.0.1:$PORT_web" >"$TMP/scale.$n.json"
done
# probe_instructions N: the instructions executed in ms_probe_run itself (not in what it calls:
# libcurl's share depends on how the polls fall) for a run of N checks; nothing when it failed.
probe_instructions() {
  callgrind 0 run --no-input -q --no-history "$TMP/scale.$1.json" &&
    callgrind_annotate --inclusive=no "$TMP/callgrind.out" 2>/dev/null |
    awk '/:ms_probe_run \[/ { gsub(",", "", $1); print $1; exit }'
}
if built_with_asan; then
  echo "probe linearity NOT CHECKED in this build: valgrind cannot run AddressSanitizer binaries"
elif ! command -v valgrind >/dev/null; then
  bad "probe linearity not checked: valgrind is missing (scripts/install-deps installs it)"
else
  expect_linear "probe: ms_probe_run's own instructions at 300 checks" "$(probe_instructions 300)" \
    "$(probe_instructions 600)"
fi

# The progress line (stderr a terminal) is redrawn at most ten times a second: it was drawn on
# every finished check. Counted against the run's own duration, so the bound holds on any
# machine: at most 1 + 10 a second + 1 lines for a run of that long (the last one clears it).
python3 - "$MS" "$TMP/scale.600.json" >"$TMP/progress" 2>&1 <<'PY'
import os, pty, subprocess, sys, time
master, slave = pty.openpty()
t0 = time.monotonic()
p = subprocess.Popen([sys.argv[1], "run", "--no-input", "--no-history", sys.argv[2]],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
os.close(slave)
data = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
rc = p.wait(timeout=120)
took = time.monotonic() - t0
print("exit %d, %d progress lines in %.2f s" % (rc, data.count(b"http checks "), took))
sys.exit(0 if rc == 0 and data.count(b"http checks ") <= 2 + 10 * took else 1)
PY
if [ $? -eq 0 ]; then ok; else bad "progress redrawn more than ten times a second: $(cat "$TMP/progress")"; fi
cat "$TMP/progress"

# run --json writes its report to the file as it makes it, a check at a time: the report (about
# 2.8 KB a check) is never whole in memory. Peak RSS from the kernel (wait4), ours with --json
# against ours without, at 2,000 checks: it was 6.3 MB more, now the same within 2 MB.
"$SRC/bench/gen-checklist" 2000 --base "http://127.0.0.1:$PORT_web" >"$TMP/scale.2000.json"
if built_with_asan; then
  echo "report memory NOT CHECKED in this build: AddressSanitizer keeps freed memory"
else
  python3 - "$MS" "$TMP/scale.2000.json" "$TMP/r2000.json" >"$TMP/rss" 2>&1 <<'PY'
import os, subprocess, sys
def peak(*extra):
    p = subprocess.Popen([sys.argv[1], "run", "--no-input", "-q", "--no-history", "-j", "8",
                          "--per-host", "8"] + list(extra) + [sys.argv[2]],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "run failed"
    return ru.ru_maxrss
plain, json_ = min(peak() for _ in range(2)), min(peak("--json", sys.argv[3]) for _ in range(2))
print("peak RSS at 2,000 checks: %d KB, with --json %d KB (+%d KB), report %d KB"
      % (plain, json_, json_ - plain, os.path.getsize(sys.argv[3]) // 1024))
sys.exit(0 if json_ - plain < 2048 else 1)
PY
  if [ $? -eq 0 ]; then ok; else bad "run --json holds its report in memory: $(cat "$TMP/rss")"; fi
  cat "$TMP/rss"
fi

# The test server's --event-loop (the benchmarks' server): a delayed request is suspended, not
# slept on, so 24 requests delayed 300 ms are all in flight at once on one thread, and each is
# answered no sooner than its delay.
start_server ev --event-loop
"$SRC/bench/gen-checklist" 24 --base "http://127.0.0.1:$PORT_ev" --delay 300 >"$TMP/ev.json"
run_ms run --no-input --no-history -q -j 24 --per-host 24 --json "$TMP/ev-report.json" "$TMP/ev.json"
expect_rc 0 "24 delayed checks on the event loop"
json_check "$TMP/ev-report.json" '
all(s["phases_ms"]["server"] >= 300 for c in checks() for s in c["samples"])
len(list(checks())) == 24
'
python3 -c 'import json,sys,urllib.request; d = json.load(urllib.request.urlopen(sys.argv[1])); sys.exit(0 if d["max_inflight"] == 24 and d["requests"] == 24 else 1)' \
  "http://127.0.0.1:$PORT_ev/stats" && ok || bad "--event-loop did not hold 24 delayed requests at once"

# bench/scale runs and prints its table (a tiny size: a benchmark is not a timed test).
MS=$MS MS_TESTSERVER=$SERVER timeout 120 "$SRC/bench/scale" --sizes 3 --rounds 1 --delay 1 \
  --wide 5 --json "$TMP/bench.json" >"$TMP/out" 2>"$TMP/err"
RC=$?
expect_rc 0 "bench/scale"
expect_out "checks |  validate" "bench/scale's table header"
grep -qE '^ +3 \| ' "$TMP/out" && ok || bad "bench/scale's table has no row for 3 checks"
json_check "$TMP/bench.json" '
  [r["checks"] for r in d["rows"]] == [3]
  all(d["rows"][0][k]["exit"] == 0 and d["rows"][0][k]["peak_rss_kb"] > 0 for k in ("validate", "run", "run_json", "run_warm"))
  d["wide"]["checks"] == 5 and d["wide"]["run"]["exit"] == 0
  "CPU per request, cold, ours/curl" in [g["figure"] for g in d["goals"]] or "curl" not in d["rows"][0]
  all(set(g) >= {"figure", "ours", "goal", "met"} for g in d["goals"]) and len(d["goals"]) >= 4
'
expect_out "issue 12's goals, at 3 checks" "bench/scale prints the goals after its table"
expect_out "5 x 1 at -j 64, wall / physical limit" "and the wide run among them"
# bench/plot draws bench/scale's JSON (the tiny run above) with gnuplot.
timeout 60 "$SRC/bench/plot" "$TMP/bench.json" "$TMP/scale.svg" >"$TMP/out" 2>"$TMP/err"
RC=$?
expect_rc 0 "bench/plot"
grep -q "<svg" "$TMP/scale.svg" 2>/dev/null && grep -q "curl" "$TMP/scale.svg" && ok ||
  bad "bench/plot drew no SVG with curl's line: $(cat "$TMP/err")"

# bench/fidelity runs and prints its two tables (tiny: the goals are the benchmark's, not a test's).
MS=$MS MS_TESTSERVER=$SERVER timeout 120 "$SRC/bench/fidelity" --checks 2 --samples 2 --delay 5 \
  --parallel 2 --curl-samples 3 --rounds 1 --json "$TMP/fidelity.json" >"$TMP/out" 2>"$TMP/err"
RC=$?
expect_rc 0 "bench/fidelity"
expect_out "server phase minus the injected 5 ms (2 checks x 2 samples)" "bench/fidelity's first table"
json_check "$TMP/fidelity.json" '
  [(r["connection"], r["parallel"]) for r in d["injected_delay"]] == [("cold", 1), ("cold", 2), ("warm", 1), ("warm", 2)]
  all(r["samples"] == 4 and r["min_ms"] >= 0 for r in d["injected_delay"])
  not d["beside_curl"] or {(r["scheme"], r["connection"]) for r in d["beside_curl"]} == {("http", "cold"), ("http", "warm"), ("https", "cold"), ("https", "warm")}
  # every transfer of both clients counted, and only those that succeeded (a curl given the
  # wrong URLs once printed zeros for failed transfers, counted as samples)
  all(r["n"] == [3, 3] for r in d["beside_curl"])
  not d["beside_curl"] or all(r["curl_median_ms"] is not None and r["curl_median_ms"] >= 0 for r in d["injected_delay"])
'
if command -v curl >/dev/null; then
  expect_out "median phase, ours beside curl -w (1 rounds of 3 samples each)" "and its second"
fi
finish
