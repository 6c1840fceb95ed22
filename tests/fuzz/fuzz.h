/* Helpers shared by the fuzz harnesses. Each harness is one file that defines
 * LLVMFuzzerInitialize and LLVMFuzzerTestOneInput; it is linked either with libFuzzer (clang,
 * MS_FUZZ=ON) or with replay.c, a plain main() that runs it over files (any compiler, ctest). */
#ifndef MS_FUZZ_H
#define MS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An in-memory file that the loaders can open by path ("/proc/self/fd/N"), so that a harness
 * runs the whole load from a path, as the tool does, without touching the disk. */
typedef struct {
    int fd;
    char path[32];
} fuzz_file;

/* Create the file once; aborts when it cannot (the harness is of no use then). */
void fuzz_file_open(fuzz_file *f);
/* Replace the file's contents by data. */
void fuzz_file_set(fuzz_file *f, const uint8_t *data, size_t size);

/* A stream that discards what is written to it, for the printing paths. */
FILE *fuzz_null_stream(void);

/* A NUL-terminated copy of data (caller frees); aborts when out of memory. */
char *fuzz_strndup(const uint8_t *data, size_t size);

/* Abort with a message when cond is false: a broken invariant is a finding. */
#define FUZZ_ASSERT(cond)                                                                          \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fuzz_fail(__FILE__, __LINE__, #cond);                                                  \
    } while (0)
void fuzz_fail(const char *file, int line, const char *what) __attribute__((noreturn));

#endif
