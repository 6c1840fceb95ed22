#include "ms/init.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ms/buf.h"
#include "ms/alloc.h"
#include "ms/fileio.h"
#include "ms/i18n.h"
#include "ms/jsontext.h"
#include "ms/url.h"

void ms_slug(const char *text, const char *dflt, char *out, size_t outlen)
{
    size_t n = 0;
    bool dash = false;
    for (const char *p = text; *p && n + 1 < outlen && n < 40; p++) {
        if (isalnum((unsigned char)*p)) {
            if (dash && n > 0)
                out[n++] = '-';
            if (n + 1 < outlen)
                out[n++] = (char)tolower((unsigned char)*p);
            dash = false;
        } else {
            dash = true;
        }
    }
    out[n] = '\0';
    if (n == 0)
        snprintf(out, outlen, "%s", dflt);
}

/* Append item to arr, or free it when that fails (arr NULL, memory out): never a leak. */
static void push(cJSON *arr, cJSON *item)
{
    if (!cJSON_AddItemToArray(arr, item))
        cJSON_Delete(item);
}

/* Is s already an id as ms_slug makes them (any length)? */
static bool is_slug(const char *s)
{
    if (!*s || *s == '-')
        return false;
    for (const char *p = s; *p; p++) {
        bool ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                  (*p == '-' && p[1] != '-' && p[1] != '\0');
        if (!ok)
            return false;
    }
    return true;
}

static bool id_used(const cJSON *ids, const char *id)
{
    for (const cJSON *it = ids->child; it; it = it->next)
        if (strcmp(it->valuestring, id) == 0)
            return true;
    return false;
}

/* A check for url (u its parts): relative to {{base}} when it has the first URL's origin. */
static cJSON *page_check(const char *url, const ms_url *u, const ms_url *first, cJSON *ids)
{
    /* ids from ms_slug are at most 40 characters: base_id and "-N" always fit */
    char id[64], base_id[48];
    ms_buf title, templated, rest, other;
    bool same = strcmp(u->origin, first->origin) == 0;
    ms_buf_init(&title, 0);
    ms_buf_init(&templated, 0);
    ms_buf_init(&rest, 0);
    ms_buf_init(&other, 0);
    /* what follows the origin: "/path?query#fragment" */
    ms_buf_adds(&rest, u->path);
    if (u->query)
        ms_buf_printf(&rest, "?%s", u->query);
    if (u->fragment)
        ms_buf_printf(&rest, "#%s", u->fragment);
    const char *path = same ? ms_buf_str(&rest) : url;
    if (strcmp(path, "/") == 0) {
        snprintf(base_id, sizeof base_id, "home");
        ms_buf_adds(&title, "The home page opens quickly");
    } else {
        /* another host's URL: its id comes from the host, port and path, not the scheme (nor
         * the user and password) */
        ms_buf_adds(&other, u->host);
        if (u->port)
            ms_buf_printf(&other, ":%s", u->port);
        ms_buf_adds(&other, ms_buf_str(&rest));
        ms_slug(same ? path : ms_buf_str(&other), "page", base_id, sizeof base_id);
        /* a title stays short: a long path is cut on a character boundary, and says so */
        size_t n = ms_utf8_prefix(path, strlen(path), 200);
        ms_buf_add(&title, path, n);
        ms_buf_printf(&title, "%s opens quickly", path[n] ? "..." : "");
    }
    snprintf(id, sizeof id, "%s", base_id);
    for (int n = 2; id_used(ids, id); n++)
        snprintf(id, sizeof id, "%s-%d", base_id, n);
    push(ids, cJSON_CreateString(id));
    if (same)
        ms_buf_printf(&templated, "{{base}}%s", ms_buf_str(&rest));
    else
        ms_buf_adds(&templated, url);

    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "id", id);
    cJSON_AddStringToObject(c, "kind", "http");
    cJSON_AddStringToObject(c, "title", ms_buf_str(&title));
    cJSON *req = cJSON_AddObjectToObject(c, "request");
    cJSON_AddStringToObject(req, "url", ms_buf_str(&templated));
    cJSON_AddStringToObject(c, "fix", "Cache the page and cut the work done before the first byte");
    if (title.failed || templated.failed || rest.failed || other.failed) {
        cJSON_Delete(c); /* never a check with an empty title or URL */
        c = NULL;
    }
    ms_buf_cleanup(&title);
    ms_buf_cleanup(&templated);
    ms_buf_cleanup(&rest);
    ms_buf_cleanup(&other);
    return c;
}

