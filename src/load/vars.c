/* Checklist variables and their substitution, with the escaping chosen by the context the value
 * lands in; values from the environment are gathered as the plan's secrets. */
#include "ms/vars.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ms/buf.h"
#include "ms/fileio.h"
#include "ms/i18n.h"
#include "ms/jsontext.h"
#include "ms/util.h"

void ms_vars_init(ms_vars *v, ms_plan *plan)
{
    memset(v, 0, sizeof *v);
    ms_hindex_init(&v->index);
    v->plan = plan;
}

void ms_vars_cleanup(ms_vars *v)
{
    for (size_t i = 0; i < v->n; i++) {
        free(v->items[i].name);
        free(v->items[i].value);
        free(v->items[i].display);
    }
    free(v->items);
    ms_hindex_cleanup(&v->index);
    memset(v, 0, sizeof *v);
}

void ms_var_refs_init(ms_var_refs *r)
{
    memset(r, 0, sizeof *r);
    ms_hindex_init(&r->index);
}

void ms_var_refs_cleanup(ms_var_refs *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->names[i]);
    free(r->names);
    ms_hindex_cleanup(&r->index);
    memset(r, 0, sizeof *r);
}

/* The place of name[0, len) in r, or r->n when it is not there. */
static size_t find_ref(const ms_var_refs *r, const char *name, size_t len)
{
    size_t it = 0, i;
    uint64_t h = ms_hash_add(MS_HASH_INIT, name, len);
    while (ms_hindex_next(&r->index, h, &it, &i))
        if (strlen(r->names[i]) == len && strncmp(r->names[i], name, len) == 0)
            return i;
    return r->n;
}

bool ms_var_refs_has(const ms_var_refs *r, const char *name)
{
    return find_ref(r, name, strlen(name)) < r->n;
}

/* Add name[0, len) to r unless it is there. false when memory ran out. */
static bool add_ref(ms_var_refs *r, const char *name, size_t len)
{
    if (find_ref(r, name, len) < r->n)
        return true;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        char **grown =
            cap >= SIZE_MAX / sizeof *grown ? NULL : realloc(r->names, (cap + 1) * sizeof *grown);
        if (!grown)
            return false;
        r->names = grown;
        r->cap = cap;
    }
    char *copy = strndup(name, len);
    if (!copy || ms_hindex_add(&r->index, ms_hash_add(MS_HASH_INIT, name, len), r->n) != MS_OK) {
        free(copy);
        return false;
    }
    r->names[r->n++] = copy;
    r->names[r->n] = NULL;
    return true;
}

static ms_var_value *find_var(const ms_vars *v, const char *name, size_t len)
{
    size_t it = 0, i;
    uint64_t h = ms_hash_add(MS_HASH_INIT, name, len);
    while (ms_hindex_next(&v->index, h, &it, &i))
        if (strlen(v->items[i].name) == len && strncmp(v->items[i].name, name, len) == 0)
            return &v->items[i];
    return NULL;
}

/* Keep an environment variable's value as a secret; remember the names of those too short to
 * hide, which run refuses. */
static void add_secret(ms_vars *v, ms_fields *f, const char *name, const char *value)
{
    ms_plan *p = v->plan;
    if (ms_secrets_add(&p->secrets, value) != MS_OK)
        f->nomem = true;
    if (ms_utf8_length(value, strlen(value)) >= MS_SECRET_MIN)
        return; /* characters, not bytes: "ééé" is as short as "abc" */
    for (size_t i = 0; i < p->nshort_secrets; i++)
        if (strcmp(p->short_secrets[i], name) == 0)
            return;
    char **grown = realloc(p->short_secrets, (p->nshort_secrets + 1) * sizeof *grown);
    if (!grown) {
        f->nomem = true;
        return;
    }
    p->short_secrets = grown;
    if ((p->short_secrets[p->nshort_secrets] = strdup(name)))
        p->nshort_secrets++;
    else
        f->nomem = true;
}

