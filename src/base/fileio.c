#define _GNU_SOURCE /* mkostemp */
#include "ms/fileio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ms/buf.h"
#include "ms/i18n.h"

/* Read f to its end into *out (NUL-terminated), then close it unless it is stdin. */
static ms_status read_stream(FILE *f, char **out, size_t *len, char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    ms_buf b;
    char chunk[16384];
    ms_buf_init(&b, 0);
    /* A regular file's size known: read into a buffer of that size, not up to twice it. */
    struct stat st;
    bool sized = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
                 (uintmax_t)st.st_size < b.max;
    if (sized)
        rc = ms_buf_reserve(&b, (size_t)st.st_size);
    if (rc != MS_OK)
        goto out;
    for (;;) {
        size_t n = fread(chunk, 1, sizeof chunk, f);
        if (n && (rc = ms_buf_add(&b, chunk, n)) != MS_OK) {
            if (b.len + n > b.max) {
                snprintf(why, whylen, _("too large to read (more than %zu MiB)"), b.max >> 20);
                rc = MS_ERR_IO;
            }
            goto out;
        }
        if (n < sizeof chunk)
            break;
    }
    if (ferror(f)) {
        snprintf(why, whylen, _("read error: %s"), strerror(errno));
        rc = MS_ERR_IO;
        goto out;
    }
    if (len)
        *len = b.len;
    *out = ms_buf_take(&b);
    if (!*out)
        rc = MS_ERR_NOMEM;
out:
    if (f != stdin)
        fclose(f);
    ms_buf_cleanup(&b);
    return rc;
}

ms_status ms_read_file(const char *path, char **out, size_t *len, char *why, size_t whylen)
{
    *out = NULL;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        snprintf(why, whylen, _("cannot open: %s"), strerror(errno));
        return MS_ERR_IO;
    }
    return read_stream(f, out, len, why, whylen);
}

/* The file mapped by ms_map_file, for the SIGBUS handler: one at a time. */
static struct {
    char *volatile addr;
    volatile size_t len; /* of the mapping: whole pages */
    volatile size_t page;
    volatile sig_atomic_t cut; /* a page of it was gone: it reads zeros now */
    struct sigaction prev;     /* the handler before ours */
} g_map;

/* A read of the mapped file beyond its end, once it was cut short, faults with SIGBUS: that page
 * is replaced by one of zeros (the read goes on, the file is said to have changed). Any other
 * SIGBUS goes to the handler there was before, as if this one were not there. */
static void on_sigbus(int sig, siginfo_t *si, void *uctx)
{
    (void)uctx;
    char *a = si->si_addr, *base = g_map.addr;
    if (si->si_code > 0 && base && a >= base && a < base + g_map.len) {
        char *at = base + (size_t)(a - base) / g_map.page * g_map.page;
        if (mmap(at, g_map.page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) !=
            MAP_FAILED) {
            g_map.cut = 1;
            return;
        }
    }
    sigaction(sig, &g_map.prev, NULL);
    if (si->si_code <= 0)
        raise(sig); /* sent, not a fault: a fault happens again on return */
}

ms_status ms_map_file(const char *path, ms_mapped *m, char *why, size_t whylen)
{
    *m = (ms_mapped){.fd = -1};
    if (strcmp(path, "-") == 0 || g_map.addr) {
        ms_status rc = ms_read_file(path, &m->copy, &m->len, why, whylen);
        m->text = m->copy;
        return rc;
    }
    /* opened once: a FIFO's writer is met once */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, whylen, _("cannot open: %s"), strerror(errno));
        return MS_ERR_IO;
    }
    if (fstat(fd, &m->st) == 0 && S_ISREG(m->st.st_mode) && m->st.st_size > 0 &&
        (uintmax_t)m->st.st_size <= MS_BUF_DEFAULT_MAX) {
        size_t page = (size_t)sysconf(_SC_PAGESIZE), len = (size_t)m->st.st_size;
        void *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
        struct sigaction sa = {.sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO};
        sigemptyset(&sa.sa_mask);
        if (p != MAP_FAILED) {
            g_map.page = page;
            g_map.len = (len + page - 1) / page * page;
            g_map.cut = 0;
            g_map.addr = p;
            if (sigaction(SIGBUS, &sa, &g_map.prev) == 0) {
                m->text = p;
                m->len = len;
                m->fd = fd;
                return MS_OK;
            }
            g_map.addr = NULL;
            munmap(p, len);
        }
    }
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        return MS_ERR_NOMEM;
    }
    ms_status rc = read_stream(f, &m->copy, &m->len, why, whylen);
    m->text = m->copy;
    return rc;
}

