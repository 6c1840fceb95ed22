#!/usr/bin/env bash
# checklists/schema.json and the tool agree: every bundled checklist is valid for both, and every
# file of the invalid corpus is refused by both (but for the few listed in
# tests/invalid/tool-only.txt, which break rules a JSON Schema cannot state).
. "$(dirname "$0")/lib.sh"
AJV=${MS_AJV:-$SRC/.tools/node_modules/.bin/ajv}
if [ ! -x "$AJV" ]; then
  echo "FAIL: no ajv at $AJV: run scripts/install-deps" >&2
  exit 1
fi
cd "$SRC" || exit 1
# ajv exits non-zero on an invalid file: its output, not its status, says which (pipefail).
ajv() { "$AJV" validate --spec=draft2020 --strict=false --all-errors "$@" 2>&1 || true; }

# Both schemas are themselves valid JSON Schemas.
"$AJV" compile --spec=draft2020 --strict=false -s checklists/schema.json >/dev/null 2>&1 && ok || bad "schema.json does not compile"
"$AJV" compile --spec=draft2020 --strict=false -s checklists/answers.schema.json >/dev/null 2>&1 && ok || bad "answers.schema.json does not compile"

# Valid for both.
GOOD=(checklists/website.json checklists/api.json checklists/hotline.json checklists/seven-sins.json
      checklists/three-factors.json checklists/internal-customers.json checklists/vi/hotline.json
      checklists/demo/demo.json tests/fixtures/pass.json tests/fixtures/network.json)
ajv -s checklists/schema.json -d "{$(IFS=,; echo "${GOOD[*]}")}" >"$TMP/good.txt"
for f in "${GOOD[@]}"; do
  grep -qx "$f valid" "$TMP/good.txt" && ok || { bad "the schema refuses $f"; grep -A5 "^$f" "$TMP/good.txt" >&2; }
done
"$MS" validate "${GOOD[@]:0:7}" >/dev/null 2>&1 && ok || bad "the tool refuses a bundled checklist"
"$MS" validate checklists/demo/demo.json >/dev/null 2>&1 && ok || bad "the tool refuses the demo"
for a in checklists/demo/answers.json tests/fixtures/answers-pass.json tests/fixtures/vi-hotline-answers.json; do
  out=$(ajv -s checklists/answers.schema.json -d "$a")
  [ "$out" = "$a valid" ] && ok || bad "the answers schema refuses $a: $out"
done

# The invalid corpus. ajv stops at a file that is not JSON at all, so those go one by one.
# One python3 call sorts the files: JSON ones first line, others second (Python's reading is
# strict like the tool's, but ajv reads bytes that are not UTF-8 as U+FFFD and may accept them).
python3 - tests/invalid/*.json >"$TMP/kinds" <<'PY'
import json, sys
good, bad = [], []
for f in sys.argv[1:]:
    try:
        json.load(open(f, encoding="utf-8"))
        good.append(f)
    except ValueError:
        bad.append(f)
print(",".join(good))
print(" ".join(bad))
PY
json_list=$(sed -n 1p "$TMP/kinds")
for f in $(sed -n 2p "$TMP/kinds"); do
  out=$(ajv -s checklists/schema.json -d "$f")
  case "$out" in *"error:"* | *" invalid"*) echo "$f invalid" ;; *) echo "$out" ;; esac
done >"$TMP/bad.txt"
ajv -s checklists/schema.json -d "{$json_list}" >>"$TMP/bad.txt"
grep -v '^#' tests/invalid/tool-only.txt | awk 'NF {print $1}' >"$TMP/tool-only"
n=0
for f in tests/invalid/*.json; do
  name=$(basename "$f" .json)
  n=$((n + 1))
  "$MS" validate "$f" >/dev/null 2>&1
  [ $? -eq 2 ] && ok || bad "the tool accepts $f"
  if grep -qx "$name" "$TMP/tool-only"; then
    grep -qx "$f valid" "$TMP/bad.txt" && ok || bad "$f is listed as tool-only, but the schema refuses it: take it off the list"
  else
    grep -q "^$f invalid" "$TMP/bad.txt" && ok || bad "the schema accepts $f, which the tool refuses"
  fi
done
while read -r name; do
  [ -f "tests/invalid/$name.json" ] && ok || bad "tool-only.txt names $name, which is not in tests/invalid/"
done <"$TMP/tool-only"
[ "$n" -ge 40 ] && ok || bad "only $n invalid files"

# A bad answers file is refused by the answers schema too.
echo '{"format": 1, "answers": {"c": {"vale": 3}}}' >"$TMP/bad-answers.json"
out=$(ajv -s checklists/answers.schema.json -d "$TMP/bad-answers.json")
case "$out" in *"bad-answers.json invalid"*) ok ;; *) bad "the answers schema accepts an unknown field" ;; esac
finish