/* "Did you mean" lookups a file may make: each scans every variable, so a file with many
 * unknown variables and many known ones would take their product; past this the message
 * suggests nothing (the first ones are the ones read). */
#define MS_VARS_MAX_SUGGESTIONS 100

/* The known variable nearest to name[0, len) ("did you mean"), or NULL. */
static const char *nearest_var(ms_vars *v, const char *name, size_t len, bool *nomem)
{
    const char *near = NULL;
    char *word = NULL;
    const char **names = NULL;
    if (v->n == 0 || v->suggested >= MS_VARS_MAX_SUGGESTIONS)
        goto out;
    v->suggested++;
    word = strndup(name, len);
    names = calloc(v->n + 1, sizeof *names);
    if (!word || !names) {
        *nomem = true;
        goto out;
    }
    for (size_t i = 0; i < v->n; i++)
        names[i] = v->items[i].name;
    near = ms_did_you_mean(word, names);
out:
    free(names);
    free(word);
    return near; /* points into v->items, which outlive the message */
}

/* Add the value val to b, without its one trailing '/' when the text goes on with '/' (next):
 * {{base}}/path with base "https://x/" is "https://x/path", not "https://x//path". */
static void add_value(ms_buf *b, const char *val, const char *next, bool json)
{
    size_t n = strlen(val);
    if (*next == '/' && n > 0 && val[n - 1] == '/')
        n--;
    if (json) {
        char *cut = strndup(val, n);
        if (!cut)
            b->failed = true;
        else
            ms_buf_add_json(b, cut);
        free(cut);
    } else {
        ms_buf_add(b, val, n);
    }
}

/* Follow the JSON string state over the literal text s[0, n). */
static void json_state(const char *s, size_t n, bool *in_string, bool *escaped)
{
    for (size_t i = 0; i < n; i++) {
        if (!*in_string)
            *in_string = s[i] == '"';
        else if (*escaped)
            *escaped = false;
        else if (s[i] == '\\')
            *escaped = true;
        else if (s[i] == '"')
            *in_string = false;
    }
}

