/* libFuzzer target: the flash image reader (open, entries, verify, reads
 * by entry and offset). The first byte picks a mode: the rest of the input
 * as an image, or an image built from the input and then damaged, so the
 * fuzzer gets past the CRCs without a seed corpus. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xai/flash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(const uint8_t *img, size_t size) {
  /* An exact-size copy so ASan sees any read past the end. */
  uint8_t *copy = malloc(size ? size : 1);
  if (!copy) return;
  if (size) memcpy(copy, img, size);
  xai_flash_memory mem = {copy, size};
  xai_flash_reader r = xai_flash_memory_reader(&mem);
  xai_flash_image fi;
  if (xai_flash_image_open(&fi, &r, NULL) == XAI_OK) {
    if (fi.image_bytes > size) abort();
    xai_flash_image_verify(&fi, NULL);
    for (uint32_t i = 0; i < fi.entry_count && i < 64; i++) {
      xai_flash_entry e;
      if (xai_flash_image_entry(&fi, i, &e, NULL) != XAI_OK) abort();
      /* open() promised the geometry: blobs inside the image. */
      if ((uint64_t)e.model_offset + e.model_bytes > fi.image_bytes) abort();
      if ((uint64_t)e.params_offset + e.params_bytes > fi.image_bytes) abort();
      uint8_t buf[64];
      uint32_t n = e.params_bytes < sizeof buf ? e.params_bytes : sizeof buf;
      if ((e.flags & XAI_FLASH_HAS_PARAMS) &&
          xai_flash_read_params(&fi, i, e.params_bytes - n, buf, n, NULL) !=
              XAI_OK)
        abort();
      xai_flash_read_params(&fi, i, e.params_bytes, buf, 1, NULL);
      xai_flash_read_model(&fi, i, 0, buf, 1, NULL);
    }
    xai_flash_read_model(&fi, fi.entry_count, 0, NULL, 0, NULL);
  }
  free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  uint8_t mode = data[0];
  data++;
  size--;
  if (!(mode & 1)) {
    exercise(data, size);
    return 0;
  }
  /* Up to 4 entries; each takes a length byte pair for model and params
   * (0xFFFF = "-") out of the input, blobs from what follows. */
  xai_flash_blob_pair pairs[4];
  memset(pairs, 0, sizeof pairs);
  size_t at = 0, n = 1 + (mode >> 1) % 4; /* an image has >= 1 entry */
  for (size_t i = 0; i < n; i++) {
    for (int b = 0; b < 2; b++) {
      if (at + 2 > size) break;
      size_t len = (size_t)data[at] | ((size_t)data[at + 1] << 8);
      at += 2;
      if (len == 0xFFFF) continue;
      if (len > size - at) len = size - at;
      if (b == 0) {
        pairs[i].model = data + at;
        pairs[i].model_bytes = len;
      } else {
        pairs[i].params = data + at;
        pairs[i].params_bytes = len;
      }
      at += len;
    }
  }
  uint8_t *img;
  size_t img_size;
  if (xai_flash_image_build(pairs, n, &img, &img_size, NULL) != XAI_OK) abort();
  /* The untouched image must open and verify. */
  xai_flash_memory mem = {img, img_size};
  xai_flash_reader r = xai_flash_memory_reader(&mem);
  xai_flash_image fi;
  if (xai_flash_image_open(&fi, &r, NULL) != XAI_OK ||
      xai_flash_image_verify(&fi, NULL) != XAI_OK)
    abort();
  /* Then damage it with the rest of the input as (position, xor) pairs,
   * mostly in the header and directory, and maybe cut it short. */
  for (; at + 3 <= size; at += 3) {
    size_t span = data[at + 2] & 1 ? img_size : 32 + 32 * n;
    size_t pos = ((size_t)data[at] | ((size_t)data[at + 1] << 8)) % span;
    img[pos] ^= data[at + 2] | 1;
  }
  size_t keep = (mode & 0x80) ? img_size - (mode % 97) * 53 % img_size : img_size;
  exercise(img, keep);
  xai_flash_image_free(img);
  return 0;
}
