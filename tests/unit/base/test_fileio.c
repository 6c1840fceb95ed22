#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/file.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "ms/fileio.h"

/* Each test works in a fresh directory of its own. */
typedef struct {
    char dir[64];
} sandbox;

static void sandbox_new(sandbox *s)
{
    strcpy(s->dir, "/tmp/ms-unit-fileio-XXXXXX");
    assert_non_null(mkdtemp(s->dir));
}

static void sandbox_path(const sandbox *s, const char *name, char *out, size_t len)
{
    snprintf(out, len, "%s/%s", s->dir, name);
}

static void sandbox_free(sandbox *s)
{
    DIR *d = opendir(s->dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char p[PATH_MAX];
        sandbox_path(s, e->d_name, p, sizeof p);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            rmdir(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(s->dir);
}

/* The names in the sandbox other than the given ones (a temporary left behind, say). */
static int count_others(const sandbox *s, const char *const *expected)
{
    int n = 0;
    DIR *d = opendir(s->dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        bool known = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
        for (size_t i = 0; expected[i] && !known; i++)
            known = strcmp(e->d_name, expected[i]) == 0;
        if (!known) {
            print_message("unexpected file: %s\n", e->d_name);
            n++;
        }
    }
    closedir(d);
    return n;
}

static void put(const char *path, const char *text, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    assert_int_equal(fchmod(fd, mode), 0);
    assert_int_equal(close(fd), 0);
}

static void expect_text(const char *path, const char *want)
{
    char *got = read_all(path);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 07777;
}

/* A link planted at the name the old code used for its temporary (PATH.tmp.PID) is not
 * followed: the file it points to is untouched. */
static void test_planted_link_not_followed(void **state)
{
    (void)state;
    sandbox s;
    char out[PATH_MAX], victim[PATH_MAX], planted[PATH_MAX + 32];
    sandbox_new(&s);
    sandbox_path(&s, "out.json", out, sizeof out);
    sandbox_path(&s, "victim", victim, sizeof victim);
    put(victim, "precious\n", 0644);
    snprintf(planted, sizeof planted, "%s.tmp.%ld", out, (long)getpid());
    assert_int_equal(symlink(victim, planted), 0);
    assert_int_equal(ms_write_file_atomic(out, "report\n", 7), MS_OK);
    expect_text(victim, "precious\n");
    expect_text(out, "report\n");
    sandbox_free(&s);
}

/* The mode of a file that is replaced is kept; a new file gets 0666 less the umask. */
static void test_modes(void **state)
{
    (void)state;
    static const struct {
        mode_t existing; /* 0: no file before */
        mode_t umask;
        mode_t want;
    } rows[] = {
        {0600, 022, 0600}, {0640, 077, 0640}, {0664, 022, 0664}, {0755, 022, 0755},
        {0, 022, 0644},    {0, 077, 0600},    {0, 002, 0664},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        sandbox s;
        char out[PATH_MAX];
        sandbox_new(&s);
        sandbox_path(&s, "answers.json", out, sizeof out);
        if (rows[i].existing)
            put(out, "old\n", rows[i].existing);
        mode_t old = umask(rows[i].umask);
        ms_status rc = ms_write_file_atomic(out, "new\n", 4);
        umask(old);
        assert_int_equal(rc, MS_OK);
        expect_text(out, "new\n");
        if (mode_of(out) != rows[i].want)
            fail_msg("row %zu: mode %o, expected %o", i, (unsigned)mode_of(out),
                     (unsigned)rows[i].want);
        sandbox_free(&s);
    }
}

/* A symlink is followed and its target replaced; the link stays a link (also a dangling one,
 * and a chain of them, relative or absolute). */
static void test_symlink_followed(void **state)
{
    (void)state;
    static const struct {
        const char *link_to; /* what out.json points to */
        bool absolute;       /* link_to is inside the sandbox, named by its full path */
        const char *target;  /* the file that must get the text */
        bool target_exists;
    } rows[] = {
        {"real.json", false, "real.json", true},  {"real.json", true, "real.json", true},
        {"real.json", false, "real.json", false}, {"sub/../real.json", false, "real.json", true},
        {"hop", false, "real.json", true}, /* hop -> real.json */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        sandbox s;
        char out[PATH_MAX], target[PATH_MAX], to[PATH_MAX], hop[PATH_MAX], sub[PATH_MAX];
        sandbox_new(&s);
        sandbox_path(&s, "out.json", out, sizeof out);
        sandbox_path(&s, rows[i].target, target, sizeof target);
        sandbox_path(&s, "hop", hop, sizeof hop);
        sandbox_path(&s, "sub", sub, sizeof sub);
        assert_int_equal(mkdir(sub, 0755), 0);
        assert_int_equal(symlink("real.json", hop), 0);
        if (rows[i].target_exists)
            put(target, "old\n", 0600);
        if (rows[i].absolute)
            sandbox_path(&s, rows[i].link_to, to, sizeof to);
        else
            snprintf(to, sizeof to, "%s", rows[i].link_to);
        assert_int_equal(symlink(to, out), 0);
        assert_int_equal(ms_write_file_atomic(out, "new\n", 4), MS_OK);
        struct stat st;
        assert_int_equal(lstat(out, &st), 0);
        if (!S_ISLNK(st.st_mode))
            fail_msg("row %zu: the link was replaced by a file", i);
        expect_text(target, "new\n");
        if (rows[i].target_exists)
            assert_int_equal(mode_of(target), 0600);
        const char *names[] = {"out.json", "real.json", "hop", "sub", NULL};
        assert_int_equal(count_others(&s, names), 0);
        sandbox_free(&s);
    }
}

/* A FIFO is written through, not replaced. */
static void test_fifo_written_through(void **state)
{
    (void)state;
    sandbox s;
    char fifo[PATH_MAX];
    sandbox_new(&s);
    sandbox_path(&s, "pipe", fifo, sizeof fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    /* Our own reader, so that opening the FIFO for writing does not wait. */
    int r = open(fifo, O_RDONLY | O_NONBLOCK);
    assert_true(r >= 0);
    assert_int_equal(ms_write_file_atomic(fifo, "through\n", 8), MS_OK);
    char got[32] = "";
    assert_int_equal(read(r, got, sizeof got - 1), 8);
    assert_string_equal(got, "through\n");
    close(r);
    struct stat st;
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    const char *names[] = {"pipe", NULL};
    assert_int_equal(count_others(&s, names), 0);
    sandbox_free(&s);
}

/* A producer of n pieces "piece 0\n" ... that fails (MS_ERR_NOMEM) after fail_after of them
 * when fail_after >= 0, checking in between that the file is not yet in place. */
typedef struct {
    int n, fail_after, made;
    const char *path, *before; /* the file's content while it is being written */
} pieces;

static ms_status produce_pieces(void *ud, ms_put_fn emit, void *sink)
{
    pieces *p = ud;
    char line[32];
    for (int i = 0; i < p->n; i++) {
        if (i == p->fail_after)
            return MS_ERR_NOMEM;
        if (p->before)
            expect_text(p->path, p->before); /* the old file until the new one is whole */
        int len = snprintf(line, sizeof line, "piece %d\n", i);
        ms_status rc = emit(sink, line, (size_t)len);
        if (rc != MS_OK)
            return rc;
        p->made++;
    }
    return MS_OK;
}

/* ms_write_file_stream: the pieces land whole and atomically; a producer that fails halfway
 * leaves the old file and no temporary, and its status is returned; a FIFO gets the pieces as
 * they come. */
static void test_stream(void **state)
{
    (void)state;
    sandbox s;
    char path[PATH_MAX], fifo[PATH_MAX];
    sandbox_new(&s);
    sandbox_path(&s, "report.json", path, sizeof path);
    put(path, "old\n", 0640);
    pieces ok = {3, -1, 0, path, "old\n"};
    assert_int_equal(ms_write_file_stream(path, produce_pieces, &ok), MS_OK);
    expect_text(path, "piece 0\npiece 1\npiece 2\n");
    assert_int_equal(mode_of(path), 0640);
    pieces fails = {3, 2, 0, path, "piece 0\npiece 1\npiece 2\n"};
    assert_int_equal(ms_write_file_stream(path, produce_pieces, &fails), MS_ERR_NOMEM);
    assert_int_equal(fails.made, 2);
    expect_text(path, "piece 0\npiece 1\npiece 2\n");
    const char *names[] = {"report.json", "pipe", NULL};
    assert_int_equal(count_others(&s, names), 0);
    sandbox_path(&s, "pipe", fifo, sizeof fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    int r = open(fifo, O_RDONLY | O_NONBLOCK);
    assert_true(r >= 0);
    pieces through = {2, -1, 0, NULL, NULL};
    assert_int_equal(ms_write_file_stream(fifo, produce_pieces, &through), MS_OK);
    char got[64] = "";
    assert_int_equal(read(r, got, sizeof got - 1), 16);
    assert_string_equal(got, "piece 0\npiece 1\n");
    close(r);
    assert_int_equal(count_others(&s, names), 0);
    sandbox_free(&s);
}

/* A character device (our own node of /dev/null, or /dev/null itself when we may not make
 * nodes) is written through, never replaced. */
static void test_chardev_written_through(void **state)
{
    (void)state;
    sandbox s;
    char null[PATH_MAX];
    sandbox_new(&s);
    sandbox_path(&s, "null", null, sizeof null);
    if (mknod(null, S_IFCHR | 0666, makedev(1, 3)) != 0) {
        /* Not root: the real one is safe to try, since we could not replace it anyway. */
        print_message("NOTE: cannot make a device node (%s), so that the device is never replaced "
                      "is not checked; using /dev/null\n",
                      strerror(errno));
        strcpy(null, "/dev/null");
    }
    struct stat before, after;
    assert_int_equal(lstat(null, &before), 0);
    assert_int_equal(ms_write_file_atomic(null, "gone\n", 5), MS_OK);
    assert_int_equal(lstat(null, &after), 0);
    assert_true(S_ISCHR(after.st_mode));
    assert_true(before.st_ino == after.st_ino);
    const char *names[] = {"null", NULL};
    assert_int_equal(count_others(&s, names), 0);
    sandbox_free(&s);
}

/* A directory is refused with a message naming it; nothing is left behind. */
static void test_directory_refused(void **state)
{
    (void)state;
    sandbox s;
    char dir[PATH_MAX], link[PATH_MAX];
    sandbox_new(&s);
    sandbox_path(&s, "reports", dir, sizeof dir);
    sandbox_path(&s, "to-reports", link, sizeof link);
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_int_equal(symlink("reports", link), 0);
    const char *paths[] = {dir, link};
    for (size_t i = 0; i < 2; i++) {
        capture cap;
        capture_begin(&cap);
        ms_status rc = ms_write_file_atomic(paths[i], "x\n", 2);
        char *msg = capture_end(&cap);
        assert_int_equal(rc, MS_ERR_IO);
        char want[PATH_MAX + 64];
        snprintf(want, sizeof want, "%s: is a directory", paths[i]);
        if (!strstr(msg, want))
            fail_msg("expected \"%s\" in: %s", want, msg);
        free(msg);
    }
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    const char *names[] = {"reports", "to-reports", NULL};
    assert_int_equal(count_others(&s, names), 0);
    sandbox_free(&s);
}

/* A pid that no longer runs: a child that has exited and been reaped. */
static pid_t dead_pid(void)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(0);
    assert_int_equal(waitpid(pid, NULL, 0), pid);
    return pid;
}

/* Temporaries of the tool's naming for the file being written whose writer is gone are
 * removed; those of a live process, of another file, or of another naming are not. */
static void test_stale_temporaries(void **state)
{
    (void)state;
    sandbox s;
    char out[PATH_MAX], p[PATH_MAX + 64];
    pid_t dead = dead_pid();
    sandbox_new(&s);
    sandbox_path(&s, "rep.json", out, sizeof out);
    static const struct {
        const char *before, *after; /* the name is before PID after */
        bool dead;                  /* of a dead writer (else of the parent, alive) */
        bool removed;
    } rows[] = {
        {".rep.json.mystery-shopper-", "-a1B2c3", true, true},
        {".rep.json.mystery-shopper-", "-zzzzzz", true, true},
        {".rep.json.mystery-shopper-", "-a1B2c3", false, false},
        {".other.json.mystery-shopper-", "-a1B2c3", true, false},
        {".rep.json.mystery-shopper-", "-a1B2c", true, false},
        {".rep.json.mystery-shopper-", "x-a1B2c3", true, false},
        {"rep.json.tmp.", "", true, false},
    };
    size_t n = sizeof rows / sizeof rows[0];
    char names[sizeof rows / sizeof rows[0]][128];
    for (size_t i = 0; i < n; i++) {
        snprintf(names[i], sizeof names[i], "%s%ld%s", rows[i].before,
                 rows[i].dead ? (long)dead : (long)getppid(), rows[i].after);
        sandbox_path(&s, names[i], p, sizeof p);
        put(p, "half a report", 0600);
    }
    assert_int_equal(ms_write_file_atomic(out, "report\n", 7), MS_OK);
    for (size_t i = 0; i < n; i++) {
        sandbox_path(&s, names[i], p, sizeof p);
        bool gone = access(p, F_OK) != 0;
        if (gone != rows[i].removed)
            fail_msg("row %zu: %s was %s", i, names[i], gone ? "removed" : "kept");
    }
    expect_text(out, "report\n");
    sandbox_free(&s);
}

/* Whether another process could lock the file at path now (without waiting). */
static bool lockable_by_another(const char *path)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(path, O_RDONLY);
        _exit(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0 ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* A lock taken with ms_lock_file holds across saves that replace the file (the new file is
 * locked before it takes the name), and goes with the descriptor. A missing file is made. */
static void test_lock_survives_replacement(void **state)
{
    (void)state;
    sandbox s;
    char path[PATH_MAX];
    int fd = -1;
    sandbox_new(&s);
    sandbox_path(&s, "answers.json", path, sizeof path);
    assert_int_equal(ms_lock_file(path, "{}\n", 3, NULL, &fd), MS_OK);
    assert_true(fd >= 0);
    expect_text(path, "{}\n");
    assert_false(lockable_by_another(path));
    for (int i = 0; i < 3; i++) {
        struct stat before, after;
        assert_int_equal(stat(path, &before), 0);
        assert_int_equal(ms_write_file_locked(path, "{\"n\": 1}\n", 9, &fd), MS_OK);
        assert_int_equal(stat(path, &after), 0);
        assert_true(before.st_ino != after.st_ino); /* replaced, not rewritten */
        assert_false(lockable_by_another(path));
    }
    expect_text(path, "{\"n\": 1}\n");
    close(fd);
    assert_true(lockable_by_another(path));
    const char *names[] = {"answers.json", NULL};
    assert_int_equal(count_others(&s, names), 0);
    sandbox_free(&s);
}

/* A stop (a signal) that came before or while waiting for another holder of the lock ends the
 * wait with MS_ERR_INTERRUPTED: it must not block until the holder lets go. The holder here
 * lets go after 20 seconds at the latest (a hang guard). */
static void test_lock_wait_stops(void **state)
{
    (void)state;
    sandbox s;
    char path[PATH_MAX], ready[PATH_MAX];
    sandbox_new(&s);
    sandbox_path(&s, "answers.json", path, sizeof path);
    sandbox_path(&s, "ready", ready, sizeof ready);
    put(path, "{}\n", 0600);
    pid_t holder = fork();
    assert_true(holder >= 0);
    if (holder == 0) {
        int fd = open(path, O_RDONLY);
        if (fd < 0 || flock(fd, LOCK_EX) != 0)
            _exit(1);
        close(open(ready, O_WRONLY | O_CREAT, 0600));
        sleep(20);
        _exit(0);
    }
    while (access(ready, F_OK) != 0)
        usleep(10000);
    volatile sig_atomic_t stop = 1;
    int fd = -1;
    capture cap;
    capture_begin(&cap);
    ms_status rc = ms_lock_file(path, "{}\n", 3, &stop, &fd);
    char *msg = capture_end(&cap);
    kill(holder, SIGKILL);
    assert_int_equal(waitpid(holder, NULL, 0), holder);
    assert_int_equal(rc, MS_ERR_INTERRUPTED);
    assert_int_equal(fd, -1);
    if (!strstr(msg, "is in use by another mystery-shopper session"))
        fail_msg("not told: %s", msg);
    free(msg);
    sandbox_free(&s);
}

/* Sameness: by device and inode when the files exist, by resolved path when they do not. */
static void test_same_file(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        bool same;
    } rows[] = {
        {"f.json", "f.json", true},       {"f.json", "./f.json", true},
        {"f.json", "link.json", true},    {"f.json", "hard.json", true},
        {"f.json", "d/../f.json", true},  {"f.json", "g.json", false},
        {"new.json", "./new.json", true}, {"new.json", "d/../new.json", true},
        {"new.json", "dangling", true},   {"new.json", "other-new.json", false},
        {"f.json", "new.json", false},    {"d/new.json", "new.json", false},
    };
    sandbox s;
    char p[PATH_MAX], q[PATH_MAX];
    sandbox_new(&s);
    sandbox_path(&s, "f.json", p, sizeof p);
    put(p, "{}", 0644);
    sandbox_path(&s, "g.json", q, sizeof q);
    put(q, "{}", 0644);
    sandbox_path(&s, "hard.json", q, sizeof q);
    assert_int_equal(link(p, q), 0);
    sandbox_path(&s, "link.json", q, sizeof q);
    assert_int_equal(symlink("f.json", q), 0);
    sandbox_path(&s, "dangling", q, sizeof q);
    assert_int_equal(symlink("new.json", q), 0);
    sandbox_path(&s, "d", q, sizeof q);
    assert_int_equal(mkdir(q, 0755), 0);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        bool same = !rows[i].same;
        sandbox_path(&s, rows[i].a, p, sizeof p);
        sandbox_path(&s, rows[i].b, q, sizeof q);
        assert_int_equal(ms_same_file(p, q, &same), MS_OK);
        if (same != rows[i].same)
            fail_msg("row %zu: %s and %s: %s", i, rows[i].a, rows[i].b,
                     same ? "same" : "different");
    }
    sandbox_free(&s);
}

/* A regular file is mapped, not copied, and reads the same; a second one while it is, an empty
 * file and a missing one are read as ms_read_file reads them; closing puts back the SIGBUS
 * handler there was. */
static void test_map_file(void **state)
{
    (void)state;
    sandbox s;
    char p[PATH_MAX], q[PATH_MAX], e[PATH_MAX], why[256] = "";
    sandbox_new(&s);
    size_t page = (size_t)sysconf(_SC_PAGESIZE), len = 3 * page + 10;
    char *want = malloc(len + 1);
    assert_non_null(want);
    for (size_t i = 0; i < len; i++)
        want[i] = (char)('a' + i % 26);
    want[len] = '\0';
    sandbox_path(&s, "f.json", p, sizeof p);
    put(p, want, 0644);
    sandbox_path(&s, "g.json", q, sizeof q);
    put(q, "{\"g\": 1}", 0644);
    sandbox_path(&s, "empty.json", e, sizeof e);
    put(e, "", 0644);
    struct sigaction before, during, after;
    assert_int_equal(sigaction(SIGBUS, NULL, &before), 0);

    ms_mapped m, second, empty, missing;
    assert_int_equal(ms_map_file(p, &m, why, sizeof why), MS_OK);
    assert_true(m.fd >= 0);
    assert_null(m.copy);
    assert_int_equal(m.len, len);
    assert_memory_equal(m.text, want, len);
    assert_false(ms_mapped_changed(&m));
    assert_int_equal(sigaction(SIGBUS, NULL, &during), 0);
    assert_true(during.sa_sigaction != before.sa_sigaction);

    assert_int_equal(ms_map_file(q, &second, why, sizeof why), MS_OK);
    assert_int_equal(second.fd, -1);
    assert_non_null(second.copy);
    assert_int_equal(second.len, 8);
    assert_string_equal(second.text, "{\"g\": 1}");
    assert_false(ms_mapped_changed(&second));
    ms_mapped_close(&second);
    ms_mapped_close(&m);
    assert_int_equal(sigaction(SIGBUS, NULL, &after), 0);
    assert_true(after.sa_sigaction == before.sa_sigaction);

    assert_int_equal(ms_map_file(e, &empty, why, sizeof why), MS_OK);
    assert_int_equal(empty.fd, -1);
    assert_int_equal(empty.len, 0);
    assert_string_equal(empty.text, "");
    ms_mapped_close(&empty);
    sandbox_path(&s, "missing.json", q, sizeof q);
    assert_int_equal(ms_map_file(q, &missing, why, sizeof why), MS_ERR_IO);
    assert_non_null(strstr(why, "cannot open"));
    assert_null(missing.text);
    ms_mapped_close(&missing);
    free(want);
    sandbox_free(&s);
}

/* A mapped file cut short under the mapping reads zeros where it was cut, without a SIGBUS that
 * kills the process, and is said to have changed; so is one that grew. */
static void test_map_file_changed(void **state)
{
    (void)state;
    sandbox s;
    char p[PATH_MAX], why[256] = "";
    sandbox_new(&s);
    size_t page = (size_t)sysconf(_SC_PAGESIZE), len = 3 * page;
    char *text = malloc(len + 1);
    assert_non_null(text);
    memset(text, 'x', len);
    text[len] = '\0';
    sandbox_path(&s, "f.json", p, sizeof p);
    put(p, text, 0644);

    ms_mapped m;
    assert_int_equal(ms_map_file(p, &m, why, sizeof why), MS_OK);
    assert_true(m.fd >= 0);
    assert_int_equal(m.text[0], 'x');
    assert_int_equal(truncate(p, (off_t)page), 0);
    size_t xs = 0, zeros = 0;
    for (size_t i = 0; i < m.len; i++) {
        xs += m.text[i] == 'x';
        zeros += m.text[i] == '\0';
    }
    assert_int_equal(xs, page);
    assert_int_equal(zeros, 2 * page);
    assert_true(ms_mapped_changed(&m));
    ms_mapped_close(&m);

    put(p, text, 0644);
    assert_int_equal(ms_map_file(p, &m, why, sizeof why), MS_OK);
    assert_true(m.fd >= 0);
    assert_false(ms_mapped_changed(&m));
    FILE *f = fopen(p, "a");
    assert_non_null(f);
    assert_int_equal(fputs("}", f) >= 0, true);
    assert_int_equal(fclose(f), 0);
    assert_true(ms_mapped_changed(&m));
    ms_mapped_close(&m);
    free(text);
    sandbox_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_planted_link_not_followed),
        cmocka_unit_test(test_modes),
        cmocka_unit_test(test_symlink_followed),
        cmocka_unit_test(test_fifo_written_through),
        cmocka_unit_test(test_stream),
        cmocka_unit_test(test_chardev_written_through),
        cmocka_unit_test(test_directory_refused),
        cmocka_unit_test(test_stale_temporaries),
        cmocka_unit_test(test_lock_survives_replacement),
        cmocka_unit_test(test_lock_wait_stops),
        cmocka_unit_test(test_same_file),
        cmocka_unit_test(test_map_file),
        cmocka_unit_test(test_map_file_changed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
