/* The strict JSON scan and the position index (see ms/jsonpos.h). One recursive descent over
 * the text checks the grammar of RFC 8259 and records a node for every value. Every step either
 * moves forward or stops with a problem, and nesting is bounded, so the scan ends on any input.
 *
 * The index is a tree of nodes, one a value, each holding its key and its parent. A path's hash
 * is computed from its parent's in constant time per key byte; lookups hash the path they are
 * given and compare candidates by walking up the tree. Keys repeated in one object are found
 * through a second table keyed by (object, key). Both tables make the whole scan linear.
 *
 * The gate scan indexes only the values MS_JSONPOS_SHALLOW or fewer levels deep: a checklist's
 * checks and what is above them, whose places every load asks for. The values below are wanted
 * only for a message about one of them, so the first lookup of a deeper path scans the text
 * again, indexing everything. A valid checklist never pays for the nodes of its checks' fields
 * (they were 48% of the memory validate held and a third of its instructions). */
#include "ms/jsonpos.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/buf.h"
#include "ms/hash.h"
#include "ms/i18n.h"

#define NONE SIZE_MAX

typedef struct {
    size_t parent;     /* the node whose path this one's extends; NONE for the root */
    size_t object;     /* the object this is a member of; NONE for array elements and the root */
    size_t key, klen;  /* the decoded key or the array index, in keys */
    size_t occurrence; /* n for the n-th time its key is given in its object */
    size_t times;      /* for an occurrence 1: how often its key was given in its object */
    uint64_t hash;     /* of the path without "#n" */
    size_t key_off, value_off;
    size_t value_end; /* just after the value */
    size_t container; /* the object or array it is in, as written (its parent is the first
                       * occurrence's when that is a repeated key's); NONE for the root */
    bool deep;        /* what lies inside it is indexed too (index_deeper) */
} node;

struct ms_jsonpos {
    const char *text; /* the caller's, kept while the index lives */
    size_t len;
    int limit;  /* values this many levels deep or fewer are indexed */
    bool nomem; /* a lookup could not index the whole text */
    bool shed;  /* nodes, keys and tables freed (ms_jsonpos_shed): the next lookup scans again */
    node *nodes;
    size_t n, cap;
    ms_buf keys;       /* every key, decoded, one after another */
    ms_hindex paths;   /* hash of the path (with "#n") -> node; the first node of each path */
    ms_hindex members; /* hash of (object, key) -> the node of the key's first occurrence */
    ms_hindex again;   /* hash of the path -> the nodes whose path an earlier node has */
    /* Offsets become line:col by counting line feeds from the last offset asked for, as lookups
     * mostly go forward (a check's place, then the next's); the first that goes back makes the
     * table of every line's start. */
    size_t at, at_line, at_start; /* the last offset asked for, its line (0-based), its start */
    size_t *lines;                /* offsets of line starts once made; NULL before */
    size_t nlines;
};

typedef struct {
    const unsigned char *t;
    size_t len, pos;
    ms_jsonpos *x;
    int limit;  /* index values at most this deep */
    ms_buf str; /* the key being read, decoded */
    bool nomem, failed;
    size_t err_off;
    ms_buf msg;
    ms_buf text; /* msg translated */
} scan;

void ms_json_error_cleanup(ms_json_error *err)
{
    if (!err)
        return;
    free(err->message);
    free(err->text);
    err->message = NULL;
    err->text = NULL;
}

