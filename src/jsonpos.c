#include "ms/jsonpos.h"

#include <stdio.h>

#include <stdlib.h>
#include <string.h>

#include "ms/buf.h"

typedef struct {
    char *path;
    size_t value_off;
    size_t key_off; /* == value_off when there is no key */
} entry;

struct ms_jsonpos {
    const char *text; /* borrowed only while building */
    size_t len;
    size_t pos;
    entry *e;
    size_t n, cap;
    int *lines; /* offsets of line starts, for turning offsets into line:col */
    size_t nlines;
    bool nomem;
};

static void skip_ws(ms_jsonpos *x)
{
    while (x->pos < x->len && strchr(" \t\r\n", x->text[x->pos]))
        x->pos++;
}

/* Index path; occurrence > 1 marks a key repeated in its object ("path#2"). */
static void add_entry(ms_jsonpos *x, const char *path, int occurrence, size_t key_off,
                      size_t value_off)
{
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 64;
        entry *p = realloc(x->e, cap * sizeof *p);
        if (!p) {
            x->nomem = true;
            return;
        }
        x->e = p;
        x->cap = cap;
    }
    size_t len = strlen(path) + 16;
    char *copy = malloc(len);
    if (!copy) {
        x->nomem = true;
        return;
    }
    if (occurrence > 1)
        snprintf(copy, len, "%s#%d", path, occurrence);
    else
        snprintf(copy, len, "%s", path);
    x->e[x->n++] = (entry){copy, value_off, key_off};
}

/* Skip a string starting at the quote; copies its raw contents into out when given. */
static void scan_string(ms_jsonpos *x, ms_buf *out)
{
    x->pos++; /* opening quote */
    while (x->pos < x->len && x->text[x->pos] != '"') {
        if (x->text[x->pos] == '\\' && x->pos + 1 < x->len) {
            if (out)
                ms_buf_addc(out, x->text[x->pos + 1]);
            x->pos += 2;
            continue;
        }
        if (out)
            ms_buf_addc(out, x->text[x->pos]);
        x->pos++;
    }
    x->pos++; /* closing quote */
}

static void scan_value(ms_jsonpos *x, ms_buf *path, int occurrence, size_t key_off, int depth);

static void scan_child(ms_jsonpos *x, ms_buf *path, const char *name, size_t name_len,
                       int occurrence, size_t key_off, int depth)
{
    size_t saved = path->len;
    if (path->len)
        ms_buf_addc(path, '.');
    ms_buf_add(path, name, name_len);
    scan_value(x, path, occurrence, key_off, depth + 1);
    path->len = saved;
    if (path->data)
        path->data[saved] = '\0';
}

static void scan_value(ms_jsonpos *x, ms_buf *path, int occurrence, size_t key_off, int depth)
{
    skip_ws(x);
    size_t start = x->pos;
    add_entry(x, ms_buf_str(path), occurrence, key_off == (size_t)-1 ? start : key_off, start);
    if (x->pos >= x->len || depth > 200)
        return;
    char c = x->text[x->pos];
    if (c == '{') {
        x->pos++;
        ms_buf key;
        ms_buf_init(&key, 0);
        /* The keys of this object so far, NUL-separated, to number a repeated one. */
        ms_buf keys;
        ms_buf_init(&keys, 0);
        for (;;) {
            skip_ws(x);
            if (x->pos >= x->len || x->text[x->pos] == '}')
                break;
            size_t koff = x->pos;
            ms_buf_reset(&key);
            scan_string(x, &key);
            int times = 1;
            const char *k = ms_buf_str(&keys);
            for (size_t i = 0; i < keys.len; i += strlen(k + i) + 1)
                times += strcmp(k + i, ms_buf_str(&key)) == 0;
            ms_buf_add(&keys, ms_buf_str(&key), key.len + 1);
            x->nomem = x->nomem || key.failed || keys.failed; /* else wrong paths, no error */
            skip_ws(x);
            x->pos++; /* colon */
            scan_child(x, path, ms_buf_str(&key), key.len, times, koff, depth);
            skip_ws(x);
            if (x->pos < x->len && x->text[x->pos] == ',')
                x->pos++;
        }
        ms_buf_cleanup(&key);
        ms_buf_cleanup(&keys);
        x->pos++;
    } else if (c == '[') {
        x->pos++;
        for (size_t i = 0;; i++) {
            skip_ws(x);
            if (x->pos >= x->len || x->text[x->pos] == ']')
                break;
            char num[24];
            int n = snprintf(num, sizeof num, "%zu", i);
            scan_child(x, path, num, (size_t)n, 1, (size_t)-1, depth);
            skip_ws(x);
            if (x->pos < x->len && x->text[x->pos] == ',')
                x->pos++;
        }
        x->pos++;
    } else if (c == '"') {
        scan_string(x, NULL);
    } else {
        while (x->pos < x->len && !strchr(",]} \t\r\n", x->text[x->pos]))
            x->pos++;
    }
}

ms_status ms_jsonpos_build(const char *text, size_t len, ms_jsonpos **out)
{
    ms_status rc = MS_OK;
    ms_buf path;
    ms_jsonpos *x = calloc(1, sizeof *x);
    ms_buf_init(&path, 0);
    *out = NULL;
    if (!x)
        return MS_ERR_NOMEM;
    x->text = text;
    x->len = len;
    /* line starts */
    size_t nl = 1;
    for (size_t i = 0; i < len; i++)
        nl += text[i] == '\n';
    x->lines = malloc(nl * sizeof *x->lines);
    if (!x->lines) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    x->lines[x->nlines++] = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n')
            x->lines[x->nlines++] = (int)(i + 1);
    scan_value(x, &path, 1, (size_t)-1, 0);
    if (x->nomem || path.failed)
        rc = MS_ERR_NOMEM;
out:
    ms_buf_cleanup(&path);
    x->text = NULL;
    if (rc != MS_OK)
        ms_jsonpos_free(x);
    else
        *out = x;
    return rc;
}

void ms_jsonpos_free(ms_jsonpos *idx)
{
    if (!idx)
        return;
    for (size_t i = 0; i < idx->n; i++)
        free(idx->e[i].path);
    free(idx->e);
    free(idx->lines);
    free(idx);
}

static void off_to_linecol(const ms_jsonpos *idx, size_t off, int *line, int *col)
{
    size_t lo = 0, hi = idx->nlines;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if ((size_t)idx->lines[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    *line = (int)lo + 1;
    *col = (int)(off - (size_t)idx->lines[lo]) + 1;
}

bool ms_jsonpos_find(const ms_jsonpos *idx, const char *path, bool key, int *line, int *col)
{
    if (!idx)
        return false;
    /* The path, then each parent in turn ("a.b.c", "a.b", "a", ""), as a length into path:
     * nothing is copied, so nothing can fail (a failed copy put every message at 1:1). */
    size_t len = strlen(path);
    for (;;) {
        for (size_t i = 0; i < idx->n; i++) {
            if (strncmp(idx->e[i].path, path, len) == 0 && idx->e[i].path[len] == '\0') {
                off_to_linecol(idx, key ? idx->e[i].key_off : idx->e[i].value_off, line, col);
                return true;
            }
        }
        if (len == 0)
            return false;
        while (len > 0 && path[len - 1] != '.')
            len--;
        if (len > 0)
            len--;   /* the dot */
        key = false; /* a parent: point at its value */
    }
}

void ms_offset_linecol(const char *text, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < off && text[i]; i++) {
        if (text[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    *line = l;
    *col = c;
}
