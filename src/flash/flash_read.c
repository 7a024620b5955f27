/* Flash image reader: validates header, directory and blob geometry, and
 * reads blobs by (entry, offset). Runs on the device, so it never
 * allocates and reads through small stack buffers. */
#include <string.h>

#include "flash_format_internal.h"

/* Bytes read per reader call when streaming a blob through a CRC. Small:
 * it lives on a device thread's stack. */
#define CHUNK_BYTES 256u

static xai_status read_at(const xai_flash_reader *r, uint32_t offset,
                          void *dst, uint32_t n, const char *what,
                          xai_error *err) {
  if (r->size && (uint64_t)offset + n > r->size)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "flash image truncated: %s at bytes %u..%llu, but only "
                    "%u bytes are present",
                    what, offset, (unsigned long long)offset + n, r->size);
  xai_status s = r->read(r->user, offset, dst, n);
  if (s == XAI_ERR_RANGE)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "flash image truncated: %s at bytes %u..%llu is past the "
                    "end of the flash",
                    what, offset, (unsigned long long)offset + n);
  if (s != XAI_OK)
    return xai_fail(err, s,
                    "flash read of %s failed (%u bytes at offset %u): %s",
                    what, n, offset, xai_status_name(s));
  return XAI_OK;
}

static xai_status crc_range(const xai_flash_reader *r, uint32_t offset,
                            uint32_t n, const char *what, uint32_t *crc,
                            xai_error *err) {
  uint8_t buf[CHUNK_BYTES];
  uint32_t c = 0;
  while (n) {
    uint32_t k = n < CHUNK_BYTES ? n : CHUNK_BYTES;
    xai_status s = read_at(r, offset, buf, k, what, err);
    if (s != XAI_OK) return s;
    c = xai_crc32(c, buf, k);
    offset += k;
    n -= k;
  }
  *crc = c;
  return XAI_OK;
}

static void parse_entry(const uint8_t *d, xai_flash_entry *e) {
  e->model_offset = xai_flash_le32(d + XAI_FE_MODEL_OFFSET);
  e->model_bytes = xai_flash_le32(d + XAI_FE_MODEL_BYTES);
  e->model_crc = xai_flash_le32(d + XAI_FE_MODEL_CRC);
  e->params_offset = xai_flash_le32(d + XAI_FE_PARAMS_OFFSET);
  e->params_bytes = xai_flash_le32(d + XAI_FE_PARAMS_BYTES);
  e->params_crc = xai_flash_le32(d + XAI_FE_PARAMS_CRC);
  e->flags = xai_flash_le32(d + XAI_FE_FLAGS);
}

/* Checks one blob's geometry; *next is where the next blob may start. */
static xai_status check_blob(uint32_t index, const char *name, bool present,
                             uint32_t offset, uint32_t bytes, uint32_t crc,
                             uint32_t image_bytes, uint64_t *next,
                             xai_error *err) {
  if (!present) {
    if (offset || bytes || crc)
      return xai_fail(err, XAI_ERR_FORMAT,
                      "flash image entry %u: %s is marked absent but has "
                      "offset %u, length %u, CRC 0x%08x (directory corrupt)",
                      index, name, offset, bytes, crc);
    return XAI_OK;
  }
  if (offset % XAI_FLASH_SECTOR_BYTES)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "flash image entry %u: %s offset %u is not aligned to "
                    "the %u-byte sector",
                    index, name, offset, XAI_FLASH_SECTOR_BYTES);
  if (offset < *next)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "flash image entry %u: %s offset %u overlaps the "
                    "directory or the previous blob (which ends at %llu)",
                    index, name, offset, (unsigned long long)*next);
  uint64_t end = (uint64_t)offset + bytes;
  if (end > image_bytes)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "flash image entry %u: %s (offset %u, length %u) runs "
                    "past the image end %u",
                    index, name, offset, bytes, image_bytes);
  *next = end;
  return XAI_OK;
}

