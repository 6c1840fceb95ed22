#!/usr/bin/env bash
# compare.sh BEFORE AFTER: compare two folders of reports made by capture.sh (or v1/ with a
# capture of today's tool), timings, times, ports and the fields format 2 added aside: the text,
# JSON and JUnit of each run must say the same. Prints what differs; exit 1 when anything does.
set -u
here=$(cd "$(dirname "$0")" && pwd)
before=${1:?usage: compare.sh BEFORE AFTER} after=${2:?usage: compare.sh BEFORE AFTER} rc=0 n=0
# numbers of ms, ratios, durations, timestamps, ports: what changes from run to run
norm_txt() { sed 's/[0-9][0-9.]* *ms\|took [0-9a-z.]*\|[0-9.]*x)\|T[0-9:]*+\|127\.0\.0\.1:[0-9]*/N/g' "$1"; }
norm_xml() { sed 's/time="[0-9.]*"\|[0-9][0-9.]* *ms\|[0-9.]*x)\|T[0-9:]*+\|127\.0\.0\.1:[0-9]*//g' "$1"; }
for j in "$before"/*.json; do
  [ -f "$j" ] || continue
  name=$(basename "${j%.json}")
  [ -f "$after/$name.json" ] || { echo "$name: not in $after"; rc=1; continue; }
  diff <(norm_txt "$before/$name.txt") <(norm_txt "$after/$name.txt") >/dev/null || { echo "$name: text differs"; diff <(norm_txt "$before/$name.txt") <(norm_txt "$after/$name.txt"); rc=1; }
  diff <(norm_xml "$before/$name.xml") <(norm_xml "$after/$name.xml") >/dev/null || { echo "$name: JUnit differs"; rc=1; }
  python3 "$here/cmpjson.py" "$j" "$after/$name.json" || { echo "$name: JSON differs"; rc=1; }
  n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "compare.sh: no runs compared (no $before/*.json with one in $after)"; exit 1; }
exit $rc
