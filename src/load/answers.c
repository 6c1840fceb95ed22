/* The answers file: reading it (its problems go to the diagnostics, through the field readers
 * the checklist loader uses too), applying it to a plan, saving it, and holding it. */
#include "ms/i18n.h"
#include "ms/answers.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ms/buf.h"
#include "ms/fields.h"
#include "ms/fileio.h"
#include "ms/hash.h"
#include "ms/jsonpos.h"
#include "ms/jsontext.h"
#include "ms/util.h"

struct ms_answers {
    char *path;
    cJSON *doc;
    char *text; /* the file as read: pos refers to it */
    ms_jsonpos *pos;
    int lockfd; /* the lock held by ms_answers_lock, or -1 */
};

/* "$schema" is for editors (answers.schema.json): kept when the file is saved, never read. */
static const char *const TOP_FIELDS[] = {"format",  "auditor", "visited_at", "label",
                                         "answers", "$schema", "checklists", NULL};
static const char *const ANSWER_FIELDS[] = {"value", "note", "at", "elapsed_ms", "na", NULL};

/* The status of a reading through f: out of memory wins over the problems found. */
static ms_status fields_status(const ms_fields *f)
{
    if (f->nomem)
        return MS_ERR_NOMEM;
    return f->errors ? MS_ERR_INVALID : MS_OK;
}

/* The path "base.child" of an answer's field ("base" when child is NULL). */
static void report(ms_fields *f, const char *base, const char *child, bool key, const char *fmt,
                   ...) __attribute__((format(printf, 5, 6)));

static void report(ms_fields *f, const char *base, const char *child, bool key, const char *fmt,
                   ...)
{
    char *p = child ? ms_fields_path(f, base, child) : ms_fields_strdup(f, base);
    va_list ap;
    va_start(ap, fmt);
    if (p) {
        f->errors++;
        if (ms_diag_vaddf(f->diag, f->file, f->pos, p, key, p, fmt, ap) != MS_OK)
            f->nomem = true;
    }
    va_end(ap);
    free(p);
}

/* Check the file's structure: the known fields, their types, an object for each answer. */
static void check_structure(ms_answers *a, ms_fields *f)
{
    if (!cJSON_IsObject(a->doc)) {
        report(f, "", NULL, false, N_("an answers file is a JSON object"));
        return;
    }
    ms_fields_unknown(f, a->doc, "", TOP_FIELDS);
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(a->doc, "format");
    if (fmt && (!cJSON_IsNumber(fmt) || fmt->valuedouble != 1))
        report(f, "format", NULL, false, N_("this tool reads format 1 only"));
    const char *strs[] = {"auditor", "visited_at", "label", "$schema"};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(a->doc, strs[i]);
        if (v && !cJSON_IsString(v))
            report(f, strs[i], NULL, false, N_("must be a string"));
    }
    const cJSON *lists = cJSON_GetObjectItemCaseSensitive(a->doc, "checklists");
    bool strings = cJSON_IsArray(lists);
    for (const cJSON *it = strings ? lists->child : NULL; it; it = it->next)
        strings = strings && cJSON_IsString(it);
    if (lists && !strings)
        report(f, "checklists", NULL, false, N_("must be an array of checklist ids"));
    cJSON *ans = cJSON_GetObjectItemCaseSensitive(a->doc, "answers");
    if (!ans) {
        if (!cJSON_AddObjectToObject(a->doc, "answers"))
            f->nomem = true;
    } else if (!cJSON_IsObject(ans)) {
        report(f, "answers", NULL, false, N_("must be an object of answers by check id"));
    } else {
        for (const cJSON *it = ans->child; it && !f->nomem; it = it->next) {
            char *p = ms_fields_path(f, "answers", it->string);
            if (p && !cJSON_IsObject(it))
                report(f, p, NULL, false, N_("an answer is an object such as {\"value\": 4}"));
            else if (p)
                ms_fields_unknown(f, it, p, ANSWER_FIELDS);
            free(p);
        }
    }
}

