#!/usr/bin/env bash
# The auditor at a terminal (through a pseudo-terminal), and interruptions.
. "$(dirname "$0")/lib.sh"
F=$SRC/tests/fixtures
start_server web
BASE="base=http://127.0.0.1:$PORT_web"
PTY="python3 $SRC/tests/cli/pty_session.py"

session() { # session NAME STEPS-JSON ARGS... : run the tool in a pty; transcript in $TMP/NAME.out
  local name=$1 steps=$2
  shift 2
  if $PTY "$steps" -- "$MS" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"; then ok; else
    bad "session $name"; cat "$TMP/$name.err" >&2; fi
}

# 1. Answer the first check, then the audit is killed outright (SIGKILL: no chance to clean up).
session first '[["expect", "4 manual checks to answer"], ["expect", "[1/4] The agent was friendly"],
  ["expect", "How friendly was the agent?"], ["expect", "> "], ["send", "?\n"],
  ["expect", "A number from 1 to 5; 4 or more passes."], ["send", "7\n"],
  ["expect", "type a number from 1 to 5"], ["send", "4\n"], ["expect", "note (Enter for none) > "],
  ["send", "polite but rushed\n"], ["expect", "[2/4] A person answers"], ["kill", "SIGKILL"],
  ["exit", -9]]' run -D "$BASE" -a "$TMP/answers.json" --auditor Lan "$F/hotline.json"
json_check "$TMP/answers.json" '
d["answers"]["friendly"]["value"] == 4 and d["answers"]["friendly"]["note"] == "polite but rushed"
d["auditor"] == "Lan" and "visited_at" in d
"at" in d["answers"]["friendly"]
list(d["answers"]) == ["friendly"]
d["checklists"] == ["hotline"]
'
# Those answers given with another checklist: none fits, and the tool says which checklist
# the file is for (it records that when it saves); validate says so too, as a warning.
run_ms run --no-input -q -a "$TMP/answers.json" "$SRC/tests/fixtures/with-schema.json"
expect_err "warning: $TMP/answers.json: none of its answers (1) is for a check of this run: it seems to be for checklist hotline" \
  "answers from another checklist"
run_ms validate -a "$TMP/answers.json" "$SRC/tests/fixtures/with-schema.json"
expect_rc 0 "validate with answers from another checklist"
expect_err "$TMP/answers.json: warning: none of its answers (1) is for a check of this run" "validate warns"
"$MS" validate --json -a "$TMP/answers.json" "$SRC/tests/fixtures/with-schema.json" >"$TMP/v.json" 2>/dev/null
json_check "$TMP/v.json" 'd["valid"] and [w["message"] for w in d["warnings"]] == ["none of its answers (1) is for a check of this run: it seems to be for checklist hotline"]'
# A file that does not say which checklists: the warning asks.
run_ms run --no-input -q -a "$SRC/tests/fixtures/answers-pass.json" "$SRC/tests/fixtures/with-schema.json"
expect_err "answers-pass.json: none of its answers (2) is for a check of this run: is it another checklist's?" \
  "answers that do not say their checklist"
printf '{"format": 1, "checklists": "hotline", "answers": {}}\n' >"$TMP/bad-lists.json"
run_ms run --no-input -q -a "$TMP/bad-lists.json" "$F/pass.json"
expect_rc 2 "an answers file whose checklists is not a list"
expect_err "bad-lists.json:1:29: checklists: must be an array of checklist ids" "checklists must be ids"
# One answer that fits: no warning.
run_ms run --no-input -q -a "$SRC/tests/fixtures/answers-pass.json" "$F/pass.json"
expect_no "none of its answers" "$TMP/err"
grep -q "timing 1 http check in the background" "$TMP/first.out" && ok ||
  bad "the background timing not said on the terminal"
grep -q "http checks 0/1 done" "$TMP/first.out" && bad "a progress line while prompting" || ok

# 2. Resume: only what is left is asked. The stopwatch runs between two Enters.
session resume '[["expect", "3 manual checks to answer"], ["expect", "[1/3] A person answers"],
  ["expect", "Enter to start the stopwatch"], ["send", "\n"], ["expect", "stopwatch 0s of the 1m budget"],
  ["sleep", 0.4], ["send", "\n"], ["expect", "within the 1m budget"], ["expect", "note (Enter for none) > "], ["send", "\n"],
  ["expect", "[2/3] Resolved on the first call"], ["send", "no\n"], ["expect", "note"], ["send", "told to call another number\n"],
  ["expect", "[3/3] The promised callback came"], ["send", "na\n"], ["expect", "note"], ["send", "\n"],
  ["expect", "Verdict: FAIL"], ["exit", 1]]' \
  run -D "$BASE" -a "$TMP/answers.json" --json "$TMP/resume.json" "$F/hotline.json"
