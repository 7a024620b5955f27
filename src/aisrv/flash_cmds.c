/* Flash commands: program the flash over the link (FLASH_WRITE), read it
 * back (FLASH_READ), and load a model from an entry of the flash image
 * (SET_MODEL memory 2). All access goes through the caller's callbacks. */
#include <string.h>

#include "aisrv_internal.h"
#include "xai/flash.h"

xai_status aisrv_flash_program_chunk(xai_aisrv *s, const xai_frame_header *h,
                                     const uint8_t *payload) {
  if (!h->length) return XAI_OK;
  /* Image offsets map into the slot being written. */
  uint32_t base = s->flash_target * aisrv_flash_slot_bytes(s);
  uint32_t end = h->offset + h->length;
  uint32_t at = base + h->offset;
  if (end > s->flash_erased_end) {
    /* Sectors are erased the first time the transfer reaches them, so a
     * write never disturbs flash beyond what it covers. */
    uint32_t sector = XAI_FLASH_SECTOR_BYTES;
    uint32_t to = (uint32_t)(((uint64_t)end + sector - 1) / sector * sector);
    if (to > aisrv_flash_slot_capacity(s)) to = aisrv_flash_slot_capacity(s);
    if (s->cfg.flash.erase(s->cfg.flash.user, base + s->flash_erased_end,
                           to - s->flash_erased_end) != XAI_OK)
      return xai_fail(&s->err, XAI_ERR_IO, "flash: erase of 0x%x..0x%x failed",
                      base + s->flash_erased_end, base + to);
    s->flash_erased_end = to;
  }
  if (s->cfg.flash.program(s->cfg.flash.user, at, payload, h->length) != XAI_OK)
    return xai_fail(&s->err, XAI_ERR_IO,
                    "flash: programming %u bytes at 0x%x failed", h->length, at);
  return XAI_OK;
}

static const char *const NO_IMAGE =
    "flash holds no complete image (program one with xmos_flash or "
    "xmos_send_model --memory flash)";

static xai_status read_erased(void *ctx, uint32_t offset, void *dst,
                              uint32_t n) {
  (void)ctx;
  (void)offset;
  memset(dst, 0xFF, n);
  return XAI_OK;
}

void aisrv_cmd_flash_read(xai_aisrv *s, const xai_frame_header *req,
                          const uint8_t *payload) {
  if (!s->cfg.flash.size) {
    aisrv_reply_error(s, req, XAI_PS_BAD_ARGUMENT, "the device has no flash");
    return;
  }
  if (req->length != 4) {
    aisrv_reply_error(s, req, XAI_PS_BAD_ARGUMENT,
                      "FLASH_READ payload must be a u32 byte count (got %u "
                      "bytes)", req->length);
    return;
  }
  uint32_t n = (uint32_t)payload[0] | ((uint32_t)payload[1] << 8) |
               ((uint32_t)payload[2] << 16) | ((uint32_t)payload[3] << 24);
  /* Addresses are within the current image's slot. */
  uint32_t slot, gen, cap = aisrv_flash_slot_capacity(s);
  bool have = aisrv_flash_active(s, &slot, &gen);
  if (req->arg > cap || n > cap - req->arg) {
    aisrv_reply_error(s, req, XAI_PS_BAD_ARGUMENT,
                      "FLASH_READ of %u bytes at 0x%x runs past the end of "
                      "the %u bytes an image slot holds", n, req->arg, cap);
    return;
  }
  if (!have) {
    /* No complete image: the image space reads as erased flash, never as
     * the remains of a cut update. */
    aisrv_log(s, "FLASH_READ: %s; reading as erased", NO_IMAGE);
    aisrv_reply_stream(s, req, n, read_erased, NULL);
    return;
  }
  xai_flash_reader r = aisrv_flash_slot_reader(s, slot);
  s->flash_windows[2] = s->flash_windows[slot];
  s->flash_windows[2].base += req->arg;
  s->flash_windows[2].bytes -= req->arg;
  aisrv_reply_stream(s, req, n, r.read, &s->flash_windows[2]);
}

