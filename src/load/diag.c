/* Diagnostics as data: the problem list every loader adds to, said once each, put in file order,
 * and printed only when the command line asks (ms/diag.h). */
#include "ms/diag.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ms/buf.h"
#include "ms/i18n.h"
#include "ms/util.h"

void ms_diag_init(ms_diag *d)
{
    memset(d, 0, sizeof *d);
    ms_hindex_init(&d->index);
}

static void problem_cleanup(ms_problem *p)
{
    free(p->file);
    free(p->path);
    free(p->message);
    free(p->text);
    free(p->shown);
}

void ms_diag_cleanup(ms_diag *d)
{
    for (size_t i = 0; i < d->n; i++)
        problem_cleanup(&d->items[i]);
    free(d->items);
    ms_hindex_cleanup(&d->index);
    memset(d, 0, sizeof *d);
}

static uint64_t problem_hash(int line, int col, const char *path, const char *message)
{
    uint64_t h = ms_hash_add(MS_HASH_INIT, &line, sizeof line);
    h = ms_hash_add(h, &col, sizeof col);
    h = ms_hash_add(h, path, strlen(path) + 1);
    return ms_hash_add(h, message, strlen(message));
}

ms_status ms_diag_add(ms_diag *d, const char *file, int line, int col, const char *path,
                      const char *message)
{
    return ms_diag_add_text(d, file, line, col, path, message, NULL);
}

ms_status ms_diag_add_text(ms_diag *d, const char *file, int line, int col, const char *path,
                           const char *message, const char *text)
{
    /* Inherited fields are checked once per check that inherits them: say each thing once. */
    uint64_t h = problem_hash(line, col, path, message);
    size_t it = 0, i;
    while (ms_hindex_next(&d->index, h, &it, &i)) {
        const ms_problem *q = &d->items[i];
        if (q->line == line && q->col == col && strcmp(q->path, path) == 0 &&
            strcmp(q->message, message) == 0 && strcmp(q->file, file) == 0)
            return MS_OK;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        ms_problem *grown =
            cap > SIZE_MAX / sizeof *grown ? NULL : realloc(d->items, cap * sizeof *grown);
        if (!grown)
            return MS_ERR_NOMEM;
        d->items = grown;
        d->cap = cap;
    }
    /* English (no catalogue): one copy */
    bool own_text = text && strcmp(text, message) != 0;
    ms_problem p = {
        strdup(file), line, col, strdup(path), strdup(message), own_text ? strdup(text) : NULL,
        NULL};
    if (!p.file || !p.path || !p.message || (own_text && !p.text) ||
        ms_hindex_add(&d->index, h, d->n) != MS_OK) {
        problem_cleanup(&p);
        return MS_ERR_NOMEM;
    }
    d->items[d->n++] = p;
    return MS_OK;
}

ms_status ms_diag_vaddf(ms_diag *d, const char *file, ms_jsonpos *pos, const char *where, bool key,
                        const char *path, const char *fmt, va_list ap)
{
    ms_buf msg, text;
    va_list again;
    ms_buf_init(&msg, 0);
    ms_buf_init(&text, 0);
    va_copy(again, ap);
    ms_status rc = ms_buf_vprintf(&msg, fmt, ap);
    if (rc == MS_OK)
        rc = ms_buf_vprintf(&text, _(fmt), again);
    va_end(again);
    if (rc == MS_OK)
        rc = ms_diag_add_at(d, file, pos, where, key, path, ms_buf_str(&msg), ms_buf_str(&text));
    ms_buf_cleanup(&msg);
    ms_buf_cleanup(&text);
    return rc;
}

ms_status ms_diag_add_at(ms_diag *d, const char *file, ms_jsonpos *pos, const char *where, bool key,
                         const char *path, const char *message, const char *text)
{
    int line = 1, col = 1;
    if (pos) {
        ms_jsonpos_find(pos, where, key, &line, &col);
        if (ms_jsonpos_nomem(pos))
            return MS_ERR_NOMEM;
    }
    return ms_diag_add_text(d, file, line, col, path, message, text);
}

ms_status ms_diag_show_path(ms_diag *d, size_t i, const char *shown)
{
    char *copy = strdup(shown);
    if (!copy)
        return MS_ERR_NOMEM;
    free(d->items[i].shown);
    d->items[i].shown = copy;
    return MS_OK;
}

typedef struct {
    ms_problem p;
    size_t found; /* the order it was found in, for ties */
} sorted_problem;

static int problem_cmp(const void *a, const void *b)
{
    const sorted_problem *x = a, *y = b;
    if (x->p.line != y->p.line)
        return x->p.line < y->p.line ? -1 : 1;
    if (x->p.col != y->p.col)
        return x->p.col < y->p.col ? -1 : 1;
    return (x->found > y->found) - (x->found < y->found);
}

ms_status ms_diag_end_file(ms_diag *d, bool sort)
{
    ms_status rc = MS_OK;
    size_t n = d->n - d->start;
    /* no list yet: items is NULL, and NULL + 0 is undefined */
    ms_problem *ps = n ? d->items + d->start : NULL;
    /* the next file's problems are its own */
    ms_hindex_cleanup(&d->index);
    ms_hindex_init(&d->index);
    if (sort && n > 1) {
        sorted_problem *tmp = malloc(n * sizeof *tmp);
        if (tmp) {
            for (size_t i = 0; i < n; i++)
                tmp[i] = (sorted_problem){ps[i], i};
            qsort(tmp, n, sizeof *tmp, problem_cmp);
            for (size_t i = 0; i < n; i++)
                ps[i] = tmp[i].p;
            free(tmp);
        } else {
            rc = MS_ERR_NOMEM;
        }
    }
    d->start = d->n;
    return rc;
}

size_t ms_diag_count(const ms_diag *d, const char *file)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        n += strcmp(d->items[i].file, file) == 0;
    return n;
}

ms_status ms_diag_print(const ms_diag *d, FILE *out)
{
    return ms_diag_print_as(d, out, "");
}

ms_status ms_diag_print_as(const ms_diag *d, FILE *out, const char *prefix)
{
    ms_status rc = MS_OK;
    for (size_t i = 0; i < d->n && rc == MS_OK; i++) {
        const ms_problem *p = &d->items[i];
        const char *path = p->shown ? p->shown : p->path;
        const char *message = p->text ? p->text : p->message;
        /* cleaned: a path or message quotes the file's own text */
        if (p->line > 0)
            rc = ms_fprintf_line(out, "%s:%d:%d: %s%s%s%s", p->file, p->line, p->col, path,
                                 *path ? ": " : "", prefix, message);
        else
            rc = ms_fprintf_line(out, "%s: %s%s", p->file, prefix, message);
    }
    return rc;
}
