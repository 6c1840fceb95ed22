#!/usr/bin/env bash
# The reports people read, in Vietnamese (LANG=vi_VN.UTF-8): the bundled Vietnamese hotline walk
# answered (tests/fixtures/vi-hotline-answers.json) plus an http check against the test server.
# The text report speaks Vietnamese (status labels, scores, the fix list, the verdict), fits 60
# and 80 columns and keeps its columns aligned by display width; -v's waterfall and samples
# table too; `report REF --html` is <html lang="vi"> with Vietnamese labels; the English reports
# of the same run are unchanged (English labels, the layout the other tests and goldens check).
. "$(dirname "$0")/lib.sh"
start_server web
C=$SRC/checklists
F=$SRC/tests/fixtures
cat >"$TMP/web.json" <<EOF
{ "format": 1, "id": "web", "title": "Trang web của cửa hàng",
  "sections": [ { "id": "s", "title": "Trang chủ", "checks": [
    { "id": "trang-chu", "kind": "http", "title": "Trang chủ mở nhanh", "samples": 2,
      "request": { "url": "http://127.0.0.1:$PORT_web/" }, "budget": { "total_ms": 5000 } } ] } ] }
EOF
WALK=(-a "$F/vi-hotline-answers.json" "$C/vi/hotline.json" "$TMP/web.json")

# vi_aligned N: N check lines (a Vietnamese status label four columns in), the titles start at
# one display column and so do the details after them (as expect_aligned for English).
vi_aligned() {
  if python3 - "$TMP/out" "$1" <<'PY'
import re, sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF"
               else 1 for ch in s)
labels = ("KHÔNG ĐẠT", "ĐẠT", "N/A", "----", "CHƯA CHẠY")
lines = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")
         if re.match(r"    (%s) " % "|".join(map(re.escape, labels)), l)]
assert len(lines) == int(sys.argv[2]), len(lines)
titles, details = set(), set()
for l in lines:
    m = re.match(r"    (%s) +" % "|".join(map(re.escape, labels)), l)
    titles.add(width(l[:m.end()]))
    i = l.index("  ", m.end())
    while l[i + 2] == " ":
        i += 1
    details.add(width(l[:i + 2]))
assert titles == {15}, titles  # "    KHÔNG ĐẠT  ": the widest label and two spaces
assert len(details) == 1, details
PY
  then ok; else bad "the Vietnamese text report is not aligned"; fi
}

for cols in 60 80; do
  COLUMNS=$cols LANG=vi_VN.UTF-8 run_ms run --no-input --json "$TMP/vi-$cols.json" "${WALK[@]}"
  expect_rc 1 "the Vietnamese walk at $cols columns fails four checks"
  expect_fits "$cols"
  vi_aligned 10
  expect_out "    KHÔNG ĐẠT  " "the FAIL label in Vietnamese"
  expect_out "    ĐẠT        " "the PASS label padded by display width"
  expect_out "Nhân viên lắng" "a Vietnamese title"
  expect_out "cuộc vi hành của nhà vua" "the heading in Vietnamese"
  expect_out "người kiểm tra" "the auditor's label"
  expect_out "độ phủ 3/3" "a section's coverage"
  expect_out "Điểm (0-100; trong điểm tổng thể: sản phẩm x3" "the scores' heading"
  expect_out "  tổng thể        " "the overall score's label"
  expect_out "theo yếu tố" "the factors' label"
  # two spaces after the widest key, as in English: the key does not run into the first label
  expect_out "  theo đối tượng  khách hàng bên ngoài" "the audiences' label apart from its first"
  expect_out "5 đạt, 4 không đạt (0 nghiêm trọng), 1" "the counts of the checks"
  expect_out "Danh sách việc cần sửa, quan trọng nhất trước" "the fix list's heading"
  expect_out "   1. nặng          " "a severity, padded by display width"
  expect_out "người phụ trách:" "the owner's label"
  expect_out "      bằng chứng: " "the evidence's label"
  expect_out "      việc cần sửa: " "the fix's label"
  expect_out "Kết luận: KHÔNG ĐẠT: " "the verdict in Vietnamese"
  expect_out "trung vị tổng " "the http check's figure: statistic and phase in Vietnamese"
  expect_no "Verdict" "$TMP/out"
  expect_no "evidence:" "$TMP/out"
  expect_no "Fixes" "$TMP/out"
  expect_no "    FAIL  " "$TMP/out"
  # the JSON report stays English (a machine format)
  json_check "$TMP/vi-$cols.json" '
check("vi-khong-phai-viec-toi")["status"] == "fail"
check("trang-chu")["status"] == "pass"
d["verdict"]["passed"] == False
'
  # a wrapped evidence continues under its text, by display width (16 columns in English)
  [ "$cols" = 60 ] || continue
  if python3 - "$TMP/out" <<'PY'; then ok; else bad "the evidence's continuation is not under its text"; fi
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
i = next(i for i, l in enumerate(lines) if l.startswith("      bằng chứng: trả lời có, đạt khi không: "))
assert lines[i + 1].startswith(" " * 18) and lines[i + 1][18] != " ", lines[i + 1]
PY

