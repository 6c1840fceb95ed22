#include "ms/jsontext.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ms/alloc.h"
#include "ms/buf.h"
#include "ms/jsonpos.h"

_Static_assert(MS_JSON_MAX_DEPTH < CJSON_NESTING_LIMIT,
               "cJSON must be able to read every text the strict scan lets through");

/* ms_json_parse, in an arena when read_only */
static ms_status parse(const char *text, size_t len, bool read_only, cJSON **out, ms_jsonpos **pos,
                       ms_json_error *err)
{
    ms_status rc;
    *out = NULL;
    *pos = NULL;
    if ((rc = ms_jsonpos_build(text, len, pos, err)) != MS_OK)
        return rc;
    if (read_only) {
        *out = ms_alloc_parse(text, len);
    } else {
        /* With require_null_terminated, cJSON wants the length to count the NUL. */
        *out = cJSON_ParseWithLengthOpts(text, len + 1, NULL, 1);
    }
    if (*out)
        return MS_OK;
    /* cJSON reads every text the scan accepts (no control characters, no NUL, nesting and
     * numbers within its limits): what is left is running out of memory. */
    ms_jsonpos_free(*pos);
    *pos = NULL;
    return MS_ERR_NOMEM;
}

ms_status ms_json_parse(const char *text, size_t len, cJSON **out, ms_jsonpos **pos,
                        ms_json_error *err)
{
    return parse(text, len, false, out, pos, err);
}

ms_status ms_json_parse_read_only(const char *text, size_t len, cJSON **out, ms_jsonpos **pos,
                                  ms_json_error *err)
{
    return parse(text, len, true, out, pos, err);
}

ms_status ms_json_print(const cJSON *doc, char **out)
{
    char *text = cJSON_Print(doc);
    ms_buf b;
    *out = NULL;
    if (!text)
        return MS_ERR_NOMEM;
    ms_buf_init(&b, SIZE_MAX); /* a report is as large as the run: no cap but memory */
    /* cJSON copies the bytes of strings as they are: text from the network (libcurl's errors,
     * header values, JSON values quoted in evidence) or typed at a prompt may be invalid UTF-8,
     * which no JSON reader accepts. Every writer of JSON goes through here: U+FFFD for each bad
     * byte, as the JUnit writer does. */
    ms_buf_add_utf8(&b, text, strlen(text));
    ms_buf_addc(&b, '\n');
    free(text);
    *out = ms_buf_take(&b);
    return *out ? MS_OK : MS_ERR_NOMEM;
}

static bool is_container(const cJSON *v)
{
    return cJSON_IsObject(v) || cJSON_IsArray(v);
}

static void indent(ms_buf *b, int depth)
{
    for (int i = 0; i < depth; i++)
        ms_buf_adds(b, "  ");
}

/* v at depth into b, two spaces a level. */
static void print_2(ms_buf *b, const cJSON *v, int depth)
{
    if (!is_container(v)) {
        char *leaf = cJSON_PrintUnformatted(v); /* cJSON's own numbers and escapes */
        if (leaf)
            ms_buf_adds(b, leaf);
        else
            b->failed = true;
        free(leaf);
        return;
    }
    bool object = cJSON_IsObject(v), flat = !object;
    for (const cJSON *it = v->child; it && flat; it = it->next)
        flat = !is_container(it);
    ms_buf_addc(b, object ? '{' : '[');
    for (const cJSON *it = v->child; it; it = it->next) {
        if (flat) {
            ms_buf_adds(b, it == v->child ? "" : ", ");
        } else {
            ms_buf_adds(b, it == v->child ? "\n" : ",\n");
            indent(b, depth + 1);
        }
        if (object) {
            ms_buf_addc(b, '"');
            ms_buf_add_json(b, it->string);
            ms_buf_adds(b, "\": ");
        }
        print_2(b, it, depth + 1);
    }
    if (v->child && !flat) {
        ms_buf_addc(b, '\n');
        indent(b, depth);
    }
    ms_buf_addc(b, object ? '}' : ']');
}

ms_status ms_json_print_2(const cJSON *doc, char **out)
{
    ms_buf text, b;
    *out = NULL;
    ms_buf_init(&text, SIZE_MAX);
    ms_buf_init(&b, SIZE_MAX);
    print_2(&text, doc, 0);
    /* as ms_json_print: valid UTF-8 whatever the strings hold */
    if (!text.failed)
        ms_buf_add_utf8(&b, ms_buf_str(&text), text.len);
    ms_buf_addc(&b, '\n');
    if (!text.failed)
        *out = ms_buf_take(&b);
    ms_buf_cleanup(&text);
    ms_buf_cleanup(&b);
    return *out ? MS_OK : MS_ERR_NOMEM;
}