static bool fail(scan *s, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ms_buf_vprintf through "...": fmt is a message of this file with one %s (its translation too) */
static void put(ms_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ms_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

/* Record the first problem, in English and translated (fmt marked with N_()); returns false so
 * that callers can return it. */
static bool fail(scan *s, size_t off, const char *fmt, ...)
{
    va_list ap;
    if (s->failed || s->nomem)
        return false;
    s->failed = true;
    s->err_off = off;
    va_start(ap, fmt);
    ms_buf_vprintf(&s->msg, fmt, ap);
    va_end(ap);
    va_start(ap, fmt);
    ms_buf_vprintf(&s->text, _(fmt), ap);
    va_end(ap);
    return false;
}

/* fail with fmt's one %s the English what, translated in the translation (both marked N_()) */
static bool fail_what(scan *s, size_t off, const char *fmt, const char *what)
{
    if (s->failed || s->nomem)
        return false;
    s->failed = true;
    s->err_off = off;
    put(&s->msg, fmt, what);
    put(&s->text, _(fmt), _(what));
    return false;
}

static bool nomem(scan *s)
{
    s->nomem = true;
    return false;
}

/* Something else was expected at s->pos: say what, and whether the text ended there. */
static bool expected(scan *s, const char *what)
{
    if (s->pos >= s->len)
        return fail_what(s, s->pos, N_("not valid JSON: the text ends too early (expected %s)"),
                         what);
    return fail_what(s, s->pos, N_("not valid JSON: expected %s"), what);
}

static bool is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Skip whitespace; a control character there is refused (RFC 8259 allows only these four). */
static bool skip_ws(scan *s)
{
    while (s->pos < s->len && is_ws(s->t[s->pos]))
        s->pos++;
    if (s->pos < s->len && s->t[s->pos] < 0x20)
        return fail(s, s->pos,
                    N_("not valid JSON: control character U+%04X between values (only space, tab, "
                       "line feed and carriage return may stand there)"),
                    s->t[s->pos]);
    return true;
}

static int hex(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The four hex digits at t[at], or -1. */
static long hex4(const scan *s, size_t at)
{
    long v = 0;
    if (at > s->len || s->len - at < 4)
        return -1;
    for (size_t i = 0; i < 4; i++) {
        int d = hex(s->t[at + i]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static void put_utf8(scan *s, ms_buf *out, unsigned long cp)
{
    unsigned char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (unsigned char)(0xF0 | (cp >> 18));
        b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    if (ms_buf_add(out, b, n) != MS_OK)
        s->nomem = true;
}

/* The escape at s->pos (a backslash); its character goes to out when out is given. */
static bool escape(scan *s, size_t start, ms_buf *out)
{
    size_t at = s->pos;
    if (at + 1 >= s->len)
        return fail(s, start, N_("not valid JSON: a string without its closing quote"));
    static const char named[] = "\"\\/bfnrt", decoded[] = "\"\\/\b\f\n\r\t";
    unsigned char e = s->t[at + 1];
    const char *simple = e ? strchr(named, e) : NULL;
    if (simple) {
        if (out && ms_buf_addc(out, decoded[simple - named]) != MS_OK)
            return nomem(s);
        s->pos += 2;
        return true;
    }
    if (e != 'u') {
        if (e > 0x20 && e < 0x7F)
            return fail(
                s, at,
                N_("not valid JSON: \\%c is not an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t "
                   "and \\uXXXX are)"),
                e);
        return fail(
            s, at,
            N_("not valid JSON: a backslash must be followed by one of \" \\ / b f n r t u"));
    }
    long cp = hex4(s, at + 2);
    if (cp < 0)
        return fail(s, at, N_("not valid JSON: \\u must be followed by four hexadecimal digits"));
    size_t used = 6;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return fail(s, at,
                    N_("not valid JSON: \\u%04lX is the second half of a UTF-16 surrogate pair "
                       "without the first: "
                       "not a character"),
                    cp);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        long low =
            at + 7 < s->len && s->t[at + 6] == '\\' && s->t[at + 7] == 'u' ? hex4(s, at + 8) : -1;
        if (low < 0xDC00 || low > 0xDFFF)
            return fail(
                s, at,
                "not valid JSON: \\u%04lX is the first half of a UTF-16 surrogate pair without the "
                "second (\\uDC00 to \\uDFFF): not a character",
                cp);
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        used = 12;
    }
    if (cp == 0)
        return fail(s, at,
                    N_("\\u0000 (the NUL character) cannot be used in a string read by this tool"));
    if (out)
        put_utf8(s, out, (unsigned long)cp);
    s->pos += used;
    return !s->nomem;
}

/* A byte that stands for itself in a string: printable ASCII but the quote and the backslash. */
static bool plain(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* The string at s->pos (a double quote); decoded into out when out is given. */
static bool string(scan *s, ms_buf *out)
{
    static const char short_escape[] = {
        ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't'};
    size_t start = s->pos++;
    for (;;) {
        /* A run of printable ASCII, the most of any string, in one step */
        size_t end = s->pos;
        while (end < s->len && plain(s->t[end]))
            end++;
        if (end > s->pos) {
            if (out && ms_buf_add(out, s->t + s->pos, end - s->pos) != MS_OK)
                return nomem(s);
            s->pos = end;
        }
        if (s->pos >= s->len)
            return fail(s, start, N_("not valid JSON: a string without its closing quote"));
        unsigned char c = s->t[s->pos];
        if (c == '"') {
            s->pos++;
            return true;
        }
        if (c == '\n' || c == '\r')
            return fail(s, s->pos,
                        N_("not valid JSON: a line break inside a string (is a closing quote "
                           "missing? Write a line break in a string as \\n)"));
        if (c < 0x20) {
            if (c < sizeof short_escape && short_escape[c])
                return fail(s, s->pos,
                            N_("not valid JSON: control character U+%04X inside a string (write "
                               "it as \\%c)"),
                            c, short_escape[c]);
            return fail(s, s->pos,
                        N_("not valid JSON: control character U+%04X inside a string (write it "
                           "as \\u%04X)"),
                        c, c);
        }
        if (c == '\\') {
            if (!escape(s, start, out))
                return false;
            continue;
        }
        long cp;
        size_t n = ms_utf8_decode((const char *)s->t + s->pos, s->len - s->pos, &cp);
        if (cp < 0) /* the one strict decoder: no overlong forms, surrogates or cut characters */
            return fail(s, s->pos, N_("not valid UTF-8 (byte 0x%02X): a JSON text must be UTF-8"),
                        c);
        if (out && ms_buf_add(out, s->t + s->pos, n) != MS_OK)
            return nomem(s);
        s->pos += n;
    }
}

static bool digit(const scan *s)
{
    return s->pos < s->len && s->t[s->pos] >= '0' && s->t[s->pos] <= '9';
}

static bool number(scan *s)
{
    size_t start = s->pos;
    if (s->t[s->pos] == '-')
        s->pos++;
    if (!digit(s))
        return expected(s, N_("a digit after '-'"));
    if (s->t[s->pos] == '0') {
        s->pos++;
        if (digit(s))
            return fail(s, start,
                        N_("not valid JSON: a number cannot start with 0 and another digit"));
    }
    while (digit(s))
        s->pos++;
    if (s->pos < s->len && s->t[s->pos] == '.') {
        s->pos++;
        if (!digit(s))
            return expected(s, N_("a digit after the decimal point"));
        while (digit(s))
            s->pos++;
    }
    if (s->pos < s->len && (s->t[s->pos] == 'e' || s->t[s->pos] == 'E')) {
        s->pos++;
        if (s->pos < s->len && (s->t[s->pos] == '+' || s->t[s->pos] == '-'))
            s->pos++;
        if (!digit(s))
            return expected(s, N_("a digit in the exponent"));
        while (digit(s))
            s->pos++;
    }
    if (s->pos - start > MS_JSON_MAX_NUMBER)
        return fail(s, start, N_("a number longer than %d characters (the most this tool reads)"),
                    MS_JSON_MAX_NUMBER);
    return true;
}

/* The key of node nd. */
static const char *key_of(const ms_jsonpos *x, const node *nd)
{
    return ms_buf_str(&x->keys) + nd->key;
}

static bool same_key(const ms_jsonpos *x, const node *nd, const char *key, size_t klen)
{
    return nd->klen == klen && (klen == 0 || memcmp(key_of(x, nd), key, klen) == 0);
}

/* A new node; NONE when out of memory. */
/* i in decimal at the start of num (not ended): its length. An array's every element is named
 * by its index; printf for each was a cost on every load. */
static size_t decimal(char num[24], size_t i)
{
    char rev[24];
    size_t n = 0;
    do
        rev[n++] = (char)('0' + i % 10);
    while ((i /= 10) > 0);
    for (size_t k = 0; k < n; k++)
        num[k] = rev[n - 1 - k];
    return n;
}

static size_t add_node(scan *s, size_t parent, size_t object, size_t container, const char *key,
                       size_t klen, size_t occurrence, size_t key_off, size_t value_off)
{
    ms_jsonpos *x = s->x;
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 64;
        node *p = cap > SIZE_MAX / sizeof *p ? NULL : realloc(x->nodes, cap * sizeof *p);
        if (!p) {
            s->nomem = true;
            return NONE;
        }
        x->nodes = p;
        x->cap = cap;
    }
    node nd = {.parent = parent,
               .object = object,
               .key = x->keys.len,
               .klen = klen,
               .occurrence = occurrence,
               .hash = MS_HASH_INIT,
               .key_off = key_off,
               .value_off = value_off,
               .value_end = value_off,
               .container = container};
    if (klen && ms_buf_add(&x->keys, key, klen) != MS_OK) {
        s->nomem = true;
        return NONE;
    }
    if (parent != NONE) {
        nd.hash = x->nodes[parent].parent == NONE ? MS_HASH_INIT
                                                  : ms_hash_add(x->nodes[parent].hash, ".", 1);
        nd.hash = ms_hash_add(nd.hash, key, klen);
    }
    uint64_t h = nd.hash;
    if (occurrence > 1) {
        char num[24];
        int n = snprintf(num, sizeof num, "#%zu", occurrence);
        h = ms_hash_add(h, num, (size_t)n);
    }
    size_t id = x->n;
    x->nodes[x->n++] = nd;
    /* The same path again (inside a repeated key's value): the first one stays. */
    size_t it = 0, c;
    while (ms_hindex_next(&x->paths, h, &it, &c)) {
        const node *o = &x->nodes[c];
        if (o->parent == parent && o->occurrence == occurrence && same_key(x, o, key, klen)) {
            if (ms_hindex_add(&x->again, h, id) != MS_OK) { /* for index_deeper */
                s->nomem = true;
                return NONE;
            }
            return id;
        }
    }
    if (ms_hindex_add(&x->paths, h, id) != MS_OK) {
        s->nomem = true;
        return NONE;
    }
    return id;
}

static uint64_t member_hash(size_t object, const char *key, size_t klen)
{
    return ms_hash_add(ms_hash_add(MS_HASH_INIT, &object, sizeof object), key, klen);
}

static bool value(scan *s, size_t self, size_t base, int depth);

/* The node of key's first occurrence in object, or NONE; mh: member_hash(object, key, klen). */
static size_t first_member(const ms_jsonpos *x, size_t object, const char *key, size_t klen,
                           uint64_t mh)
{
    size_t it = 0, c;
    while (ms_hindex_next(&x->members, mh, &it, &c))
        if (x->nodes[c].object == object && same_key(x, &x->nodes[c], key, klen))
            return c;
    return NONE;
}

/* The member of object self whose key was just read (its text at koff, decoded in s->str), its
 * value at s->pos; base is the node its path extends. Returns the member's node and in *first
 * the node of its key's first occurrence (itself for a key given once); NONE when out of
 * memory. */
static size_t member(scan *s, size_t self, size_t base, size_t koff, size_t *first)
{
    ms_jsonpos *x = s->x;
    const char *key = ms_buf_str(&s->str);
    size_t klen = s->str.len;
    uint64_t mh = member_hash(self, key, klen);
    *first = first_member(x, self, key, klen, mh);
    if (*first != NONE)
        return add_node(s, base, self, self, key, klen, ++x->nodes[*first].times, koff, s->pos);
    size_t id = add_node(s, base, self, self, key, klen, 1, koff, s->pos);
    if (id == NONE)
        return NONE;
    x->nodes[id].times = 1;
    *first = id;
    if (ms_hindex_add(&x->members, mh, id) != MS_OK) {
        s->nomem = true;
        return NONE;
    }
    return id;
}

/* The object at s->pos; self is its node, base the node its members' paths extend (NONE for
 * both when its members are deeper than s->limit). */
static bool object(scan *s, size_t self, size_t base, int depth)
{
    bool comma = false, indexed = depth <= s->limit;
    s->pos++;
    if (!skip_ws(s))
        return false;
    if (s->pos < s->len && s->t[s->pos] == '}') {
        s->pos++;
        return true;
    }
    for (;;) {
        if (s->pos >= s->len || s->t[s->pos] != '"') {
            if (comma && s->pos < s->len && s->t[s->pos] == '}')
                return fail(s, s->pos,
                            N_("not valid JSON: a comma before '}' (JSON has none there)"));
            return expected(s, N_("a field name in double quotes"));
        }
        size_t koff = s->pos;
        ms_buf_reset(&s->str);
        if (!string(s, indexed ? &s->str : NULL) || !skip_ws(s))
            return false;
        if (s->pos >= s->len || s->t[s->pos] != ':')
            return expected(s, N_("':' after the field name"));
        s->pos++;
        if (!skip_ws(s))
            return false;
        size_t id = NONE, first = NONE;
        if (indexed && (id = member(s, self, base, koff, &first)) == NONE)
            return false;
        if (!value(s, id, first, depth) || !skip_ws(s))
            return false;
        if (s->pos < s->len && s->t[s->pos] == '}') {
            s->pos++;
            return true;
        }
        if (s->pos >= s->len || s->t[s->pos] != ',')
            return expected(s, N_("',' or '}'"));
        s->pos++;
        comma = true;
        if (!skip_ws(s))
            return false;
    }
}

/* The array at s->pos; self is its node, base the node its elements' paths extend (NONE for both
 * when its elements are deeper than s->limit). */
static bool array(scan *s, size_t self, size_t base, int depth)
{
    s->pos++;
    if (!skip_ws(s))
        return false;
    if (s->pos < s->len && s->t[s->pos] == ']') {
        s->pos++;
        return true;
    }
    for (size_t i = 0;; i++) {
        if (s->pos < s->len && s->t[s->pos] == ']')
            return fail(s, s->pos, N_("not valid JSON: a comma before ']' (JSON has none there)"));
        size_t id = NONE;
        if (depth <= s->limit) {
            char num[24];
            size_t n = decimal(num, i);
            if ((id = add_node(s, base, NONE, self, num, n, 1, s->pos, s->pos)) == NONE)
                return false;
        }
        if (!value(s, id, id, depth) || !skip_ws(s))
            return false;
        if (s->pos < s->len && s->t[s->pos] == ']') {
            s->pos++;
            return true;
        }
        if (s->pos >= s->len || s->t[s->pos] != ',')
            return expected(s, N_("',' or ']'"));
        s->pos++;
        if (!skip_ws(s))
            return false;
    }
}

static bool literal(scan *s, const char *word)
{
    size_t n = strlen(word);
    if (s->len - s->pos < n || memcmp(s->t + s->pos, word, n) != 0)
        return expected(s, N_("a value (an object, array, string, number, true, false or null)"));
    s->pos += n;
    return true;
}

/* The value at s->pos, indexed as node self (see value). */
static bool value_at(scan *s, size_t self, size_t base, int depth)
{
    if (s->pos >= s->len)
        return expected(s, N_("a value"));
    unsigned char c = s->t[s->pos];
    if ((c == '{' || c == '[') && depth >= MS_JSON_MAX_DEPTH)
        return fail(s, s->pos,
                    N_("objects and arrays nested more than %d deep (the most this tool "
                       "reads)"),
                    MS_JSON_MAX_DEPTH);
    switch (c) {
    case '{':
        return object(s, self, base, depth + 1);
    case '[':
        return array(s, self, base, depth + 1);
    case '"':
        return string(s, NULL);
    case 't':
        return literal(s, "true");
    case 'f':
        return literal(s, "false");
    case 'n':
        return literal(s, "null");
    default:
        if (c == '-' || (c >= '0' && c <= '9'))
            return number(s);
        return expected(s, N_("a value (an object, array, string, number, true, false or null)"));
    }
}

/* The value at s->pos, indexed as node self (NONE: not indexed), its members' or elements' paths
 * extending base's; depth: the objects and arrays around it. */
static bool value(scan *s, size_t self, size_t base, int depth)
{
    if (!value_at(s, self, base, depth))
        return false;
    if (self != NONE)
        s->x->nodes[self].value_end = s->pos;
    return true;
}

/* The table of line starts; false when out of memory. */
static bool make_lines(ms_jsonpos *x)
{
    size_t nl = 1;
    const char *t = x->text, *end = t + x->len;
    for (const char *p = t; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        nl++;
    if (!(x->lines = malloc(nl * sizeof *x->lines)))
        return false;
    x->lines[x->nlines++] = 0;
    for (const char *p = t; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        x->lines[x->nlines++] = (size_t)(p - t) + 1;
    return true;
}

static void off_to_linecol(ms_jsonpos *x, size_t off, int *line, int *col)
{
    if (off > x->len)
        off = x->len;
    if (!x->lines && off < x->at && !make_lines(x)) {
        x->at = x->at_line = x->at_start = 0; /* no memory for the table: count from the start */
    }
    size_t l, start;
    if (x->lines) {
        size_t lo = 0, hi = x->nlines;
        while (hi - lo > 1) {
            size_t mid = (lo + hi) / 2;
            if (x->lines[mid] <= off)
                lo = mid;
            else
                hi = mid;
        }
        l = lo;
        start = x->lines[lo];
    } else {
        l = x->at_line;
        start = x->at_start;
        const char *t = x->text, *end = t + off;
        for (const char *p = t + x->at; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++) {
            l++;
            start = (size_t)(p - t) + 1;
        }
        x->at = off;
        x->at_line = l;
        x->at_start = start;
    }
    *line = l + 1 > INT_MAX ? INT_MAX : (int)(l + 1);
    *col = off - start + 1 > INT_MAX ? INT_MAX : (int)(off - start + 1);
}

/* A scan of x's text from pos to end, indexing values at most limit deep. */
static scan scan_open(ms_jsonpos *x, size_t pos, size_t end, int limit)
{
    scan s = {.t = (const unsigned char *)x->text, .len = end, .pos = pos, .x = x, .limit = limit};
    ms_buf_init(&s.str, 0);
    ms_buf_init(&s.msg, 0);
    ms_buf_init(&s.text, 0);
    return s;
}

static void scan_close(scan *s)
{
    ms_buf_cleanup(&s->str);
    ms_buf_cleanup(&s->msg);
    ms_buf_cleanup(&s->text);
}

/* Scan x->text, indexing values at most limit deep into x (whose nodes, keys and tables are
 * empty). MS_OK, MS_ERR_INVALID with the first problem in *err, or MS_ERR_NOMEM. */
static ms_status index_text(ms_jsonpos *x, int limit, ms_json_error *err)
{
    ms_status rc = MS_OK;
    scan s = scan_open(x, 0, x->len, limit);
    x->limit = limit;
    if (s.len >= 3 && memcmp(s.t, "\xEF\xBB\xBF", 3) == 0)
        s.pos = 3; /* a byte order mark: tolerated at the start, as RFC 8259 allows */
    bool ok = skip_ws(&s);
    if (ok && s.pos >= s.len)
        ok = fail(&s, s.pos, N_("not valid JSON: the text is empty"));
    if (ok) {
        size_t root = add_node(&s, NONE, NONE, NONE, "", 0, 1, s.pos, s.pos);
        ok = root != NONE && value(&s, root, root, 0) && skip_ws(&s);
        if (ok && s.pos < s.len)
            ok = fail(&s, s.pos, N_("not valid JSON: more text after the end of the JSON value"));
    }
    if (s.nomem) {
        rc = MS_ERR_NOMEM;
    } else if (!ok) {
        off_to_linecol(x, s.err_off, &err->line, &err->col);
        err->message = ms_buf_take(&s.msg);
        err->text = ms_buf_take(&s.text);
        rc = err->message && err->text ? MS_ERR_INVALID : MS_ERR_NOMEM;
    }
    scan_close(&s);
    return rc;
}

/* x with no nodes, keys or tables yet. */
static void empty_index(ms_jsonpos *x)
{
    x->nodes = NULL;
    x->n = x->cap = 0;
    ms_buf_init(&x->keys, SIZE_MAX);
    ms_hindex_init(&x->paths);
    ms_hindex_init(&x->members);
    ms_hindex_init(&x->again);
}

/* The nodes, keys and tables of x, freed (its text and lines stay). */
static void drop_index(ms_jsonpos *x)
{
    free(x->nodes);
    ms_buf_cleanup(&x->keys);
    ms_hindex_cleanup(&x->paths);
    ms_hindex_cleanup(&x->members);
    ms_hindex_cleanup(&x->again);
}

ms_status ms_jsonpos_build(const char *text, size_t len, ms_jsonpos **out, ms_json_error *err)
{
    ms_status rc = MS_OK;
    ms_jsonpos *x = calloc(1, sizeof *x);
    *out = NULL;
    *err = (ms_json_error){0, 0, NULL, NULL};
    if (!x)
        return MS_ERR_NOMEM;
    x->text = text;
    x->len = len;
    empty_index(x);
    rc = index_text(x, MS_JSONPOS_SHALLOW, err);
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
    drop_index(idx);
    free(idx->lines);
    free(idx);
}

/* Is the path of node id exactly the len bytes at path? Walks from the node to the root. */
static bool path_is(const ms_jsonpos *x, size_t id, const char *path, size_t len)
{
    for (;;) {
        const node *nd = &x->nodes[id];
        if (nd->parent == NONE)
            return len == 0;
        char num[24] = "";
        size_t nlen =
            nd->occurrence > 1 ? (size_t)snprintf(num, sizeof num, "#%zu", nd->occurrence) : 0;
        if (len < nd->klen + nlen || memcmp(path + len - nlen, num, nlen) != 0 ||
            !same_key(x, nd, path + len - nlen - nd->klen, nd->klen))
            return false;
        len -= nd->klen + nlen;
        id = nd->parent;
        if (x->nodes[id].parent == NONE)
            return len == 0;
        if (len == 0 || path[len - 1] != '.')
            return false;
        len--;
    }
}

static size_t lookup(const ms_jsonpos *idx, const char *path, size_t len);
static bool path_is(const ms_jsonpos *x, size_t id, const char *path, size_t len);

/* How deep node id is: 0 for the root. */
static int depth_of(const ms_jsonpos *idx, size_t id)
{
    int depth = 0;
    for (size_t up = idx->nodes[id].container; up != NONE; up = idx->nodes[up].container)
        depth++;
    return depth;
}

/* Index what lies inside node id's value (at MS_JSONPOS_SHALLOW deep), once, scanning its bytes
 * alone. */
static void index_inside(ms_jsonpos *idx, size_t id)
{
    if (idx->nodes[id].deep)
        return;
    idx->nodes[id].deep = true; /* also when what follows runs out of memory: not again */
    node nd = idx->nodes[id];
    /* inside a repeated key's value, paths extend the first occurrence's (see object()) */
    const char *key = key_of(idx, &nd);
    size_t base = nd.occurrence > 1 ? first_member(idx, nd.object, key, nd.klen,
                                                   member_hash(nd.object, key, nd.klen))
                                    : id;
    scan s = scan_open(idx, nd.value_off, nd.value_end, INT_MAX);
    if (!value(&s, id, base == NONE ? id : base, idx->limit) || s.nomem)
        idx->nomem = true; /* the value passed the gate: only memory can fail */
    scan_close(&s);
}

/* Index every value of idx's text, once. Out of memory, the index stays as it was (its lookups
 * fall back to a parent) and idx->nomem says so. */
static void index_all(ms_jsonpos *idx)
{
    ms_jsonpos full = *idx;
    empty_index(&full);
    ms_json_error err = {0, 0, NULL, NULL};
    /* the text was valid for the gate: this scan can only run out of memory */
    if (index_text(&full, INT_MAX, &err) == MS_OK) {
        drop_index(idx);
        *idx = full;
    } else {
        drop_index(&full);
        ms_json_error_cleanup(&err);
        idx->nomem = true;
    }
}

/* Make sure the value at path is indexed when it lies deeper than the first scan went: index
 * what lies inside the value MS_JSONPOS_SHALLOW deep that path goes through (a check), once,
 * by scanning its bytes alone, so that one problem in a check of a large file costs that check,
 * not the file. When that value cannot be told (a key with dots in it, spelling more parts than
 * it has), the whole text is indexed instead. */
static void index_deeper(ms_jsonpos *idx, const char *path, size_t len)
{
    if (idx->limit == INT_MAX || idx->nomem)
        return;
    size_t cut = 0;
    int parts = len > 0;
    for (size_t i = 0; i < len && parts <= idx->limit; i++)
        if (path[i] == '.' && ++parts > idx->limit)
            cut = i;
    if (parts <= idx->limit)
        return; /* a path of n parts names a value at most n deep: all of those are indexed */
    size_t id = lookup(idx, path, cut);
    if (id == NONE || depth_of(idx, id) != idx->limit) {
        index_all(idx);
        return;
    }
    if (idx->nodes[id].deep)
        return;
    /* The value at the path, and every other one at the same path (inside a repeated key's later
     * value, whose own paths a full index holds where the first has none): each in turn, in the
     * order of the text, as the full scan would index them. They are in both tables: a node
     * whose parent has its path is in paths, one whose parent is the same node in again. */
    size_t *same = NULL, nsame = 0, cap = 0;
    uint64_t h = ms_hash_add(MS_HASH_INIT, path, cut);
    const ms_hindex *tables[] = {&idx->paths, &idx->again};
    for (size_t t = 0; t < 2 && !idx->nomem; t++) {
        size_t it = 0, c;
        while (ms_hindex_next(tables[t], h, &it, &c)) {
            if (depth_of(idx, c) != idx->limit || !path_is(idx, c, path, cut))
                continue;
            if (nsame == cap) {
                size_t grown = cap ? cap * 2 : 4;
                size_t *more = realloc(same, grown * sizeof *same);
                if (!more) {
                    idx->nomem = true;
                    break;
                }
                same = more;
                cap = grown;
            }
            size_t at = nsame++;
            for (; at > 0 && same[at - 1] > c; at--) /* kept in node order, the text's */
                same[at] = same[at - 1];
            same[at] = c;
        }
    }
    for (size_t k = 0; k < nsame && !idx->nomem; k++)
        index_inside(idx, same[k]);
    free(same);
}

/* Is node id the occurrence-1 member key (or, for NULL, an array element) of its parent? */
static bool part_is(const ms_jsonpos *x, const node *nd, const char *key)
{
    if (!key)
        return nd->object == NONE;
    return nd->object != NONE && nd->occurrence == 1 && nd->klen == strlen(key) &&
           memcmp(key_of(x, nd), key, nd->klen) == 0;
}

ms_status ms_jsonpos_hollow(const ms_jsonpos *idx, const char *const parts[MS_JSONPOS_SHALLOW],
                            char **out, size_t *outlen, ms_json_span **spans, size_t *nspans)
{
    ms_buf b;
    ms_buf_init(&b, SIZE_MAX);
    ms_json_span *sp = NULL;
    size_t nsp = 0, cap = 0, from = 0;
    *out = NULL;
    *spans = NULL;
    *outlen = *nspans = 0;
    for (size_t i = 0; i < idx->n; i++) {
        /* a value whose path, from the root, is parts: walked up from its own part */
        const node *nd = &idx->nodes[i];
        size_t at[MS_JSONPOS_SHALLOW], id = i;
        int k = MS_JSONPOS_SHALLOW;
        while (k > 0 && id != NONE && idx->nodes[id].container != NONE &&
               part_is(idx, &idx->nodes[id], parts[k - 1])) {
            at[--k] = id;
            id = idx->nodes[id].container;
        }
        if (k > 0 || id == NONE || idx->nodes[id].container != NONE)
            continue; /* not at parts, or inside a repeated key's later value */
        if (nsp == cap) {
            size_t c = cap ? cap * 2 : 64;
            ms_json_span *p = c > SIZE_MAX / sizeof *p ? NULL : realloc(sp, c * sizeof *p);
            if (!p)
                goto nomem;
            sp = p;
            cap = c;
        }
        /* the array indexes in the path, for the caller to match with what it walks */
        ms_json_span one = {{0}, nd->value_off, nd->value_end - nd->value_off};
        for (int j = 0; j < MS_JSONPOS_SHALLOW; j++) {
            const node *el = &idx->nodes[at[j]];
            for (size_t d = 0; !parts[j] && d < el->klen; d++) /* its key is its index */
                one.index[j] = one.index[j] * 10 + (size_t)(key_of(idx, el)[d] - '0');
        }
        sp[nsp++] = one;
        if (ms_buf_add(&b, idx->text + from, nd->value_off - from) != MS_OK ||
            ms_buf_adds(&b, "{}") != MS_OK)
            goto nomem;
        from = nd->value_end;
    }
    if (ms_buf_add(&b, idx->text + from, idx->len - from) != MS_OK)
        goto nomem;
    *outlen = b.len;
    if (!(*out = ms_buf_take(&b)))
        goto nomem;
    *spans = sp;
    *nspans = nsp;
    return MS_OK;
nomem:
    ms_buf_cleanup(&b);
    free(sp);
    return MS_ERR_NOMEM;
}

bool ms_jsonpos_nomem(const ms_jsonpos *idx)
{
    return idx && idx->nomem;
}

/* The first node whose path is the len bytes at path, or NONE. */
static size_t lookup(const ms_jsonpos *idx, const char *path, size_t len)
{
    size_t it = 0, c, best = NONE;
    uint64_t h = ms_hash_add(MS_HASH_INIT, path, len);
    while (ms_hindex_next(&idx->paths, h, &it, &c))
        if (c < best && path_is(idx, c, path, len))
            best = c; /* of two paths spelt alike ("a.b" as one key or two), the first */
    return best;
}

void ms_jsonpos_shed(ms_jsonpos *idx)
{
    if (!idx || idx->shed)
        return;
    drop_index(idx);
    empty_index(idx);
    idx->shed = true;
}

void ms_jsonpos_linecol(ms_jsonpos *idx, size_t off, int *line, int *col)
{
    off_to_linecol(idx, off, line, col);
}

/* The index of a shed text made again, as ms_jsonpos_build made it (the text passed that scan:
 * only memory can fail, and then lookups fall back as for a deeper path, with nomem set). */
static void unshed(ms_jsonpos *idx)
{
    if (!idx->shed)
        return;
    idx->shed = false;
    ms_json_error err = {0, 0, NULL, NULL};
    if (index_text(idx, MS_JSONPOS_SHALLOW, &err) != MS_OK) {
        drop_index(idx);
        empty_index(idx);
        ms_json_error_cleanup(&err);
        idx->nomem = true;
    }
}

bool ms_jsonpos_find(ms_jsonpos *idx, const char *path, bool key, int *line, int *col)
{
    if (!idx || !path)
        return false;
    unshed(idx);
    size_t len = strlen(path);
    index_deeper(idx, path, len);
    for (;;) {
        size_t best = lookup(idx, path, len);
        if (best != NONE) {
            const node *nd = &idx->nodes[best];
            off_to_linecol(idx, key ? nd->key_off : nd->value_off, line, col);
            return true;
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