static cJSON *manual(const char *id, const char *kind, const char *title, const char *prompt,
                     const char *fix)
{
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "id", id);
    cJSON_AddStringToObject(c, "kind", kind);
    cJSON_AddStringToObject(c, "title", title);
    cJSON_AddStringToObject(c, "prompt", prompt);
    cJSON_AddStringToObject(c, "fix", fix);
    return c;
}

static cJSON *hotline_section(cJSON *ids)
{
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "id", id_used(ids, "hotline") ? "hotline-walk" : "hotline");
    cJSON_AddStringToObject(s, "title", "The hotline");
    cJSON_AddStringToObject(s, "factor", "people");
    cJSON_AddStringToObject(s, "owner", "customer service");
    cJSON *checks = cJSON_AddArrayToObject(s, "checks");

    cJSON *wait = manual("hotline-wait", "stopwatch", "A person answers the hotline quickly",
                         "Call the hotline as a customer. Press Enter when you finish dialling "
                         "and Enter again when a person speaks.",
                         "Staff the hotline for its peak hours; offer a call-back instead of a "
                         "queue");
    cJSON_AddStringToObject(wait, "factor", "convenience");
    cJSON *budget = cJSON_AddObjectToObject(wait, "budget");
    cJSON_AddNumberToObject(budget, "total_ms", 20000); /* the 80/20 service level */
    push(checks, wait);

    cJSON *friendly =
        manual("hotline-friendly", "rating", "The agent is friendly and polite",
               "How friendly and polite was the agent? 1 = rude, 5 = warm and respectful.",
               "Train phone manner: greet, give a name, thank, never blame the customer");
    cJSON *scale = cJSON_AddArrayToObject(friendly, "scale");
    push(scale, cJSON_CreateNumber(1));
    push(scale, cJSON_CreateNumber(5));
    cJSON_AddNumberToObject(friendly, "pass", 4);
    push(checks, friendly);

    cJSON *first = manual("hotline-first-call", "yesno", "Resolved on the first call",
                          "Was your request resolved during the first call?",
                          "Give first-line agents the rights to resolve common requests");
    cJSON_AddStringToObject(first, "good", "yes");
    cJSON_AddStringToObject(first, "factor", "product");
    push(checks, first);
    return s;
}

/* The starter checklist; NULL when memory ran out in a buffer (cJSON's own failures are counted
 * by the caller). */
static cJSON *build(const ms_options *o, const ms_url *urls)
{
    const char *host = urls[0].host;
    bool nomem = false;
    char slug[64];
    ms_buf title;
    cJSON *ids = cJSON_CreateArray(); /* every id used, to keep them unique */
    cJSON *root = cJSON_CreateObject();
    ms_buf_init(&title, 0);
    if (!ids || !root) { /* counted as out of memory by the caller */
        cJSON_Delete(ids);
        cJSON_Delete(root);
        return NULL;
    }
    if (!o->init_id)
        ms_slug(host, "site", slug, sizeof slug);
    if (o->init_title)
        ms_buf_adds(&title, o->init_title);
    else
        ms_buf_printf(&title, "%s: the king's walk in disguise", host);
    cJSON_AddNumberToObject(root, "format", 1);
    cJSON_AddStringToObject(root, "id", o->init_id ? o->init_id : slug);
    cJSON_AddStringToObject(root, "title", ms_buf_str(&title));
    nomem = title.failed;
    ms_buf_cleanup(&title);
    cJSON_AddStringToObject(root, "description",
                            "A starter checklist written by mystery-shopper init. Budgets follow "
                            "web.dev's guidance: time to first byte 800 ms, the page in 1 s.");
    cJSON *vars = cJSON_AddObjectToObject(root, "vars");
    cJSON_AddStringToObject(vars, "base", urls[0].origin);
    cJSON *d = cJSON_AddObjectToObject(root, "defaults");
    cJSON_AddNumberToObject(d, "samples", 5);
    cJSON_AddNumberToObject(d, "timeout_ms", 10000);
    cJSON_AddStringToObject(d, "connection", "cold");
    cJSON *budget = cJSON_AddObjectToObject(d, "budget");
    cJSON_AddNumberToObject(budget, "ttfb_ms", 800);
    cJSON_AddNumberToObject(budget, "total_ms", 1000);
    cJSON_AddStringToObject(d, "stat", "median");
    cJSON_AddStringToObject(d, "factor", "convenience");
    cJSON_AddStringToObject(d, "audience", "external");
    cJSON *sections = cJSON_AddArrayToObject(root, "sections");
    cJSON *pages = cJSON_CreateObject();
    cJSON_AddStringToObject(pages, "id", "pages");
    push(ids, cJSON_CreateString("pages"));
    cJSON_AddStringToObject(pages, "title", "The pages a customer opens");
    cJSON_AddStringToObject(pages, "owner", "web team");
    cJSON *checks = cJSON_AddArrayToObject(pages, "checks");
    for (size_t i = 0; i < o->nurls && !nomem; i++) {
        cJSON *c = page_check(o->urls[i], &urls[i], &urls[0], ids);
        nomem = c == NULL;
        push(checks, c);
    }
    push(sections, pages);
    if (o->with_hotline)
        push(sections, hotline_section(ids));
    cJSON_Delete(ids);
    if (nomem) {
        cJSON_Delete(root);
        root = NULL;
    }
    return root;
}

