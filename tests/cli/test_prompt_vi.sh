#!/usr/bin/env bash
# The interview in Vietnamese (LANG=vi_VN.UTF-8), through a pseudo-terminal: the bundled
# checklists/vi/hotline.json answered with có/không/k/Co/C, a stopwatch with a note typed while it
# runs, a "1 phút 13 giây" and a "2 giờ 5 phút" duration, b (back) and ?, every prompt line within
# 60 and 80 columns (COLUMNS: the harness's terminal says no size); the evidence in Vietnamese;
# the English interview unchanged (its words, and có/không are taken there too).
. "$(dirname "$0")/lib.sh"
PTY="python3 $SRC/tests/cli/pty_session.py"
VI=$SRC/checklists/vi/hotline.json

session() { # session NAME STEPS-JSON ARGS... : the tool in a pty; transcript in $TMP/NAME.out
  local name=$1 steps=$2
  shift 2
  if $PTY "$steps" -- "$MS" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"; then ok; else
    bad "session $name"
    cat "$TMP/$name.err" >&2
  fi
}
# screen NAME: the transcript's lines as the terminal shows them at the end (what follows the
# last \r of a line redrawn in place, erase-line escapes dropped), without the lines that name
# the answers file (a path is never broken), up to the report; into $TMP/NAME.screen.
screen() {
  python3 - "$TMP/$1.out" >"$TMP/$1.screen" <<'PY'
import re, sys
for line in open(sys.argv[1], encoding="utf-8", newline="").read().split("\n"):
    line = line.rstrip("\r").split("\r")[-1]
    line = re.sub(r"\x1b\[K", "", line)
    if line.startswith("mystery-shopper "):
        break  # the report: not the interview's
    if "answers.json" not in line:
        print(line)
PY
}

# 1. The whole checklist at 60 columns.
COLUMNS=60 LANG=vi_VN.UTF-8 session vi60 '[
  ["expect", "9 mục kiểm tra thủ công cần trả lời; mỗi câu trả lời được lưu ngay vào"],
  ["expect", "[1/9] Có người nghe máy nhanh"], ["expect", "Enter để bắt đầu bấm giờ"], ["expect", "> "],
  ["send", "?\n"], ["expect", "Trong ngưỡng 20s là đạt."], ["expect", "Người phụ trách: Phòng chăm sóc khách hàng"],
  ["expect", "b: quay lại, sửa câu trả lời trước"], ["expect", "> "],
  ["send", "\n"], ["expect", "đồng hồ 0s / ngưỡng 20s; Enter để dừng; ghi chú > "],
  ["send", "máy bận"], ["expect", "ghi chú > máy bận"], ["send", "\n"], ["expect", ": trong ngưỡng 20s"],
  ["expect", "[2/9] Ít tầng menu"], ["expect", "điểm 1-5 (đạt 4), na, s bỏ qua"],
  ["send", "b\n"], ["expect", "[1/9] Có người nghe máy nhanh"],
  ["expect", "(đã trả lời: câu trả lời mới sẽ thay cho câu đã lưu)"], ["expect", "> "],
  ["send", "1 phút 13 giây\n"], ["expect", "1m13s: vượt ngưỡng 20s"],
  ["expect", "ghi chú (Enter nếu không có) > "], ["send", "chờ lâu\n"],
  ["expect", "[2/9]"], ["expect", "> "], ["send", "4\n"], ["expect", "ghi chú"], ["send", "\n"],
  ["expect", "[3/9]"], ["expect", "> "], ["send", "1 phút rưỡi\n"],
  ["expect", "hãy nhập thời gian như 1 phút 13 giây"], ["expect", "> "],
  ["send", "2 giờ 5 phút\n"], ["expect", "2h5m: trong ngưỡng 8h"], ["expect", "ghi chú"], ["send", "\n"],
  ["expect", "[4/9]"], ["expect", "> "], ["send", "5\n"], ["expect", "ghi chú"], ["send", "\n"],
  ["expect", "[5/9]"], ["expect", "có/không, na, s bỏ qua"], ["expect", "> "], ["send", "có\n"],
  ["expect", "ghi chú"], ["send", "\n"],
  ["expect", "[6/9]"], ["expect", "> "], ["send", "có lẽ\n"], ["expect", "hãy nhập có hoặc không (c/k)"],
  ["expect", "> "], ["send", "k\n"], ["expect", "ghi chú"], ["send", "\n"],
  ["expect", "[7/9]"], ["expect", "> "], ["send", "Co\n"], ["expect", "ghi chú"], ["send", "\n"],
  ["expect", "[8/9]"], ["expect", "> "], ["send", "không\n"], ["expect", "ghi chú"], ["send", "khách phải gọi lại\n"],
  ["expect", "[9/9]"], ["expect", "> "], ["send", "C\n"], ["expect", "ghi chú"], ["send", "\n"],
  ["expect", "trả lời không, đạt khi có"], ["exit", 1]]' \
  run --color never -a "$TMP/vi-answers.json" --json "$TMP/vi.json" "$VI"
