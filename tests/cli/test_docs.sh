#!/usr/bin/env bash
# The documentation agrees with the tool: the worked example's numbers, and the man page's
# commands, options and exit codes against --help.
. "$(dirname "$0")/lib.sh"
cd "$SRC" || exit 1

# 1. Every line of the worked example's quoted output is in the tool's output.
run_ms run --no-input -a docs/examples/worked-example-answers.json docs/examples/worked-example.json
expect_rc 1 "the worked example fails its gate"
awk '/<!-- worked-example-output -->/ {on = 1; next} on && /^```text/ {inblock = 1; next}
     inblock && /^```/ {exit} inblock {print}' docs/checklist-format.md >"$TMP/quoted"
[ "$(grep -c '' "$TMP/quoted")" -ge 8 ] && ok || bad "the worked example's output block is missing"
while IFS= read -r line; do
  grep -qxF -- "$line" "$TMP/out" && ok || bad "docs/checklist-format.md quotes a line the tool does not print: '$line'"
done <"$TMP/quoted"
# The example and its answers are valid for the schemas' tool too.
run_ms validate docs/examples/worked-example.json
expect_rc 0 "the worked example validates"

# The report's page names every field of its schema, and the format the schema describes.
if python3 - checklists/report.schema.json docs/report-format.md <<'PY'
import json, sys
schema = json.load(open(sys.argv[1], encoding="utf-8"))
doc = open(sys.argv[2], encoding="utf-8").read()
names = set()
def walk(node):
    if isinstance(node, dict):
        for k, v in node.get("properties", {}).items():
            names.add(k)
        for v in node.values():
            walk(v)
    elif isinstance(node, list):
        for v in node:
            walk(v)
walk(schema)
missing = sorted(n for n in names if "`%s`" % n not in doc)
for n in missing:
    print("  docs/report-format.md lacks the field `%s`" % n, file=sys.stderr)
fmt = schema["properties"]["format"]["const"]
if "# The JSON report (format %d)" % fmt not in doc:
    print("  docs/report-format.md does not describe format %d" % fmt, file=sys.stderr)
    missing.append("format")
sys.exit(1 if missing or len(names) < 50 else 0)
PY
then ok; else bad "docs/report-format.md and checklists/report.schema.json disagree"; fi

# 2. The man page reads with man -l, and names every command, option and exit code that
# --help does.
MANWIDTH=100 man -l docs/mystery-shopper.1 >"$TMP/man.txt" 2>"$TMP/man.err"
[ -s "$TMP/man.txt" ] && ! grep -qi "warning" "$TMP/man.err" && ok || { bad "man -l docs/mystery-shopper.1"; cat "$TMP/man.err" >&2; }
for topic in "" run validate list init history compare; do
  "$MS" help $topic >"$TMP/help.txt"
  for opt in $(grep -oE -- '--[a-z][a-z-]+' "$TMP/help.txt" | sort -u); do
    grep -qF -- "$opt" "$TMP/man.txt" && ok || bad "the man page lacks $opt (from help $topic)"
  done
done
for cmd in run validate list init history compare help; do
  grep -qE "^ +$cmd( |$)" "$TMP/man.txt" && ok || bad "the man page lacks the command $cmd"
done
for code in 0 1 2 3 4 130; do
  grep -qE "^ +$code( |$)" "$TMP/man.txt" && ok || bad "the man page lacks exit code $code"
done
# and the other way: every option the man page documents is one the tool knows
for topic in "" run validate list init history compare; do "$MS" help $topic; done >"$TMP/all-help.txt"
for opt in $(grep -oE -- '--[a-z][a-z-]+' "$TMP/man.txt" | sort -u); do
  grep -qF -- "$opt" "$TMP/all-help.txt" && ok || bad "the man page documents $opt, which --help does not"
done

# 2b. The auditor's part in Vietnamese (docs/mystery-shopper.vi.1, installed as
# share/man/vi/man1/mystery-shopper.1) reads with man -l without a warning at 80 columns, every
# line fits them, it is NFC, documents only options the tool knows, and tells the auditor's part:
# an item for every key the prompt takes, the durations, resuming with -a, the report's words
# (the glossary's, docs/translating.md), the exit codes, the language variables and the files.
LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l docs/mystery-shopper.vi.1 >"$TMP/man-vi.txt" 2>"$TMP/man-vi.err"
RC=$?
expect_rc 0 "man --warnings -l docs/mystery-shopper.vi.1"
[ -s "$TMP/man-vi.txt" ] && [ ! -s "$TMP/man-vi.err" ] && ok ||
  { bad "man --warnings -l docs/mystery-shopper.vi.1 warns"; cat "$TMP/man-vi.err" >&2; }
# at 60 columns too: groff warns of a line it cannot break (the examples, not filled, may be wider)
LC_ALL=C.UTF-8 MANWIDTH=60 man --warnings -l docs/mystery-shopper.vi.1 >/dev/null 2>"$TMP/man-vi.err"
[ ! -s "$TMP/man-vi.err" ] && ok ||
  { bad "man --warnings -l docs/mystery-shopper.vi.1 warns at 60 columns"; cat "$TMP/man-vi.err" >&2; }
for opt in $(grep -oE -- '--[a-z][a-z-]+' "$TMP/man-vi.txt" | sort -u); do
  grep -qF -- "$opt" "$TMP/all-help.txt" && ok || bad "the Vietnamese man page documents $opt, which --help does not"
done
for code in 0 1 2 3 4 130; do
  grep -qE "^ +$code( |$)" "$TMP/man-vi.txt" && ok || bad "the Vietnamese man page lacks exit code $code"
done
if python3 - "$TMP/man-vi.txt" docs/mystery-shopper.vi.1 <<'PY'
import re, sys, unicodedata
text = open(sys.argv[1], encoding="utf-8").read()
src = open(sys.argv[2], encoding="utf-8").read()
problems = []
def width(line):
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
for n, l in enumerate(text.split("\n"), 1):
    if width(l) > 80:
        problems.append("line %d is %d columns: %s" % (n, width(l), l))
for what, t in (("its source", src), ("the rendered page", text)):
    if not unicodedata.is_normalized("NFC", t):
        problems.append("%s is not NFC" % what)
# an item (.TP) for each key: its tag at the indent, alone or followed by its text
for key in ("có, không", "một con số", "Enter", "một khoảng thời gian", "na", "s, skip", "b",
            "q", "?"):
    if not re.search(r"^       %s( {2,}\S.*)?$" % re.escape(key), text, re.M):
        problems.append("no item for the key '%s'" % key)
flat = " ".join(text.split())  # phrases may wrap
for phrase in ("cuộc vi hành", "danh mục kiểm tra", "checklists/vi/hotline.json",
               "init --from vi/hotline", "gõ tắt c hoặc k", "(co, khong)", "yes, no, y, n",
               "1m13s", "1 phút 13 giây", "đồng hồ bấm giờ", "-a, --answers", "tệp câu trả lời",
               "đã cũ", "ĐẠT, KHÔNG ĐẠT", "việc cần sửa", "bằng chứng", "người phụ trách",
               "LANG=vi_VN.UTF-8", "LANGUAGE=vi", "LC_ALL=C", "Debian mới chỉ có C.UTF-8",
               "share/locale/vi/LC_MESSAGES/mystery-shopper.mo",
               "share/man/vi/man1/mystery-shopper.1", "man -L vi mystery-shopper"):
    if phrase not in flat:
        problems.append("it does not say '%s'" % phrase)
for p in problems:
    print("  the Vietnamese man page: " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
then ok; else bad "the Vietnamese man page (docs/mystery-shopper.vi.1)"; fi

# 3. Every line of --help and of each command's help fits 80 columns (characters of the UTF-8
# text, as a terminal shows them).
for topic in "" run validate list init history compare; do
  what=${topic:+help $topic}; what=${what:---help}
  "$MS" $what >"$TMP/help.txt"
  if [ -s "$TMP/help.txt" ] && python3 - "$TMP/help.txt" "$what" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
wide = [(n, l) for n, l in enumerate(lines, 1) if len(l) > 80]
for n, l in wide:
    print("  %s, line %d is %d columns: %s" % (sys.argv[2], n, len(l), l), file=sys.stderr)
sys.exit(1 if wide else 0)
PY
  then ok; else bad "a line of $what is wider than 80 columns"; fi
done
finish
