#!/usr/bin/env bash
# The command line in Vietnamese (docs/translating.md): help, help run, help history within 80
# columns, usage errors that name the option, the history's tables aligned by display width;
# and the same commands in English unchanged (plain ASCII, the English words).
. "$(dirname "$0")/lib.sh"
start_server web
BASE=http://127.0.0.1:$PORT_web
vi() { LANG=vi_VN.UTF-8 run_ms "$@"; } # vi ARGS...: run_ms in Vietnamese

# 1. Help: whole paragraphs translated, the option names kept, within 80 columns.
vi help
expect_rc 0 "help in Vietnamese"
expect_out "Cách dùng: mystery-shopper COMMAND [options] CHECKLIST..." "help: the usage line"
expect_out "  run [options] CHECKLIST...   chạy một cuộc vi hành" "help: the commands"
expect_out "Mã thoát: 0 đạt, 1 không đạt điều kiện đạt" "help: the exit codes"
expect_fits 80
vi help run
expect_rc 0 "help run in Vietnamese"
expect_out "Đo thời gian các mục kiểm tra http, hỏi người kiểm tra các mục thủ công" "help run: the summary"
expect_out "  -a, --answers FILE      câu trả lời thủ công" "help run: an option kept, its text translated"
expect_out "      --baseline REF      so với lần chạy REF" "help run: the second part (RUN_HELP_MORE)"
expect_fits 80
vi run --help
expect_rc 0 "run --help in Vietnamese"
expect_out "Cách dùng: mystery-shopper run [options] CHECKLIST..." "run --help is help run"
vi help history
expect_rc 0 "help history in Vietnamese"
expect_out "Cách dùng: mystery-shopper history [--label L]" "help history: the usage"
expect_out "      --label L           chỉ các lần chạy mang nhãn này" "help history: an option"
expect_fits 80
for topic in validate list init compare report; do
  vi help "$topic"
  expect_rc 0 "help $topic in Vietnamese"
  expect_out "Cách dùng: mystery-shopper $topic" "help $topic: the usage"
  expect_fits 80
done
# English: the help as written (no byte outside ASCII: nothing of the catalogue leaked)
for topic in "" run history validate list init compare report; do
  run_ms help $topic
  expect_rc 0 "help $topic in English"
  expect_out "Usage: mystery-shopper ${topic:-COMMAND}" "help $topic in English: the usage"
  LC_ALL=C grep -q '[^ -~]' "$TMP/out" && bad "help $topic in English has non-ASCII text" || ok
  expect_fits 80
done
run_ms help history
expect_out "      --label L           only runs with this label" "help history in English"

# 2. Usage errors in Vietnamese name the option (and "did you mean"); exit 2, nothing run.
echo '{ "format": 1, "id": "x", "sections": [] }' >"$TMP/x.json"
vi run --sampels 3 "$TMP/x.json"
expect_rc 2 "an unknown option"
expect_err 'mystery-shopper: lỗi: không có tuỳ chọn "--sampels" (có phải ý bạn là "--samples"?)' \
  "an unknown option in Vietnamese, with did you mean"
vi run -n many "$TMP/x.json"
expect_rc 2 "a bad value"
expect_err 'mystery-shopper: lỗi: --samples: "many" không phải là một số nguyên từ 1 đến 1000' \
  "a bad value in Vietnamese names the option"
vi run "$TMP/x.json" --json
expect_rc 2 "a missing value"
expect_err "mystery-shopper: lỗi: tuỳ chọn --json cần một giá trị" "a missing value in Vietnamese"
vi histroy
expect_rc 2 "an unknown command"
expect_err 'không có lệnh "histroy" (có phải ý bạn là "history"?)' "an unknown command in Vietnamese"
vi history prune
expect_rc 2 "prune without --older-than"
expect_err "history prune cần --older-than, chẳng hạn --older-than 90d" "prune's usage in Vietnamese"
# ... and in English, as before
run_ms run --sampels 3 "$TMP/x.json"
expect_rc 2 "an unknown option in English"
expect_err 'mystery-shopper: error: unknown option "--sampels" (did you mean "--samples"?)' "English unknown option"
run_ms run -n many "$TMP/x.json"
expect_err 'mystery-shopper: error: --samples: "many" is not a whole number from 1 to 1000' "English bad value"

