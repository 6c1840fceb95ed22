#!/usr/bin/env bash
# The auditor's language (docs/translating.md): every message the code marks has a translation
# in every catalogue (scripts/check-po, which must also fail on a missing, fuzzy or stale one),
# and the environment selects the language as gettext's users expect: LANG=vi_VN.UTF-8 whether
# or not the system has generated that locale, LANGUAGE alone, and LC_ALL=C (or LANG=C) for
# English; English without any of them.
. "$(dirname "$0")/lib.sh"

"$SRC/scripts/check-po" >"$TMP/out" 2>"$TMP/err"
RC=$?
expect_rc 0 "check-po on the tree"
expect_out "vi.po: " "check-po prints the statistics"

# check-po can fail: a copy of the catalogue against code with a new message, a fuzzy and a
# stale entry, each named with its place in the code.
mkdir -p "$TMP/po/src" "$TMP/po/po"
cp "$SRC/po/vi.po" "$TMP/po/po/vi.po"
cat >"$TMP/po/src/new.c" <<'C'
#include "ms/i18n.h"
const char *f(int n);
const char *f(int n) { return n ? ngettext("%d new check", "%d new checks", n) : _("fuzzy one"); }
C
cat >>"$TMP/po/po/vi.po" <<'PO'

#, fuzzy
msgid "fuzzy one"
msgstr "một mục chưa chắc"

msgid "a message the code no longer has"
msgstr "một thông điệp đã bỏ"
PO
cp "$SRC/src/cli/main.c" "$TMP/po/src/"
"$SRC/scripts/check-po" "$TMP/po/src" "$TMP/po/po" >"$TMP/out" 2>"$TMP/err"
RC=$?
expect_rc 1 "check-po with a missing, a fuzzy and a stale message"
expect_err "without a translation:" "check-po names the missing messages"
expect_err "new.c:3: \"%d new check\"" "check-po names the missing message and its place"
expect_err "new.c:3: \"fuzzy one\"" "check-po names the fuzzy message"
expect_err "\"a message the code no longer has\"" "check-po names the stale message"
# ...and a translation whose printf format disagrees with the message's (msgfmt --check)
cp "$SRC/po/vi.po" "$TMP/po/po/vi.po"
rm "$TMP/po/src/new.c"
sed -i 's/^msgstr "stdout: lỗi khi ghi: %s"$/msgstr "stdout: lỗi khi ghi: %d"/' "$TMP/po/po/vi.po"
"$SRC/scripts/check-po" "$TMP/po/src" "$TMP/po/po" >"$TMP/out" 2>"$TMP/err"
RC=$?
expect_rc 1 "check-po with a format that disagrees"
expect_err "format specifications" "msgfmt --check names the format"

# Every message given to a printf-like message function is marked (scripts/check-marked), and the
# loaders' problems with N_() (their English form is validate --json's); it fails on code that
# is not.
"$SRC/scripts/check-marked" >"$TMP/out" 2>&1
RC=$?
expect_rc 0 "check-marked on the tree: $(head -c 600 "$TMP/out")"
mkdir -p "$TMP/cm/src" "$TMP/cm/include"
cat >"$TMP/cm/include/f.h" <<'C'
void ms_fields_err(void *f, const char *path, int key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
C
cat >"$TMP/cm/src/a.c" <<'C'
void g(void *f, const char *x)
{
    ms_errorf("a bare message about %s", x);
    ms_errorf("%s", x);
    ms_warnf(_("a marked one"));
    ms_fields_err(f, "p", 0, _("translated too early"));
    ms_fields_err(f, "p", 0, N_("kept in English"));
}
C
"$SRC/scripts/check-marked" "$TMP/cm" >"$TMP/out" 2>&1
RC=$?
expect_rc 1 "check-marked on unmarked code"
expect_out 'src/a.c:3: ms_errorf: "a bare message about %s"' "check-marked names the bare message"
expect_out 'src/a.c:6: ms_fields_err: _("translated too early"): mark it N_()' "check-marked names the early translation"
[ "$(grep -c '^src/' "$TMP/out")" = 2 ] && ok || bad "check-marked flags only the two: $(cat "$TMP/out")"

# Which language: a write error on stdout is the message at hand (--version > /dev/full).
say() { # say WHAT ENV... : run `--version` into /dev/full under the environment, stderr to $TMP/err
  local what=$1
  shift
  env -u LANG "$@" "$MS" --version >/dev/full 2>"$TMP/err"
  RC=$?
  expect_rc 3 "$what: a write error is exit 3"
}
VI="lỗi khi ghi"
EN="stdout: write error"
say "no locale variable"
expect_err "$EN" "English by default"
say "LANG=vi_VN.UTF-8, the locale not generated" LANG=vi_VN.UTF-8
expect_err "$VI" "LANG=vi_VN.UTF-8 selects Vietnamese without the locale"
say "LANGUAGE=vi alone" LANGUAGE=vi
expect_err "$VI" "LANGUAGE=vi selects Vietnamese"
say "LANG=C.UTF-8 LANGUAGE=vi" LANG=C.UTF-8 LANGUAGE=vi
expect_err "$VI" "LANGUAGE=vi with LANG=C.UTF-8"
say "LC_ALL=C LANGUAGE=vi" LC_ALL=C LANGUAGE=vi
expect_err "$EN" "LC_ALL=C keeps English"
say "LANG=vi_VN.UTF-8 LANGUAGE=en" LANG=vi_VN.UTF-8 LANGUAGE=en
expect_err "$EN" "LANGUAGE=en wins over LANG"
say "LANG=fr_FR.UTF-8 (no catalogue)" LANG=fr_FR.UTF-8
expect_err "$EN" "a language without a catalogue is English"
say "LANG=vi_VN.UTF-8, MS_LOCALE_DIR empty of catalogues" LANG=vi_VN.UTF-8 MS_LOCALE_DIR="$TMP"
expect_err "$EN" "MS_LOCALE_DIR names where the catalogues are"
# the locale generated, as on a machine with locales-all: localedef into a LOCPATH of our own
mkdir -p "$TMP/locales"
if localedef -i vi_VN -f UTF-8 "$TMP/locales/vi_VN.UTF-8" 2>"$TMP/localedef.err" || [ -d "$TMP/locales/vi_VN.UTF-8" ]; then
  ok
  # (glibc leaks a little when it reads a LOCPATH locale: not ours, so not LeakSanitizer's business)
  say "LANG=vi_VN.UTF-8, the locale generated" LOCPATH="$TMP/locales" LANG=vi_VN.UTF-8 \
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
  expect_err "$VI" "LANG=vi_VN.UTF-8 selects Vietnamese with the locale"
else
  bad "localedef could not make vi_VN.UTF-8: $(cat "$TMP/localedef.err")"
fi
finish
