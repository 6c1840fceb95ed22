#define _GNU_SOURCE /* memfd_create */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n", file, line, what);
    abort();
}

void fuzz_file_open(fuzz_file *f)
{
    f->fd = memfd_create("ms-fuzz", 0);
    if (f->fd < 0)
        fuzz_fail(__FILE__, __LINE__, "memfd_create");
    snprintf(f->path, sizeof f->path, "/proc/self/fd/%d", f->fd);
}

void fuzz_file_set(fuzz_file *f, const uint8_t *data, size_t size)
{
    if (ftruncate(f->fd, 0) != 0)
        fuzz_fail(__FILE__, __LINE__, "ftruncate");
    for (size_t off = 0; off < size;) {
        ssize_t n = pwrite(f->fd, data + off, size - off, (off_t)off);
        if (n <= 0)
            fuzz_fail(__FILE__, __LINE__, "pwrite");
        off += (size_t)n;
    }
}

FILE *fuzz_null_stream(void)
{
    static FILE *null;
    if (!null && !(null = fopen("/dev/null", "w")))
        fuzz_fail(__FILE__, __LINE__, "fopen /dev/null");
    return null;
}

char *fuzz_strndup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        fuzz_fail(__FILE__, __LINE__, "malloc");
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}
