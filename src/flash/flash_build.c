/* Flash image writer (host only: it allocates the image). */
#include <stdlib.h>
#include <string.h>

#include "flash_format_internal.h"

void xai_flash_image_free(uint8_t *image) { free(image); }

/* Places a blob at *pos (sector aligned) and advances *pos past it. */
static void place(const void *blob, size_t bytes, uint64_t *pos,
                  uint32_t *offset, uint32_t *size) {
  if (!blob) {
    *offset = 0;
    *size = 0;
    return;
  }
  *offset = (uint32_t)*pos;
  *size = (uint32_t)bytes;
  *pos = xai_flash_align(*pos + bytes);
}

xai_status xai_flash_image_build(const xai_flash_blob_pair *entries, size_t n,
                                 uint8_t **out, size_t *size, xai_error *err) {
  *out = NULL;
  *size = 0;
  if (n == 0)
    return xai_fail(err, XAI_ERR_ARGUMENT, "flash image: no entries given");
  if (n > XAI_FLASH_MAX_ENTRIES)
    return xai_fail(err, XAI_ERR_RANGE,
                    "flash image: %zu entries, at most %u are allowed", n,
                    XAI_FLASH_MAX_ENTRIES);
  /* Lay out first, in 64 bits, so an image past 4 GiB is refused before
   * anything is allocated. */
  uint64_t dir_end = XAI_FLASH_HEADER_BYTES + (uint64_t)n * XAI_FLASH_ENTRY_BYTES;
  uint64_t pos = xai_flash_align(dir_end);
  for (size_t i = 0; i < n; i++) {
    if (entries[i].model) pos = xai_flash_align(pos + entries[i].model_bytes);
    if (entries[i].params) pos = xai_flash_align(pos + entries[i].params_bytes);
    if (pos > UINT32_MAX)
      return xai_fail(err, XAI_ERR_RANGE,
                      "flash image: entry %zu ends past 4 GiB; offsets are "
                      "32-bit (a QSPI flash holds at most 16 MiB anyway)",
                      i);
  }
  uint64_t image_bytes = pos;
  uint8_t *img = malloc((size_t)image_bytes);
  if (!img)
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "flash image: cannot allocate %llu bytes",
                    (unsigned long long)image_bytes);
  memset(img, 0xFF, (size_t)image_bytes);

  uint8_t *dir = img + XAI_FLASH_HEADER_BYTES;
  pos = xai_flash_align(dir_end);
  for (size_t i = 0; i < n; i++) {
    const xai_flash_blob_pair *e = &entries[i];
    uint8_t *d = dir + i * XAI_FLASH_ENTRY_BYTES;
    uint32_t mo, mb, po, pb;
    place(e->model, e->model_bytes, &pos, &mo, &mb);
    place(e->params, e->params_bytes, &pos, &po, &pb);
    uint32_t mcrc = e->model ? xai_crc32(0, e->model, mb) : 0;
    uint32_t pcrc = e->params ? xai_crc32(0, e->params, pb) : 0;
    if (mb) memcpy(img + mo, e->model, mb);
    if (pb) memcpy(img + po, e->params, pb);
    uint32_t flags = (e->model ? XAI_FLASH_HAS_MODEL : 0) |
                     (e->params ? XAI_FLASH_HAS_PARAMS : 0);
    xai_flash_put32(d + XAI_FE_MODEL_OFFSET, mo);
    xai_flash_put32(d + XAI_FE_MODEL_BYTES, mb);
    xai_flash_put32(d + XAI_FE_MODEL_CRC, mcrc);
    xai_flash_put32(d + XAI_FE_PARAMS_OFFSET, po);
    xai_flash_put32(d + XAI_FE_PARAMS_BYTES, pb);
    xai_flash_put32(d + XAI_FE_PARAMS_CRC, pcrc);
    xai_flash_put32(d + XAI_FE_FLAGS, flags);
    xai_flash_put32(d + XAI_FE_RESERVED, 0);
  }

  memcpy(img + XAI_FH_MAGIC, XAI_FLASH_MAGIC_BYTES, 4);
  xai_flash_put16(img + XAI_FH_VERSION, XAI_FLASH_VERSION);
  xai_flash_put16(img + XAI_FH_ENTRY_BYTES, XAI_FLASH_ENTRY_BYTES);
  xai_flash_put32(img + XAI_FH_ENTRY_COUNT, (uint32_t)n);
  xai_flash_put32(img + XAI_FH_IMAGE_BYTES, (uint32_t)image_bytes);
  xai_flash_put32(img + XAI_FH_SECTOR_BYTES, XAI_FLASH_SECTOR_BYTES);
  xai_flash_put32(img + XAI_FH_DIR_CRC,
                  xai_crc32(0, dir, n * XAI_FLASH_ENTRY_BYTES));
  xai_flash_put32(img + XAI_FH_RESERVED, 0);
  xai_flash_put32(img + XAI_FH_HEADER_CRC,
                  xai_crc32(0, img, XAI_FH_HEADER_CRC));
  *out = img;
  *size = (size_t)image_bytes;
  return XAI_OK;
}
