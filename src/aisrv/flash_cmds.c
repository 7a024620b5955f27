/* Flash commands: program the flash over the link (FLASH_WRITE), read it
 * back (FLASH_READ), and load a model from an entry of the flash image
 * (SET_MODEL memory 2). All access goes through the caller's callbacks. */
#include <string.h>

#include "aisrv_internal.h"
#include "xai/flash.h"

static xai_status flash_read(void *user, uint32_t offset, void *dst,
                             uint32_t n) {
  xai_aisrv *s = user;
  if (offset > s->cfg.flash.size || n > s->cfg.flash.size - offset)
    return xai_fail(&s->err, XAI_ERR_RANGE,
                    "flash read of %u bytes at 0x%x is past the %u-byte flash",
                    n, offset, s->cfg.flash.size);
  return s->cfg.flash.read(s->cfg.flash.user, offset, dst, n);
}

xai_status aisrv_flash_program_chunk(xai_aisrv *s, const xai_frame_header *h,
                                     const uint8_t *payload) {
  if (!h->length) return XAI_OK;
  uint32_t at = h->arg + h->offset;
  uint32_t end = at + h->length;
  if (end > s->flash_erased_end) {
    /* Sectors are erased the first time the transfer reaches them, so a
     * write never disturbs flash beyond what it covers. */
    uint32_t sector = XAI_FLASH_SECTOR_BYTES;
    uint32_t to = (uint32_t)(((uint64_t)end + sector - 1) / sector * sector);
    if (to > s->cfg.flash.size) to = s->cfg.flash.size;
    if (s->cfg.flash.erase(s->cfg.flash.user, s->flash_erased_end,
                           to - s->flash_erased_end) != XAI_OK)
      return xai_fail(&s->err, XAI_ERR_IO, "flash: erase of 0x%x..0x%x failed",
                      s->flash_erased_end, to);
    s->flash_erased_end = to;
  }
  if (s->cfg.flash.program(s->cfg.flash.user, at, payload, h->length) != XAI_OK)
    return xai_fail(&s->err, XAI_ERR_IO,
                    "flash: programming %u bytes at 0x%x failed", h->length, at);
  return XAI_OK;
}

xai_flash_reader aisrv_flash_reader(xai_aisrv *s) {
  xai_flash_reader r = {flash_read, s, s->cfg.flash.size};
  return r;
}

typedef struct {
  xai_aisrv *s;
  uint32_t base;
} flash_window;

static xai_status read_window(void *ctx, uint32_t offset, void *dst,
                              uint32_t n) {
  flash_window *w = ctx;
  return flash_read(w->s, w->base + offset, dst, n);
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
  if (req->arg > s->cfg.flash.size || n > s->cfg.flash.size - req->arg) {
    aisrv_reply_error(s, req, XAI_PS_BAD_ARGUMENT,
                      "FLASH_READ of %u bytes at 0x%x runs past the end of "
                      "the %u-byte flash", n, req->arg, s->cfg.flash.size);
    return;
  }
  flash_window w = {s, req->arg};
  aisrv_reply_stream(s, req, n, read_window, &w);
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
  xai_flash_reader reader = aisrv_flash_reader(s);
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
  aisrv_log(s, "engine %u: model of %u bytes read from flash entry %u",
            e->index, entry.model_bytes, index);
  /* The entry's params stay in flash: the load ops stream them from there
   * (their CRC is not read here: that would stream the whole blob; the
   * params header's hash ties them to the model). */
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