ms_status ms_answers_open(const char *path, bool may_be_new, ms_diag *diag, ms_answers **out)
{
    ms_status rc = MS_OK;
    size_t len = 0;
    struct stat st;
    ms_fields f = {.file = path, .diag = diag};
    ms_answers *a = calloc(1, sizeof *a);
    *out = NULL;
    if (a)
        a->lockfd = -1;
    if (!a || !(a->path = strdup(path))) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    if (may_be_new && stat(path, &st) != 0 && errno == ENOENT) {
        a->doc = cJSON_CreateObject();
        if (!a->doc || !cJSON_AddNumberToObject(a->doc, "format", 1) ||
            !cJSON_AddObjectToObject(a->doc, "answers"))
            rc = MS_ERR_NOMEM;
        goto out;
    }
    char why[256] = "";
    if ((rc = ms_read_file(path, &a->text, &len, why, sizeof why)) != MS_OK) {
        /* an answers file that cannot be read: nothing is run */
        if (rc == MS_ERR_IO)
            rc = ms_diag_add(diag, path, 0, 0, "", why) != MS_OK ? MS_ERR_NOMEM : MS_ERR_INVALID;
        goto out;
    }
    ms_json_error jerr;
    if ((rc = ms_json_parse(a->text, len, &a->doc, &a->pos, &jerr)) != MS_OK) {
        if (rc == MS_ERR_INVALID &&
            ms_diag_add(diag, path, jerr.line, jerr.col, "", jerr.message) != MS_OK)
            rc = MS_ERR_NOMEM;
        ms_json_error_cleanup(&jerr);
        goto out;
    }
    f.pos = a->pos;
    check_structure(a, &f);
    rc = fields_status(&f); /* out of memory wins: the problems above may not all be there */
out:
    if (ms_diag_end_file(diag, false) != MS_OK)
        rc = MS_ERR_NOMEM;
    if (rc != MS_OK)
        ms_answers_free(a);
    else
        *out = a;
    return rc;
}

void ms_answers_free(ms_answers *a)
{
    if (!a)
        return;
    if (a->lockfd >= 0)
        close(a->lockfd);
    free(a->path);
    cJSON_Delete(a->doc);
    ms_jsonpos_free(a->pos);
    free(a->text);
    free(a);
}

size_t ms_answers_count(const ms_answers *a)
{
    const cJSON *all = cJSON_GetObjectItemCaseSensitive(a->doc, "answers");
    return cJSON_IsObject(all) ? (size_t)cJSON_GetArraySize(all) : 0;
}

const char *ms_answers_path(const ms_answers *a)
{
    return a->path;
}

