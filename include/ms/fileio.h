/* Reading whole files, and writing the files the tool writes (reports, the answers file,
 * init's output) safely:
 * - a regular file, or a name that does not exist yet, is replaced atomically: a temporary
 *   ".NAME.mystery-shopper-PID-XXXXXX" made with mkostemp beside it, fsync, rename, fsync of
 *   the directory. An existing file keeps its permission bits; a new one gets 0666 less the
 *   umask. A symbolic link is followed and its target replaced, so the link stays a link.
 * - a FIFO or a character device (/dev/null, a terminal, a pipe) is written through, never
 *   replaced.
 * - anything else (a directory, a socket, a block device) is refused with a message naming it.
 * Before a file is replaced, temporaries of that naming for it whose process no longer runs
 * (left by a kill -9) are removed. */
#ifndef MS_FILEIO_H
#define MS_FILEIO_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "ms/buf.h"
#include "ms/status.h"

/* Read the whole file at path ("-" is stdin) into *out (NUL-terminated, caller frees).
 * On failure returns MS_ERR_IO (with a reason such as "cannot open: No such file or directory"
 * in why) or MS_ERR_NOMEM. Prints nothing. */
ms_status ms_read_file(const char *path, char **out, size_t *len, char *why, size_t whylen);

/* A file's bytes to read, as ms_read_file reads them but for a regular file mapped from the file
 * itself, not copied (ms_map_file): its pages come from the page cache, many at a time, where a
 * copy is faulted in one page after the other (a checklist of 1,000 checks, 136 KB: 34 page
 * faults, 3 mapped). text is not NUL-terminated: read len bytes. One file is mapped at a time
 * (another is read); while it is, a SIGBUS in it (the file was cut short under the mapping) reads
 * zeros instead, and ms_mapped_changed says the file changed. */
typedef struct {
    const char *text;
    size_t len;
    char *copy;     /* the file read: NULL when it is mapped */
    int fd;         /* the mapped file, -1 for a copy */
    struct stat st; /* the mapped file's when it was mapped */
} ms_mapped;

/* Map or read path ("-" is stdin) into *m; failures as ms_read_file's. */
ms_status ms_map_file(const char *path, ms_mapped *m, char *why, size_t whylen);
/* Whether a mapped file changed while it was mapped (cut short, or written): what was read of it
 * may then not be one version of it. False for a copy. */
bool ms_mapped_changed(const ms_mapped *m);
void ms_mapped_close(ms_mapped *m);

/* Write len bytes to path as described above, so that a reader sees the old file or the new
 * one, never half of one. "-" writes to stdout. Prints a message naming the file on failure
 * and returns MS_ERR_IO (MS_ERR_NOMEM when out of memory). */
ms_status ms_write_file_atomic(const char *path, const char *data, size_t len);

/* A file's content made piece by piece: produce(ud, put, sink) calls put(sink, ...) for each
 * piece, in order, and returns MS_OK, put's failure or its own. */
typedef ms_status (*ms_produce_fn)(void *ud, ms_put_fn put, void *sink);

/* As ms_write_file_atomic, with the content made by produce as it is written: never whole in
 * memory. A producer that fails (MS_ERR_NOMEM, say) leaves a file as it was and is not reported
 * here; a write that fails is (MS_ERR_IO). stdout, a FIFO or a device get the pieces as they
 * come: there a producer that fails leaves what it had written (the exit status says so). */
ms_status ms_write_file_stream(const char *path, ms_produce_fn produce, void *ud);

/* As ms_write_file_atomic, for a file locked with ms_lock_file: the new file is locked before
 * it replaces the old one, then *lockfd (the old file's lock) is closed and becomes the new
 * file's. A file that is not replaced (a FIFO, a device) leaves *lockfd as it was. */
ms_status ms_write_file_locked(const char *path, const char *data, size_t len, int *lockfd);

/* Take an exclusive lock (flock) on the regular file at path for as long as *lockfd stays open
 * (the caller closes it). A missing file is first created atomically with the len bytes of
 * initial. When another process holds the lock, say so on stderr (naming the file) and wait
 * until it is free, or until *stop (when stop is not NULL) is set: MS_ERR_INTERRUPTED then. Because
 * files are replaced by rename, the lock is taken again when the file was replaced while waiting. A
 * path that is not a regular file is not locked: *lockfd is -1 and MS_OK. Prints a message on
 * failure. */
ms_status ms_lock_file(const char *path, const char *initial, size_t len,
                       volatile sig_atomic_t *stop, int *lockfd);

/* Check, before any work is done, that path can be written as described above: MS_OK for "-",
 * a regular file, a FIFO, a character device or a name that does not exist yet (a missing
 * directory or a permission problem is found when writing). A directory, a socket or a block
 * device: a message naming it and MS_ERR_USAGE. */
ms_status ms_check_writable(const char *path);

/* Whether a and b name the same file: the same device and inode when both exist; otherwise the
 * same path once links and the directories are resolved (a name that does not exist yet).
 * MS_ERR_NOMEM when out of memory; prints nothing. */
ms_status ms_same_file(const char *a, const char *b, bool *same);

#endif