bool ms_vars_substitute(ms_vars *vars, ms_fields *f, const char *s, const char *path, ms_subst ctx,
                        char **value, char **display)
{
    ms_buf v, d, envname;
    bool ok = true, in_string = false, escaped = false;
    bool env_only = ctx == MS_SUBST_VAR;
    if (!strstr(s, "{{")) {
        /* Most use no variable: copies of their own size, not of a buffer's (a URL of 46 bytes
         * took 64), as a plan of many checks keeps them. */
        *value = strdup(s);
        *display = strdup(s);
        if (!*value || !*display)
            f->nomem = true;
        return *value && *display;
    }
    ms_buf_init(&v, 0);
    ms_buf_init(&d, 0);
    ms_buf_init(&envname, 0);
    const char *p = s;
    while (*p) {
        const char *open = strstr(p, "{{");
        if (!open) {
            ms_buf_adds(&v, p);
            ms_buf_adds(&d, p);
            break;
        }
        ms_buf_add(&v, p, (size_t)(open - p));
        ms_buf_add(&d, p, (size_t)(open - p));
        json_state(p, (size_t)(open - p), &in_string, &escaped);
        const char *close = strstr(open + 2, "}}");
        if (!close) {
            ms_fields_err(f, path, false, N_("\"{{\" without a closing \"}}\""));
            ok = false;
            break;
        }
        const char *name = open + 2;
        size_t len = (size_t)(close - name);
        while (len && isspace((unsigned char)*name)) {
            name++;
            len--;
        }
        while (len && isspace((unsigned char)name[len - 1]))
            len--;
        const char *val = NULL, *shown = NULL;
        if (len > 4 && strncmp(name, "env.", 4) == 0) {
            ms_buf_reset(&envname);
            ms_buf_add(&envname, name + 4, len - 4);
            const char *ev = getenv(ms_buf_str(&envname));
            if (!ev && f->warnings) {
                ms_fields_warn(f, path, N_("environment variable %s is not set (run needs it)"),
                               ms_buf_str(&envname));
                vars->unset_env++;
                ms_buf_add(&v, open, (size_t)(close + 2 - open));
                ms_buf_add(&d, open, (size_t)(close + 2 - open));
            } else if (!ev) {
                ms_fields_err(f, path, false, N_("environment variable %s is not set"),
                              ms_buf_str(&envname));
                ok = false;
            } else {
                val = ev;
                shown = "***";
                add_secret(vars, f, ms_buf_str(&envname), ev);
            }
        } else {
            const ms_var_value *x = env_only ? NULL : find_var(vars, name, len);
            if (!env_only && vars->refs && !add_ref(vars->refs, name, len))
                f->nomem = true;
            if (env_only) {
                ms_fields_err(f, path, false,
                              N_("a variable's value may use only {{env.NAME}}, not {{%.*s}}"),
                              (int)len, name);
                ok = false;
            } else if (!x) {
                bool nomem = false;
                const char *near = nearest_var(vars, name, len, &nomem);
                if (near)
                    ms_fields_err(f, path, false,
                                  N_("unknown variable {{%.*s}} (did you mean {{%s}}?)"), (int)len,
                                  name, near);
                else
                    ms_fields_err(
                        f, path, false,
                        N_("unknown variable {{%.*s}} (define it in \"vars\" or with --var)"),
                        (int)len, name);
                f->nomem = f->nomem || nomem;
                ok = false;
            } else {
                val = x->value;
                shown = x->display;
            }
        }
        /* Inside a string of JSON text a value is escaped as a JSON string; URLs and header
         * values take it as it is (what they cannot hold is refused after substitution). */
        if (val) {
            bool json = ctx == MS_SUBST_JSON && in_string;
            add_value(&v, val, close + 2, json);
            add_value(&d, shown, close + 2, json);
        }
        p = close + 2;
    }
    *value = ms_buf_take(&v);
    *display = ms_buf_take(&d);
    if (!*value || !*display || envname.failed) {
        f->nomem = true;
        ok = false;
    }
    ms_buf_cleanup(&envname);
    return ok;
}

/* Set name to value and display (taken; NULL: memory ran out before). */
static void set_var(ms_vars *v, ms_fields *f, const char *name, char *value, char *display)
{
    ms_var_value *old = find_var(v, name, strlen(name));
    if (old && value && display) {
        free(old->value);
        free(old->display);
        old->value = value;
        old->display = display;
        return;
    }
    char *copy = old ? NULL : strdup(name);
    if (!old && copy && v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        ms_var_value *grown =
            cap > SIZE_MAX / sizeof *grown ? NULL : realloc(v->items, cap * sizeof *grown);
        if (grown) {
            v->items = grown;
            v->cap = cap;
        }
    }
    if (old || !copy || !value || !display || v->n == v->cap ||
        ms_hindex_add(&v->index, ms_hash_str(name), v->n) != MS_OK) {
        f->nomem = true;
        free(copy);
        free(value);
        free(display);
        return;
    }
    v->items[v->n++] = (ms_var_value){copy, value, display};
}

void ms_vars_load(ms_vars *v, ms_fields *f, const cJSON *vars, const ms_var *cli, size_t ncli)
{
    if (vars && ms_field_object(f, vars, "vars")) {
        for (const cJSON *it = vars->child; it; it = it->next) {
            char *p = ms_fields_path(f, "vars", it->string);
            char *value = NULL, *display = NULL;
            if (!ms_valid_id(it->string))
                ms_fields_err(f, p, true, N_("\"%s\" is not a valid variable name"), it->string);
            else if (ms_field_string(f, it, p) &&
                     ms_vars_substitute(v, f, it->valuestring, p, MS_SUBST_VAR, &value, &display))
                set_var(v, f, it->string, value, display);
            else {
                free(value);
                free(display);
            }
            free(p);
        }
    }
    for (size_t i = 0; i < ncli; i++)
        set_var(v, f, cli[i].name, ms_fields_strdup(f, cli[i].value),
                ms_fields_strdup(f, cli[i].value));
}