#ifndef MS_DATADIR
#define MS_DATADIR "/usr/local/share/mystery-shopper"
#endif
#ifndef MS_DATADIR_FROM_BIN
#define MS_DATADIR_FROM_BIN "../share/mystery-shopper"
#endif

/* *yes when the directory in b has a checklists/ folder; then b holds its real path (no "..").
 * MS_ERR_NOMEM when memory ran out. */
static ms_status has_checklists(ms_buf *b, bool *yes)
{
    ms_status rc = MS_OK;
    struct stat st;
    char *real = b->failed ? NULL : realpath(ms_buf_str(b), NULL);
    if (b->failed || (!real && errno == ENOMEM))
        rc = MS_ERR_NOMEM;
    ms_buf_adds(b, "/checklists");
    if (b->failed) /* ms_buf_reset forgets it */
        rc = MS_ERR_NOMEM;
    *yes = real && !b->failed && stat(ms_buf_str(b), &st) == 0 && S_ISDIR(st.st_mode);
    ms_buf_reset(b);
    if (*yes)
        ms_buf_adds(b, real);
    if (b->failed)
        rc = MS_ERR_NOMEM;
    free(real);
    return rc;
}

ms_status ms_data_dir(char **out)
{
    ms_status rc = MS_OK;
    ms_buf b;
    char exe[4096];
    bool found = false;
    *out = NULL;
    ms_buf_init(&b, 0);
    const char *env = getenv("MS_DATA_DIR");
    if (env && *env) {
        ms_buf_adds(&b, env);
        goto out;
    }
    /* Linux names the running executable, links resolved, in /proc/self/exe */
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0 && exe[0] == '/') {
        exe[n] = '\0';
        *strrchr(exe, '/') = '\0'; /* the executable's directory */
        /* installed: BINDIR/../share/mystery-shopper, wherever the prefix was moved to */
        ms_buf_printf(&b, "%s/%s", *exe ? exe : "/", MS_DATADIR_FROM_BIN);
        if ((rc = has_checklists(&b, &found)) != MS_OK || found)
            goto out;
        /* the build tree: CMake links BUILD/share/mystery-shopper/checklists to the sources' */
        ms_buf_printf(&b, "%s/share/mystery-shopper", exe);
        if ((rc = has_checklists(&b, &found)) != MS_OK || found)
            goto out;
    }
    ms_buf_reset(&b);
    ms_buf_adds(&b, MS_DATADIR);
out:
    *out = rc == MS_OK ? ms_buf_take(&b) : NULL;
    if (!*out)
        rc = MS_ERR_NOMEM;
    ms_buf_cleanup(&b);
    return rc;
}

/* Is name one a bundled checklist can have: [a-z0-9-] words joined by '/' ("vi/hotline"),
 * starting with a letter or digit? */
static bool is_bundled_name(const char *name)
{
    bool ok = (*name >= 'a' && *name <= 'z') || (*name >= '0' && *name <= '9');
    for (const char *p = name; *p && ok; p++) {
        bool word = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-';
        ok = word || (*p == '/' && p != name && p[1] && p[1] != '/');
    }
    return ok;
}

/* init --from NAME: a copy of the checklist file NAME, or, when there is no such file, of the
 * bundled checklist NAME (DATADIR/checklists/NAME.json), written as init writes. */
