#include "testlib.h"
#include "xai/common.h"

#include <stdlib.h>
#include <string.h>

int main(void) {
  xai_error err = {0};
  CHECK(xai_fail(&err, XAI_ERR_FORMAT, "first %d", 1) == XAI_ERR_FORMAT);
  /* The record holds the latest failure only (issue #12: an older message
   * must never stand in for a newer error). */
  xai_fail(&err, XAI_ERR_IO, "second");
  CHECK(strcmp(err.message, "second") == 0);
  CHECK(err.status == XAI_ERR_IO);
  /* Context may quote the cause it wraps. */
  xai_fail(&err, XAI_ERR_IO, "context: %s", err.message);
  CHECK(strcmp(err.message, "context: second") == 0);
  CHECK(xai_fail(NULL, XAI_ERR_RANGE, "x") == XAI_ERR_RANGE);
  CHECK(strcmp(xai_error_text(NULL), "") == 0);
  xai_error_clear(&err);
  CHECK(err.status == XAI_OK);

  uint8_t *data;
  size_t size;
  CHECK(xai_file_read("/nonexistent/xai", &data, &size, &err) == XAI_ERR_IO);
  CHECK(strstr(err.message, "/nonexistent/xai") != NULL);

  xai_error_clear(&err);
  const char path[] = "test_common_out.bin";
  CHECK(xai_file_write_atomic(path, "abc", 3, &err) == XAI_OK);
  CHECK(xai_file_read(path, &data, &size, &err) == XAI_OK);
  CHECK(size == 3 && memcmp(data, "abc", 3) == 0);
  CHECK(((uintptr_t)data & 15) == 0);
  xai_file_free(data);
  remove(path);
  return xai_test_finish("test_common");
}
