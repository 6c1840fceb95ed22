/* Helpers shared by the unit tests: temporary files, capturing stderr, budgets of a check made by
 * hand. */
#ifndef MS_TEST_HELPERS_H
#define MS_TEST_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ms/model.h"

/* The budgets b (NULL: none) with phase's set to us (-1: none), from pool (a plan's or a run's,
 * which frees it), for a check a test makes by hand: checks share their budgets. */
static inline const int64_t *with_budget(ms_budget_pool *pool, const int64_t *b, int phase,
                                         int64_t us)
{
    int64_t x[MS_PH_COUNT];
    memcpy(x, b ? b : ms_no_budgets, sizeof x);
    x[phase] = us;
    const int64_t *shared = ms_budgets_intern(pool, x);
    if (!shared)
        abort();
    return shared;
}

/* Write text to a new temporary file; returns its path (caller frees and unlinks). */
static inline char *write_temp(const char *text)
{
    char *path = strdup("/tmp/ms-unit-XXXXXX.json");
    int fd = mkstemps(path, 5);
    if (fd < 0) {
        free(path);
        return NULL;
    }
    size_t n = strlen(text);
    if (write(fd, text, n) != (ssize_t)n) {
        close(fd);
        free(path);
        return NULL;
    }
    close(fd);
    return path;
}

/* Read a whole file (caller frees). */
static inline char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = calloc((size_t)n + 1, 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    fclose(f);
    return s;
}

/* Redirect stderr into a temporary file until capture_end, which returns what was written. */
typedef struct {
    int saved;
    char path[64];
} capture;

static inline void capture_begin(capture *c)
{
    strcpy(c->path, "/tmp/ms-unit-err-XXXXXX");
    int fd = mkstemp(c->path);
    fflush(stderr);
    c->saved = dup(2);
    dup2(fd, 2);
    close(fd);
}

static inline char *capture_end(capture *c)
{
    fflush(stderr);
    dup2(c->saved, 2);
    close(c->saved);
    char *s = read_all(c->path);
    unlink(c->path);
    return s;
}

#endif
