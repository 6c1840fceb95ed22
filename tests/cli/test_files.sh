#!/usr/bin/env bash
# The files the tool writes (reports, the answers file, init's output): an output that is an
# input is refused; links are followed, FIFOs and devices written through, directories refused;
# modes are kept; a kill -9 leaves no litter behind the next run; two interactive sessions on
# one answers file lose nothing.
. "$(dirname "$0")/lib.sh"
F=$SRC/tests/fixtures
start_server web
BASE="base=http://127.0.0.1:$PORT_web"
PTY="python3 $SRC/tests/cli/pty_session.py"
CL=$TMP/cl.json
cp "$F/hotline.json" "$CL"
printf '{"format": 1, "answers": {"friendly": {"value": 5}}}\n' >"$TMP/ans.json"

unchanged() { # unchanged FILE ORIGINAL WHAT
  if cmp -s "$1" "$2"; then ok; else bad "$3: $1 was changed"; fi
}

# 1. An output that is an input is refused before anything runs, naming both.
ln -s cl.json "$TMP/cl-link.json"
ln "$CL" "$TMP/cl-hard.json"
run_ms run -D "$BASE" --json "$CL" "$CL"
expect_rc 2 "--json is the checklist"
expect_err "--json $CL is the checklist $CL" "message"
unchanged "$CL" "$F/hotline.json" "--json is the checklist"
run_ms run -D "$BASE" --junit "$TMP/./cl.json" "$CL"
expect_rc 2 "--junit is the checklist, spelled differently"
expect_err "--junit $TMP/./cl.json is the checklist $CL" "message"
run_ms run -D "$BASE" --json "$TMP/cl-link.json" "$CL"
expect_rc 2 "--json is a link to the checklist"
expect_err "is the checklist $CL" "message"
[ -L "$TMP/cl-link.json" ] && ok || bad "the link to the checklist was replaced"
run_ms run -D "$BASE" --json "$TMP/cl-hard.json" "$CL"
expect_rc 2 "--json is a hard link to the checklist"
unchanged "$CL" "$F/hotline.json" "--json is a hard link to the checklist"
cp "$TMP/ans.json" "$TMP/ans.orig"
run_ms run -D "$BASE" -a "$TMP/ans.json" --json "$TMP/ans.json" "$CL"
expect_rc 2 "--json is the answers file"
expect_err "--json $TMP/ans.json is the answers file $TMP/ans.json" "message"
unchanged "$TMP/ans.json" "$TMP/ans.orig" "--json is the answers file"
mkdir "$TMP/sub"
run_ms run -D "$BASE" -a "$TMP/new-ans.json" --junit "$TMP/sub/../new-ans.json" "$CL"
expect_rc 2 "--junit is the answers file that does not exist yet"
expect_err "is the answers file $TMP/new-ans.json" "message"
[ -e "$TMP/new-ans.json" ] && bad "the answers file was made" || ok
run_ms run -D "$BASE" -a "$TMP/cl-link.json" "$CL"
expect_rc 2 "--answers is the checklist"
expect_err "--answers $TMP/cl-link.json is the checklist $CL" "message"
run_ms run -D "$BASE" --json "$TMP/both.out" --junit "$TMP/./both.out" "$CL"
expect_rc 2 "--json and --junit the same file"
expect_err "--json $TMP/both.out and --junit $TMP/./both.out are the same file" "message"
[ -e "$TMP/both.out" ] && bad "a report was written" || ok
# Different files are fine.
run_ms run -D "$BASE" -a "$TMP/ans.json" --json "$TMP/r1.json" --junit "$TMP/r1.xml" "$CL"
expect_rc 0 "different outputs"
# Nor is any report written over another file the run reads: the history, the baseline, a
# certificate or key (each left as it was).
cp "$MS_HISTORY" "$TMP/hist.orig"
for opt in --json --junit --html --markdown --metrics; do
  run_ms run -D "$BASE" -a "$TMP/ans.json" "$opt" "$MS_HISTORY" "$CL"
  expect_rc 2 "$opt is the history"
  expect_err "$opt $MS_HISTORY is the history $MS_HISTORY; refusing to write over it" "message"
  unchanged "$MS_HISTORY" "$TMP/hist.orig" "$opt is the history"
