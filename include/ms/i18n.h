/* Messages a person reads, in the auditor's language (GNU gettext; docs/translating.md).
 * Mark a message with _("...") where it is used, C_("context", "...") when its
 * English also serves another use, N_("...") where it is only stored (a table) and
 * translated later with _(), ngettext(one, many, n) where a number meets a word. Machine formats
 * (JSON, JUnit, metrics, Markdown table keys, the history database) are never translated. Never
 * _("") (gettext gives the catalogue's header for it). */
#ifndef MS_I18N_H
#define MS_I18N_H

#include <libintl.h>

#define MS_TEXTDOMAIN "mystery-shopper"

#define _(s)  gettext(s)
#define N_(s) (s)
/* A message whose English serves unrelated uses ("FAILED" over a column of counts, "FAILED" on a
 * sample): C_("context", "message"), the context a msgctxt in the catalogue. */
#define C_(ctx, s) ms_pgettext(ctx "\004" s, s)

/* The translation of the key context EOT message, or s when the catalogue has none. */
const char *ms_pgettext(const char *key, const char *s);

/* Select the messages' language from the environment and bind the catalogue: once, at the start
 * of main, after setlocale(LC_CTYPE). LC_ALL, LC_MESSAGES, LANG and LANGUAGE as gettext reads them;
 * a locale the system has not generated (LANG=vi_VN.UTF-8 on a fresh Debian) still selects its
 * language. The catalogues come from $MS_LOCALE_DIR, else beside the executable
 * (BINDIR/share/locale in the build tree, BINDIR/../share/locale installed), else the compiled-in
 * MS_LOCALEDIR. English (the messages as written) when no catalogue matches. */
void ms_i18n_init(void);

#endif