xai_status xai_flash_image_open(xai_flash_image *img,
                                const xai_flash_reader *reader,
                                xai_error *err) {
  memset(img, 0, sizeof *img);
  uint8_t h[XAI_FLASH_HEADER_BYTES];
  xai_status s = read_at(reader, 0, h, sizeof h, "header", err);
  if (s != XAI_OK) return s;
  if (memcmp(h + XAI_FH_MAGIC, XAI_FLASH_MAGIC_BYTES, 4) != 0)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "not an xai flash image: magic is %02x %02x %02x %02x, "
                    "expected 'XAIF' (build one with build_flash_file)",
                    h[0], h[1], h[2], h[3]);
  uint32_t stored = xai_flash_le32(h + XAI_FH_HEADER_CRC);
  uint32_t computed = xai_crc32(0, h, XAI_FH_HEADER_CRC);
  if (stored != computed)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "flash image header CRC mismatch (stored 0x%08x, "
                    "computed 0x%08x): the header is corrupt",
                    stored, computed);
  uint16_t version = xai_flash_le16(h + XAI_FH_VERSION);
  if (version != XAI_FLASH_VERSION)
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "flash image format version %u; this build reads "
                    "version %u (rebuild the image with this build_flash_file)",
                    version, XAI_FLASH_VERSION);
  uint16_t entry_bytes = xai_flash_le16(h + XAI_FH_ENTRY_BYTES);
  uint32_t sector = xai_flash_le32(h + XAI_FH_SECTOR_BYTES);
  if (entry_bytes != XAI_FLASH_ENTRY_BYTES || sector != XAI_FLASH_SECTOR_BYTES)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "flash image header: entry size %u and sector size %u, "
                    "version %u requires %u and %u",
                    entry_bytes, sector, version, XAI_FLASH_ENTRY_BYTES,
                    XAI_FLASH_SECTOR_BYTES);
  uint32_t count = xai_flash_le32(h + XAI_FH_ENTRY_COUNT);
  uint32_t image_bytes = xai_flash_le32(h + XAI_FH_IMAGE_BYTES);
  if (xai_flash_le32(h + XAI_FH_RESERVED) != 0)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "flash image header: reserved field is 0x%08x, must be 0 "
                    "(corrupt, or made by an incompatible tool)",
                    xai_flash_le32(h + XAI_FH_RESERVED));
  if (count == 0)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "flash image has no entries (build_flash_file always "
                    "writes at least one)");
  if (image_bytes % XAI_FLASH_SECTOR_BYTES)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "flash image header: length %u is not a multiple of the "
                    "%u-byte sector (corrupt)",
                    image_bytes, XAI_FLASH_SECTOR_BYTES);
  if (count > XAI_FLASH_MAX_ENTRIES)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "flash image header: entry count %u exceeds %u", count,
                    XAI_FLASH_MAX_ENTRIES);
  uint64_t dir_end =
      XAI_FLASH_HEADER_BYTES + (uint64_t)count * XAI_FLASH_ENTRY_BYTES;
  if (dir_end > image_bytes)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "flash image header: %u entries need %llu bytes but the "
                    "image length field says %u",
                    count, (unsigned long long)dir_end, image_bytes);
  if (reader->size && image_bytes > reader->size)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "flash image truncated: header says %u bytes, only %u "
                    "are present",
                    image_bytes, reader->size);

  /* Directory CRC first, so entry checks below see trustworthy fields. */
  uint32_t dir_crc;
  s = crc_range(reader, XAI_FLASH_HEADER_BYTES,
                (uint32_t)(dir_end - XAI_FLASH_HEADER_BYTES), "directory",
                &dir_crc, err);
  if (s != XAI_OK) return s;
  uint32_t dir_stored = xai_flash_le32(h + XAI_FH_DIR_CRC);
  if (dir_crc != dir_stored)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "flash image directory CRC mismatch (stored 0x%08x, "
                    "computed 0x%08x): the entry table is corrupt",
                    dir_stored, dir_crc);

  uint64_t next = dir_end;
  for (uint32_t i = 0; i < count; i++) {
    uint8_t d[XAI_FLASH_ENTRY_BYTES];
    s = read_at(reader, XAI_FLASH_HEADER_BYTES + i * XAI_FLASH_ENTRY_BYTES, d,
                sizeof d, "directory entry", err);
    if (s != XAI_OK) return s;
    xai_flash_entry e;
    parse_entry(d, &e);
    if (e.flags & ~(uint32_t)(XAI_FLASH_HAS_MODEL | XAI_FLASH_HAS_PARAMS))
      return xai_fail(err, XAI_ERR_FORMAT,
                      "flash image entry %u: unknown flag bits 0x%08x", i,
                      e.flags);
    if (xai_flash_le32(d + XAI_FE_RESERVED) != 0)
      return xai_fail(err, XAI_ERR_FORMAT,
                      "flash image entry %u: reserved field is 0x%08x, must "
                      "be 0 (directory corrupt)",
                      i, xai_flash_le32(d + XAI_FE_RESERVED));
    s = check_blob(i, "model", e.flags & XAI_FLASH_HAS_MODEL, e.model_offset,
                   e.model_bytes, e.model_crc, image_bytes, &next, err);
    if (s != XAI_OK) return s;
    s = check_blob(i, "params", e.flags & XAI_FLASH_HAS_PARAMS,
                   e.params_offset, e.params_bytes, e.params_crc, image_bytes,
                   &next, err);
    if (s != XAI_OK) return s;
  }
  img->reader = *reader;
  img->version = version;
  img->entry_count = count;
  img->image_bytes = image_bytes;
  img->directory_crc = dir_stored;
  return XAI_OK;
}