bool ms_mapped_changed(const ms_mapped *m)
{
    struct stat now;
    if (m->fd < 0)
        return false;
    if (g_map.cut || fstat(m->fd, &now) != 0)
        return true;
    return now.st_size != m->st.st_size || now.st_mtim.tv_sec != m->st.st_mtim.tv_sec ||
           now.st_mtim.tv_nsec != m->st.st_mtim.tv_nsec;
}

void ms_mapped_close(ms_mapped *m)
{
    if (m->fd >= 0) {
        sigaction(SIGBUS, &g_map.prev, NULL);
        g_map.addr = NULL;
        munmap((void *)m->text, m->len);
        close(m->fd);
    }
    free(m->copy);
    *m = (ms_mapped){.fd = -1};
}

/* What writing to a path does. */
typedef enum {
    TARGET_NEW,     /* nothing there yet: created */
    TARGET_REGULAR, /* a regular file: replaced */
    TARGET_STREAM   /* a FIFO or a character device: written through */
} target_kind;

typedef struct {
    target_kind kind;
    char *path;     /* what is written: links resolved for a new or a regular file; owned */
    struct stat st; /* of the file, when it exists */
} target;

/* The most links followed in a chain, as the kernel's own limit. */
enum { MAX_HOPS = 40 };

/* The base of a temporary's name is cut to this many bytes, so that the whole name fits in
 * NAME_MAX (255) with the dot, ".mystery-shopper-", a pid and "-XXXXXX". */
enum { TEMP_BASE_MAX = 200 };

static const char TEMP_TAG[] = ".mystery-shopper-";

static ms_status write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return MS_ERR_IO;
        data += n;
        len -= (size_t)n;
    }
    return MS_OK;
}

/* What a file is written with: its bytes, or the producer that makes them. */
typedef struct {
    const char *data;
    size_t len;
    ms_produce_fn produce;
    void *ud;
} content;

static ms_status put_fd(void *sink, const char *data, size_t len)
{
    return write_all(*(const int *)sink, data, len);
}

static ms_status put_stdout(void *sink, const char *data, size_t len)
{
    (void)sink;
    return fwrite(data, 1, len, stdout) == len ? MS_OK : MS_ERR_IO;
}

/* The content into fd: MS_ERR_IO (errno set) when a write failed, or the producer's failure. */
static ms_status write_content(int fd, const content *c)
{
    return c->produce ? c->produce(c->ud, put_fd, &fd) : write_all(fd, c->data, c->len);
}

/* "a directory", ...: what a file that cannot be written as a file is, or NULL when it can. */
static const char *refused_kind(mode_t m)
{
    if (S_ISDIR(m))
        return _("a directory");
    if (S_ISSOCK(m))
        return _("a socket");
    if (S_ISBLK(m))
        return _("a block device");
    if (S_ISREG(m) || S_ISFIFO(m) || S_ISCHR(m))
        return NULL;
    return _("not a regular file");
}

/* The length of the directory part of path without its last slash: 0 for "name" (the working
 * directory) and for "/name" (the root; see dir_of). */
static size_t dir_len(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path) : 0;
}

/* The directory that holds path, as a new string: ".", "/" or the part before the last slash.
 * NULL when out of memory. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Follow a chain of links from path (the first of which is dangling) to the name where it
 * ends, which does not exist yet: *out, caller frees. */
