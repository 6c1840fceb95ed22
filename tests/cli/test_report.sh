#!/usr/bin/env bash
# report REF renders a run's reports again, byte for byte as the run wrote them: every format
# (JSON, JUnit, HTML, Markdown, metrics, and the text report on stdout), from a history
# reference (@ID, @last) and from the run's JSON report file, with the history the run had (the
# HTML trends and "failing since" of the runs before it, not of the runs after it); a run made
# with --no-history re-renders from its file alone. Then the errors: a bad reference, outputs
# that clash, a file that cannot be written (exit 3, the others written).
. "$(dirname "$0")/lib.sh"
start_server web
BASE=http://127.0.0.1:$PORT_web
export COLUMNS=100

cat >"$TMP/cl.json" <<EOF2
{ "format": 1, "id": "rr", "title": "Re-render <shop> & co",
  "vars": { "base": "$BASE" },
  "sections": [ { "id": "web", "title": "Pages", "checks": [
    { "id": "home", "kind": "http", "title": "Home <b>page</b>", "samples": 3,
      "request": { "url": "{{base}}/?delay=5" }, "budget": { "total_ms": 2000 } },
    { "id": "broken", "kind": "http", "title": "Orders | list", "samples": 2,
      "request": { "url": "{{base}}/?status=500" } } ] },
   { "id": "people", "title": "Người", "checks": [
    { "id": "asked", "kind": "yesno", "title": "Được chào hỏi?", "good": "yes" },
    { "id": "rated", "kind": "rating", "title": "Friendliness", "scale": [1, 5], "pass": 4 } ] } ] }
EOF2
cat >"$TMP/answers.json" <<'EOF2'
{ "format": 1, "answers": { "asked": { "value": "no", "note": "nobody \"said\" hello" },
  "rated": { "value": 4 } } }
EOF2
FORMATS=(json junit html markdown metrics)
ext() { case $1 in json) echo json ;; junit) echo xml ;; html) echo html ;; markdown) echo md ;; metrics) echo prom ;; esac; }
outs() { # outs DIR: the report options writing every format into DIR
  local f
  for f in "${FORMATS[@]}"; do printf -- "--%s\n%s\n" "$f" "$1/report.$(ext "$f")"; done
}

# Three runs of one series; each keeps its files and its text report.
for i in 1 2 3; do
  mkdir -p "$TMP/run$i"
  mapfile -t o < <(outs "$TMP/run$i")
  run_ms run --no-input --label rr -a "$TMP/answers.json" "${o[@]}" "$TMP/cl.json"
  expect_rc 1 "run $i (two checks fail)"
  cp "$TMP/out" "$TMP/run$i/stdout.txt"
done
# A fourth run after them: re-rendering run 2 must not see it (nor run 3).
run_ms run --no-input -q --label rr -a "$TMP/answers.json" "$TMP/cl.json"
expect_rc 1 "run 4"

same_files() { # same_files WANT_DIR GOT_DIR WHAT
  local f e
  for f in "${FORMATS[@]}"; do
    e=$(ext "$f")
    if [ -s "$1/report.$e" ] && cmp -s "$1/report.$e" "$2/report.$e"; then ok; else
      bad "$3: the $f report differs from the run's ($(cmp "$1/report.$e" "$2/report.$e" 2>&1 | head -1))"
    fi
  done
}
for i in 1 2 3; do
  mkdir -p "$TMP/again$i" "$TMP/file$i"
  mapfile -t o < <(outs "$TMP/again$i")
  run_ms report "@$i" "${o[@]}"
  expect_rc 0 "report @$i"
  [ -z "$OUT" ] && ok || bad "report @$i with files printed on stdout"
  same_files "$TMP/run$i" "$TMP/again$i" "report @$i"
  mapfile -t o < <(outs "$TMP/file$i")
  run_ms report "$TMP/run$i/report.json" "${o[@]}"
  expect_rc 0 "report FILE of run $i"
  same_files "$TMP/run$i" "$TMP/file$i" "report run$i/report.json"
  # Without a file option: the text report, as the run printed it.
  run_ms report "@$i"
  expect_rc 0 "report @$i (text)"
  if cmp -s "$TMP/run$i/stdout.txt" "$TMP/out"; then ok; else
    bad "report @$i: the text report differs from the run's: $(diff "$TMP/run$i/stdout.txt" "$TMP/out" | head -5)"
  fi