# 3. The history's tables: headings and verdicts translated, columns aligned by display width.
cat >"$TMP/tiny.json" <<JSON
{ "format": 1, "id": "tiny", "title": "Tiny",
  "vars": { "base": "$BASE" },
  "sections": [ { "id": "s", "checks": [
    { "id": "up", "kind": "http", "samples": 1, "request": { "url": "{{base}}/" },
      "budget": { "total_ms": 5000 } },
    { "id": "asked", "kind": "yesno", "title": "Asked" } ] } ] }
JSON
echo '{ "format": 1, "answers": { "asked": { "value": "no" } } }' >"$TMP/no.json"
echo '{ "format": 1, "answers": { "asked": { "value": "yes" } } }' >"$TMP/yes.json"
run_ms run --no-input -q --label "nhãn-thử" -a "$TMP/no.json" "$TMP/tiny.json"
expect_rc 1 "a failing run recorded"
run_ms run --no-input -q -a "$TMP/yes.json" "$TMP/tiny.json"
expect_rc 0 "a passing run recorded"
# aligned HEAD...: in the table on stdout (the heading, then its rows), each heading HEAD (the
# left-aligned ones; +HEAD for a right-aligned one) and its rows' fields start (end) at the same
# display column.
aligned() {
  python3 - "$TMP/out" "$@" <<'PY'
import sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
def cells(l):  # one entry a display column: the character there (" " past the end)
    out = []
    for c in l:
        out += [c] + [""] * (width(c) - 1)
    return out
lines = [l for l in open(sys.argv[1], encoding="utf-8").read().split("\n") if l]
head, rows = lines[0], lines[1:]
assert rows, "no rows"
for h in sys.argv[2:]:
    right = h.startswith("+")
    h = h.lstrip("+")
    i = head.index(h)
    start, end = width(head[:i]), width(head[:i]) + width(h)
    for r in rows:
        c = cells(r) + [" "] * 200
        if right:
            assert c[end - 1] not in " " and c[end] == " ", (h, r)
        else:
            assert c[start] not in " " and c[start - 1] == " ", (h, r)
PY
}
for cols in 80 100; do
  LANG=vi_VN.UTF-8 COLUMNS=$cols run_ms history
  expect_rc 0 "history in Vietnamese, $cols columns"
  expect_out "LẦN  BẮT ĐẦU" "history: the headings in Vietnamese"
  expect_out "TỔNG THỂ  KẾT LUẬN     KHÔNG ĐẠT" "history: the headings padded by display width"
  expect_out "  ĐẠT " "history: a verdict in Vietnamese"
  expect_out "  KHÔNG ĐẠT " "history: the failed run's verdict"
  expect_fits "$cols"
  aligned +LẦN "BẮT ĐẦU" NHÃN "+TỔNG THỂ" "KẾT LUẬN" "KHÔNG ĐẠT" && ok ||
    bad "history in Vietnamese, $cols columns: the columns are aligned"
done
run_ms history
expect_out "  RUN  STARTED                    LABEL     OVERALL  VERDICT      FAILED" "history in English"
aligned +RUN STARTED LABEL +OVERALL VERDICT FAILED && ok || bad "history in English: aligned"
LANG=vi_VN.UTF-8 run_ms history --check asked
expect_rc 0 "history --check in Vietnamese"
expect_out "asked: yes/no, 2 lần chạy, cũ nhất trước" "history --check: the count in Vietnamese"
expect_out "TRẠNG THÁI" "history --check: the heading"
expect_out "không đạt -> đạt" "history --check: the change of state in Vietnamese"
expect_out "  không" "history --check: yes/no values in Vietnamese"
expect_fits 80
run_ms history --check asked
expect_out "asked: yes/no, 2 runs, oldest first" "history --check in English"
expect_out "fail -> pass" "history --check in English: the change"
finish
