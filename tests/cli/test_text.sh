#!/usr/bin/env bash
# The text report fits the terminal: never a line wider than the width (80 columns, the
# terminal's, or COLUMNS), measured by tests/tools/textwidth.py (Python's unicodedata: combining
# marks 0, East Asian wide 2), titles shortened with the figure on the same line; and -v, the
# waterfall of each http check and its samples.
. "$(dirname "$0")/lib.sh"
RT=$ROUNDTRIP
RUNS=$SRC/tests/golden/runs
F=$SRC/tests/fixtures
C=$SRC/checklists
start_server web
BASE="base=http://127.0.0.1:$PORT_web"

# 1. Every golden run, as the tool writes it (the golden text) and read back at 80, 60 and 40
#    columns, with and without -v.
expect_fits 80 "$RUNS"/*.txt
for w in 80 60 40; do
  : >"$TMP/all"
  for json in "$RUNS"/*.json "$RUNS"/v1/*.json; do
    "$RT" --width "$w" text "$json" >>"$TMP/all" && "$RT" --width "$w" --verbose text "$json" >>"$TMP/all" ||
      bad "ms-roundtrip text $json at $w columns"
  done
  expect_fits "$w" "$TMP/all"
done

# 2. The Vietnamese checklist, answered, at the default width and narrower.
for w in "" 60 40; do
  COLUMNS=$w run_ms run --no-input -a "$F/vi-hotline-answers.json" "$C/vi/hotline.json"
  expect_rc 1 "the Vietnamese walk at width '${w:-default}'"
  expect_fits "${w:-80}"
  expect_out "Phòng chăm sóc" "the Vietnamese owner at width '${w:-default}'"
done

# 3. Long titles (decomposed Vietnamese, CJK), owner, auditor, a fix with a word longer than a
#    line, a long error: within the width, titles cut with an ellipsis and the figure beside.
LONG_AUDITOR=$(printf 'Nguyễn Thị Lan %.0s' 1 2 3 4 5 6 7)
for w in "" 60 40; do
  for v in "" -v; do
    COLUMNS=$w run_ms run --no-input $v -D "$BASE" --auditor "$LONG_AUDITOR" "$F/long.json"
    expect_rc 1 "the long fixture at width '${w:-default}' $v"
    expect_fits "${w:-80}"
  done
done
run_ms run --no-input -D "$BASE" "$F/long.json"
grep -q '^    FAIL  ホームページがすぐに開き、[^ ]*… *\[critical\] median total [0-9.]* ms / 1.0 ms$' "$TMP/out" &&
  ok || bad "a wide title is cut on a character boundary, the figure on its line"
grep -q '^    FAIL  A page on a port where [^…]*… *2/2 failed$' "$TMP/out" &&
  ok || bad "the figure of a check that failed stays on its line"
grep -q "^          Failed to connect to 127.0.0.1 port 9" "$TMP/out" &&
  ok || bad "the error goes to a line of its own under the title"
grep -q '^           https://docs.example.invalid/caching-guide-' "$TMP/out" &&
  ok || bad "the fix is wrapped with a hanging indent, a long word cut"
# Colour escapes take no columns: a coloured report fits as well.
COLUMNS=60 run_ms run --no-input -v --color always -D "$BASE" "$F/long.json"
grep -q $'\033\\[31m' "$TMP/out" && ok || bad "--color always: no colour"
expect_fits 60
# A wider width is used too: the titles are not cut at 200 columns.
COLUMNS=200 run_ms run --no-input -D "$BASE" "$F/long.json"
expect_fits 200
expect_out "A page on a port where nobody listens, with a title long enough to be cut  " "no cut at 200 columns"
# COLUMNS that is not a number is ignored (80); a tiny one is taken as 40.
COLUMNS=wide run_ms run --no-input -D "$BASE" "$F/long.json"
expect_fits 80
python3 "$SRC/tests/tools/textwidth.py" 79 "$TMP/out" >/dev/null && bad "COLUMNS=wide: no line uses the 80 columns" || ok
COLUMNS=5 run_ms run --no-input -D "$BASE" "$F/long.json"
expect_fits 40
# On a terminal its width wins over COLUMNS: 100 columns.
if python3 - "$MS" "$F/long.json" "$BASE" >"$TMP/tty" 2>"$TMP/err" <<'PY'
import fcntl, os, pty, struct, sys, termios
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    os.environ["COLUMNS"] = "60"
    os.execv(sys.argv[1], [sys.argv[1], "run", "--no-input", "--color", "never", "-D", sys.argv[3], sys.argv[2]])
out = b""
while True:
    try:
        data = os.read(fd, 65536)
    except OSError:
        break
    if not data:
        break
    out += data
os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8").replace("\r\n", "\n"))
PY
then
  expect_fits 100 "$TMP/tty"
  python3 "$SRC/tests/tools/textwidth.py" 80 "$TMP/tty" >/dev/null && bad "the terminal's 100 columns were not used" || ok
else
  bad "the run on a terminal: $(cat "$TMP/err")"
fi

# 4. -v: the waterfall of a route delayed 150 ms (its server segment the widest, the budget
#    marked), every sample; failed samples say failed, a broken one has no timings.
cat >"$TMP/v.json" <<JSON
{ "format": 1, "id": "verbose", "title": "Verbose",
  "defaults": { "timeout_ms": 5000 },
  "sections": [ { "id": "s", "title": "Waterfalls", "checks": [
    { "id": "slow", "kind": "http", "title": "A route delayed 150 ms", "samples": 3,
      "request": { "url": "http://127.0.0.1:$PORT_web/?delay=150" }, "budget": { "total_ms": 400 } },
    { "id": "broken", "kind": "http", "title": "A connection reset", "samples": 2,
      "request": { "url": "http://127.0.0.1:$PORT_web/reset" } },
    { "id": "unavailable", "kind": "http", "title": "A 503", "samples": 2,
      "request": { "url": "http://127.0.0.1:$PORT_web/?status=503" } }
  ] } ] }
JSON
run_ms run --no-input "$TMP/v.json"
grep -q "waterfall\|result  st" "$TMP/out" && bad "without -v there is no waterfall" || ok
for w in "" 60; do
  COLUMNS=$w run_ms run --no-input -v --json "$TMP/report$w.json" "$TMP/v.json"
  expect_rc 1 "-v at width '${w:-default}'"
  expect_fits "${w:-80}"
done
run_ms run --no-input -v "$TMP/v.json"
if python3 - "$TMP/out" <<'PY'
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
def block(title):
    """the lines under the check line of title, up to the next check line"""
    i = next(i for i, l in enumerate(lines) if l.startswith("    ") and title in l)
    out = []
    for l in lines[i + 1:]:
        if not l.startswith("          "):
            break
        out.append(l)
    return out
slow = block("A route delayed 150 ms")
bars = [re.fullmatch(r" {10}\[([dctsx| ]+)\] ([0-9.]+) ms", l) for l in slow]
bars = [b for b in bars if b]
assert len(bars) == 1, slow
bar = bars[0].group(1)
counts = {c: bar.count(c) for c in "dctsx"}
assert counts["s"] > max(v for k, v in counts.items() if k != "s"), counts
assert counts["s"] >= len(bar) * 150 // 400 - 2, (counts, bar)  # to scale: 150 of 400 ms
assert bar.count("|") == 1 and bar.rstrip().endswith("|"), bar  # the total budget, 400 ms
assert bars[0].group(2) == "400", bars[0].group(2)
assert any("budgets (|): total 400 ms" in l for l in slow), slow
rows = [l for l in slow if re.match(r" {10} +[0-9]+  ok +200( +[0-9.]+){6}$", l)]
assert len(rows) == 3, slow
for r in rows:
    assert float(r.split()[-3]) >= 150, r  # the server phase of each sample
assert any(l.startswith("          median n=3 ") for l in slow), slow
broken = block("A connection reset")
assert sum(1 for l in broken if re.match(r" +[12]  failed +-  no timings", l)) == 2, broken
assert sum(1 for l in broken if l.strip() == "failed: Empty reply from server") == 2, broken
assert any("no waterfall: every sample failed" in l for l in broken), broken
assert not any(re.search(r"\b0\.00 +0\.00 +0\.00", l) for l in broken), broken  # never zeros
bad = block("A 503")
assert sum(1 for l in bad if re.match(r" +[12]  failed 503( +[0-9.]+){6}$", l)) == 2, bad
assert sum(1 for l in bad if "failed: HTTP 503" in l) == 2, bad
PY
then ok; else bad "-v: the waterfall and the samples"; fi
finish