xai_status xai_flash_image_check_file(const xai_flash_image *img,
                                      uint64_t file_bytes, xai_error *err) {
  if (file_bytes > img->image_bytes)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "%llu bytes follow the %u-byte flash image (trailing "
                    "data: not an image file from build_flash_file)",
                    (unsigned long long)(file_bytes - img->image_bytes),
                    img->image_bytes);
  return XAI_OK;
}

xai_status xai_flash_image_entry(const xai_flash_image *img, uint32_t index,
                                 xai_flash_entry *entry, xai_error *err) {
  if (index >= img->entry_count)
    return xai_fail(err, XAI_ERR_RANGE,
                    "flash image has %u entries; there is no entry %u",
                    img->entry_count, index);
  uint8_t d[XAI_FLASH_ENTRY_BYTES];
  xai_status s =
      read_at(&img->reader, XAI_FLASH_HEADER_BYTES + index * XAI_FLASH_ENTRY_BYTES,
              d, sizeof d, "directory entry", err);
  if (s != XAI_OK) return s;
  parse_entry(d, entry);
  return XAI_OK;
}

static xai_status verify_blob(const xai_flash_image *img, uint32_t index,
                              const char *name, uint32_t offset,
                              uint32_t bytes, uint32_t stored,
                              xai_error *err) {
  uint32_t crc;
  xai_status s = crc_range(&img->reader, offset, bytes, name, &crc, err);
  if (s != XAI_OK) return s;
  if (crc != stored)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "flash image entry %u: %s CRC mismatch (stored 0x%08x, "
                    "computed 0x%08x over %u bytes at offset %u): the %s blob "
                    "is corrupt; rewrite the image",
                    index, name, stored, crc, bytes, offset, name);
  return XAI_OK;
}

xai_status xai_flash_image_verify_entry(const xai_flash_image *img,
                                        uint32_t index, xai_error *err) {
  xai_flash_entry e;
  xai_status s = xai_flash_image_entry(img, index, &e, err);
  if (s != XAI_OK) return s;
  if (e.flags & XAI_FLASH_HAS_MODEL) {
    s = verify_blob(img, index, "model", e.model_offset, e.model_bytes,
                    e.model_crc, err);
    if (s != XAI_OK) return s;
  }
  if (e.flags & XAI_FLASH_HAS_PARAMS)
    return verify_blob(img, index, "params", e.params_offset, e.params_bytes,
                       e.params_crc, err);
  return XAI_OK;
}

xai_status xai_flash_image_verify(const xai_flash_image *img, xai_error *err) {
  for (uint32_t i = 0; i < img->entry_count; i++) {
    xai_status s = xai_flash_image_verify_entry(img, i, err);
    if (s != XAI_OK) return s;
  }
  return XAI_OK;
}

static xai_status read_blob(const xai_flash_image *img, uint32_t index,
                            bool params, uint32_t offset, void *dst,
                            uint32_t n, xai_error *err) {
  const char *name = params ? "params" : "model";
  xai_flash_entry e;
  xai_status s = xai_flash_image_entry(img, index, &e, err);
  if (s != XAI_OK) return s;
  uint32_t flag = params ? XAI_FLASH_HAS_PARAMS : XAI_FLASH_HAS_MODEL;
  if (!(e.flags & flag))
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "flash image entry %u has no %s (it was given as '-')",
                    index, name);
  uint32_t base = params ? e.params_offset : e.model_offset;
  uint32_t bytes = params ? e.params_bytes : e.model_bytes;
  if ((uint64_t)offset + n > bytes)
    return xai_fail(err, XAI_ERR_RANGE,
                    "flash image entry %u: read of %u bytes at %s offset %u "
                    "runs past its %u bytes",
                    index, n, name, offset, bytes);
  return read_at(&img->reader, base + offset, dst, n, name, err);
}

xai_status xai_flash_read_params(const xai_flash_image *img, uint32_t index,
                                 uint32_t offset, void *dst, uint32_t n,
                                 xai_error *err) {
  return read_blob(img, index, true, offset, dst, n, err);
}

xai_status xai_flash_read_model(const xai_flash_image *img, uint32_t index,
                                uint32_t offset, void *dst, uint32_t n,
                                xai_error *err) {
  return read_blob(img, index, false, offset, dst, n, err);
}
