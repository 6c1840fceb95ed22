#!/usr/bin/env bash
# cmake --install puts the binary, the man pages (English, and the auditor's part in Vietnamese
# in share/man/vi/man1), the Vietnamese catalogue, the bundled checklists and the schemas where
# they belong, and the installed tool finds its own data: init --from starts from an installed
# checklist, and LANG=vi_VN.UTF-8 makes it speak Vietnamese from the installed catalogue, in a
# DESTDIR copy, under another prefix, after the prefix was moved, and from MS_DATA_DIR. Also
# runs the README's install block (only the prefix, the build directory and the tool's path
# substituted).
. "$(dirname "$0")/lib.sh"
BUILD=${MS_BUILD_DIR:?MS_BUILD_DIR must name the build directory}
VERSION=$(sed -n 's/^project(mystery-shopper VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
[ -n "$VERSION" ] && ok || bad "no version in CMakeLists.txt"

# in_tmp CMD...: CMD in $TMP (init --from NAME looks for a file NAME first), not in a subshell.
in_tmp() {
  local here=$PWD
  cd "$TMP" || return
  "$@"
  cd "$here" || return
}

# installed_ok PREFIX WHAT: the files are there, the binary runs, init --from works from them.
installed_ok() {
  local p=$1 what=$2 f
  for f in bin/mystery-shopper share/man/man1/mystery-shopper.1 share/man/vi/man1/mystery-shopper.1 \
    share/locale/vi/LC_MESSAGES/mystery-shopper.mo \
    share/mystery-shopper/checklists/website.json share/mystery-shopper/checklists/vi/hotline.json \
    share/mystery-shopper/checklists/demo/demo.json share/mystery-shopper/checklists/schema.json \
    share/mystery-shopper/checklists/answers.schema.json \
    share/mystery-shopper/checklists/report.schema.json; do
    [ -f "$p/$f" ] && ok || bad "$what: $f is not installed"
  done
  diff -r -x '*-answers-*.json' "$SRC/checklists" "$p/share/mystery-shopper/checklists" >/dev/null &&
    ok || bad "$what: the installed checklists differ from checklists/"
  [ -z "$(find "$p/share/mystery-shopper" -name '*-answers-*.json')" ] && ok ||
    bad "$what: an interactive run's answers file is installed"
  [ -x "$p/bin/mystery-shopper" ] && ok || bad "$what: bin/mystery-shopper is not executable"
  MANPATH=$p/share/man man -w mystery-shopper 2>/dev/null | grep -qxF "$p/share/man/man1/mystery-shopper.1" &&
    ok || bad "$what: man does not find the installed page"
  cmp -s "$SRC/docs/mystery-shopper.vi.1" "$p/share/man/vi/man1/mystery-shopper.1" && ok ||
    bad "$what: share/man/vi/man1/mystery-shopper.1 is not docs/mystery-shopper.vi.1"
  MANPATH=$p/share/man man -L vi -w mystery-shopper 2>/dev/null |
    grep -qxF "$p/share/man/vi/man1/mystery-shopper.1" && ok ||
    bad "$what: man -L vi does not find the installed Vietnamese page"
  cmp -s "$BUILD/share/locale/vi/LC_MESSAGES/mystery-shopper.mo" \
    "$p/share/locale/vi/LC_MESSAGES/mystery-shopper.mo" && ok ||
    bad "$what: the installed catalogue is not the one the build compiled from po/vi.po"
  speaks_vi "$p" "$what"
  MS=$p/bin/mystery-shopper run_ms --version
  expect_rc 0 "$what: --version"
  expect_out "mystery-shopper $VERSION" "$what: --version names the project's version"
  # From the installed data, not the sources': a checklist only the installed tree has.
  printf '{"format": 1, "id": "only-installed", "sections": []}\n' \
    >"$p/share/mystery-shopper/checklists/only-installed.json"
  MS=$p/bin/mystery-shopper in_tmp run_ms init --from only-installed -o "$TMP/o.json" --force
  grep -q '"only-installed"' "$TMP/o.json" && ok || bad "$what: init --from did not read the installed data"
  rm -f "$p/share/mystery-shopper/checklists/only-installed.json" "$TMP/o.json"
  MS=$p/bin/mystery-shopper in_tmp run_ms init --from website -o "$TMP/x.json" --force
  cmp -s "$TMP/x.json" "$p/share/mystery-shopper/checklists/website.json" && ok ||
    bad "$what: init --from website is not the installed website.json"
  MS=$p/bin/mystery-shopper run_ms validate "$TMP/x.json"
  expect_rc 0 "$what: the checklist init --from website wrote validates"
}

# speaks_vi PREFIX WHAT: the installed binary answers in Vietnamese under LANG=vi_VN.UTF-8 (the
# locale not generated, as on a fresh Debian) and LANGUAGE=vi, in English under LC_ALL=C, and the
# Vietnamese comes from PREFIX's own catalogue: without it, the same run is English (so neither
# the build tree's catalogue nor one of another installation answered). The message: a write
# error on stdout, `--version >/dev/full` (translated as "lỗi khi ghi").
speaks_vi() {
  local p=$1 what=$2 mo=$1/share/locale/vi/LC_MESSAGES/mystery-shopper.mo
  env LANG=vi_VN.UTF-8 "$p/bin/mystery-shopper" --version >/dev/full 2>"$TMP/err"
  RC=$?
  expect_rc 3 "$what: LANG=vi_VN.UTF-8 --version >/dev/full"
  expect_err "stdout: lỗi khi ghi" "$what: LANG=vi_VN.UTF-8 speaks Vietnamese"
  env -u LANG LANGUAGE=vi "$p/bin/mystery-shopper" --version >/dev/full 2>"$TMP/err"
  expect_err "stdout: lỗi khi ghi" "$what: LANGUAGE=vi speaks Vietnamese"
  env LC_ALL=C LANGUAGE=vi "$p/bin/mystery-shopper" --version >/dev/full 2>"$TMP/err"
  expect_err "stdout: write error" "$what: LC_ALL=C keeps English"
  [ -f "$mo" ] || return
  mv "$mo" "$TMP/moved-away.mo"
  env LANG=vi_VN.UTF-8 "$p/bin/mystery-shopper" --version >/dev/full 2>"$TMP/err"
  expect_err "stdout: write error" "$what: without its catalogue the installed tool is English"
  mv "$TMP/moved-away.mo" "$mo"
}

# DESTDIR, as packagers install: the configured prefix under a staging root.
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$BUILD/CMakeCache.txt")
DESTDIR=$TMP/stage cmake --install "$BUILD" >"$TMP/out" 2>"$TMP/err"
RC=$?
expect_rc 0 "DESTDIR=... cmake --install"
installed_ok "$TMP/stage$prefix" "DESTDIR install"

# Another prefix, then moved elsewhere: the tool finds the data beside itself.
cmake --install "$BUILD" --prefix "$TMP/opt" >"$TMP/out" 2>"$TMP/err"
RC=$?
expect_rc 0 "cmake --install --prefix"
installed_ok "$TMP/opt" "--prefix install"
mv "$TMP/opt" "$TMP/moved"
installed_ok "$TMP/moved" "a moved prefix"

# MS_DATA_DIR wins, and a name that is neither a file nor bundled is a usage error naming where
# it looked.
mkdir -p "$TMP/data/checklists"
printf '{"format": 1, "id": "from-env", "sections": []}\n' >"$TMP/data/checklists/website.json"
MS_DATA_DIR=$TMP/data MS=$TMP/moved/bin/mystery-shopper in_tmp run_ms init --from website
expect_rc 0 "init --from with MS_DATA_DIR"
expect_out '"from-env"' "MS_DATA_DIR is where the bundled checklists come from"
MS=$TMP/moved/bin/mystery-shopper in_tmp run_ms init --from no-such-checklist
expect_rc 2 "init --from an unknown name"
expect_err "--from no-such-checklist: no such file, nor a bundled checklist: $TMP/moved/share/mystery-shopper/checklists/no-such-checklist.json" "names where it looked"
# A file wins over a bundled name, and any path works.
printf '{"format": 1, "id": "a-file", "sections": []}\n' >"$TMP/website"
MS=$TMP/moved/bin/mystery-shopper in_tmp run_ms init --from website
expect_out '"a-file"' "a file named like a bundled checklist is the file"
rm "$TMP/website"
run_ms init --from "$SRC/checklists/api.json" -o "$TMP/api.json"
cmp -s "$TMP/api.json" "$SRC/checklists/api.json" && ok || bad "init --from PATH copies the file"
run_ms init --from "$SRC/checklists/api.json" -o "$TMP/api.json"
expect_rc 2 "init --from over an existing file"
expect_err "api.json exists; use --force to replace it" "says how"
run_ms init --from website --url http://127.0.0.1:9/
expect_rc 2 "init --from with --url"
# The build tree's binary finds the sources' checklists (a link in the build tree).
in_tmp run_ms init --from vi/hotline
expect_rc 0 "init --from vi/hotline from the build tree"
cmp -s "$TMP/out" "$SRC/checklists/vi/hotline.json" && ok || bad "the build tree's vi/hotline"

# The README's install block: into a temporary prefix, the tool run from it.
python3 "$SRC/tests/cli/readme_blocks.py" "$SRC/README.md" install >"$TMP/install.cmds" ||
  bad "README: no install block"
mkdir -p "$TMP/readme"
i=0
while IFS= read -r -d '' cmd; do
  i=$((i + 1))
  orig=$cmd
  case $cmd in
  "scripts/build"*) cmd="true${cmd#scripts/build}" ;; # built already, by ctest's build
  "cmake --install build --prefix ~/.local"*)
    cmd="cmake --install \"$BUILD\" --prefix \"$TMP/home-local\"${cmd#cmake --install build --prefix ~/.local}" ;;
  "mystery-shopper "*) cmd="\"$TMP/home-local/bin/mystery-shopper\"${cmd#mystery-shopper}" ;;
  esac
  [ "$cmd" != "$orig" ] && ok || bad "README install block: nothing to substitute in '$orig'"
  (cd "$TMP/readme" && bash -c "$cmd") </dev/null >"$TMP/out" 2>"$TMP/err"
  RC=$?
  expect_rc 0 "README install block, command $i: $orig"
done <"$TMP/install.cmds"
[ "$i" -eq 3 ] && ok || bad "README install block: $i commands, expected 3"
MS=$TMP/home-local/bin/mystery-shopper run_ms validate "$TMP/readme/my-site.json"
expect_rc 0 "the README's install block made a checklist that validates"
finish