done
# -v: the waterfall's legend and the samples' table in Vietnamese, within 60 columns (wrapped),
# and on a wide terminal the table's columns as wide as their headers ("truyền tải" is 10).
COLUMNS=60 LANG=vi_VN.UTF-8 run_ms run --no-input -v "${WALK[@]}"
expect_rc 1 "-v in Vietnamese at 60 columns"
expect_fits 60
expect_out "biểu đồ thác nước theo trung vị:" "the waterfall's legend at 60 columns"
COLUMNS=100 LANG=vi_VN.UTF-8 run_ms run --no-input -v "${WALK[@]}"
expect_rc 1 "-v in Vietnamese at 100 columns"
expect_fits 100
expect_out "biểu đồ thác nước theo trung vị: d=dns c=kết nối" "the waterfall's legend"
expect_out "ngưỡng (|): tổng 5000 ms" "the budgets' line"
if python3 - "$TMP/out" <<'PY'; then ok; else bad "the Vietnamese samples table"; fi
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
head = next(l for l in lines if "#  kết quả" in l)
assert head.endswith("     dns  kết nối      tls  máy chủ truyền tải     tổng"), head
rows = [l for l in lines if re.match(r" +[12]  ok +200 ", l)]
assert len(rows) == 2, rows
for r in rows:  # every figure ends where its header ends
    assert len(r) == len(head), (r, head)
PY

# report REF --html: <html lang="vi"> and Vietnamese labels; in English, lang="en".
LANG=vi_VN.UTF-8 run_ms report "$TMP/vi-80.json" --html "$TMP/vi.html"
expect_rc 0 "report --html in Vietnamese"
if grep -qF '<html lang="vi">' "$TMP/vi.html"; then ok; else bad "the HTML report is not lang=vi"; fi
for s in "Báo cáo cuộc vi hành" "Kết luận: <span class=\"word\">KHÔNG ĐẠT</span>" \
  "<h2 id=\"scores\">Điểm</h2>" "Danh sách việc cần sửa, quan trọng nhất trước" \
  "<span class=\"k\">người phụ trách</span>" "<dt>bằng chứng</dt>" "<dt>câu trả lời</dt>" \
  "người kiểm tra Trần Văn Minh" ">kết nối</li>"; do
  if grep -qF -- "$s" "$TMP/vi.html"; then ok; else bad "the Vietnamese HTML lacks '$s'"; fi
done
expect_no "Verdict:" "$TMP/vi.html"
expect_no "Mystery shopper report" "$TMP/vi.html"
# the score card: counts, weights and caption (they were English)
for s in "đạt, " "chưa trả lời" "trong điểm tổng thể: sản phẩm x3" "theo yếu tố và đối tượng"; do
  if grep -qF -- "$s" "$TMP/vi.html"; then ok; else bad "the Vietnamese HTML's score card lacks '$s'"; fi
done
expect_no "unanswered" "$TMP/vi.html"
expect_no "by factor and audience" "$TMP/vi.html"

# report REF --markdown: the sentences and headings in Vietnamese, the tables' header rows English
LANG=vi_VN.UTF-8 run_ms report "$TMP/vi-80.json" --markdown "$TMP/vi.md"
expect_rc 0 "report --markdown in Vietnamese"
for s in "### Các mục kiểm tra" ": điểm 64.3, độ phủ 3/3, 3 mục kiểm tra, 2 không đạt" \
  "<br>**việc cần sửa:** " "| status | check | figure | budget | evidence | note |"; do
  if grep -qF -- "$s" "$TMP/vi.md"; then ok; else bad "the Vietnamese Markdown lacks '$s'"; fi
done
expect_no "### Checks" "$TMP/vi.md"
expect_no "coverage" "$TMP/vi.md"
run_ms report "$TMP/vi-80.json" --html "$TMP/en.html"
expect_rc 0 "report --html in English"
for s in '<html lang="en">' "Mystery shopper report" "Verdict: <span class=\"word\">FAIL</span>" \
  "<dt>evidence</dt>" "<span class=\"k\">owner</span>"; do
  if grep -qF -- "$s" "$TMP/en.html"; then ok; else bad "the English HTML lacks '$s'"; fi
done
expect_no "Kết luận" "$TMP/en.html"

# The same run in English: English labels, the usual layout; LANG=C.UTF-8 and LC_ALL=C agree.
# (The evidence stays as the run wrote it, in Vietnamese: docs/decisions.md, "The auditor's
# language".)
run_ms report "$TMP/vi-80.json"
expect_rc 0 "the text report again, in English"
expect_aligned 10
cp "$TMP/out" "$TMP/en.txt"
for s in "mystery-shopper 0.1.0: the king's walk in disguise" "    FAIL  " "    N/A   " \
  "score  64.3  coverage 3/3" "  overall       " "  by audience  external " \
  "Fixes, most important first" "   1. serious  " "      evidence: " \
  "Verdict: FAIL: " "median total "; do
  expect_out "$s" "the English text report"
done
expect_no "KHÔNG ĐẠT" "$TMP/en.txt"
expect_no "Kết luận" "$TMP/en.txt"
LC_ALL=C LANGUAGE=vi run_ms report "$TMP/vi-80.json"
if cmp -s "$TMP/out" "$TMP/en.txt"; then ok; else bad "LC_ALL=C LANGUAGE=vi is not the English report"; fi
finish
