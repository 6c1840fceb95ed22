#!/usr/bin/env bash
# The regression gate against the test server (not a test): how often compare calls the same
# endpoint twice a regression (false alarms), and how often it catches a 20 ms endpoint that
# became a 40 ms one (detections). Each pair is two runs of SAMPLES samples, compared with the
# default limits (20%, 10 ms, p < 0.05). Loopback only; nothing is recorded in a history.
# Usage: bench/gate.sh [PAIRS] [SAMPLES]   (default 10 pairs of runs at 5 samples)
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-10}
samples=${2:-5}
[ -x build/mystery-shopper ] || scripts/build >/dev/null
ms=build/mystery-shopper
tmp=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$tmp"' EXIT
build/tests/ms-testserver --port-file "$tmp/port" --lifetime 600 &
server=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
cat >"$tmp/cl.json" <<EOF2
{ "format": 1, "id": "gate", "vars": { "delay": "20" },
  "sections": [ { "id": "s", "checks": [
    { "id": "page", "kind": "http", "samples": $samples,
      "request": { "url": "http://127.0.0.1:$port/?delay={{delay}}" } } ] } ] }
EOF2

# pair BASE-DELAY NEW-DELAY: exit status of compare over one pair of runs (0 or 1).
pair() {
  "$ms" run --no-input -q --no-history -D delay="$1" --json "$tmp/a.json" "$tmp/cl.json" >/dev/null
  "$ms" run --no-input -q --no-history -D delay="$2" --json "$tmp/b.json" "$tmp/cl.json" >/dev/null
  local rc=0
  "$ms" compare --json "$tmp/a.json" "$tmp/b.json" >"$tmp/cmp.json" || rc=$?
  [ "$rc" -le 1 ] || { echo "compare failed with exit $rc" >&2; exit 1; }
  python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["checks"][0]["phases"][0]; print("%.3f %.3f %s" % (p["base_median_ms"], p["new_median_ms"], p["p"]))' "$tmp/cmp.json" >>"$tmp/$3.log"
  return "$rc"
}

same=0 slow=0
for _ in $(seq "$pairs"); do
  pair 20 20 same || same=$((same + 1))
  pair 20 40 slow || slow=$((slow + 1))
done
printf '%-34s %6s %8s %10s\n' "case ($samples samples a side)" pairs flagged "share"
printf '%-34s %6d %8d %9d%%\n' "20 ms vs 20 ms (false regressions)" "$pairs" "$same" $((100 * same / pairs))
printf '%-34s %6d %8d %9d%%\n' "20 ms vs 40 ms (detected)" "$pairs" "$slow" $((100 * slow / pairs))
if [ -n "${MS_GATE_VERBOSE:-}" ]; then
  echo "same (base median, new median, p):"; cat "$tmp/same.log"
  echo "slow:"; cat "$tmp/slow.log"
fi