void aisrv_set_model_from_flash(xai_aisrv *s, aisrv_engine *e,
                                const xai_frame_header *req) {
  uint32_t index = XAI_SET_MODEL_ENTRY(req->arg);
  if (!aisrv_set_model_flags_ok(s, req)) return;
  if (!s->cfg.flash.size) {
    aisrv_reply_error(s, req, XAI_PS_BAD_ARGUMENT, "the device has no flash");
    return;
  }
  if (req->total != 0) {
    aisrv_reply_error(s, req, XAI_PS_BAD_ARGUMENT,
                      "SET_MODEL from flash carries no payload (got %u bytes)",
                      req->total);
    return;
  }
  uint32_t slot, gen;
  if (!aisrv_flash_active(s, &slot, &gen)) {
    aisrv_reply_error(s, req, XAI_PS_BAD_ARGUMENT, "engine %u: flash entry "
                      "%u: %s", e->index, index, NO_IMAGE);
    return;
  }
  xai_flash_reader reader = aisrv_flash_slot_reader(s, slot);
  xai_flash_image img;
  xai_flash_entry entry;
  if (xai_flash_image_open(&img, &reader, &s->err) != XAI_OK ||
      xai_flash_image_entry(&img, index, &entry, &s->err) != XAI_OK) {
    aisrv_reply_error(s, req, XAI_PS_BAD_ARGUMENT,
                      "engine %u: flash entry %u: %s", e->index, index,
                      s->err.message);
    return;
  }
  if (!(entry.flags & XAI_FLASH_HAS_MODEL)) {
    aisrv_reply_error(s, req, XAI_PS_BAD_ARGUMENT,
                      "engine %u: flash entry %u has no model", e->index, index);
    return;
  }
  if (entry.model_bytes >= s->cfg.staging.bytes) {
    aisrv_reply_error(s, req, XAI_PS_TOO_LARGE,
                      "engine %u: flash entry %u's model of %u bytes is larger "
                      "than the %zu-byte staging area",
                      e->index, index, entry.model_bytes, s->cfg.staging.bytes);
    return;
  }
  aisrv_params_forget(s, "SET_MODEL from flash reuses the staging area");
  if (xai_flash_read_model(&img, index, 0, s->cfg.staging.base,
                           entry.model_bytes, &s->err) != XAI_OK) {
    aisrv_reply_error(s, req, XAI_PS_BAD_ARGUMENT,
                      "engine %u: flash entry %u: %s", e->index, index,
                      s->err.message);
    return;
  }
  uint32_t crc = xai_crc32(0, s->cfg.staging.base, entry.model_bytes);
  if (crc != entry.model_crc) {
    aisrv_reply_error(s, req, XAI_PS_MODEL_ERROR,
                      "engine %u: flash entry %u's model fails its CRC "
                      "(0x%08x, directory says 0x%08x); reprogram the flash",
                      e->index, index, crc, entry.model_crc);
    return;
  }
  /* The params stay in flash and the load ops stream them from there;
   * their CRC is checked once here, so a damaged blob is refused before
   * it could give wrong outputs. */
  if ((entry.flags & XAI_FLASH_HAS_PARAMS) &&
      xai_flash_image_verify_entry(&img, index, &s->err) != XAI_OK) {
    aisrv_reply_error(s, req, XAI_PS_MODEL_ERROR, "engine %u: %s", e->index,
                      s->err.message);
    return;
  }
  aisrv_log(s, "engine %u: model of %u bytes read from flash entry %u "
            "(image generation %u)", e->index, entry.model_bytes, index, gen);
  aisrv_params_in params;
  memset(&params, 0, sizeof params);
  if (entry.flags & XAI_FLASH_HAS_PARAMS) {
    params.place = XAI_PLACE_FLASH;
    params.bytes = entry.params_bytes;
    params.entry = index;
    params.image = img;
  }
  aisrv_engine_commit(s, e, req, s->cfg.staging.base, entry.model_bytes,
                      (req->arg & XAI_SET_MODEL_FLASH_TO_LPDDR)
                          ? AISRV_IN_LPDDR : AISRV_IN_AUTO,
                      &params);
}