json_check "$TMP/vi-answers.json" '
d["answers"]["vi-thoi-gian-cho"]["elapsed_ms"] == 73000 and d["answers"]["vi-thoi-gian-cho"]["note"] == "chờ lâu"
d["answers"]["vi-so-tang-menu"]["value"] == 4 and d["answers"]["vi-tra-loi-email"]["elapsed_ms"] == 7500000
d["answers"]["vi-lang-nghe"]["value"] == "yes" and d["answers"]["vi-khong-phai-viec-toi"]["value"] == "no"
d["answers"]["vi-trung-thuc"]["value"] == "yes" and d["answers"]["vi-giai-quyet-ngay"]["value"] == "no"
d["answers"]["vi-goi-lai-dung-hen"]["value"] == "yes" and d["answers"]["vi-giai-quyet-ngay"]["note"] == "khách phải gọi lại"
'
# The report's evidence in Vietnamese; the JSON's keys and values that are machine words English.
json_check "$TMP/vi.json" '
check("vi-giai-quyet-ngay")["status"] == "fail"
check("vi-giai-quyet-ngay")["evidence"] == "trả lời không, đạt khi có: '"'"'khách phải gọi lại'"'"'"
check("vi-khong-phai-viec-toi")["evidence"] == "trả lời không, đạt khi không"
check("vi-thoi-gian-cho")["evidence"].startswith("mất 1m13s so với ngưỡng 20s (3.6x)")
check("vi-so-tang-menu")["evidence"] == "chấm 4/5, đạt từ 4"
'
grep -q "2 mục kiểm tra không đạt" "$TMP/vi60.out" && ok || bad "the verdict's reason not in Vietnamese"
# each question names its kind and factor in Vietnamese too
grep -qF "[1/9] Có người nghe máy nhanh  (bấm giờ, thuận tiện)" "$TMP/vi60.out" && ok ||
  bad "the question's kind and factor not in Vietnamese"
screen vi60
grep -q "đồng hồ" "$TMP/vi60.screen" && grep -q "\[9/9\]" "$TMP/vi60.screen" && ok ||
  bad "the screen of the interview is empty"
expect_fits 60 "$TMP/vi60.screen"
# Wrapped at spaces: no prompt line of the checklist ends inside a word the checklist has.
python3 - "$TMP/vi60.screen" "$VI" <<'PY' && ok || bad "a prompt broken inside a word"
import json, sys
words = set()
for s in json.load(open(sys.argv[2], encoding="utf-8"))["sections"]:
    for c in s["checks"]:
        words.update(c.get("prompt", "").split())
lines = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")]
for a, b in zip(lines, lines[1:]):
    if a.startswith("  ") and b.startswith("  ") and a.split() and b.split():
        glued = a.split()[-1] + b.split()[0]
        assert glued not in words or glued in a.split() + b.split(), (a, b)
PY

# 2. At 80 columns: two answers, then q; the lines fit 80.
COLUMNS=80 LANG=vi_VN.UTF-8 session vi80 '[["expect", "[1/9]"], ["expect", "> "], ["send", "45 giây\n"],
  ["expect", "45s: vượt ngưỡng 20s"], ["expect", "ghi chú"], ["send", "\n"], ["expect", "[2/9]"], ["expect", "> "],
  ["send", "?\n"], ["expect", "Một số từ 1 đến 5; từ 4 trở lên là đạt."], ["expect", "> "],
  ["send", "q\n"], ["expect", "Đã ngừng hỏi; chạy lại với --answers"], ["exit", 1]]' \
  run --color never -a "$TMP/vi80-answers.json" "$VI"
json_check "$TMP/vi80-answers.json" 'd["answers"]["vi-thoi-gian-cho"]["elapsed_ms"] == 45000 and len(d["answers"]) == 1'
screen vi80
expect_fits 80 "$TMP/vi80.screen"
# A key and its word stay together (no-break spaces, which the screen may show as spaces): the
# choices may wrap between keys, never between "? trợ" and "giúp" or "s" and "bỏ qua".
sed 's/\xc2\xa0/ /g' "$TMP/vi80.screen" >"$TMP/vi80.plain"
if grep -q "? trợ giúp > " "$TMP/vi80.plain" && grep -q "na, s bỏ qua, b quay lại, q thoát," "$TMP/vi80.plain" &&
  ! grep -qE ', [sbq?]$|\? trợ$|s bỏ$|b quay$' "$TMP/vi80.plain"; then ok; else
  bad "a key parted from its word at 80 columns: $(grep -F ', na, ' "$TMP/vi80.plain")"
fi

# 3. English: the prompt says yes/no and the English words; có/không are taken too.
session en '[["expect", "[1/9]"], ["expect", "Enter to start the stopwatch, or a duration (1m13s)"], ["expect", "> "],
  ["send", "1m13s\n"], ["expect", "1m13s: over the 20s budget"], ["expect", "note (Enter for none) > "], ["send", "\n"],
  ["expect", "[2/9]"], ["expect", "score 1-5 (pass 4), na, s skip, b back, q quit, ? help > "], ["send", "s\n"],
  ["expect", "[3/9]"], ["expect", "> "], ["send", "s\n"], ["expect", "[4/9]"], ["expect", "> "], ["send", "s\n"],
  ["expect", "[5/9]"], ["expect", "  yes/no, na, s skip, b back, q quit, ? help > "], ["send", "không\n"],
  ["expect", "note"], ["send", "\n"], ["expect", "[6/9]"], ["expect", "> "], ["send", "maybe\n"],
  ["expect", "type yes or no, na, skip or ?"], ["expect", "> "], ["send", "có\n"], ["expect", "note"], ["send", "\n"],
  ["expect", "[7/9]"], ["expect", "> "], ["send", "q\n"], ["expect", "Stopped asking; run again with --answers"],
  ["expect", "answered no, good is yes"], ["exit", 1]]' \
  run --color never -a "$TMP/en-answers.json" "$VI"
json_check "$TMP/en-answers.json" '
d["answers"]["vi-lang-nghe"]["value"] == "no" and d["answers"]["vi-khong-phai-viec-toi"]["value"] == "yes"
'
expect_no "có/không" "$TMP/en.out"
expect_no "mục kiểm tra" "$TMP/en.out"
screen en
expect_fits 80 "$TMP/en.screen"
finish