grep -q "friendly" "$TMP/resume.out" && ! grep -q "\[1/4\]" "$TMP/resume.out" && ok || bad "resume asked again"
json_check "$TMP/answers.json" '
d["answers"]["friendly"]["value"] == 4
400 <= d["answers"]["wait"]["elapsed_ms"] < 5000
d["answers"]["first-call"] == {"value": "no", "note": "told to call another number", "at": d["answers"]["first-call"]["at"]}
d["answers"]["callback"]["na"] is True
'
json_check "$TMP/resume.json" '
check("friendly")["status"] == "pass" and check("wait")["status"] == "pass"
check("first-call")["status"] == "fail" and check("callback")["status"] == "na"
d["run"]["auditor"] == "Lan"
d["run"]["visited_at"] == json.load(open(d["run"]["answers_file"]))["visited_at"]
'

# 3. Without --answers a new file is made in the working directory, and the tool says where.
mkdir "$TMP/cwd"
# (not in a subshell: a failure there would not be counted)
cd "$TMP/cwd" || exit 1
session new '[["expect", "saved at once to hotline-answers-"], ["expect", "[1/4]"],
  ["send", "5\n"], ["expect", "note"], ["send", "\n"], ["expect", "[2/4]"], ["send", "q\n"],
  ["expect", "run again with --answers hotline-answers-"], ["expect", "Verdict: PASS"], ["exit", 0]]' \
  run -D "$BASE" "$F/hotline.json"
cd "$SRC" || exit 1
# Where the new file is, said once before the first question, not twice.
said=$(sed -n '1,/\[1\/4\]/p' "$TMP/new.out" | grep -o "hotline-answers-" | wc -l)
[ "$said" -eq 1 ] && ok || bad "the new answers file named $said times before the first question"
made=$(ls "$TMP/cwd"/hotline-answers-*.json 2>/dev/null | head -1)
[ -n "$made" ] && ok || bad "no answers file was made"
[ -n "$made" ] && json_check "$made" 'd["answers"]["friendly"]["value"] == 5 and d["format"] == 1'

# 4. Ctrl-C at a prompt: what was answered is kept, the report is written, marked interrupted.
session sigint '[["expect", "[1/4]"], ["send", "3\n"], ["expect", "note"], ["send", "\n"], ["expect", "[2/4]"],
  ["send", "\u0003"], ["exit", 130]]' \
  run -D "$BASE" -a "$TMP/int.json" --json "$TMP/int-report.json" "$F/hotline.json"
json_check "$TMP/int.json" 'd["answers"]["friendly"]["value"] == 3'
json_check "$TMP/int-report.json" '
d["run"]["interrupted"] is True and d["verdict"]["exit_code"] == 130
check("friendly")["answer"]["value"] == 3
# the http check is timed in the background meanwhile: measured, or stopped by the Ctrl-C too
check("contact")["status"] in ("pass", "not-run")
(check("contact")["status"] == "pass") == any(x["ok"] for x in check("contact")["samples"])
'

# 5. --no-input on a terminal never prompts.
session noinput '[["expect", "Verdict"], ["exit", 0]]' run -D "$BASE" --no-input "$F/hotline.json"
grep -q "manual checks to answer" "$TMP/noinput.out" && bad "--no-input prompted" || ok

# Colour on a terminal: on by default, off with NO_COLOR, on again with --color always.
has_colour() { grep -q $'\033\[[0-9;]*m' "$TMP/$1.out"; }
session colour '[["expect", "Verdict"], ["exit", 0]]' run -D "$BASE" --no-input "$F/hotline.json"
has_colour colour && ok || bad "no colour on a terminal"
NO_COLOR=1 session nocolour '[["expect", "Verdict"], ["exit", 0]]' run -D "$BASE" --no-input "$F/hotline.json"
has_colour nocolour && bad "colour despite NO_COLOR" || ok
NO_COLOR=1 session always '[["expect", "Verdict"], ["exit", 0]]' run -D "$BASE" --no-input --color always "$F/hotline.json"
has_colour always && ok || bad "--color always lost to NO_COLOR"
session never '[["expect", "Verdict"], ["exit", 0]]' run -D "$BASE" --no-input --color never "$F/hotline.json"
has_colour never && bad "colour with --color never" || ok

# 5b. The interview starts at once: the http check (3 s on the server) is timed in the background
# while the auditor answers, and the answers come before the timing ends (said by the tool, in
# this order); a resumed interview does not wait either. The timing is still right.
cat >"$TMP/slow.json" <<JSON
{"format": 1, "id": "slow", "sections": [{"id": "s", "checks": [
  {"id": "page", "kind": "http", "samples": 1, "request": {"url": "http://127.0.0.1:$PORT_web/?delay=3000"}},
  {"id": "one", "kind": "yesno", "title": "First question", "good": "yes"},
  {"id": "two", "kind": "yesno", "title": "Second question", "good": "yes"}]}]}