done
# The history matters: run 3's page holds the trend of runs 1 and 2, so rendered without the
# history it is another page, and its text report says since when the checks fail.
grep -q "failing since" "$TMP/run3/stdout.txt" && ok || bad "run 3's text report has no 'failing since'"
run_ms report "$TMP/run3/report.json" --history "$TMP/none.db" --html "$TMP/nohist.html"
expect_rc 0 "report FILE with a history that does not exist"
if ! cmp -s "$TMP/nohist.html" "$TMP/run3/report.html"; then ok; else
  bad "run 3's HTML report is the same without its history: it shows no trend"
fi
[ -e "$TMP/none.db" ] && bad "report created a history" || ok

# stdout: "-" gives the same bytes as the file.
for f in "${FORMATS[@]}"; do
  run_ms report @2 --"$f" -
  expect_rc 0 "report @2 --$f -"
  cmp -s "$TMP/out" "$TMP/run2/report.$(ext "$f")" && ok || bad "report @2 --$f - differs from the file"
done

# @last and @label:NAME name run 4 (no files of its own: its JSON is in the history).
run_ms report @last --json "$TMP/last.json"
expect_rc 0 "report @last"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["run"]["label"] == "rr" else 1)' \
  "$TMP/last.json" && ok || bad "report @last: not run 4's report"
run_ms report @label:rr --json "$TMP/label.json"
expect_rc 0 "report @label:rr"
cmp -s "$TMP/last.json" "$TMP/label.json" && ok || bad "@label:rr is not @last"

# A run without history re-renders from its file alone.
mkdir -p "$TMP/nohistrun" "$TMP/nohistagain"
mapfile -t o < <(outs "$TMP/nohistrun")
run_ms run --no-input -q --no-history -a "$TMP/answers.json" "${o[@]}" "$TMP/cl.json"
expect_rc 1 "a run with --no-history"
mapfile -t o < <(outs "$TMP/nohistagain")
MS_HISTORY=$TMP/other.db run_ms report "$TMP/nohistrun/report.json" "${o[@]}"
expect_rc 0 "report of a run made without history"
expect_err "is not in the history: the earlier runs (trends, \"failing since\") are left out" "report says the trends are left out"
run_ms report "$TMP/nohistrun/report.json" --junit "$TMP/nohist.xml"
[ -z "$ERR" ] && ok || bad "report --junit (no history shown) warned: $ERR"
same_files "$TMP/nohistrun" "$TMP/nohistagain" "report of the --no-history run"

# Errors: exit 2 with the reason, nothing written.
run_ms report
expect_rc 2 "report without REF"
expect_err "report takes one run, REF" "the message"
run_ms report @1 @2
expect_rc 2 "report with two refs"
run_ms report @99 --html "$TMP/x.html"
expect_rc 2 "report @99"
expect_err "no run 99 in the history" "the message"
[ -e "$TMP/x.html" ] && bad "report @99 wrote a file" || ok
run_ms report "$TMP/cl.json" --html "$TMP/x.html"
expect_rc 2 "report of a checklist"
expect_err "$TMP/cl.json" "the message names the file"
run_ms report "$TMP/run1/report.json" --json "$TMP/run1/report.json"
expect_rc 2 "report over its own file"
expect_err "refusing to write over it" "the message"
cp "$MS_HISTORY" "$TMP/hist.orig"
run_ms report @1 --html "$MS_HISTORY"
expect_rc 2 "report over the history"
expect_err "is the history $MS_HISTORY; refusing to write over it" "the message"
cmp -s "$MS_HISTORY" "$TMP/hist.orig" && ok || bad "report wrote over the history"
run_ms report @1 --html - --markdown -
expect_rc 2 "two reports on stdout"
expect_err "cannot both write to stdout" "the message"
run_ms report @1 --html "$TMP/same.out" --markdown "$TMP/./same.out"
expect_rc 2 "two reports in one file"
expect_err "are the same file" "the message"
run_ms report @1 --bogus
expect_rc 2 "an unknown option"
# A file that cannot be written: exit 3, said, the others written.
mkdir -p "$TMP/partial"
run_ms report @1 --html "$TMP/missing/dir/r.html" --junit "$TMP/partial/r.xml" --markdown "$TMP/partial/r.md"
expect_rc 3 "report with one unwritable file"
expect_err "$TMP/missing/dir/r.html" "the message names the file"
cmp -s "$TMP/partial/r.xml" "$TMP/run1/report.xml" && cmp -s "$TMP/partial/r.md" "$TMP/run1/report.md" &&
  ok || bad "the other reports were not written"

run_ms help report
expect_rc 0 "help report"
expect_out "byte for byte" "help report"
finish
