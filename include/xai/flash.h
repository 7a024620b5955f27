/* Flash image (SYSTEM.md section 6): models and their external params laid
 * out for the xcore.ai QSPI flash. Byte layout in docs/protocol.md
 * ("Flash image"). The reader runs on the device: no malloc, all access
 * through a caller-given xai_flash_reader. The writer is host-only. */
#ifndef XAI_FLASH_H
#define XAI_FLASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define XAI_FLASH_MAGIC_BYTES "XAIF"
#define XAI_FLASH_VERSION 1u
#define XAI_FLASH_HEADER_BYTES 32u
#define XAI_FLASH_ENTRY_BYTES 32u
/* Blobs start on flash-sector boundaries so each can be erased and
 * rewritten on its own. */
#define XAI_FLASH_SECTOR_BYTES 4096u
/* A directory larger than this is taken as corruption, not a real image. */
#define XAI_FLASH_MAX_ENTRIES 65536u

#define XAI_FLASH_HAS_MODEL 0x1u
#define XAI_FLASH_HAS_PARAMS 0x2u

/* Where a reader gets bytes: the device's QSPI driver, the emulator's
 * image file, or memory. read() copies n bytes at offset into dst. */
typedef struct {
  xai_status (*read)(void *user, uint32_t offset, void *dst, uint32_t n);
  void *user;
  uint32_t size; /* bytes readable, or 0 if unknown (then reads past the end fail in read()) */
} xai_flash_reader;

/* An in-memory flash. */
typedef struct {
  const uint8_t *data;
  size_t size;
} xai_flash_memory;

/* Returns a reader over mem (which must outlive the reader). */
xai_flash_reader xai_flash_memory_reader(xai_flash_memory *mem);

/* One directory entry. Absent blobs ("-") have offset, bytes and crc 0 and
 * their HAS_* flag clear. */
typedef struct {
  uint32_t model_offset, model_bytes, model_crc;
  uint32_t params_offset, params_bytes, params_crc;
  uint32_t flags; /* XAI_FLASH_HAS_MODEL | XAI_FLASH_HAS_PARAMS */
} xai_flash_entry;

/* ---- Writer (host) ------------------------------------------------------ */

/* One model/params pair to place in the image. NULL means "-" (absent);
 * a non-NULL pointer with 0 bytes is a present, empty blob. */
typedef struct {
  const void *model;
  size_t model_bytes;
  const void *params;
  size_t params_bytes;
} xai_flash_blob_pair;

/* Builds an image into a malloc'd buffer (free with xai_flash_image_free).
 * Gaps and the tail up to the next sector are 0xFF, the erased state of
 * NOR flash, so programming the image never writes needless zeros. */
xai_status xai_flash_image_build(const xai_flash_blob_pair *entries, size_t n,
                                 uint8_t **out, size_t *size, xai_error *err);
void xai_flash_image_free(uint8_t *image);

/* ---- Reader (device and host) ------------------------------------------- */

typedef struct {
  xai_flash_reader reader;
  uint32_t version;
  uint32_t entry_count;
  uint32_t image_bytes;
  uint32_t directory_crc;
} xai_flash_image;

/* Reads and checks the header, the directory CRC and every entry's
 * geometry (sector alignment, bounds, order, no overlap). Blob CRCs are
 * not read here: call xai_flash_image_verify for that. */
xai_status xai_flash_image_open(xai_flash_image *img,
                                const xai_flash_reader *reader,
                                xai_error *err);

/* Reads directory entry `index` (already validated by open). */
/* An image read from a file of file_bytes: nothing may follow it (a flash
 * dump or a damaged file is not an image file). */
xai_status xai_flash_image_check_file(const xai_flash_image *img,
                                      uint64_t file_bytes, xai_error *err);
xai_status xai_flash_image_entry(const xai_flash_image *img, uint32_t index,
                                 xai_flash_entry *entry, xai_error *err);

/* Recomputes the model and params CRCs of one entry / of every entry. The
 * error names the entry and the blob that fails. */
xai_status xai_flash_image_verify_entry(const xai_flash_image *img,
                                        uint32_t index, xai_error *err);
xai_status xai_flash_image_verify(const xai_flash_image *img, xai_error *err);

/* Reads n bytes at `offset` within entry `index`'s params (or model) blob:
 * the runtime's access path for weights kept in flash. */
xai_status xai_flash_read_params(const xai_flash_image *img, uint32_t index,
                                 uint32_t offset, void *dst, uint32_t n,
                                 xai_error *err);
xai_status xai_flash_read_model(const xai_flash_image *img, uint32_t index,
                                uint32_t offset, void *dst, uint32_t n,
                                xai_error *err);

#ifdef __cplusplus
}
#endif

#endif
