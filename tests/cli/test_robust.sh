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

finish