static const char *get_str(const ms_answers *a, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(a->doc, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

const char *ms_answers_auditor(const ms_answers *a)
{
    return get_str(a, "auditor");
}

const char *ms_answers_label(const ms_answers *a)
{
    return get_str(a, "label");
}

const char *ms_answers_visited_at(const ms_answers *a)
{
    return get_str(a, "visited_at");
}

static ms_status set_str(cJSON *obj, const char *name, const char *value)
{
    cJSON *v = cJSON_CreateString(value);
    bool ok;
    if (!v)
        return MS_ERR_NOMEM;
    if (cJSON_GetObjectItemCaseSensitive(obj, name))
        ok = cJSON_ReplaceItemInObjectCaseSensitive(obj, name, v);
    else
        ok = cJSON_AddItemToObject(obj, name, v);
    if (!ok)
        cJSON_Delete(v); /* the key could not be copied: v was not taken */
    return ok ? MS_OK : MS_ERR_NOMEM;
}

ms_status ms_answers_set_auditor(ms_answers *a, const char *auditor, const char *visited_at)
{
    ms_status rc = MS_OK;
    if (auditor)
        rc = set_str(a->doc, "auditor", auditor);
    if (rc == MS_OK && visited_at && !ms_answers_visited_at(a))
        rc = set_str(a->doc, "visited_at", visited_at);
    return rc;
}

ms_status ms_answers_set_checklists(ms_answers *a, const ms_plan *plan)
{
    cJSON *lists = cJSON_GetObjectItemCaseSensitive(a->doc, "checklists");
    if (!lists && !(lists = cJSON_AddArrayToObject(a->doc, "checklists")))
        return MS_ERR_NOMEM;
    if (!cJSON_IsArray(lists))
        return MS_OK; /* refused when the file was read */
    for (size_t i = 0; i < plan->nlists; i++) {
        const char *id = plan->lists[i].id;
        bool known = !id;
        for (const cJSON *it = lists->child; it && !known; it = it->next)
            known = cJSON_IsString(it) && strcmp(it->valuestring, id) == 0;
        cJSON *s = known ? NULL : cJSON_CreateString(id);
        if (!known && (!s || !cJSON_AddItemToArray(lists, s))) {
            cJSON_Delete(s);
            return MS_ERR_NOMEM;
        }
    }
    return MS_OK;
}

ms_status ms_answers_checklists(const ms_answers *a, char **out)
{
    const cJSON *lists = cJSON_GetObjectItemCaseSensitive(a->doc, "checklists");
    ms_buf b;
    size_t n = 0;
    *out = NULL;
    ms_buf_init(&b, 0);
    for (const cJSON *it = cJSON_IsArray(lists) ? lists->child : NULL; it; it = it->next)
        if (cJSON_IsString(it))
            ms_buf_printf(&b, "%s%s", n++ ? ", " : "", it->valuestring);
    if (n && !(*out = ms_buf_take(&b)))
        return MS_ERR_NOMEM;
    ms_buf_cleanup(&b);
    return MS_OK;
}

ms_status ms_answers_matching(const ms_answers *a, const ms_plan *plan, size_t *n)
{
    const cJSON *all = cJSON_GetObjectItemCaseSensitive(a->doc, "answers");
    ms_status rc = MS_OK;
    ms_hindex ids; /* the plan's check ids: looking each up among all would be quadratic */
    ms_hindex_init(&ids);
    *n = 0;
    for (size_t i = 0; i < plan->nchecks && rc == MS_OK; i++)
        if (plan->checks[i]->id)
            rc = ms_hindex_add(&ids, ms_hash_str(plan->checks[i]->id), i);
    for (const cJSON *it = cJSON_IsObject(all) ? all->child : NULL; it && rc == MS_OK;
         it = it->next) {
        size_t cur = 0, i;
        bool found = false;
        while (!found && ms_hindex_next(&ids, ms_hash_str(it->string), &cur, &i))
            found = strcmp(plan->checks[i]->id, it->string) == 0;
        *n += found;
    }
    ms_hindex_cleanup(&ids);
    return rc;
}

/* Check one answer against its check and fill in ans: MS_OK, MS_ERR_INVALID (reported through
 * f), or MS_ERR_NOMEM. The caller frees ans->note and ans->at in every case. */
static ms_status read_answer(ms_fields *f, const cJSON *o, const char *path, const ms_check *ck,
                             ms_answer *ans)
{
    const cJSON *na = cJSON_GetObjectItemCaseSensitive(o, "na");
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(o, "value");
    const cJSON *elapsed = cJSON_GetObjectItemCaseSensitive(o, "elapsed_ms");
    const cJSON *note = cJSON_GetObjectItemCaseSensitive(o, "note");
    const cJSON *at = cJSON_GetObjectItemCaseSensitive(o, "at");
    *ans = (ms_answer){0};
    if ((note && !cJSON_IsString(note)) || (at && !cJSON_IsString(at))) {
        report(f, path, note && !cJSON_IsString(note) ? "note" : "at", false,
               N_("must be a string"));
        return MS_ERR_INVALID;
    }
    ans->note = note ? strdup(note->valuestring) : NULL;
    ans->at = at ? strdup(at->valuestring) : NULL;
    if ((note && !ans->note) || (at && !ans->at))
        return MS_ERR_NOMEM; /* never an answer that lost its note */
    if (na) {
        if (!cJSON_IsBool(na)) {
            report(f, path, "na", false, N_("must be true or false"));
            return MS_ERR_INVALID;
        }
        if (cJSON_IsTrue(na)) {
            ans->state = MS_ANS_NA;
            return MS_OK;
        }
    }
    if (ck->kind == MS_KIND_STOPWATCH) {
        if (value) {
            report(f, path, "value", true,
                   N_("a stopwatch answer is \"elapsed_ms\", not \"value\""));
            return MS_ERR_INVALID;
        }
        if (!elapsed)
            return MS_OK; /* only a note: still unanswered */
        if (!cJSON_IsNumber(elapsed) || elapsed->valuedouble < 0 ||
            elapsed->valuedouble > (double)(MS_STOPWATCH_MAX_US / 1000)) {
            report(f, path, "elapsed_ms", false,
                   N_("must be a number of milliseconds from 0 to 86400000"));
            return MS_ERR_INVALID;
        }
        ans->elapsed_us = ms_llround(elapsed->valuedouble * 1000.0);
        ans->state = MS_ANS_VALUE;
        return MS_OK;
    }
    if (elapsed) {
        report(f, path, "elapsed_ms", true,
               N_("only a stopwatch check takes \"elapsed_ms\"; %s is a %s check"), ck->id,
               ms_kind_name(ck->kind));
        return MS_ERR_INVALID;
    }
    if (!value)
        return MS_OK;
    if (ck->kind == MS_KIND_RATING) {
        const ms_manual *m = ck->manual;
        if (!cJSON_IsNumber(value) || value->valuedouble < m->scale_lo ||
            value->valuedouble > m->scale_hi) {
            report(f, path, "value", false,
                   N_("must be a number from %g to %g (the check's scale)"), m->scale_lo,
                   m->scale_hi);
            return MS_ERR_INVALID;
        }
        ans->value = value->valuedouble;
    } else {
        if (cJSON_IsBool(value))
            ans->yes = cJSON_IsTrue(value);
        else if (cJSON_IsString(value) && strcmp(value->valuestring, "yes") == 0)
            ans->yes = true;
        else if (cJSON_IsString(value) && strcmp(value->valuestring, "no") == 0)
            ans->yes = false;
        else {
            report(f, path, "value", false, N_("must be \"yes\" or \"no\""));
            return MS_ERR_INVALID;
        }
    }
    ans->state = MS_ANS_VALUE;
    return MS_OK;
}

/* The plan's check with this id, through an index of the checks by id; NULL when none. */
static ms_check *find_check(const ms_plan *plan, const ms_hindex *ids, const char *id)
{
    size_t it = 0, i;
    while (ms_hindex_next(ids, ms_hash_str(id), &it, &i))
        if (plan->checks[i]->id && strcmp(plan->checks[i]->id, id) == 0)
            return plan->checks[i];
    return NULL;
}

ms_status ms_answers_apply(const ms_answers *a, ms_plan *plan, ms_diag *diag)
{
    ms_status rc = MS_OK;
    ms_fields f = {.file = a->path, .pos = a->pos, .diag = diag};
    const cJSON *ans = cJSON_GetObjectItemCaseSensitive(a->doc, "answers");
    /* Looking each answer's check up among all the checks would take answers times checks. */
    ms_hindex ids;
    ms_hindex_init(&ids);
    for (size_t i = 0; i < plan->nchecks && !f.nomem; i++)
        if (plan->checks[i]->id &&
            ms_hindex_add(&ids, ms_hash_str(plan->checks[i]->id), i) != MS_OK)
            f.nomem = true;
    for (const cJSON *it = ans ? ans->child : NULL; it && !f.nomem; it = it->next) {
        ms_check *ck = find_check(plan, &ids, it->string);
        if (!ck)
            continue; /* an answer to another checklist's check: kept, not used */
        char *p = ms_fields_path(&f, "answers", it->string);
        if (!p)
            break;
        if (ck->kind == MS_KIND_HTTP) {
            report(&f, p, NULL, true, N_("%s is an http check: it is measured, not answered"),
                   ck->id);
            free(p);
            continue;
        }
        if (!ck->manual) { /* its part could not be made: the plan ran out of memory */
            free(p);
            f.nomem = true;
            break;
        }
        ms_answer tmp;
        ms_status arc = read_answer(&f, it, p, ck, &tmp);
        free(p);
        if (arc != MS_OK) {
            free(tmp.note);
            free(tmp.at);
            if (arc == MS_ERR_NOMEM)
                f.nomem = true;
            continue;
        }
        free(ck->manual->answer.note);
        free(ck->manual->answer.at);
        ck->manual->answer = tmp;
    }
    ms_hindex_cleanup(&ids);
    if (ms_diag_end_file(diag, false) != MS_OK)
        f.nomem = true;
    rc = fields_status(&f);
    return rc;
}

ms_status ms_answers_record(ms_answers *a, const ms_check *ck, const ms_answer *ans)
{
    cJSON *all = cJSON_GetObjectItemCaseSensitive(a->doc, "answers");
    cJSON *o = cJSON_CreateObject();
    bool ok = o != NULL;
    if (!ok)
        return MS_ERR_NOMEM;
    if (ans->state == MS_ANS_NA)
        ok = cJSON_AddTrueToObject(o, "na") != NULL;
    else if (ck->kind == MS_KIND_STOPWATCH)
        ok = cJSON_AddNumberToObject(o, "elapsed_ms", (double)ans->elapsed_us / 1000.0) != NULL;
    else if (ck->kind == MS_KIND_RATING)
        ok = cJSON_AddNumberToObject(o, "value", ans->value) != NULL;
    else
        ok = cJSON_AddStringToObject(o, "value", ans->yes ? "yes" : "no") != NULL;
    if (ok && ans->note && *ans->note)
        ok = cJSON_AddStringToObject(o, "note", ans->note) != NULL;
    if (ok && ans->at)
        ok = cJSON_AddStringToObject(o, "at", ans->at) != NULL;
    if (!ok) {
        cJSON_Delete(o);
        return MS_ERR_NOMEM;
    }
    if (cJSON_GetObjectItemCaseSensitive(all, ck->id))
        ok = cJSON_ReplaceItemInObjectCaseSensitive(all, ck->id, o);
    else
        ok = cJSON_AddItemToObject(all, ck->id, o);
    if (!ok) {
        cJSON_Delete(o);
        return MS_ERR_NOMEM;
    }
    return ms_answers_save(a);
}

ms_status ms_answers_save(ms_answers *a)
{
    char *text = NULL;
    ms_status rc = ms_json_print(a->doc, &text);
    if (rc == MS_OK && a->lockfd >= 0)
        rc = ms_write_file_locked(a->path, text, strlen(text), &a->lockfd);
    else if (rc == MS_OK)
        rc = ms_write_file_atomic(a->path, text, strlen(text));
    free(text);
    return rc;
}

ms_status ms_answers_lock(ms_answers *a, volatile sig_atomic_t *stop, ms_diag *diag)
{
    char *text = NULL;
    ms_answers *fresh = NULL;
    ms_status rc = MS_OK;
    if (a->lockfd >= 0)
        return MS_OK;
    if ((rc = ms_json_print(a->doc, &text)) != MS_OK)
        goto out;
    if ((rc = ms_lock_file(a->path, text, strlen(text), stop, &a->lockfd)) != MS_OK)
        goto out;
    if (a->lockfd < 0)
        goto out; /* not a regular file (a device): nothing to lock, nothing to read again */
    /* Another session may have saved answers since we read the file: read it again. */
    if ((rc = ms_answers_open(a->path, true, diag, &fresh)) != MS_OK)
        goto out;
    ms_answers tmp = *a;
    a->doc = fresh->doc;
    a->text = fresh->text;
    a->pos = fresh->pos;
    fresh->doc = tmp.doc;
    fresh->text = tmp.text;
    fresh->pos = tmp.pos;
out:
    ms_answers_free(fresh);
    free(text);
    return rc;
}