JSON
session slow '[["expect", "timing 1 http check in the background"], ["expect", "[1/2] First question"],
  ["send", "yes\n"], ["expect", "note"], ["send", "\n"], ["expect", "[2/2] Second question"], ["send", "q\n"],
  ["expect", "waiting for the timings (0 of 1 done)"], ["expect", "Verdict"], ["exit", 0]]' \
  run -a "$TMP/slow-answers.json" --json "$TMP/slow.json.out" "$TMP/slow.json"
session slow2 '[["expect", "timing 1 http check in the background"], ["expect", "[1/1] Second question"],
  ["send", "no\n"], ["expect", "note"], ["send", "\n"],
  ["expect", "waiting for the timings (0 of 1 done)"], ["expect", "Verdict"], ["exit", 1]]' \
  run -a "$TMP/slow-answers.json" --json "$TMP/slow2.json" "$TMP/slow.json"
for r in slow.json.out slow2.json; do
  json_check "$TMP/$r" '
2900 <= check("page")["samples"][0]["phases_ms"]["server"] < 6000
check("page")["status"] == "pass" and check("one")["answer"]["value"] == "yes"
'
done
json_check "$TMP/slow-answers.json" 'd["answers"]["two"]["value"] == "no"'
# Ctrl-C at the prompt stops the timing in the background too: no wait for the 3 s.
t0=$(date +%s%N)
session slowint '[["expect", "[1/2] First question"], ["send", "\u0003"], ["exit", 130]]' \
  run -a "$TMP/slowint.json" --json "$TMP/slowint-report.json" "$TMP/slow.json"
[ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 2500 ] && ok || bad "Ctrl-C waited for the timing"
json_check "$TMP/slowint-report.json" 'd["run"]["interrupted"] is True and check("page")["status"] == "not-run"'

# 5c. The keys: every one listed; ? explains the check in full; b changes the previous answer;
# q stops and keeps the answers. The stopwatch redraws its elapsed time against the budget and
# keeps a note typed while it runs; it says at once whether it was within the budget.
cat >"$TMP/keys.json" <<JSON
{"format": 1, "id": "keys", "sections": [{"id": "s", "owner": "support", "checks": [
  {"id": "r", "kind": "rating", "title": "Rate it", "prompt": "How was it?", "description": "How the call felt.",
   "scale": [1, 5], "pass": 4, "fix": "Train the agents"},
  {"id": "w", "kind": "stopwatch", "title": "Time it", "budget": {"total_ms": 60000}},
  {"id": "y", "kind": "yesno", "title": "Said goodbye", "good": "yes"}]}]}
JSON
session watch '[["expect", "[1/3] Rate it"], ["expect", "b back"], ["expect", "q quit"], ["expect", "? help"],
  ["send", "?\n"], ["expect", "How was it?"], ["expect", "How the call felt."], ["expect", "4 or more passes"],
  ["expect", "Train the agents"], ["expect", "support"], ["expect", "b: back"],
  ["send", "b\n"], ["expect", "nothing to go back to"], ["send", "3\n"], ["expect", "note"], ["send", "\n"],
  ["expect", "[2/3] Time it"], ["expect", "Enter to start the stopwatch"], ["send", "\n"],
  ["expect", "0s of the 1m budget"], ["send", "line was"], ["expect", "note > line was"],
  ["expect", "2s of the 1m budget; Enter stops it; note > line was"], ["send", " busy\n"], ["expect", "within the 1m budget"],
  ["expect", "[3/3] Said goodbye"], ["send", "q\n"], ["expect", "run again with --answers"],
  ["expect", "Verdict"], ["exit", 1]]' \
  run -a "$TMP/watch.json" "$TMP/keys.json"
grep -q $'\r' "$TMP/watch.out" && ok || bad "the stopwatch did not redraw in place"
json_check "$TMP/watch.json" '
d["answers"]["r"]["value"] == 3
d["answers"]["w"]["note"] == "line was busy"
2000 <= d["answers"]["w"]["elapsed_ms"] < 30000
"y" not in d["answers"]
'
# Stopped (Ctrl-Z; SIGSTOP here: the session's process group is orphaned, which discards
# SIGTSTP) while the shell puts the terminal back in line mode, then continued (fg): the stopwatch
# takes its keys again at once, the note typed after it was continued included (in line mode
# they would wait for Enter).
session stopcont '[["expect", "[1/3] Rate it"], ["send", "5\n"], ["expect", "note"], ["send", "\n"],
  ["expect", "[2/3] Time it"], ["send", "\n"], ["expect", "0s of the 1m budget"], ["send", "on "],
  ["expect", "note > on "], ["kill", "SIGSTOP"], ["sleep", 0.3], ["cooked", null], ["kill", "SIGCONT"],
  ["send", "hold"], ["expect", "note > on hold"], ["send", "\n"], ["expect", "within the 1m budget"],
  ["expect", "[3/3] Said goodbye"], ["send", "q\n"], ["expect", "run again with --answers"], ["exit", 0]]' \
  run -a "$TMP/stopcont.json" "$TMP/keys.json"
