#define _POSIX_C_SOURCE 200809L
#include "xai/common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* No model, params file, flash image, image or label list is this large:
 * a bigger "file" is a device or a mistake, not something to allocate. */
#define MAX_FILE_BYTES ((uint64_t)1 << 31)

xai_status xai_file_read(const char *path, uint8_t **data, size_t *size,
                         xai_error *err) {
  *data = NULL;
  *size = 0;
  FILE *f = fopen(path, "rb");
  if (!f) {
    return xai_fail(err, XAI_ERR_IO, "%s: cannot open: %s", path,
                    strerror(errno));
  }
  /* Checked on the open file (no race with a rename): a directory or a
   * FIFO has no size to read, and ftell on one gives nonsense. */
  struct stat st;
  if (fstat(fileno(f), &st) != 0) {
    fclose(f);
    return xai_fail(err, XAI_ERR_IO, "%s: cannot stat: %s", path,
                    strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    fclose(f);
    return xai_fail(err, XAI_ERR_IO, "%s: is %s, not a regular file", path,
                    S_ISDIR(st.st_mode) ? "a directory" : "a special file");
  }
  if (st.st_size == 0) {
    fclose(f);
    return xai_fail(err, XAI_ERR_IO, "%s: is empty", path);
  }
  if ((uint64_t)st.st_size > MAX_FILE_BYTES) {
    fclose(f);
    return xai_fail(err, XAI_ERR_IO,
                    "%s: is %lld bytes, more than the 2 GiB any xai input "
                    "can be", path, (long long)st.st_size);
  }
  long length = (long)st.st_size;
  /* Round up so the allocation size is a multiple of the alignment. */
  size_t alloc = ((size_t)length + 16) & ~(size_t)15;
  uint8_t *buf = aligned_alloc(16, alloc);
  if (!buf) {
    fclose(f);
    return xai_fail(err, XAI_ERR_NO_MEMORY, "%s: cannot allocate %ld bytes",
                    path, length);
  }
  size_t got = fread(buf, 1, (size_t)length, f);
  fclose(f);
  if (got != (size_t)length) {
    free(buf);
    return xai_fail(err, XAI_ERR_IO, "%s: short read (%zu of %ld bytes)", path,
                    got, length);
  }
  *data = buf;
  *size = (size_t)length;
  return XAI_OK;
}

void xai_file_free(uint8_t *data) { free(data); }

xai_status xai_file_write_atomic(const char *path, const void *data,
                                 size_t size, xai_error *err) {
  size_t n = strlen(path);
  char *tmp = malloc(n + 32);
  if (!tmp) return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  snprintf(tmp, n + 32, "%s.tmp.%ld", path, (long)getpid());
  FILE *f = fopen(tmp, "wb");
  if (!f) {
    xai_fail(err, XAI_ERR_IO, "%s: cannot create: %s", tmp, strerror(errno));
    free(tmp);
    return XAI_ERR_IO;
  }
  size_t put = size ? fwrite(data, 1, size, f) : 0;
  int close_failed = fclose(f) != 0;
  if (put != size || close_failed) {
    remove(tmp);
    xai_fail(err, XAI_ERR_IO, "%s: write failed (disk full?)", path);
    free(tmp);
    return XAI_ERR_IO;
  }
  if (rename(tmp, path) != 0) {
    xai_fail(err, XAI_ERR_IO, "%s: cannot rename %s into place: %s", path, tmp,
             strerror(errno));
    remove(tmp);
    free(tmp);
    return XAI_ERR_IO;
  }
  free(tmp);
  return XAI_OK;
}