static ms_status follow_dangling(const char *path, char **out, int *err)
{
    ms_status rc = MS_OK;
    ms_buf cur, next;
    char *link = NULL;
    ms_buf_init(&cur, 0);
    ms_buf_init(&next, 0);
    *out = NULL;
    if ((rc = ms_buf_adds(&cur, path)) != MS_OK)
        goto out;
    for (int hops = 0;; hops++) {
        struct stat st;
        if (lstat(ms_buf_str(&cur), &st) != 0) {
            if (errno == ENOENT)
                break; /* the end of the chain */
            *err = errno;
            rc = MS_ERR_IO;
            goto out;
        }
        if (hops == MAX_HOPS || !S_ISLNK(st.st_mode)) {
            /* a loop, or something appeared meanwhile: let the write find out what */
            *err = hops == MAX_HOPS ? ELOOP : EEXIST;
            rc = MS_ERR_IO;
            goto out;
        }
        size_t cap = (size_t)st.st_size + 1;
        free(link);
        if (!(link = malloc(cap))) {
            rc = MS_ERR_NOMEM;
            goto out;
        }
        ssize_t n = readlink(ms_buf_str(&cur), link, cap);
        if (n < 0 || (size_t)n >= cap) {
            *err = n < 0 ? errno : EAGAIN; /* changed while we looked */
            rc = MS_ERR_IO;
            goto out;
        }
        link[n] = '\0';
        ms_buf_reset(&next);
        if (link[0] != '/' && strchr(ms_buf_str(&cur), '/'))
            rc = ms_buf_add(&next, ms_buf_str(&cur), dir_len(ms_buf_str(&cur)) + 1);
        if (rc == MS_OK)
            rc = ms_buf_adds(&next, link);
        if (rc != MS_OK)
            goto out;
        ms_buf tmp = cur;
        cur = next;
        next = tmp;
    }
    if (!(*out = ms_buf_take(&cur)))
        rc = MS_ERR_NOMEM;
out:
    free(link);
    ms_buf_cleanup(&cur);
    ms_buf_cleanup(&next);
    return rc;
}

/* Find out what writing to path does. MS_ERR_USAGE with *refused set for a file that cannot be
 * written as a file; MS_ERR_IO with *err set when the path cannot be looked at. Prints
 * nothing. */
static ms_status classify(const char *path, target *t, const char **refused, int *err)
{
    memset(t, 0, sizeof *t);
    *refused = NULL;
    if (stat(path, &t->st) == 0) {
        if ((*refused = refused_kind(t->st.st_mode)) != NULL)
            return MS_ERR_USAGE;
        if (!S_ISREG(t->st.st_mode)) {
            t->kind = TARGET_STREAM;
            t->path = strdup(path);
        } else {
            t->kind = TARGET_REGULAR;
            t->path = realpath(path, NULL); /* the file behind any links */
            if (!t->path && errno != ENOMEM) {
                *err = errno;
                return MS_ERR_IO;
            }
        }
        return t->path ? MS_OK : MS_ERR_NOMEM;
    }
    if (errno != ENOENT) {
        *err = errno;
        return MS_ERR_IO;
    }
    t->kind = TARGET_NEW;
    struct stat lst;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
        return follow_dangling(path, &t->path, err);
    t->path = strdup(path);
    return t->path ? MS_OK : MS_ERR_NOMEM;
}

/* Report a classify failure for path. */
static ms_status classify_failed(const char *path, ms_status rc, const char *refused, int err)
{
    if (rc == MS_ERR_USAGE)
        ms_errorf(_("%s: is %s, not a file; give the name of a file to write"), path, refused);
    else if (rc == MS_ERR_IO)
        ms_errorf(_("%s: cannot write: %s"), path, strerror(err));
    return rc;
}

/* Whether name is a temporary of ours for the file whose temporaries start with prefix:
 * prefix, a pid, '-', six letters or digits (mkostemp's). The pid goes to *pid. */
static bool temp_name(const char *name, const char *prefix, size_t plen, pid_t *pid)
{
    if (strncmp(name, prefix, plen) != 0)
        return false;
    const char *p = name + plen;
    long v = 0;
    size_t digits = 0;
    for (; *p >= '0' && *p <= '9' && digits < 10; p++, digits++)
        v = v * 10 + (*p - '0');
    if (digits == 0 || *p++ != '-' || v <= 0 || (pid_t)v != v)
        return false;
    size_t k = 0;
    for (; (p[k] >= '0' && p[k] <= '9') || (p[k] >= 'a' && p[k] <= 'z') ||
           (p[k] >= 'A' && p[k] <= 'Z');
         k++)
        ;
    *pid = (pid_t)v;
    return k == 6 && p[k] == '\0';
}

