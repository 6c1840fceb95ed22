# Shared by the end-to-end tests: start the local test server, run the tool, check results.
# Every test talks to 127.0.0.1 only; servers stop with the test (and by themselves after
# their lifetime, should a test die).
set -uo pipefail

MS=${MS:?MS must name the mystery-shopper binary}
SERVER=${MS_TESTSERVER:?MS_TESTSERVER must name the test server binary}
SRC=${MS_SOURCE_DIR:?MS_SOURCE_DIR must name the source tree}
MS=$(realpath "$MS")
SERVER=$(realpath "$SERVER")
SRC=$(realpath "$SRC")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ms-cli.XXXXXX")
PIDS=()
FAILS=0
PASSES=0

cleanup() {
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
  done
  rm -rf "$TMP"
}
trap cleanup EXIT

# start_server NAME [server args...]: starts a server, sets PORT_<NAME>.
start_server() {
  local name=$1
  shift
  rm -f "$TMP/$name.port"
  "$SERVER" --port-file "$TMP/$name.port" --lifetime 240 "$@" 2>"$TMP/$name.log" &
  PIDS+=($!)
  for _ in $(seq 100); do
    [ -s "$TMP/$name.port" ] && break
    sleep 0.05
  done
  if [ ! -s "$TMP/$name.port" ]; then
    echo "could not start the test server $name" >&2
    cat "$TMP/$name.log" >&2
    exit 1
  fi
  printf -v "PORT_$name" '%s' "$(cat "$TMP/$name.port")"
}

# make_cert: a self-signed certificate for 127.0.0.1 in $TMP/cert.pem, $TMP/key.pem.
make_cert() {
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/key.pem" -out "$TMP/cert.pem" \
    -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null
}

# run_ms ARGS...: run the tool with stdin from /dev/null; sets RC, OUT (stdout), ERR (stderr).
run_ms() {
  "$MS" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
  RC=$?
  OUT=$(cat "$TMP/out")
  ERR=$(cat "$TMP/err")
}

ok() { PASSES=$((PASSES + 1)); }
bad() {
  FAILS=$((FAILS + 1))
  echo "$*" >>"$TMP/.failures" # counted by finish even when bad ran in a subshell
  echo "FAIL: $*" >&2
  echo "--- stdout:" >&2; head -c 3000 "$TMP/out" >&2
  echo "--- stderr:" >&2; head -c 3000 "$TMP/err" >&2
}

expect_rc() { # expect_rc WANT WHAT
  if [ "$RC" -eq "$1" ]; then ok; else bad "$2: exit $RC, expected $1"; fi
}
expect_out() { # expect_out SUBSTRING WHAT
  if grep -qF -- "$1" "$TMP/out"; then ok; else bad "$2: stdout lacks '$1'"; fi
}
expect_err() {
  if grep -qF -- "$1" "$TMP/err"; then ok; else bad "$2: stderr lacks '$1'"; fi
}
# expect_no_controls WHAT FILE...: no control character a terminal acts on (C0 but tab and line
# feed, DEL, C1 as UTF-8) in any of the files.
expect_no_controls() {
  local what=$1 f
  shift
  for f in "$@"; do
    if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]\|\xc2[\x80-\x9f]' "$f"; then
      bad "$what: a control character in $(basename "$f")"; return; fi
  done
  ok
}
expect_no() { # expect_no SUBSTRING FILE... : the text appears in none of the files
  local s=$1
  shift
  for f in "$@"; do
    if grep -qF -- "$s" "$f"; then bad "'$s' found in $f"; return; fi
  done
  ok
}

# json_check FILE PYTHON-EXPR-LIST: each line an assertion over `d`, the parsed JSON; helpers
# check(id) returns the check object.
json_check() {
  local file=$1 code=$2
  if python3 - "$file" "$code" <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
def checks():
    for cl in d["checklists"]:
        for s in cl["sections"]:
            for c in s["checks"]:
                yield c
def check(i):
    return next(c for c in checks() if c["id"] == i)
def ok_samples(i):
    return [s for s in check(i)["samples"] if s["ok"]]
failed = 0
for line in sys.argv[2].strip().splitlines():
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    try:
        good = eval(line)
    except Exception as e:
        good = False
        print("  error in %r: %r" % (line, e), file=sys.stderr)
    if not good:
        failed += 1
        print("  not true: " + line, file=sys.stderr)
sys.exit(1 if failed else 0)
PY
  then ok; else bad "JSON assertions on $file"; fi
}

# expect_aligned N: the text report on stdout has N check lines, and each one's detail starts at
# the same display column (UTF-8 aware: wide characters count 2, combining marks 0).
expect_aligned() {
  if python3 - "$TMP/out" "$1" <<'PY'
import re, sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF"
               else 1 for ch in s)
lines = [l for l in open(sys.argv[1], encoding="utf-8")
         if l[4:10] in ("PASS  ", "FAIL  ", "----  ", "N/A   ")]
assert len(lines) == int(sys.argv[2]), len(lines)
# the title column is 44 wide; the detail follows two spaces after it
starts = {width(l[:10]) + 44 for l in lines}
for l in lines:
    i, w = 10, 0
    while w < 44:
        w += width(l[i]); i += 1
    assert l[i:i + 2] == "  " and l[i + 2] != " ", repr(l)
PY
  then ok; else bad "the text report is not aligned"; fi
}

finish() {
  FAILS=$(grep -c '' "$TMP/.failures" 2>/dev/null || true)
  FAILS=${FAILS:-0}
  echo "$PASSES passed, $FAILS failed"
  [ "$FAILS" -eq 0 ]
}
