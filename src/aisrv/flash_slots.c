/* Atomic flash updates (SYSTEM.md section 6, docs/device.md "Flash
 * updates"): the flash holds two image slots, each ending in a one-sector
 * commit record. An update is written into the slot that does not hold
 * the current image, read back and verified whole, and only then gets its
 * record (a higher generation). A cut anywhere before the record is
 * complete leaves the previous record, so the previous image, in charge. */
#include <string.h>

#include "aisrv_internal.h"
#include "xai/flash.h"

#define RECORD_MAGIC "XAIS"
enum {
  REC_MAGIC = 0,
  REC_GENERATION = 4,
  REC_IMAGE_BYTES = 8,
  REC_HEADER_CRC = 12, /* CRC of the image's 32-byte header */
  REC_CRC = 28,        /* over bytes 0..27 */
  REC_BYTES = 32,
};

static uint32_t le32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
         ((uint32_t)p[3] << 24);
}
static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

uint32_t aisrv_flash_slot_bytes(const xai_aisrv *s) {
  return s->cfg.flash.size / 2 / XAI_FLASH_SECTOR_BYTES *
         XAI_FLASH_SECTOR_BYTES;
}

uint32_t aisrv_flash_slot_capacity(const xai_aisrv *s) {
  uint32_t slot = aisrv_flash_slot_bytes(s);
  return slot > XAI_FLASH_SECTOR_BYTES ? slot - XAI_FLASH_SECTOR_BYTES : 0;
}

static uint32_t slot_base(const xai_aisrv *s, uint32_t slot) {
  return slot * aisrv_flash_slot_bytes(s);
}

static uint32_t record_at(const xai_aisrv *s, uint32_t slot) {
  return slot_base(s, slot) + aisrv_flash_slot_capacity(s);
}

static xai_status raw_read(xai_aisrv *s, uint32_t at, void *dst, uint32_t n) {
  if (at > s->cfg.flash.size || n > s->cfg.flash.size - at)
    return XAI_ERR_RANGE;
  return s->cfg.flash.read(s->cfg.flash.user, at, dst, n);
}

static xai_status slot_read(void *user, uint32_t offset, void *dst,
                            uint32_t n) {
  aisrv_flash_window *w = user;
  if (offset > w->bytes || n > w->bytes - offset) return XAI_ERR_RANGE;
  return raw_read(w->srv, w->base + offset, dst, n);
}

xai_flash_reader aisrv_flash_slot_reader(xai_aisrv *s, uint32_t slot) {
  aisrv_flash_window *w = &s->flash_windows[slot];
  w->srv = s;
  w->base = slot_base(s, slot);
  w->bytes = aisrv_flash_slot_capacity(s);
  xai_flash_reader r = {slot_read, w, w->bytes};
  return r;
}

/* The generation of slot's committed image, or false if it has none. */
static bool slot_committed(xai_aisrv *s, uint32_t slot, uint32_t *gen) {
  uint8_t rec[REC_BYTES], head[XAI_FLASH_HEADER_BYTES];
  if (raw_read(s, record_at(s, slot), rec, sizeof rec) != XAI_OK ||
      memcmp(rec + REC_MAGIC, RECORD_MAGIC, 4) != 0 ||
      le32(rec + REC_CRC) != xai_crc32(0, rec, REC_CRC) ||
      le32(rec + REC_IMAGE_BYTES) > aisrv_flash_slot_capacity(s) ||
      raw_read(s, slot_base(s, slot), head, sizeof head) != XAI_OK ||
      xai_crc32(0, head, sizeof head) != le32(rec + REC_HEADER_CRC))
    return false;
  *gen = le32(rec + REC_GENERATION);
  return true;
}

bool aisrv_flash_active(xai_aisrv *s, uint32_t *slot, uint32_t *gen) {
  uint32_t g0 = 0, g1 = 0;
  bool c0 = slot_committed(s, 0, &g0), c1 = slot_committed(s, 1, &g1);
  if (c0 || c1) {
    *slot = (c1 && (!c0 || g1 > g0)) ? 1 : 0;
    *gen = *slot ? g1 : g0;
    return true;
  }
  /* No record: an image programmed at address 0 by other means (a factory
   * image, the emulator's --flash file) counts, as generation 0, if every
   * blob passes its CRC (a first update cut short must not). */
  xai_flash_reader r = aisrv_flash_slot_reader(s, 0);
  xai_flash_image img;
  if (aisrv_flash_slot_capacity(s) &&
      xai_flash_image_open(&img, &r, NULL) == XAI_OK &&
      xai_flash_image_verify(&img, NULL) == XAI_OK) {
    *slot = 0;
    *gen = 0;
    return true;
  }
  return false;
}

xai_status aisrv_flash_begin_update(xai_aisrv *s, uint32_t *target) {
  uint32_t active, gen;
  *target = aisrv_flash_active(s, &active, &gen) ? 1 - active : 0;
  /* The target's old record goes first: from here on that slot is never
   * mistaken for a complete image, whatever is cut. */
  uint32_t at = record_at(s, *target);
  if (s->cfg.flash.erase(s->cfg.flash.user, at, XAI_FLASH_SECTOR_BYTES) !=
      XAI_OK)
    return xai_fail(&s->err, XAI_ERR_IO,
                    "flash: erasing the commit record at 0x%x failed", at);
  return XAI_OK;
}

xai_status aisrv_flash_commit_update(xai_aisrv *s, uint32_t target,
                                     uint32_t total) {
  xai_flash_reader r = aisrv_flash_slot_reader(s, target);
  xai_flash_image img;
  xai_error e;
  xai_error_clear(&e);
  /* Read back from the flash itself: what is checked is what was
   * programmed, every blob against its CRC. */
  if (xai_flash_image_open(&img, &r, &e) != XAI_OK ||
      xai_flash_image_verify(&img, &e) != XAI_OK)
    return xai_fail(&s->err, XAI_ERR_FORMAT,
                    "the %u bytes written are not a complete flash image "
                    "(%s); the flash keeps its previous image",
                    total, e.message);
  if (img.image_bytes != total)
    return xai_fail(&s->err, XAI_ERR_FORMAT,
                    "the image header says %u bytes but %u were written; "
                    "the flash keeps its previous image",
                    img.image_bytes, total);
  uint32_t active, gen = 0;
  if (!aisrv_flash_active(s, &active, &gen)) gen = 0;
  uint8_t head[XAI_FLASH_HEADER_BYTES], rec[REC_BYTES];
  if (raw_read(s, slot_base(s, target), head, sizeof head) != XAI_OK)
    return xai_fail(&s->err, XAI_ERR_IO, "flash: header read-back failed");
  memset(rec, 0, sizeof rec);
  memcpy(rec + REC_MAGIC, RECORD_MAGIC, 4);
  put32(rec + REC_GENERATION, gen + 1);
  put32(rec + REC_IMAGE_BYTES, total);
  put32(rec + REC_HEADER_CRC, xai_crc32(0, head, sizeof head));
  put32(rec + REC_CRC, xai_crc32(0, rec, REC_CRC));
  uint32_t at = record_at(s, target);
  if (s->cfg.flash.program(s->cfg.flash.user, at, rec, sizeof rec) != XAI_OK)
    return xai_fail(&s->err, XAI_ERR_IO,
                    "flash: programming the commit record at 0x%x failed", at);
  aisrv_log(s, "flash: image of %u bytes, %u entries committed (slot %u, "
            "generation %u)", total, img.entry_count, target, gen + 1);
  return XAI_OK;
}
