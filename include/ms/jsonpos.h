/* The strict reading of a JSON text (RFC 8259) and where each of its values begins, so that a
 * message about a field can name its line and column.
 *
 * ms_jsonpos_build is the gate every JSON file the tool loads goes through before cJSON sees
 * it: it accepts only what RFC 8259 allows and cJSON reads the same way, and it builds the
 * position index in the same scan, so the index and the parser agree by construction. Refused:
 * control characters (below U+0020) between values (only space, tab, line feed and carriage
 * return are whitespace) and raw inside strings; bytes that are not UTF-8; escapes that are not
 * characters (an unpaired surrogate such as \uD800, and \u0000, which a C string cannot hold);
 * nesting deeper than MS_JSON_MAX_DEPTH; numbers longer than MS_JSON_MAX_NUMBER characters. A
 * UTF-8 byte order mark at the start is skipped (cJSON skips it too).
 *
 * The index refers to the text, which the caller keeps unchanged while the index lives: the scan
 * indexes the values at most MS_JSONPOS_SHALLOW levels deep, and the first lookup of a deeper
 * path scans the text again to index them all (a valid file seldom asks for one).
 *
 * Paths are dot paths with numeric array indexes: "sections.0.id"; the root is "". A key given
 * again in one object is indexed as "path#2", "path#3"...; what lies inside a repeated key's
 * value is indexed under the path without the number, the first occurrence winning. */
#ifndef MS_JSONPOS_H
#define MS_JSONPOS_H

#include <stdbool.h>
#include <stddef.h>

#include "ms/status.h"

/* The deepest nesting of objects and arrays read: one limit for the scan and the parser (cJSON
 * allows 1000, so it never meets a text deeper than the scan lets through). */
#define MS_JSON_MAX_DEPTH 100
/* The longest number read, in characters: cJSON reads at most 63. */
#define MS_JSON_MAX_NUMBER 63

/* The depth the first scan indexes: a checklist's checks ("sections.0.checks.3") and above. */
#define MS_JSONPOS_SHALLOW 4

typedef struct ms_jsonpos ms_jsonpos;

/* Why a text was refused. */
typedef struct {
    int line, col; /* 1-based; columns count bytes */
    char *message; /* English (the machine form); owned: free with ms_json_error_cleanup */
    char *text;    /* the message in the auditor's language; owned; NULL: message */
} ms_json_error;

void ms_json_error_cleanup(ms_json_error *err);

/* Check that text (len bytes) is JSON as described above and index it. Returns MS_OK and the
 * index in *out (the caller frees it with ms_jsonpos_free); MS_ERR_INVALID with the first
 * problem's place and a message in *err (the caller cleans it up); or MS_ERR_NOMEM. The scan
 * takes time and memory linear in len. */
ms_status ms_jsonpos_build(const char *text, size_t len, ms_jsonpos **out, ms_json_error *err);
void ms_jsonpos_free(ms_jsonpos *idx);

/* Line and column (1-based) of the value at path, or of its key when key is true and the
 * value is an object member. Falls back to the nearest indexed parent; false when none. A path
 * deeper than MS_JSONPOS_SHALLOW indexes the whole text first (once; out of memory, the lookup
 * falls back to the deepest parent indexed, and ms_jsonpos_nomem says so). */
/* (A lookup may add to the index: one index is used by one thread at a time.) */
bool ms_jsonpos_find(ms_jsonpos *idx, const char *path, bool key, int *line, int *col);

/* Where a value lies in the text, and the array indexes of its path. */
typedef struct {
    size_t index[MS_JSONPOS_SHALLOW]; /* for each part of the path that is an array element */
    size_t off, len;                  /* its bytes in the text */
} ms_json_span;

/* The text with every value at path parts (MS_JSONPOS_SHALLOW parts from the root: a key, or
 * NULL for any element of an array; keys in their first occurrence only) written as {}, in a
 * new string *out of *outlen bytes, NUL-terminated; and where those values were, in text
 * order, in *spans (*nspans of them; the caller frees both). So that a large document can be
 * read part by part: {"sections", NULL, "checks", NULL} leaves a checklist without its checks,
 * and each check is parsed from its span when it is loaded. MS_OK or MS_ERR_NOMEM. */
ms_status ms_jsonpos_hollow(const ms_jsonpos *idx, const char *const parts[MS_JSONPOS_SHALLOW],
                            char **out, size_t *outlen, ms_json_span **spans, size_t *nspans);

/* Did a lookup run out of memory indexing the whole text (its place is then a parent's)? */
bool ms_jsonpos_nomem(const ms_jsonpos *idx);

/* Free what the index holds but its text, until a lookup needs it: the first ms_jsonpos_find
 * after this scans the text again (the text stays the caller's, unchanged, until
 * ms_jsonpos_free). So that a large valid file, read part by part from its spans, does not
 * keep a node for each of its values meanwhile: only a file with a problem pays again.
 * ms_jsonpos_hollow reads the index as it is and does not make it again: hollow first. */
void ms_jsonpos_shed(ms_jsonpos *idx);

/* Line and column (1-based) of byte off of the text, which the index needs not hold. Counted
 * from the last offset asked for when off lies after it (most do: a file read in order). */
void ms_jsonpos_linecol(ms_jsonpos *idx, size_t off, int *line, int *col);

#endif
