/* Fuzz the JSON-path lookup of expect.json: a dot path walked through a response body, then
 * compared with an expected value. The input is split at its first two newlines:
 *   PATH \n EXPECTED-VALUE-AS-JSON \n BODY
 * (with fewer newlines the missing parts are empty), so that the fuzzer varies all three. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ms/expect.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static ms_status no_headers(void *ud, const char *name, const char **value)
{
    (void)ud;
    (void)name;
    *value = NULL;
    return MS_OK;
}

/* The next part of data up to a newline (or the end), as a new string; advances *off. */
static char *next_part(const uint8_t *data, size_t size, size_t *off)
{
    size_t start = *off, end = start;
    while (end < size && data[end] != '\n')
        end++;
    *off = end < size ? end + 1 : end;
    return fuzz_strndup(data + start, end - start);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t off = 0;
    char *path = next_part(data, size, &off);
    char *value = next_part(data, size, &off);
    ms_json_expect je = {path, value};
    ms_check ck = {0};
    ck.kind = MS_KIND_HTTP;
    ms_expects x = {.json = &je, .njson = 1};
    ck.expect = &x;
    /* The body is passed with its length and may hold NULs, as a response body may. */
    char *why = NULL;
    ms_status rc = ms_expect_check(&ck, 200, (const char *)data + off, size - off, false,
                                   no_headers, NULL, NULL, &why);
    FUZZ_ASSERT(rc == MS_OK || rc == MS_ERR_NOMEM);
    if (why)
        FUZZ_ASSERT(*why != '\0'); /* a failure says why */
    free(why);
    free(path);
    free(value);
    return 0;
}