static ms_status init_from(const ms_options *o)
{
    ms_status rc = MS_OK;
    char *dir = NULL, *text = NULL;
    char why[256];
    size_t len = 0;
    struct stat st;
    ms_buf path;
    ms_buf_init(&path, 0);
    if (stat(o->init_from, &st) == 0 || !is_bundled_name(o->init_from)) {
        ms_buf_adds(&path, o->init_from);
    } else {
        if ((rc = ms_data_dir(&dir)) != MS_OK)
            goto out;
        ms_buf_printf(&path, "%s/checklists/%s.json", dir, o->init_from);
    }
    if (path.failed) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    rc = ms_read_file(ms_buf_str(&path), &text, &len, why, sizeof why);
    if (rc == MS_ERR_IO && dir)
        ms_errorf(_("--from %s: no such file, nor a bundled checklist: %s: %s (MS_DATA_DIR sets "
                    "the data directory)"),
                  o->init_from, ms_buf_str(&path), why);
    else if (rc == MS_ERR_IO)
        ms_errorf(_("--from %s: %s"), o->init_from, why);
    if (rc == MS_ERR_IO)
        rc = MS_ERR_USAGE;
    if (rc != MS_OK)
        goto out;
    rc = ms_write_file_atomic(o->output ? o->output : "-", text, len);
    if (rc == MS_OK && o->output && strcmp(o->output, "-") != 0)
        ms_fprintf_line(stderr,
                        _("mystery-shopper: wrote %s from %s; try: mystery-shopper validate %s"),
                        o->output, ms_buf_str(&path), o->output);
out:
    ms_buf_cleanup(&path);
    free(dir);
    free(text);
    return rc;
}

ms_status ms_cmd_init(const ms_options *o)
{
    ms_status rc = MS_OK;
    ms_url *urls = NULL;
    cJSON *doc = NULL;
    char *text = NULL;
    struct stat st;

    urls = calloc(o->nurls + 1, sizeof *urls);
    if (!urls)
        return MS_ERR_NOMEM;
    for (size_t i = 0; i < o->nurls; i++) {
        const char *why = NULL;
        rc = ms_url_parse(o->urls[i], &urls[i], &why);
        if (rc == MS_ERR_NOMEM)
            goto out;
        bool http = rc == MS_OK &&
                    (strcmp(urls[i].scheme, "http") == 0 || strcmp(urls[i].scheme, "https") == 0);
        /* a template's braces or a quote would not stay a URL in the checklist */
        if (!http || strpbrk(o->urls[i], " \t\r\n\"{}")) {
            if (why)
                ms_errorf(_("--url %s: not an http:// or https:// address (libcurl: %s)"),
                          o->urls[i], why);
            else
                ms_errorf(_("--url %s: not an http:// or https:// address"), o->urls[i]);
            rc = MS_ERR_USAGE;
            goto out;
        }
    }
    if (o->init_id) {
        char slug[64];
        ms_slug(o->init_id, "", slug, sizeof slug);
        if (!is_slug(o->init_id)) {
            ms_errorf(_("--id %s: use lower-case letters, digits and '-' (such as \"%s\")"),
                      o->init_id, *slug ? slug : "my-shop");
            rc = MS_ERR_USAGE;
            goto out;
        }
    }
    if (o->output && strcmp(o->output, "-") != 0 && !o->force && stat(o->output, &st) == 0) {
        ms_errorf(_("%s exists; use --force to replace it"), o->output);
        rc = MS_ERR_USAGE;
        goto out;
    }
    if (o->init_from) { /* nurls is 0: the command line takes one or the other */
        rc = init_from(o);
        goto out;
    }
    /* A cJSON call that failed leaves a member out and says only NULL: the failures are
     * counted around the whole build instead (ms/alloc.h), never a starter with a piece gone. */
    unsigned long failures = ms_alloc_failures();
    doc = build(o, urls);
    if (!doc || ms_alloc_failures() != failures) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    if ((rc = ms_json_print_2(doc, &text)) != MS_OK)
        goto out;
    rc = ms_write_file_atomic(o->output ? o->output : "-", text, strlen(text));
    if (rc == MS_OK && o->output && strcmp(o->output, "-") != 0)
        ms_fprintf_line(stderr, _("mystery-shopper: wrote %s; try: mystery-shopper run %s"),
                        o->output, o->output);
out:
    for (size_t i = 0; i < o->nurls; i++)
        ms_url_cleanup(&urls[i]);
    free(urls);
    free(text);
    cJSON_Delete(doc);
    return rc;
}