done
# SQLite's files beside it too: a report written there was taken for the log and deleted.
for f in -wal -shm -journal; do
  run_ms run -D "$BASE" -a "$TMP/ans.json" --json "$MS_HISTORY$f" "$CL"
  expect_rc 2 "--json is the history's $f file"
  expect_err "is the history's SQLite file $MS_HISTORY$f" "message"
done
run_ms run -D "$BASE" -a "$TMP/ans.json" --history "$TMP/h2.db" --html "$TMP/./h2.db" "$CL"
expect_rc 2 "--html is the --history file"
expect_err "is the history $TMP/h2.db" "message"
cp "$TMP/r1.json" "$TMP/r1.orig"
run_ms run -D "$BASE" -a "$TMP/ans.json" --baseline "$TMP/r1.json" --html "$TMP/r1.json" "$CL"
expect_rc 2 "--html is the baseline"
expect_err "--html $TMP/r1.json is the baseline $TMP/r1.json" "message"
unchanged "$TMP/r1.json" "$TMP/r1.orig" "--html is the baseline"
run_ms run -D "$BASE" -a "$TMP/ans.json" --cacert "$TMP/r1.orig" --metrics "$TMP/r1.orig" "$CL"
expect_rc 2 "--metrics is the --cacert file"
expect_err "is the --cacert file" "message"
run_ms run -D "$BASE" --no-history -a "$TMP/ans.json" --json "$MS_HISTORY" --junit "$TMP/nh.xml" "$CL"
expect_rc 0 "with --no-history, the history's path is not read: a report may go there"
cp "$TMP/hist.orig" "$MS_HISTORY"

# The rest uses a checklist of its own, so that a failure above cannot spoil it.
HOT=$TMP/hot.json
cp "$F/hotline.json" "$HOT"

# 2. A link is followed and its target replaced; the link stays.
printf 'old\n' >"$TMP/real.json"
chmod 0640 "$TMP/real.json"
ln -s real.json "$TMP/rep-link.json"
run_ms run -D "$BASE" -q --json "$TMP/rep-link.json" "$HOT"
expect_rc 0 "--json through a link"
[ -L "$TMP/rep-link.json" ] && ok || bad "the link was replaced by a file"
json_check "$TMP/real.json" 'd["verdict"]["exit_code"] == 0' 
[ "$(stat -c %a "$TMP/real.json")" = 640 ] && ok || bad "the mode of the link's target changed"
# A dangling link: its target is created.
ln -s made.xml "$TMP/dangling.xml"
run_ms run -D "$BASE" -q --junit "$TMP/dangling.xml" "$HOT"
[ -L "$TMP/dangling.xml" ] && [ -f "$TMP/made.xml" ] && ok || bad "a dangling link was not followed"

# 3. A FIFO is written through (a reader gets the report); it stays a FIFO.
mkfifo "$TMP/fifo"
timeout 20 cat "$TMP/fifo" >"$TMP/fifo.out" &
reader=$!
run_ms run -D "$BASE" -q --json "$TMP/fifo" "$HOT"
expect_rc 0 "--json to a FIFO"
wait "$reader"
[ -p "$TMP/fifo" ] && ok || bad "the FIFO was replaced"
json_check "$TMP/fifo.out" 'd["format"] == 3'

# 4. A character device is written through, never replaced (as root the old code replaced it:
# our own node of /dev/null stands in for the real one).
if mknod "$TMP/null" c 1 3 2>/dev/null; then NULLDEV=$TMP/null; else
  NULLDEV=/dev/null # not root: only the exit codes below say something, as nothing could be replaced
  echo "NOTE: not root, so 'a device is never replaced' is not checked (no node of our own)" >&2
fi
run_ms run -D "$BASE" -q --json "$NULLDEV" --junit "$NULLDEV" "$HOT"
expect_rc 0 "--json and --junit to a character device"
[ -c "$NULLDEV" ] && ok || bad "$NULLDEV is no longer a character device"
run_ms init --url "http://127.0.0.1:$PORT_web/" -o "$NULLDEV" --force
expect_rc 0 "init -o a character device"
[ -c "$NULLDEV" ] && ok || bad "init replaced $NULLDEV"