/* Remove the temporaries for base in dir that a process left when it was killed: of our
 * naming, regular files of ours, whose pid no longer runs and that no one holds locked (a
 * writer locks its temporary; the lock also covers a pid seen from another pid namespace).
 * Best effort: what cannot be looked at or removed is left alone, as it is not ours to judge,
 * and the write that follows does not depend on it. */
static void remove_stale(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t plen = strlen(prefix);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        pid_t pid;
        if (!temp_name(e->d_name, prefix, plen, &pid) || pid == getpid())
            continue;
        if (kill(pid, 0) == 0 || errno != ESRCH)
            continue;
        int fd =
            openat(dirfd(d), e->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
            continue;
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
            flock(fd, LOCK_EX | LOCK_NB) == 0)
            (void)unlinkat(dirfd(d), e->d_name, 0);
        close(fd);
    }
    closedir(d);
}

/* The prefix of the temporaries for path: "DIR/.BASE.mystery-shopper-" (BASE cut to
 * TEMP_BASE_MAX bytes); the directory part is dir_len(path) long. */
static ms_status temp_prefix(const char *path, ms_buf *b)
{
    const char *base = base_of(path);
    size_t blen = strlen(base);
    ms_status rc = MS_OK;
    if (base != path)
        rc = ms_buf_add(b, path, (size_t)(base - path));
    if (rc == MS_OK)
        rc = ms_buf_addc(b, '.');
    if (rc == MS_OK)
        rc = ms_buf_add(b, base, blen < TEMP_BASE_MAX ? blen : TEMP_BASE_MAX);
    if (rc == MS_OK)
        rc = ms_buf_adds(b, TEMP_TAG);
    return rc;
}

/* The mode a new file gets: 0666 less the umask (which can only be read by setting it). */
static mode_t new_file_mode(void)
{
    mode_t mask = umask(022);
    umask(mask);
    return 0666 & ~mask;
}

/* Fsync the directory dir so that a rename or link in it is on disk. Filesystems that cannot
 * sync a directory say EINVAL; that is not an error of ours. */
static ms_status sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return MS_ERR_IO;
    int r = fsync(fd);
    int saved = errno;
    if (close(fd) != 0 && r == 0)
        return MS_ERR_IO;
    errno = saved;
    return r == 0 || saved == EINVAL ? MS_OK : MS_ERR_IO;
}

/* Write data into a new temporary beside t->path and put it in place: with rename (replacing
 * what is there) or, when exclusive, with link (*existed is then true when a file appeared at
 * t->path meanwhile, and nothing is written). shown is the path as the user gave it, for
 * messages. With lockfd, the new file is locked and stays open in *lockfd. */
static ms_status replace(const target *t, const char *shown, const content *c, bool exclusive,
                         bool *existed, int *lockfd)
{
    ms_status rc = MS_OK;
    ms_buf tmp;
    char *dir = NULL;
    int fd = -1;
    bool made = false;
    const char *what = _("cannot write");
    ms_buf_init(&tmp, 0);
    if ((rc = temp_prefix(t->path, &tmp)) != MS_OK || !(dir = dir_of(t->path))) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    remove_stale(dir, base_of(ms_buf_str(&tmp)));
    if ((rc = ms_buf_printf(&tmp, "%ld-XXXXXX", (long)getpid())) != MS_OK)
        goto out;
    mode_t mode = t->kind == TARGET_REGULAR ? (t->st.st_mode & 0777) : new_file_mode();
    fd = mkostemp(tmp.data, O_CLOEXEC);
    if (fd < 0) {
        rc = MS_ERR_IO;
        goto out;
    }
    made = true;
    /* Locked while it is written, so that no one takes it for a stale temporary. */
    if (flock(fd, LOCK_EX | LOCK_NB) != 0 && lockfd) {
        what = _("cannot lock");
        rc = MS_ERR_IO;
        goto out;
    }
    if (fchmod(fd, mode) != 0 || (rc = write_content(fd, c)) == MS_ERR_IO) {
        what = _("write error");
        rc = MS_ERR_IO;
        goto out;
    }
    if (rc != MS_OK)
        goto out; /* the producer failed: the temporary goes, the file stays as it was */
    if (fsync(fd) != 0) {
        what = _("write error");
        rc = MS_ERR_IO;
        goto out;
    }
    if (!lockfd) {
        int r = close(fd);
        fd = -1;
        if (r != 0) {
            what = _("write error");
            rc = MS_ERR_IO;
            goto out;
        }
    }
    if (exclusive) {
        if (link(tmp.data, t->path) != 0) {
            if (errno == EEXIST)
                *existed = true;
            what = _("cannot create");
            rc = errno == EEXIST ? MS_OK : MS_ERR_IO;
            goto out;
        }
        /* the temporary's name goes below; the file stays under its new name */
    } else {
        if (rename(tmp.data, t->path) != 0) {
            what = _("cannot replace");
            rc = MS_ERR_IO;
            goto out;
        }
        made = false;
    }
    if (sync_dir(dir) != MS_OK) {
        what = _("cannot sync its directory");
        rc = MS_ERR_IO;
        goto out;
    }
    if (lockfd) {
        if (*lockfd >= 0)
            close(*lockfd);
        *lockfd = fd;
        fd = -1;
    }
out:
    if (rc == MS_ERR_IO)
        ms_errorf("%s: %s: %s", shown, what, strerror(errno));
    if (fd >= 0)
        close(fd);
    if (made)
        unlink(tmp.data);
    free(dir);
    ms_buf_cleanup(&tmp);
    return rc;
}