void ms_vars_file_cleanup(ms_vars_file *vf)
{
    cJSON_Delete(vf->doc);
    free(vf->vars);
    memset(vf, 0, sizeof *vf);
}

/* The members of the vars file's object: each a variable, or a problem at its place. */
static void vars_file_members(ms_fields *f, ms_vars_file *vf)
{
    ms_hindex seen;
    ms_hindex_init(&seen);
    size_t n = (size_t)cJSON_GetArraySize(vf->doc);
    vf->vars = ms_fields_alloc(f, calloc(n ? n : 1, sizeof *vf->vars));
    size_t *times = ms_fields_alloc(f, calloc(n ? n : 1, sizeof *times)); /* by place in vars */
    for (const cJSON *it = vf->doc->child; it && vf->vars && times; it = it->next) {
        char *p = ms_fields_path(f, "", it->string);
        uint64_t h = ms_hash_str(it->string);
        size_t cur = 0, j;
        bool twice = false;
        while (!twice && ms_hindex_next(&seen, h, &cur, &j))
            twice = strcmp(vf->vars[j].name, it->string) == 0;
        if (p && twice) {
            /* placed at the repeat, which the position index names "name#2", "name#3"... */
            ms_buf where;
            ms_buf_init(&where, 0);
            ms_buf_printf(&where, "%s#%zu", p, ++times[j] + 1);
            char *w = ms_fields_alloc(f, ms_buf_take(&where));
            if (w)
                ms_fields_err_at(f, w, p, N_("variable \"%s\" is given twice"), it->string);
            free(w);
        } else if (!p) {
            /* nomem is set */
        } else if (strncmp(it->string, "env.", 4) == 0) {
            ms_fields_err(
                f, p, true,
                N_("{{%s}} comes from the environment, not from a vars file: run with %s=VALUE "
                   "in the environment"),
                it->string, it->string + 4);
        } else if (!ms_valid_id(it->string)) {
            ms_fields_err(f, p, true, N_("\"%s\" is not a valid variable name"), it->string);
        } else if (ms_field_string(f, it, p)) {
            if (ms_hindex_add(&seen, h, vf->n) != MS_OK)
                f->nomem = true;
            vf->vars[vf->n++] = (ms_var){it->string, it->valuestring};
        }
        free(p);
    }
    free(times);
    ms_hindex_cleanup(&seen);
}

ms_status ms_vars_file_read(const char *path, ms_diag *diag, ms_vars_file *out, char *why,
                            size_t whylen)
{
    char *text = NULL;
    size_t len = 0;
    ms_jsonpos *pos = NULL;
    ms_json_error jerr = {0, 0, NULL, NULL};
    ms_fields f = {.file = path, .diag = diag};
    memset(out, 0, sizeof *out);
    ms_status rc = ms_read_file(path, &text, &len, why, whylen);
    if (rc != MS_OK) {
        if (rc != MS_ERR_NOMEM)
            rc = MS_ERR_USAGE;
        goto out;
    }
    rc = ms_json_parse(text, len, &out->doc, &pos, &jerr);
    if (rc == MS_ERR_INVALID &&
        ms_diag_add_text(diag, path, jerr.line, jerr.col, "", jerr.message, jerr.text) != MS_OK)
        rc = MS_ERR_NOMEM;
    if (rc != MS_OK)
        goto out;
    f.pos = pos;
    if (!cJSON_IsObject(out->doc))
        ms_fields_type_err(&f, "", N_("a vars file is a JSON object of names to strings, not %s"),
                           out->doc);
    else
        vars_file_members(&f, out);
    rc = f.nomem ? MS_ERR_NOMEM : f.errors ? MS_ERR_INVALID : MS_OK;
out:
    if (ms_diag_end_file(diag, true) != MS_OK && rc == MS_OK)
        rc = MS_ERR_NOMEM;
    ms_json_error_cleanup(&jerr);
    ms_jsonpos_free(pos);
    free(text);
    return rc;
}