# 5. A directory or a socket is refused before anything runs, naming it.
mkdir "$TMP/reports"
run_ms run -D "$BASE" --json "$TMP/reports" "$HOT"
expect_rc 2 "--json a directory"
expect_err "$TMP/reports: is a directory" "message"
expect_no "Verdict" "$TMP/out"
run_ms run -D "$BASE" --junit "$TMP/reports" "$HOT"
expect_rc 2 "--junit a directory"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$TMP/sock"
run_ms run -D "$BASE" --json "$TMP/sock" "$HOT"
expect_rc 2 "--json a socket"
expect_err "$TMP/sock: is a socket" "message"
run_ms init --url "http://127.0.0.1:$PORT_web/" -o "$TMP/reports" --force
expect_rc 2 "init -o a directory"
expect_err "$TMP/reports: is a directory" "message"

# 6. init -o through a link: the link stays.
printf 'old\n' >"$TMP/start-real.json"
ln -s start-real.json "$TMP/start.json"
run_ms init --url "http://127.0.0.1:$PORT_web/" -o "$TMP/start.json" --force
expect_rc 0 "init -o a link"
[ -L "$TMP/start.json" ] && ok || bad "init replaced the link"
json_check "$TMP/start-real.json" 'd["format"] == 1'

# 7. Modes are kept: a 0600 report stays 0600; a new one follows the umask.
printf 'old\n' >"$TMP/private.json"
chmod 0600 "$TMP/private.json"
run_ms run -D "$BASE" -q --json "$TMP/private.json" "$HOT"
[ "$(stat -c %a "$TMP/private.json")" = 600 ] && ok || bad "a 0600 report became $(stat -c %a "$TMP/private.json")"
(umask 077 && "$MS" run -D "$BASE" -q --json "$TMP/umask.json" "$HOT" </dev/null >/dev/null 2>&1)
[ "$(stat -c %a "$TMP/umask.json")" = 600 ] && ok || bad "umask 077 gave $(stat -c %a "$TMP/umask.json")"

# 8. A 0600 answers file saved at a prompt stays 0600.
printf '{"format": 1, "answers": {}}\n' >"$TMP/secret-ans.json"
chmod 0600 "$TMP/secret-ans.json"
if $PTY '[["expect", "[1/4]"], ["send", "4\n"], ["expect", "note"], ["send", "private\n"],
  ["expect", "[2/4]"], ["send", "q\n"], ["expect", "Verdict"], ["exit", 0]]' \
  -- "$MS" run -D "$BASE" -a "$TMP/secret-ans.json" "$HOT" >"$TMP/mode.out" 2>&1; then ok; else
  bad "session mode"; cat "$TMP/mode.out" >&2; fi
json_check "$TMP/secret-ans.json" 'd["answers"]["friendly"]["note"] == "private"'
[ "$(stat -c %a "$TMP/secret-ans.json")" = 600 ] && ok ||
  bad "the 0600 answers file became $(stat -c %a "$TMP/secret-ans.json")"

# 9. kill -9 while a large report is written, again and again; then one normal run leaves no
# temporary behind (stale ones are cleaned up) and nothing else but the report.
mkdir "$TMP/kill"
python3 - "$TMP/kill/big.json" <<'PY'
import json, sys
checks = [{"id": "c%d" % i, "kind": "yesno", "title": "Check %d" % i, "description": "d" * 40000,
           "fix": "f" * 40000} for i in range(60)]
json.dump({"format": 1, "id": "big", "sections": [{"id": "s", "checks": checks}]},
          open(sys.argv[1], "w"))