/* Write data through to a FIFO or a character device, as a shell's > would. */
static ms_status write_through(const char *path, const content *c)
{
    int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        ms_errorf(_("%s: cannot write: %s"), path, strerror(errno));
        return MS_ERR_IO;
    }
    ms_status rc = write_content(fd, c);
    if (close(fd) != 0 && rc == MS_OK)
        rc = MS_ERR_IO;
    if (rc == MS_ERR_IO)
        ms_errorf(_("%s: write error: %s"), path, strerror(errno));
    return rc;
}

static ms_status write_file(const char *path, const content *c, int *lockfd)
{
    ms_status rc = MS_OK;
    target t = {0};
    const char *refused = NULL;
    int err = 0;
    bool existed = false;
    if (strcmp(path, "-") == 0) {
        rc = c->produce ? c->produce(c->ud, put_stdout, NULL) : put_stdout(NULL, c->data, c->len);
        if (rc == MS_ERR_IO || (rc == MS_OK && fflush(stdout) != 0)) {
            ms_errorf(_("stdout: write error: %s"), strerror(errno));
            return MS_ERR_IO;
        }
        return rc;
    }
    if ((rc = classify(path, &t, &refused, &err)) != MS_OK) {
        rc = classify_failed(path, rc, refused, err);
        if (rc == MS_ERR_USAGE)
            rc = MS_ERR_IO; /* found only now: the work is done, the result cannot be written */
        goto out;
    }
    if (t.kind == TARGET_STREAM)
        rc = write_through(path, c);
    else
        rc = replace(&t, path, c, false, &existed, lockfd);
out:
    free(t.path);
    return rc;
}

ms_status ms_write_file_atomic(const char *path, const char *data, size_t len)
{
    return write_file(path, &(content){.data = data, .len = len}, NULL);
}

ms_status ms_write_file_stream(const char *path, ms_produce_fn produce, void *ud)
{
    return write_file(path, &(content){.produce = produce, .ud = ud}, NULL);
}

ms_status ms_write_file_locked(const char *path, const char *data, size_t len, int *lockfd)
{
    return write_file(path, &(content){.data = data, .len = len}, lockfd);
}

