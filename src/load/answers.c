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
#include "ms/fileio.h"
#include "ms/hash.h"
#include "ms/jsonpos.h"
#include "ms/jsontext.h"
#include "ms/util.h"

struct ms_answers {
    char *path;
    cJSON *doc;
    ms_jsonpos *pos;
    int lockfd; /* the lock held by ms_answers_lock, or -1 */
};

static const char *const TOP_FIELDS[] = {"format", "auditor", "visited_at",
                                         "label",  "answers", NULL};
static const char *const ANSWER_FIELDS[] = {"value", "note", "at", "elapsed_ms", "na", NULL};

/* Print a problem at base.child (child NULL or "": at base), with its line and column. The path
 * is built in a growable buffer, so a long check id is never cut; the message is streamed.
 * MS_OK, or MS_ERR_NOMEM when the path could not be built (then nothing is printed: the run
 * ends saying out of memory, never with a problem shown at the wrong place). */
static ms_status problem(const ms_answers *a, const char *base, const char *child, bool key,
                         const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static ms_status problem(const ms_answers *a, const char *base, const char *child, bool key,
                         const char *fmt, ...)
{
    int line = 1, col = 1;
    va_list ap;
    ms_buf path;
    ms_buf_init(&path, 0);
    ms_buf_adds(&path, base);
    if (child && *child)
        ms_buf_printf(&path, "%s%s", *base ? "." : "", child);
    if (path.failed) {
        ms_buf_cleanup(&path);
        return MS_ERR_NOMEM;
    }
    ms_jsonpos_find(a->pos, ms_buf_str(&path), key, &line, &col);
    /* cleaned: the path and the message quote the file's own keys */
    ms_fputs_clean(a->path, stderr);
    fprintf(stderr, ":%d:%d: ", line, col);
    ms_fputs_clean(ms_buf_str(&path), stderr);
    fputs(": ", stderr);
    va_start(ap, fmt);
    ms_status rc = ms_vfprintf_line(stderr, fmt, ap);
    va_end(ap);
    ms_buf_cleanup(&path);
    return rc == MS_ERR_NOMEM ? rc : MS_OK;
}

/* What a check of an answer returns after problem(): invalid, or out of memory. */
static ms_status invalid(ms_status printed)
{
    return printed == MS_ERR_NOMEM ? MS_ERR_NOMEM : MS_ERR_INVALID;
}

static bool known(const char *s, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

/* Report fields not in allowed; returns how many. *rc becomes MS_ERR_NOMEM when a problem could
 * not be reported. */
static int check_fields(const ms_answers *a, const cJSON *obj, const char *path,
                        const char *const *allowed, ms_status *rc)
{
    int n = 0;
    for (const cJSON *it = obj->child; it; it = it->next) {
        if (known(it->string, allowed))
            continue;
        const char *near = ms_did_you_mean(it->string, allowed);
        ms_status prc =
            near ? problem(a, path, it->string, true, "unknown field \"%s\" (did you mean \"%s\"?)",
                           it->string, near)
                 : problem(a, path, it->string, true, "unknown field \"%s\"", it->string);
        if (prc != MS_OK)
            *rc = prc;
        n++;
    }
    return n;
}

ms_status ms_answers_open(const char *path, ms_answers **out)
{
    ms_status rc = MS_OK;
    char *text = NULL;
    size_t len = 0;
    int problems = 0;
    struct stat st;
    ms_answers *a = calloc(1, sizeof *a);
    *out = NULL;
    if (a)
        a->lockfd = -1;
    if (!a || !(a->path = strdup(path))) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    if (stat(path, &st) != 0 && errno == ENOENT) {
        a->doc = cJSON_CreateObject();
        if (!a->doc || !cJSON_AddNumberToObject(a->doc, "format", 1) ||
            !cJSON_AddObjectToObject(a->doc, "answers"))
            rc = MS_ERR_NOMEM;
        goto out;
    }
    char why[256] = "";
    if ((rc = ms_read_file(path, &text, &len, why, sizeof why)) != MS_OK) {
        if (rc == MS_ERR_IO) {
            ms_errorf("%s: %s", path, why);
            rc = MS_ERR_INVALID; /* an answers file that cannot be read: nothing is run */
        }
        goto out;
    }
    ms_json_error jerr;
    if ((rc = ms_json_parse(text, len, &a->doc, &a->pos, &jerr)) != MS_OK) {
        if (rc == MS_ERR_INVALID)
            ms_fprintf_line(stderr, "%s:%d:%d: %s", path, jerr.line, jerr.col, jerr.message);
        ms_json_error_cleanup(&jerr);
        goto out;
    }
    if (!cJSON_IsObject(a->doc)) {
        rc = invalid(problem(a, "", NULL, false, "an answers file is a JSON object"));
        goto out;
    }
    problems += check_fields(a, a->doc, "", TOP_FIELDS, &rc);
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(a->doc, "format");
    if (fmt && (!cJSON_IsNumber(fmt) || fmt->valuedouble != 1)) {
        if (problem(a, "format", NULL, false, "this tool reads format 1 only") != MS_OK)
            rc = MS_ERR_NOMEM;
        problems++;
    }
    const char *strs[] = {"auditor", "visited_at", "label"};
    for (size_t i = 0; i < 3; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(a->doc, strs[i]);
        if (v && !cJSON_IsString(v)) {
            if (problem(a, strs[i], NULL, false, "must be a string") != MS_OK)
                rc = MS_ERR_NOMEM;
            problems++;
        }
    }
    cJSON *ans = cJSON_GetObjectItemCaseSensitive(a->doc, "answers");
    if (!ans) {
        if (!cJSON_AddObjectToObject(a->doc, "answers"))
            rc = MS_ERR_NOMEM;
    } else if (!cJSON_IsObject(ans)) {
        if (problem(a, "answers", NULL, false, "must be an object of answers by check id") != MS_OK)
            rc = MS_ERR_NOMEM;
        problems++;
    } else {
        ms_buf p;
        ms_buf_init(&p, 0);
        for (const cJSON *it = ans->child; it && rc == MS_OK; it = it->next) {
            ms_buf_reset(&p);
            if (ms_buf_printf(&p, "answers.%s", it->string) != MS_OK) {
                rc = MS_ERR_NOMEM;
            } else if (!cJSON_IsObject(it)) {
                if (problem(a, ms_buf_str(&p), NULL, false,
                            "an answer is an object such as {\"value\": 4}") != MS_OK)
                    rc = MS_ERR_NOMEM;
                problems++;
            } else {
                problems += check_fields(a, it, ms_buf_str(&p), ANSWER_FIELDS, &rc);
            }
        }
        ms_buf_cleanup(&p);
    }
    if (problems && rc == MS_OK)
        rc = MS_ERR_INVALID; /* out of memory wins: the problems above may not all be shown */
out:
    free(text);
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
    free(a);
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

/* Check one answer against its check and fill in ans: MS_OK, MS_ERR_INVALID (after printing),
 * or MS_ERR_NOMEM. The caller frees ans->note and ans->at in every case. */
static ms_status read_answer(const ms_answers *a, const cJSON *o, const char *path,
                             const ms_check *ck, ms_answer *ans)
{
    const cJSON *na = cJSON_GetObjectItemCaseSensitive(o, "na");
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(o, "value");
    const cJSON *elapsed = cJSON_GetObjectItemCaseSensitive(o, "elapsed_ms");
    const cJSON *note = cJSON_GetObjectItemCaseSensitive(o, "note");
    const cJSON *at = cJSON_GetObjectItemCaseSensitive(o, "at");
    *ans = (ms_answer){0};
    if ((note && !cJSON_IsString(note)) || (at && !cJSON_IsString(at))) {
        return invalid(problem(a, path, note && !cJSON_IsString(note) ? "note" : "at", false,
                               "must be a string"));
    }
    ans->note = note ? strdup(note->valuestring) : NULL;
    ans->at = at ? strdup(at->valuestring) : NULL;
    if ((note && !ans->note) || (at && !ans->at))
        return MS_ERR_NOMEM; /* never an answer that lost its note */
    if (na) {
        if (!cJSON_IsBool(na)) {
            return invalid(problem(a, path, "na", false, "must be true or false"));
        }
        if (cJSON_IsTrue(na)) {
            ans->state = MS_ANS_NA;
            return MS_OK;
        }
    }
    if (ck->kind == MS_KIND_STOPWATCH) {
        if (value) {
            return invalid(problem(a, path, "value", true,
                                   "a stopwatch answer is \"elapsed_ms\", not \"value\""));
        }
        if (!elapsed)
            return MS_OK; /* only a note: still unanswered */
        if (!cJSON_IsNumber(elapsed) || elapsed->valuedouble < 0 || elapsed->valuedouble > 864e5) {
            return invalid(problem(a, path, "elapsed_ms", false,
                                   "must be a number of milliseconds from 0 to 86400000"));
        }
        ans->elapsed_us = (int64_t)llround(elapsed->valuedouble * 1000.0);
        ans->state = MS_ANS_VALUE;
        return MS_OK;
    }
    if (elapsed) {
        return invalid(problem(a, path, "elapsed_ms", true,
                               "only a stopwatch check takes \"elapsed_ms\"; %s is a %s check",
                               ck->id, ms_kind_name(ck->kind)));
    }
    if (!value)
        return MS_OK;
    const char *p = "value";
    if (ck->kind == MS_KIND_RATING) {
        if (!cJSON_IsNumber(value) || value->valuedouble < ck->scale_lo ||
            value->valuedouble > ck->scale_hi) {
            return invalid(problem(a, path, p, false,
                                   "must be a number from %g to %g (the check's scale)",
                                   ck->scale_lo, ck->scale_hi));
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
            return invalid(problem(a, path, p, false, "must be \"yes\" or \"no\""));
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

ms_status ms_answers_apply(const ms_answers *a, ms_plan *plan)
{
    int problems = 0;
    ms_status rc = MS_OK;
    const cJSON *ans = cJSON_GetObjectItemCaseSensitive(a->doc, "answers");
    ms_buf p;
    ms_buf_init(&p, 0);
    /* Looking each answer's check up among all the checks would take answers times checks. */
    ms_hindex ids;
    ms_hindex_init(&ids);
    for (size_t i = 0; i < plan->nchecks && rc == MS_OK; i++)
        if (plan->checks[i]->id &&
            ms_hindex_add(&ids, ms_hash_str(plan->checks[i]->id), i) != MS_OK)
            rc = MS_ERR_NOMEM;
    for (const cJSON *it = ans ? ans->child : NULL; it && rc == MS_OK; it = it->next) {
        ms_check *ck = find_check(plan, &ids, it->string);
        if (!ck)
            continue; /* an answer to another checklist's check: kept, not used */
        ms_buf_reset(&p);
        if (ms_buf_printf(&p, "answers.%s", it->string) != MS_OK) {
            rc = MS_ERR_NOMEM;
            break;
        }
        if (ck->kind == MS_KIND_HTTP) {
            if (problem(a, ms_buf_str(&p), NULL, true,
                        "%s is an http check: it is measured, not answered", ck->id) != MS_OK)
                rc = MS_ERR_NOMEM;
            problems++;
            continue;
        }
        ms_answer tmp;
        ms_status arc = read_answer(a, it, ms_buf_str(&p), ck, &tmp);
        if (arc != MS_OK) {
            free(tmp.note);
            free(tmp.at);
            if (arc == MS_ERR_NOMEM)
                rc = arc;
            else
                problems++;
            continue;
        }
        free(ck->res.answer.note);
        free(ck->res.answer.at);
        ck->res.answer = tmp;
    }
    ms_hindex_cleanup(&ids);
    ms_buf_cleanup(&p);
    if (rc != MS_OK)
        return rc;
    return problems ? MS_ERR_INVALID : MS_OK;
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

ms_status ms_answers_lock(ms_answers *a, volatile sig_atomic_t *stop)
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
    if ((rc = ms_answers_open(a->path, &fresh)) != MS_OK)
        goto out;
    cJSON *doc = a->doc;
    ms_jsonpos *pos = a->pos;
    a->doc = fresh->doc;
    a->pos = fresh->pos;
    fresh->doc = doc;
    fresh->pos = pos;
out:
    ms_answers_free(fresh);
    free(text);
    return rc;
}
