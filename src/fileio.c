#include "ms/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ms/buf.h"

ms_status ms_read_file(const char *path, char **out, size_t *len, char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    ms_buf b;
    FILE *f = NULL;
    char chunk[16384];
    ms_buf_init(&b, 0);
    *out = NULL;
    if (strcmp(path, "-") == 0) {
        f = stdin;
    } else {
        f = fopen(path, "rb");
        if (!f) {
            snprintf(why, whylen, "cannot open: %s", strerror(errno));
            rc = MS_ERR_IO;
            goto out;
        }
    }
    for (;;) {
        size_t n = fread(chunk, 1, sizeof chunk, f);
        if (n && (rc = ms_buf_add(&b, chunk, n)) != MS_OK) {
            if (b.len + n > b.max) {
                snprintf(why, whylen, "too large to read (more than %zu MiB)", b.max >> 20);
                rc = MS_ERR_IO;
            }
            goto out;
        }
        if (n < sizeof chunk)
            break;
    }
    if (ferror(f)) {
        snprintf(why, whylen, "read error: %s", strerror(errno));
        rc = MS_ERR_IO;
        goto out;
    }
    if (len)
        *len = b.len;
    *out = ms_buf_take(&b);
    if (!*out)
        rc = MS_ERR_NOMEM;
out:
    if (f && f != stdin)
        fclose(f);
    ms_buf_cleanup(&b);
    return rc;
}

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

ms_status ms_write_file_atomic(const char *path, const char *data, size_t len)
{
    ms_status rc = MS_OK;
    char *tmp = NULL;
    int fd = -1;
    if (strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
            ms_errorf("stdout: write error: %s", strerror(errno));
            return MS_ERR_IO;
        }
        return MS_OK;
    }
    size_t n = strlen(path) + 32;
    tmp = malloc(n);
    if (!tmp)
        return MS_ERR_NOMEM;
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        ms_errorf("%s: cannot write: %s", path, strerror(errno));
        rc = MS_ERR_IO;
        goto out;
    }
    if (write_all(fd, data, len) != MS_OK || fsync(fd) != 0) {
        ms_errorf("%s: write error: %s", path, strerror(errno));
        rc = MS_ERR_IO;
        goto out;
    }
    if (close(fd) != 0) {
        fd = -1;
        ms_errorf("%s: write error: %s", path, strerror(errno));
        rc = MS_ERR_IO;
        goto out;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        ms_errorf("%s: cannot replace: %s", path, strerror(errno));
        rc = MS_ERR_IO;
        goto out;
    }
out:
    if (fd >= 0)
        close(fd);
    if (rc != MS_OK && tmp)
        unlink(tmp);
    free(tmp);
    return rc;
}
