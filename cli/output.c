/*
 * output.c — where results go.  Standard output is checked like a file (a
 * full disk or a closed pipe is an error, not a truncated result that looks
 * like success).  --output FILE is written whole or not at all: the text
 * goes to a temporary file in FILE's own directory (so that the final
 * rename stays on one file system and is atomic), which is flushed, synced
 * and closed with every step checked, and only then renamed over FILE.  A
 * reader of FILE sees either the old content or the complete new one.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_write_stdout(const char *data, size_t len) {
  errno = 0;
  size_t n = fwrite(data, 1, len, stdout);
  if (n != len || fflush(stdout) != 0 || ferror(stdout)) {
    cli_error("cannot write the result to standard output: %s",
              errno ? strerror(errno) : "write error");
    return CLI_FAILED;
  }
  return CLI_OK;
}

/* A path the user gave that cannot be used is bad usage (2); a failure
 * while writing, such as a full disk, is a failed run (1). */
static int status_for_errno(int err) {
  switch (err) {
  case ENOENT:
  case ENOTDIR:
  case EACCES:
  case EPERM:
  case EROFS:
  case EISDIR:
  case ENAMETOOLONG:
  case ELOOP:
    return CLI_USAGE;
  default:
    return CLI_FAILED;
  }
}

/* Best effort: makes the rename itself durable.  Some file systems refuse
 * fsync on a directory; the file is already complete and in place then, so
 * a failure here is not reported. */
static void sync_dir(const char *path) {
  const char *slash = strrchr(path, '/');
  char *dir = NULL;
  if (!slash) {
    dir = strdup(".");
  } else {
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    dir = malloc(n + 1);
    if (dir) {
      memcpy(dir, path, n);
      dir[n] = '\0';
    }
  }
  if (!dir) return;
  int fd = open(dir, O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    (void)fsync(fd);
    close(fd);
  }
  free(dir);
}

int cli_write_file(const char *path, const char *data, size_t len) {
  if (strcmp(path, "-") == 0) return cli_write_stdout(data, len);
  size_t plen = strlen(path);
  char *tmp = malloc(plen + sizeof ".XXXXXX");
  if (!tmp) {
    cli_error("out of memory");
    return CLI_FAILED;
  }
  memcpy(tmp, path, plen);
  memcpy(tmp + plen, ".XXXXXX", sizeof ".XXXXXX");

  int fd = mkstemp(tmp);
  if (fd < 0) {
    int err = errno;
    cli_error("cannot write '%s': %s", path, strerror(err));
    free(tmp);
    return status_for_errno(err);
  }
  /* mkstemp makes the file 0600; give it the mode a plain fopen would. */
  mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd, 0666 & ~mask) != 0) {
    int err = errno;
    close(fd);
    unlink(tmp);
    cli_error("cannot write '%s': %s", path, strerror(err));
    free(tmp);
    return CLI_FAILED;
  }
  FILE *f = fdopen(fd, "wb");
  if (!f) {
    int err = errno;
    close(fd);
    unlink(tmp);
    cli_error("cannot write '%s': %s", path, strerror(err));
    free(tmp);
    return CLI_FAILED;
  }

  int err = 0;
  errno = 0;
  if (fwrite(data, 1, len, f) != len) err = errno ? errno : EIO;
  if (!err && fflush(f) != 0) err = errno ? errno : EIO;
  if (!err && fsync(fileno(f)) != 0) err = errno;
  if (fclose(f) != 0 && !err) err = errno ? errno : EIO; /* closes even when it fails */
  if (!err && rename(tmp, path) != 0) err = errno;
  if (err) {
    unlink(tmp);
    cli_error("cannot write '%s': %s", path, strerror(err));
    free(tmp);
    return err == EISDIR ? CLI_USAGE : CLI_FAILED;
  }
  free(tmp);
  sync_dir(path);
  return CLI_OK;
}
