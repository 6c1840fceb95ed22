#!/usr/bin/env bash
# compare.sh BEFORE AFTER: compare two folders of reports made by capture.sh (or v1/ with a
# capture of today's tool), timings, times, ports and the fields format 2 added aside: the text,
# JSON and JUnit of each run must say the same. Prints what differs; exit 1 when anything does.
set -u
here=$(cd "$(dirname "$0")" && pwd)
before=$1 after=$2 rc=0
# numbers of ms, ratios, durations, timestamps, ports: what changes from run to run
norm_txt() { sed 's/[0-9][0-9.]* *ms\|took [0-9a-z.]*\|[0-9.]*x)\|T[0-9:]*+\|127\.0\.0\.1:[0-9]*/N/g' "$1"; }
norm_xml() { sed 's/time="[0-9.]*"\|[0-9][0-9.]* *ms\|[0-9.]*x)\|T[0-9:]*+\|127\.0\.0\.1:[0-9]*//g' "$1"; }
for j in "$before"/*.json; do
  n=$(basename "${j%.json}")
  [ -f "$after/$n.json" ] || continue
  diff <(norm_txt "$before/$n.txt") <(norm_txt "$after/$n.txt") >/dev/null || { echo "$n: text differs"; diff <(norm_txt "$before/$n.txt") <(norm_txt "$after/$n.txt"); rc=1; }
  diff <(norm_xml "$before/$n.xml") <(norm_xml "$after/$n.xml") >/dev/null || { echo "$n: JUnit differs"; rc=1; }
  python3 "$here/cmpjson.py" "$j" "$after/$n.json" || { echo "$n: JSON differs"; rc=1; }
done
exit $rc