json_check "$TMP/stopcont.json" 'd["answers"]["w"]["note"] == "on hold"'
session back '[["expect", "[1/3] Rate it"], ["send", "5\n"], ["expect", "note"], ["send", "\n"],
  ["expect", "[2/3] Time it"], ["send", "1m13s\n"], ["expect", "1m13s: over the 1m budget"], ["expect", "note"], ["send", "slow\n"],
  ["expect", "[3/3] Said goodbye"], ["send", "b\n"], ["expect", "[2/3] Time it"], ["send", "30s\n"],
  ["expect", "30s: within the 1m budget"], ["expect", "note"], ["send", "\n"],
  ["expect", "[3/3] Said goodbye"], ["send", "yes\n"], ["expect", "note"], ["send", "\n"],
  ["expect", "Verdict: PASS"], ["exit", 0]]' \
  run -a "$TMP/back.json" "$TMP/keys.json"
json_check "$TMP/back.json" '
d["answers"]["r"]["value"] == 5 and d["answers"]["y"]["value"] == "yes"
d["answers"]["w"]["elapsed_ms"] == 30000 and "note" not in d["answers"]["w"]
'

# 5d. Answers older than a week are stale: said in the text report, marked in the JSON one.
old_at=$(date -d '12 days ago' +%Y-%m-%dT%H:%M:%S%:z)
new_at=$(date -d '1 day ago' +%Y-%m-%dT%H:%M:%S%:z)
printf '{"format": 1, "answers": {"r": {"value": 5, "at": "%s"}, "y": {"value": "yes", "at": "%s"}}}\n' \
  "$old_at" "$new_at" >"$TMP/stale.json"
session stale '[["expect", "[1/1] Time it"], ["send", "30s\n"], ["expect", "note"], ["send", "\n"],
  ["expect", "Verdict: PASS"], ["exit", 0]]' \
  run -a "$TMP/stale.json" --color never "$TMP/keys.json"
grep "Rate it" "$TMP/stale.out" | grep -q "(answered 12 days before the run)" && ok || bad "the stale answer not said"
[ "$(grep -c "days before the run" "$TMP/stale.out")" -eq 1 ] && ok || bad "a fresh answer said stale"
run_ms run --no-input -a "$TMP/stale.json" --json "$TMP/stale-report.json" \
  --markdown "$TMP/stale.md" --html "$TMP/stale.html" "$TMP/keys.json"
grep "Rate it" "$TMP/stale.md" | grep -q "(answered 12 days before the run)" && ok || bad "Markdown: stale not said"
grep -q "stale: answered 12 days before the run" "$TMP/stale.html" && ok || bad "HTML: stale not marked"
json_check "$TMP/stale-report.json" '
check("r")["answer"]["stale"] is True and check("y")["answer"]["stale"] is False
check("w")["answer"]["stale"] is False
'

# 6. SIGINT and SIGTERM while the probe waits on a hanging server: what is known is written.
cat >"$TMP/hang.json" <<JSON
{"format": 1, "id": "hang", "defaults": {"samples": 3, "timeout_ms": 30000},
 "sections": [{"id": "s", "checks": [
  {"id": "fast", "kind": "http", "request": {"url": "http://127.0.0.1:$PORT_web/"}},
  {"id": "stuck", "kind": "http", "request": {"url": "http://127.0.0.1:$PORT_web/hang"}}]}]}
JSON
for sig in INT TERM; do
  "$MS" run --no-input --json "$TMP/hang-$sig.json" "$TMP/hang.json" >"$TMP/out" 2>"$TMP/err" &
  pid=$!
  sleep 1
  kill -s "$sig" "$pid"
  start=$(date +%s)
  wait "$pid"
  RC=$?
  expect_rc 130 "SIG$sig during the probe"
  [ $(( $(date +%s) - start )) -lt 5 ] && ok || bad "SIG$sig took too long to stop"
  expect_out "INTERRUPTED" "the text report says so"
  json_check "$TMP/hang-$sig.json" '
d["run"]["interrupted"] is True
check("fast")["status"] == "pass" and len(check("fast")["samples"]) == 3
check("stuck")["status"] == "not-run" and check("stuck")["samples"] == []
'
done
finish
