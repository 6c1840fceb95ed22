/* Allocation failures for a unit test: included by one file of a test executable linked with
 * --wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup (ms_fail_alloc in
 * tests/CMakeLists.txt), so that every allocation of the module under test comes here. fail_at > 0
 * makes the fail_at-th allocation from now fail; fail_count counts the ones made to fail. */
#ifndef MS_TEST_FAILALLOC_H
#define MS_TEST_FAILALLOC_H

#include <stdbool.h>
#include <stddef.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

static long fail_at;
static long fail_count;

static bool fail_now(void)
{
    if (fail_at > 0 && --fail_at == 0) {
        fail_count++;
        return true;
    }
    return false;
}

void *__wrap_malloc(size_t n)
{
    return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return fail_now() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    return fail_now() ? NULL : __real_strdup(s);
}

#endif
