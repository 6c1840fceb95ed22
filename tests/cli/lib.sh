# Shared by the end-to-end tests: start the local test server, run the tool, check results.
# Every test talks to 127.0.0.1 only; servers stop with the test (and by themselves after
# their lifetime, should a test die).
set -uo pipefail

MS=${MS:?MS must name the mystery-shopper binary}
SERVER=${MS_TESTSERVER:?MS_TESTSERVER must name the test server binary}
ROUNDTRIP=${MS_ROUNDTRIP:?MS_ROUNDTRIP must name the report round-trip program (ms-roundtrip)}
SRC=${MS_SOURCE_DIR:?MS_SOURCE_DIR must name the source tree}
MS=$(realpath "$MS")
SERVER=$(realpath "$SERVER")
ROUNDTRIP=$(realpath "$ROUNDTRIP")
SRC=$(realpath "$SRC")
# The messages in English (the tests of the Vietnamese set LANG or LANGUAGE for their runs), the
# catalogues the build compiled (found beside the binary).
unset LANGUAGE LC_ALL LC_MESSAGES MS_LOCALE_DIR
export LANG=C.UTF-8
unset COLUMNS # the text report is 80 columns wide unless a test says otherwise
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ms-cli.XXXXXX")
# A proxy of the user's must not carry the tests' loopback requests (the tool honours these as
# libcurl does): tests that want one set it themselves.
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
# Every run records itself in a history: never the real one in $HOME. A test that needs the
# default location sets HOME or XDG_STATE_HOME (and unsets this) for its own runs.
export MS_HISTORY=$TMP/history.db
PIDS=()
FAILS=0
PASSES=0

# check_reports: every JSON report the script made (a file anywhere under $TMP that parses as
# JSON with "tool": {"name": "mystery-shopper"} and a numeric "format"; files under
# $TMP/crafted/, for tests that write broken reports on purpose, are left out) is
#  (a) valid for checklists/report.schema.json: all in ONE ajv call, node starts slowly. Only
#      reports of the format the schema describes (its "format" const, the format the tool
#      writes) are checked; an older report a test keeps (outside crafted/) is checked by (b)
#      alone, and a newer one than the schema describes is a failure;
#  (b) read and written again by $MS_ROUNDTRIP, which must give the same bytes. (The tool writes
#      one format, so a report of an older format it reads comes out in the new one: a test that
#      gives the tool such a report puts it under $TMP/crafted/.)
# Returns 1 and says which file when one is not.
check_reports() {
  local list=$TMP/.reports fmt f name i=0 n rc bad=0 out keep
  python3 - "$TMP" >"$list" <<'PY' || { echo "FAIL: could not list the reports" >&2; return 1; }
import json, os, sys
top = sys.argv[1]
for root, dirs, files in os.walk(top):
    dirs.sort()
    if root == top and "crafted" in dirs:
        dirs.remove("crafted")
    for name in sorted(files):
        path = os.path.join(root, name)
        if os.path.islink(path) or not os.path.isfile(path):
            continue
        try:
            with open(path, "rb") as f:
                if f.read(1) not in (b"{", b" ", b"\t", b"\n", b"\r"):
                    continue
            with open(path, encoding="utf-8") as f:
                d = json.load(f)
        except (OSError, ValueError):
            continue
        if (isinstance(d, dict) and isinstance(d.get("tool"), dict)
                and d["tool"].get("name") == "mystery-shopper"
                and type(d.get("format")) in (int, float) and "\n" not in path and "\t" not in path):
            print("%s\t%s" % (d["format"], path))
PY
  [ -s "$list" ] || return 0
  # (a) Copies under plain names, so that no character of a file name means anything to ajv.
  local v2=() names=() schema_fmt
  schema_fmt=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["properties"]["format"]["const"])' \
    "$SRC/checklists/report.schema.json") || { echo "FAIL: no format in the report schema" >&2; return 1; }
  mkdir -p "$TMP/.v2"
  while IFS=$'\t' read -r fmt f; do
    if [ "${fmt%.*}" -gt "$schema_fmt" ] 2>/dev/null; then
      bad=$((bad + 1))
      echo "FAIL: the JSON report ${f#"$TMP"/} is of format $fmt; the schema describes $schema_fmt" >&2
    fi
    [ "$fmt" = "$schema_fmt" ] || continue
    i=$((i + 1))
    cp "$f" "$TMP/.v2/$i.json"
    v2+=(-d "$TMP/.v2/$i.json")
    names[$i]=$f
  done <"$list"
  if [ "$i" -gt 0 ]; then
    local ajv=${MS_AJV:-$SRC/.tools/node_modules/.bin/ajv}
    if [ ! -x "$ajv" ]; then
      echo "FAIL: no ajv at $ajv to check $i JSON report(s) against the schema: run scripts/install-deps --test (scripts/test does)" >&2
      return 1
    fi
    # The first error of each file only: a big report with an error in every check (the
    # validate test makes one of 40000 checks) takes ajv 20 times longer with --all-errors.
    "$ajv" validate --spec=draft2020 --strict=false --errors=line \
      -s "$SRC/checklists/report.schema.json" "${v2[@]}" >"$TMP/.v2.out" 2>&1
    for ((n = 1; n <= i; n++)); do
      grep -qxF "$TMP/.v2/$n.json valid" "$TMP/.v2.out" && continue
      bad=$((bad + 1))
      echo "FAIL: the JSON report ${names[$n]#"$TMP"/} is not valid for checklists/report.schema.json:" >&2
      awk -v f="$TMP/.v2/$n.json" 'index($0, f) == 1 {on = $0 == f " invalid"; next}
        index($0, "'"$TMP"'/.v2/") == 1 {on = 0} on' "$TMP/.v2.out" | head -c 2000 >&2
    done
  fi
  # (b) The round trip, byte for byte.
  while IFS=$'\t' read -r fmt f; do
    name=${f#"$TMP"/}
    out=$TMP/.roundtrip.out
    "$ROUNDTRIP" json "$f" >"$out" 2>"$TMP/.roundtrip.err"
    rc=$?
    if [ "$rc" -ne 0 ]; then
      bad=$((bad + 1))
      echo "FAIL: ms-roundtrip json on the JSON report $name (format $fmt) failed with exit $rc:" >&2
      head -c 2000 "$TMP/.roundtrip.err" >&2
    elif ! cmp -s "$f" "$out"; then
      bad=$((bad + 1))
      echo "FAIL: the JSON report $name (format $fmt) is not the same after ms-roundtrip reads and writes it:" >&2
      diff -u --label "$name" --label "$name, read and written again" "$f" "$out" | head -n 40 >&2
    fi
  done <"$list"
  if [ "$bad" -gt 0 ]; then
    keep=$(mktemp -d "${TMPDIR:-/tmp}/ms-cli-reports.XXXXXX")
    cp -r "$TMP/." "$keep/" 2>/dev/null
    echo "FAIL: $bad of the JSON reports this script made failed the report checks (the files are kept in $keep)" >&2
    return 1
  fi
  return 0
}

