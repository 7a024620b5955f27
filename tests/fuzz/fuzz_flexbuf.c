/* libFuzzer target: FlexBuffers decode, full walk through every accessor,
 * verify, and format at two output sizes. Any crash, sanitizer report or
 * runaway loop is a bug in src/flexbuf. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../flexbuf/flexbuf_walk.h"
#include "xai/flexbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* An exact-size copy so ASan sees reads past the end. */
  uint8_t *copy = calloc(size ? size : 1, 1);
  if (!copy) return 0;
  if (size) memcpy(copy, data, size);

  xai_error err = {0};
  xai_status verified = xai_flexbuf_verify(copy, size, &err);
  flexbuf_walk(copy, size);

  char text[1024];
  xai_error_clear(&err);
  xai_status formatted = xai_flexbuf_format(copy, size, text, sizeof text, &err);
  if (strlen(text) >= sizeof text) abort();
  /* What verify accepts, the formatter must be able to print. */
  if (verified == XAI_OK && formatted != XAI_OK) abort();
  char tiny[5];
  xai_flexbuf_format(copy, size, tiny, sizeof tiny, NULL);
  if (strlen(tiny) >= sizeof tiny) abort();
  free(copy);
  return 0;
}