ms_status ms_lock_file(const char *path, const char *initial, size_t len,
                       volatile sig_atomic_t *stop, int *lockfd)
{
    ms_status rc = MS_OK;
    bool told = false;
    int fd = -1;
    *lockfd = -1;
    for (;;) {
        struct stat st, now;
        fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT) {
            /* Create it, unless another process does first. */
            target t = {0};
            const char *refused = NULL;
            int err = 0;
            bool existed = false;
            rc = classify(path, &t, &refused, &err);
            if (rc == MS_OK && t.kind == TARGET_NEW)
                rc =
                    replace(&t, path, &(content){.data = initial, .len = len}, true, &existed, &fd);
            else if (rc != MS_OK)
                rc = classify_failed(path, rc, refused, err);
            free(t.path);
            if (rc != MS_OK || fd >= 0)
                goto out;
            continue; /* it exists now: lock that one */
        }
        if (fd < 0) {
            ms_errorf(_("%s: cannot open: %s"), path, strerror(errno));
            rc = MS_ERR_IO;
            goto out;
        }
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            close(fd); /* a FIFO or a device is not replaced: nothing to lock */
            fd = -1;
            goto out;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            if (errno != EWOULDBLOCK) {
                ms_errorf(_("%s: cannot lock: %s"), path, strerror(errno));
                rc = MS_ERR_IO;
                goto out;
            }
            if (!told)
                fprintf(stderr,
                        _("mystery-shopper: %s is in use by another mystery-shopper session; "
                          "waiting until it ends (Ctrl-C to stop)\n"),
                        path);
            told = true;
            /* Poll rather than block in flock: a signal handler only sets *stop, and one that
             * came just before a blocking flock began would not end the wait. */
            for (;;) {
                if (stop && *stop) {
                    rc = MS_ERR_INTERRUPTED;
                    goto out;
                }
                if (flock(fd, LOCK_EX | LOCK_NB) == 0)
                    break;
                if (errno != EWOULDBLOCK && errno != EINTR) {
                    ms_errorf(_("%s: cannot lock: %s"), path, strerror(errno));
                    rc = MS_ERR_IO;
                    goto out;
                }
                struct timespec pause = {0, 100L * 1000 * 1000};
                nanosleep(&pause, NULL); /* a signal cuts it short */
            }
        }
        /* Still the file at path? The holder may have replaced it while we waited. */
        if (stat(path, &now) == 0 && now.st_dev == st.st_dev && now.st_ino == st.st_ino)
            goto out;
        close(fd);
        fd = -1;
    }
out:
    if (rc != MS_OK && fd >= 0) {
        close(fd);
        fd = -1;
    }
    *lockfd = fd;
    return rc;
}

ms_status ms_check_writable(const char *path)
{
    target t = {0};
    const char *refused = NULL;
    int err = 0;
    if (strcmp(path, "-") == 0)
        return MS_OK;
    ms_status rc = classify(path, &t, &refused, &err);
    free(t.path);
    if (rc == MS_ERR_USAGE)
        return classify_failed(path, rc, refused, err);
    return rc == MS_ERR_NOMEM ? rc : MS_OK; /* other problems are reported by the write */
}

/* The path that writing to path would create, with links and directories resolved: *out,
 * caller frees. Falls back to path itself when its directory cannot be resolved. */
static ms_status resolve_new(const char *path, char **out)
{
    ms_status rc = MS_OK;
    char *end = NULL, *dir = NULL, *real = NULL;
    int err = 0;
    ms_buf b;
    ms_buf_init(&b, 0);
    *out = NULL;
    struct stat lst;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) &&
        (rc = follow_dangling(path, &end, &err)) == MS_ERR_NOMEM)
        goto out;
    const char *p = end ? end : path;
    if (!(dir = dir_of(p))) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    real = realpath(dir, NULL);
    rc = MS_OK;
    if (real)
        rc = ms_buf_printf(&b, "%s/%s", strcmp(real, "/") == 0 ? "" : real, base_of(p));
    else
        rc = ms_buf_adds(&b, p);
    if (rc == MS_OK && !(*out = ms_buf_take(&b)))
        rc = MS_ERR_NOMEM;
out:
    free(end);
    free(dir);
    free(real);
    ms_buf_cleanup(&b);
    return rc;
}

ms_status ms_same_file(const char *a, const char *b, bool *same)
{
    struct stat sa, sb;
    bool ea = stat(a, &sa) == 0, eb = stat(b, &sb) == 0;
    char *ra = NULL, *rb = NULL;
    ms_status rc = MS_OK;
    *same = false;
    if (ea || eb) {
        *same = ea && eb && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
        return MS_OK;
    }
    if ((rc = resolve_new(a, &ra)) == MS_OK && (rc = resolve_new(b, &rb)) == MS_OK)
        *same = strcmp(ra, rb) == 0;
    free(ra);
    free(rb);
    return rc;
}