cleanup() {
  local rc=$?
  check_reports || rc=1
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
  done
  rm -rf "$TMP"
  exit "$rc"
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

# requests PORT: how many requests the test server on PORT has answered or holds.
requests() {
  python3 -c 'import json,sys,urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1]))["requests"])' \
    "http://127.0.0.1:$1/stats"
}

# interrupt_run PORT ARGS...: run the tool in the background on ARGS (stdout and stderr into
# $TMP/out and $TMP/err), SIGINT it once the test server on PORT has had a request more than
# before (the run is measuring: its signal handlers are in place), and wait; sets RC.
interrupt_run() {
  local port=$1 before pid
  shift
  before=$(requests "$port")
  "$MS" "$@" </dev/null >"$TMP/out" 2>"$TMP/err" &
  pid=$!
  for _ in $(seq 200); do
    [ "$(requests "$port")" -gt "$before" ] && break
    sleep 0.05
  done
  kill -INT "$pid"
  wait "$pid"
  RC=$?
}

# built_with_asan: true when $MS is built with AddressSanitizer, which valgrind cannot run (both
# take over the memory map) and which keeps freed memory: the normal build, run first by CI,
# counts and measures what such a build cannot. (grep -c, not -q: with pipefail, nm cut off by an
# early grep -q would make the pipeline false.)
built_with_asan() {
  local n
  n=$({ nm -an "$MS"; ldd "$MS"; } 2>/dev/null | grep -c -e __asan_init -e libasan)
  [ "${n:-0}" -gt 0 ]
}
# callgrind WANT-RC ARGS...: run the tool with ARGS under valgrind's callgrind, its counts in
# $TMP/callgrind.out; 1 (and why, on stderr) when it did not exit with WANT-RC. The timeout is
# only a hang guard: instruction counts, never a clock, prove how work grows.
callgrind() {
  local want=$1
  shift
  rm -f "$TMP/callgrind.out"
  timeout 200 valgrind --tool=callgrind --callgrind-out-file="$TMP/callgrind.out" \
    --log-file="$TMP/valgrind.log" "$MS" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
  RC=$?
  [ "$RC" -eq "$want" ] && return 0
  echo "  $MS $*: exit $RC, expected $want" >&2
  cat "$TMP/valgrind.log" >&2
  return 1
}
# expect_linear WHAT SMALL BIG: the instructions at twice the size (BIG) are under 2.6 times those
# at the size (SMALL); quadratic would be 4. Empty counts are a failure.
expect_linear() {
  local what=$1 small=$2 big=$3 ratio
  if [ -z "$small" ] || [ -z "$big" ]; then
    bad "$what: callgrind gave no count"
    return
  fi
  ratio=$(awk -v a="$small" -v b="$big" 'BEGIN { printf "%.2f", b / a }')
  echo "$what: $small instructions, then $big at twice the size: ratio $ratio (bound 2.6)"
  if awk -v r="$ratio" 'BEGIN { exit !(r < 2.6) }'; then ok; else
    bad "$what: the instructions grow by $ratio when the size doubles (quadratic is 4)"; fi
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
# the title column is as wide for every check; the detail follows two spaces after it
starts = set()
for l in lines:
    i = l.index("  ", 10)
    while l[i + 2] == " ":
        i += 1
    starts.add(width(l[:i + 2]))
assert len(starts) == 1, starts
PY
  then ok; else bad "the text report is not aligned"; fi
}

# expect_fits COLUMNS [FILE...]: no line of the files (default: stdout) is wider than COLUMNS
# display columns, measured by tests/tools/textwidth.py (Python's unicodedata, not the tool).
expect_fits() {
  local cols=$1
  shift
  [ $# -gt 0 ] || set -- "$TMP/out"
  if python3 "$SRC/tests/tools/textwidth.py" "$cols" "$@" >"$TMP/.width" 2>&1; then ok; else
    bad "lines wider than $cols columns: $(head -c 2000 "$TMP/.width")"
  fi
}

finish() {
  FAILS=$(grep -c '' "$TMP/.failures" 2>/dev/null || true)
  FAILS=${FAILS:-0}
  echo "$PASSES passed, $FAILS failed"
  [ "$FAILS" -eq 0 ]
}
