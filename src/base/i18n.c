/* The messages' language: the locale's LC_MESSAGES and the catalogue's place (ms/i18n.h). */
#include "ms/i18n.h"

#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MS_LOCALEDIR
#define MS_LOCALEDIR "/usr/local/share/locale"
#endif
#ifndef MS_LOCALEDIR_FROM_BIN
#define MS_LOCALEDIR_FROM_BIN "../share/locale"
#endif

static const char *first_set(const char *const *names)
{
    for (; *names; names++) {
        const char *v = getenv(*names);
        if (v && *v)
            return v;
    }
    return NULL;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Whether snprintf's path in out (outlen bytes) was whole and names a directory. */
static bool whole_dir(int n, const char *out, size_t outlen)
{
    return n > 0 && (size_t)n < outlen && is_dir(out);
}

/* The catalogues' directory into out: see ms_i18n_init. */
static void locale_dir(char *out, size_t outlen)
{
    char exe[4096];
    const char *env = getenv("MS_LOCALE_DIR");
    ssize_t n = env && *env ? -1 : readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0 && exe[0] == '/') {
        exe[n] = '\0';
        *strrchr(exe, '/') = '\0'; /* the executable's directory */
        /* the build tree first: CMake compiles the catalogues into BUILD/share/locale */
        if (whole_dir(snprintf(out, outlen, "%s/share/locale", exe), out, outlen) ||
            whole_dir(snprintf(out, outlen, "%s/%s", exe, MS_LOCALEDIR_FROM_BIN), out, outlen))
            return;
    }
    snprintf(out, outlen, "%s", env && *env ? env : MS_LOCALEDIR);
}

void ms_i18n_init(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG", NULL};
    char dir[4096];
    const char *name = first_set(vars);
    const char *language = getenv("LANGUAGE");
    bool explicit_c = name && (!strcmp(name, "C") || !strcmp(name, "POSIX"));
    /* gettext ignores LANGUAGE in the C locale, so the messages' locale is C.UTF-8 whenever the
     * environment's cannot be set: a locale the system has not generated still names its
     * language (through LANGUAGE, unless the user set that), and LANGUAGE alone selects one.
     * LC_ALL=C (or LANG=C) keeps the messages English, as scripts expect. */
    if (!explicit_c && !setlocale(LC_MESSAGES, "")) {
        if (name && !(language && *language))
            setenv("LANGUAGE", name, 1);
        setlocale(LC_MESSAGES, "C.UTF-8");
    } else if (!explicit_c && !name && language && *language) {
        setlocale(LC_MESSAGES, "C.UTF-8");
    }
    locale_dir(dir, sizeof dir);
    bindtextdomain(MS_TEXTDOMAIN, dir);
    bind_textdomain_codeset(MS_TEXTDOMAIN, "UTF-8"); /* the terminal code assumes UTF-8 */
    textdomain(MS_TEXTDOMAIN);
}

const char *ms_pgettext(const char *key, const char *s)
{
    const char *t = gettext(key);
    return t == key ? s : t; /* gettext returns its argument when there is no translation */
}
