/* Run a fuzz harness over files, without libFuzzer: each argument is a file, or a folder whose
 * files (not those starting with ".") are run in name order. Exits 0 when every input ran;
 * a crash, a sanitizer report or a broken invariant aborts, and so does an input that runs for
 * more than MS_REPLAY_TIMEOUT seconds (default 10; a hang guard: each input takes
 * milliseconds). This is how ctest replays the regression inputs with any compiler, and how a
 * reproducer is checked by hand. */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "ms/util.h"
#include "ms/buf.h"
#include "ms/fileio.h"

static const char *g_current; /* the input being run, for the hang guard */
static unsigned g_timeout = 10;

static void on_alarm(int sig)
{
    static const char msg[] = "replay: a hang (still running after MS_REPLAY_TIMEOUT): ";
    (void)sig;
    ssize_t r = write(2, msg, sizeof msg - 1);
    r = write(2, g_current, strlen(g_current));
    r = write(2, "\n", 1);
    (void)r;
    abort();
}

static int run_file(const char *path)
{
    char *text = NULL;
    size_t len = 0;
    char why[256] = "";
    if (ms_read_file(path, &text, &len, why, sizeof why) != MS_OK) {
        fprintf(stderr, "replay: %s: %s\n", path, why[0] ? why : "cannot read");
        return 1;
    }
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
    /* Copy into an allocation of exactly len bytes, as libFuzzer does, so that ASan sees a read
     * past the end of the input. */
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy) {
        free(text);
        return 1;
    }
    memcpy(copy, text, len);
    free(text);
    g_current = path;
    alarm(g_timeout);
    LLVMFuzzerTestOneInput(copy, len);
    alarm(0);
    free(copy);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir)
{
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t n = 0, cap = 0;
    int bad = 0;
    if (!d) {
        perror(dir);
        return 1;
    }
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **p = realloc(names, cap * sizeof *p);
            if (!p)
                abort();
            names = p;
        }
        ms_buf b;
        ms_buf_init(&b, 0);
        ms_buf_printf(&b, "%s/%s", dir, e->d_name);
        if (!(names[n++] = ms_buf_take(&b)))
            abort();
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
            bad += run_file(names[i]);
        free(names[i]);
    }
    free(names);
    return bad;
}

int main(int argc, char **argv)
{
    int bad = 0;
    const char *t = getenv("MS_REPLAY_TIMEOUT");
    long secs = 0;
    if (t && ms_parse_long(t, 1, 86400, &secs) != MS_OK) {
        fprintf(stderr, "replay: MS_REPLAY_TIMEOUT=%s is not a number of seconds (1-86400)\n", t);
        return 2;
    }
    if (secs)
        g_timeout = (unsigned)secs;
    signal(SIGALRM, on_alarm);
    LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            bad++;
        } else if (S_ISDIR(st.st_mode)) {
            bad += run_dir(argv[i]);
        } else {
            bad += run_file(argv[i]);
        }
    }
    return bad ? 1 : 0;
}
