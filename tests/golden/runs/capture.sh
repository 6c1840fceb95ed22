#!/usr/bin/env bash
# capture.sh BIN OUTDIR : runs the scenarios with BIN, writes NAME.json/.txt/.xml/.rc
set -u
BIN=$1; OUT=$2; R=$(cd "$(dirname "$0")/../../.." && pwd)
mkdir -p "$OUT"
$R/build/tests/ms-testserver --port-file $OUT/port --lifetime 300 & srv=$!
for _ in $(seq 50); do [ -s $OUT/port ] && break; sleep 0.1; done
port=$(cat $OUT/port); B=http://127.0.0.1:$port
sc() { name=$1; shift; ( cd $OUT && "$BIN" run --color never --json $name.json --junit $name.xml "$@" > $name.txt 2> $name.err; echo $? > $name.rc ); }
cp $R/checklists/demo/answers.json $OUT/demo-answers.json
sc demo --auditor demo --label loopback -D base=$B -a demo-answers.json $R/checklists/demo/demo.json
sc website --no-input -D base=$B/shop -D plain=$B/shop -n 2 $R/checklists/website.json
sc api-hotline --no-input -D api=$B/api -n 2 --require-complete $R/checklists/api.json $R/checklists/hotline.json
sc only --no-input -D base=$B -a demo-answers.json --only hotline --only search --fail-on critical --fail-under 60 $R/checklists/demo/demo.json
SECRET_TOKEN=sekrit-value-123 sc worked -a $R/docs/examples/worked-example-answers.json -D base=$B $R/docs/examples/worked-example.json
sc internal --no-input $R/checklists/internal-customers.json $R/checklists/seven-sins.json $R/checklists/three-factors.json
MS_TEST_TOKEN=s3cret-token-value sc secrets -D base=$B -n 2 $R/tests/fixtures/secrets.json
sc mixed --no-input -D base=$B $R/tests/fixtures/mixed.json $R/tests/fixtures/network.json
kill $srv; wait $srv 2>/dev/null