PY
if python3 - "$MS" "$TMP/kill" <<'PY'
import os, signal, subprocess, sys, time
ms, d = sys.argv[1], sys.argv[2]
hits = 0
for _ in range(40):
    before = set(os.listdir(d))
    p = subprocess.Popen([ms, "run", "--no-input", "-q", "--json", os.path.join(d, "rep.json"),
                          os.path.join(d, "big.json")],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 20
    while p.poll() is None and time.time() < deadline:
        if [n for n in os.listdir(d) if n not in before and n != "rep.json"]:
            p.send_signal(signal.SIGKILL)  # a temporary exists: the report is being written
            hits += 1
            break
    p.wait()
    if hits >= 5:
        break
print("killed %d runs while they wrote the report" % hits)
sys.exit(0 if hits else 1)
PY
then ok; else bad "no kill -9 landed while the report was written"; fi
# (nothing is answered, which is NO SCORE and exit 1 unless --fail-on none)
run_ms run --no-input -q --fail-on none --json "$TMP/kill/rep.json" "$TMP/kill/big.json"
expect_rc 0 "the run after the kills"
left=$(ls -A "$TMP/kill" | grep -vx -e big.json -e rep.json)
[ -z "$left" ] && ok || bad "litter after a normal run: $left"
json_check "$TMP/kill/rep.json" 'len(list(checks())) == 60'

# 10. Two interactive sessions on one answers file: the second is told that the first holds
# it, waits, then asks only what is left; both sessions' answers are in the file.
printf '{"format": 1, "answers": {}}\n' >"$TMP/two.json"
$PTY '[["expect", "[1/4]"], ["touch", "'"$TMP/a-ready"'"], ["wait_file", "'"$TMP/b-waiting"'"],
  ["send", "4\n"], ["expect", "note"], ["send", "from A\n"], ["expect", "[2/4]"], ["send", "q\n"],
  ["expect", "Verdict"], ["exit", 0]]' \
  -- "$MS" run -D "$BASE" -a "$TMP/two.json" "$HOT" >"$TMP/a.out" 2>&1 &
apid=$!
for _ in $(seq 200); do [ -e "$TMP/a-ready" ] && break; sleep 0.1; done
if $PTY '[["expect", "'"$TMP/two.json"' is in use by another mystery-shopper session"],
  ["touch", "'"$TMP/b-waiting"'"], ["expect", "[1/3] A person answers"], ["send", "45s\n"],
  ["expect", "note"], ["send", "from B\n"], ["expect", "[2/3]"], ["send", "q\n"],
  ["expect", "Verdict"], ["exit", 0]]' \
  -- "$MS" run -D "$BASE" -a "$TMP/two.json" "$HOT" >"$TMP/b.out" 2>&1; then ok; else
  bad "session B"; cat "$TMP/b.out" >&2; fi
touch "$TMP/b-waiting" # should B have failed, let A go on
if wait "$apid"; then ok; else bad "session A"; cat "$TMP/a.out" >&2; fi
json_check "$TMP/two.json" '
d["answers"]["friendly"] == {"value": 4, "note": "from A", "at": d["answers"]["friendly"]["at"]}
d["answers"]["wait"]["elapsed_ms"] == 45000 and d["answers"]["wait"]["note"] == "from B"
'
# 11. Ctrl-C while waiting for the other session stops the waiting one (exit 130, its report
# marked interrupted); the first session's answers are kept (a 2 fails the check: exit 1).
printf '{"format": 1, "answers": {}}\n' >"$TMP/three.json"
rm -f "$TMP/a-ready" "$TMP/b-waiting"
$PTY '[["expect", "[1/4]"], ["touch", "'"$TMP/a-ready"'"], ["wait_file", "'"$TMP/b-waiting"'"],
  ["send", "2\n"], ["expect", "note"], ["send", "\n"], ["expect", "[2/4]"], ["send", "q\n"],
  ["expect", "Verdict"], ["exit", 1]]' \
  -- "$MS" run -D "$BASE" -a "$TMP/three.json" "$HOT" >"$TMP/a3.out" 2>&1 &
apid=$!
for _ in $(seq 200); do [ -e "$TMP/a-ready" ] && break; sleep 0.1; done
if $PTY '[["expect", "is in use by another mystery-shopper session"],
  ["touch", "'"$TMP/b-waiting"'"], ["send", "\u0003"], ["exit", 130]]' -- "$MS" run -D "$BASE" -a "$TMP/three.json" --json "$TMP/three-b.json" "$HOT" \
  >"$TMP/b3.out" 2>&1; then ok; else bad "session B, interrupted"; cat "$TMP/b3.out" >&2; fi
touch "$TMP/b-waiting" # should B have failed, let A go on
if wait "$apid"; then ok; else bad "session A (3)"; cat "$TMP/a3.out" >&2; fi
json_check "$TMP/three-b.json" 'd["run"]["interrupted"] is True'
json_check "$TMP/three.json" 'd["answers"]["friendly"]["value"] == 2 and len(d["answers"]) == 1'

ls -A "$TMP" | grep -q 'mystery-shopper-' && bad "temporaries left: $(ls -A "$TMP")" || ok

finish
