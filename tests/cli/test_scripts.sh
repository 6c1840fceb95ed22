#!/usr/bin/env bash
# The test tooling asks for what it is asked for. scripts/install-deps: plain (scripts/demo,
# scripts/build's users) installs no node, npm or ajv; --test (scripts/test) adds them, taking
# Debian's node and npm only when the machine has no npm; run on a copy of the script with
# apt-get, dpkg-query and npm replaced by stubs that record what they are asked (nothing is
# installed). And lib.sh's report check gives ajv the reports of the format the tool writes.
. "$(dirname "$0")/lib.sh"

STUBS=$TMP/bin
mkdir -p "$STUBS" "$TMP/repo/scripts"
cp "$SRC/scripts/install-deps" "$TMP/repo/scripts/"
for tool in bash env grep dirname id; do ln -s "$(command -v "$tool")" "$STUBS/$tool"; done
# No package is installed; apt-get records its arguments and, asked for npm, provides one.
cat >"$STUBS/dpkg-query" <<'EOF'
#!/usr/bin/env bash
exit 1
EOF
cat >"$STUBS/apt-get" <<EOF
#!/usr/bin/env bash
echo "\$*" >>"$TMP/apt.log"
case " \$* " in *" npm "*) $(command -v cp) "$TMP/npm.stub" "$STUBS/npm" ;; esac
exit 0
EOF
cat >"$TMP/npm.stub" <<EOF
#!/usr/bin/env bash
echo "\$*" >>"$TMP/npm.log"
exit 0
EOF
cat >"$STUBS/sudo" <<'EOF'
#!/usr/bin/env bash
exec "$@"
EOF
chmod +x "$STUBS"/* "$TMP/npm.stub"

# install_deps ARGS...: the copy with the stubs alone on PATH; sets RC, and the logs.
install_deps() {
  rm -f "$TMP/apt.log" "$TMP/npm.log"
  touch "$TMP/apt.log" "$TMP/npm.log"
  PATH=$STUBS "$STUBS/bash" "$TMP/repo/scripts/install-deps" "$@" >"$TMP/out" 2>"$TMP/err"
  RC=$?
}
installs() { grep -q -- "install .* $1\( \|$\)" "$TMP/apt.log"; }

# Plain, on a machine without npm: none of node, npm or ajv.
install_deps
expect_rc 0 "install-deps"
installs libcurl4-openssl-dev && ok || bad "install-deps did not install libcurl's headers"
installs npm && bad "plain install-deps installs npm" || ok
installs nodejs && bad "plain install-deps installs nodejs" || ok
[ -s "$TMP/npm.log" ] && bad "plain install-deps ran npm: $(cat "$TMP/npm.log")" || ok

# --test without npm: Debian's node and npm, then ajv-cli into .tools/.
install_deps --test
expect_rc 0 "install-deps --test"
installs npm && installs nodejs && installs valgrind && ok || bad "--test: $(cat "$TMP/apt.log")"
grep -q "install --prefix .tools .*ajv-cli@" "$TMP/npm.log" && ok || bad "--test did not install ajv-cli"
grep -q "install --prefix .tools .*playwright-core@" "$TMP/npm.log" && ok || bad "--test did not install playwright-core"
installs chromium && ok || bad "--test did not install chromium"

# --test where npm is there (the stub apt-get put it) and ajv and playwright-core already are:
# none again.
mkdir -p "$TMP/repo/.tools/node_modules/.bin"
printf '#!/bin/sh\n' >"$TMP/repo/.tools/node_modules/.bin/ajv"
chmod +x "$TMP/repo/.tools/node_modules/.bin/ajv"
mkdir -p "$TMP/repo/.tools/node_modules/playwright-core"
install_deps --test
expect_rc 0 "install-deps --test with npm and ajv there"
installs npm && bad "--test installs Debian's npm over the machine's own" || ok
[ -s "$TMP/npm.log" ] && bad "--test ran npm with ajv and playwright-core installed" || ok

# --fuzz adds clang and nothing of the tests'.
install_deps --fuzz
installs clang && ! installs valgrind && ok || bad "--fuzz: $(cat "$TMP/apt.log")"

install_deps --tests
expect_rc 2 "an unknown option"
expect_err "usage: scripts/install-deps [--test] [--fuzz] [--package]" "says the usage"

# --package adds what cpack -G DEB runs (dpkg-shlibdeps, file).
install_deps --package
installs dpkg-dev && installs file && ! installs npm && ok || bad "--package: $(cat "$TMP/apt.log")"

# lib.sh's report check (every CLI test's reports, when the script ends) gives ajv the reports
# of the format the tool writes: when the format went from 2 to 3 it gave it none, and passed.
run_ms run --no-input --fail-on none --json "$TMP/report.json" "$SRC/checklists/hotline.json"
expect_rc 0 "a run that writes a JSON report"
printf '#!/bin/sh\necho "$0: every file invalid" >&2\nexit 1\n' >"$TMP/no-ajv"
chmod +x "$TMP/no-ajv"
MS_AJV=$TMP/no-ajv check_reports 2>"$TMP/check.err" && bad "the report check did not run ajv" || ok
grep -q "report.json is not valid for checklists/report.schema.json" "$TMP/check.err" && ok ||
  bad "the report check does not name the report: $(cat "$TMP/check.err")"
kept=$(sed -n 's/.*(the files are kept in \(.*\))$/\1/p' "$TMP/check.err")
[ -n "$kept" ] && rm -rf "$kept"
# (its working files are reports too: gone before it runs again, as it does when the script ends)
rm -rf "$TMP/.v2" "$TMP/.v2.out" "$TMP/.roundtrip.out" "$TMP/.roundtrip.err" "$TMP/.reports"
check_reports && ok || bad "the report check fails a valid report"
rm -rf "$TMP/.v2" "$TMP/.v2.out" "$TMP/.roundtrip.out" "$TMP/.roundtrip.err" "$TMP/.reports"
finish
