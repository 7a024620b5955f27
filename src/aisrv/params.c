/* Models with a params file (docs/weights.md, docs/device.md "Models with
 * a params file"): the params either stay in the device flash (an entry of
 * the flash image) or are streamed with SET_PARAMS into staging and placed
 * in SRAM or LPDDR next to the model. Either way the engine's interpreter
 * reads them through an xai_params_source whose bandwidth is the memory's. */
#include <string.h>

#include "aisrv_internal.h"
#include "xai/xcore_machine.h"

uint32_t aisrv_params_mbps(const xai_aisrv *s, uint8_t place) {
  switch (place) {
    case XAI_PLACE_FLASH:
      return s->cfg.flash_mbps ? s->cfg.flash_mbps
                               : XAI_XCORE_FLASH_BYTES_PER_S_DEFAULT / 1000000u;
    case XAI_PLACE_LPDDR:
      return s->cfg.lpddr_mbps ? s->cfg.lpddr_mbps
                               : XAI_XCORE_LPDDR_BYTES_PER_S / 1000000u;
    case XAI_PLACE_SRAM:
      return (uint32_t)(XAI_PARAMS_RAM_BYTES_PER_S / 1000000u);
    default:
      return 0;
  }
}

xai_status aisrv_params_source(xai_aisrv *s, const aisrv_params_in *in,
                               const uint8_t *base, xai_params_source *src,
                               xai_flash_image *image,
                               xai_params_flash_state *state) {
  uint64_t bps = (uint64_t)aisrv_params_mbps(s, in->place) * 1000000u;
  if (in->place == XAI_PLACE_FLASH) {
    *image = in->image;
    return xai_params_flash(src, state, image, in->entry, bps, &s->err);
  }
  *src = xai_params_memory(base, in->bytes,
                           in->place == XAI_PLACE_LPDDR ? XAI_PARAMS_LPDDR
                                                        : XAI_PARAMS_RAM);
  src->bytes_per_s = bps;
  return XAI_OK;
}

void aisrv_params_forget(xai_aisrv *s, const char *why) {
  if (!s->pending.valid) return;
  aisrv_log(s, "engine %u: params of %u bytes from SET_PARAMS dropped: %s",
            s->pending.engine, s->pending.bytes, why);
  s->pending.valid = false;
}

bool aisrv_params_open(xai_aisrv *s, aisrv_engine *e,
                       const xai_frame_header *h) {
  uint32_t mem = h->arg;
  if (mem != XAI_MODEL_TO_SRAM && mem != XAI_MODEL_TO_LPDDR) {
    aisrv_reply_error(s, h, XAI_PS_BAD_ARGUMENT,
                      "SET_PARAMS memory %u is not SRAM (0) or LPDDR (1); "
                      "params in flash come with their flash entry", mem);
    return false;
  }
  if (h->total < XAI_PARAMS_HEADER_BYTES) {
    aisrv_reply_error(s, h, XAI_PS_BAD_ARGUMENT,
                      "engine %u: params of %u bytes are shorter than the "
                      "%u-byte params header", e->index, h->total,
                      XAI_PARAMS_HEADER_BYTES);
    return false;
  }
  /* Params count against the memory they are placed in. */
  if (mem == XAI_MODEL_TO_SRAM && h->total > e->sram_bytes) {
    aisrv_reply_error(s, h, XAI_PS_NO_MEMORY,
                      "engine %u: params of %u bytes do not fit SRAM; tile %u "
                      "has %zu bytes available (%u minus %u for the "
                      "firmware); load them to LPDDR or keep them in flash",
                      e->index, h->total, e->index, e->sram_bytes,
                      s->cfg.sram_bytes_per_tile, s->cfg.firmware_bytes);
    return false;
  }
  if (mem == XAI_MODEL_TO_LPDDR && !e->lpddr) {
    aisrv_reply_error(s, h, XAI_PS_NO_MEMORY,
                      "engine %u: the device has no LPDDR for %u bytes of "
                      "params; keep them in flash", e->index, h->total);
    return false;
  }
  if (mem == XAI_MODEL_TO_LPDDR && h->total > e->lpddr_bytes) {
    aisrv_reply_error(s, h, XAI_PS_NO_MEMORY,
                      "engine %u: params of %u bytes do not fit the engine's "
                      "%zu bytes of LPDDR; keep them in flash",
                      e->index, h->total, e->lpddr_bytes);
    return false;
  }
  /* The model follows the params in staging: leave it room. */
  if (h->total >= s->cfg.staging.bytes / 2) {
    aisrv_reply_error(s, h, XAI_PS_TOO_LARGE,
                      "engine %u: params of %u bytes leave no room for the "
                      "model in the %zu-byte staging area (at most half of "
                      "it holds params)",
                      e->index, h->total, s->cfg.staging.bytes);
    return false;
  }
  aisrv_params_forget(s, "a new SET_PARAMS started");
  xai_chunk_reassembler_init(&s->rx, s->cfg.staging.base,
                             (uint32_t)s->cfg.staging.bytes);
  return true;
}

void aisrv_params_received(xai_aisrv *s, const xai_frame_header *h) {
  s->pending.valid = true;
  s->pending.engine = h->engine;
  s->pending.place =
      h->arg == XAI_MODEL_TO_LPDDR ? XAI_PLACE_LPDDR : XAI_PLACE_SRAM;
  s->pending.bytes = h->total;
  aisrv_log(s, "engine %u: params of %u bytes received for %s; send "
            "SET_MODEL with the params flag next",
            h->engine, h->total, xai_proto_place_name(s->pending.place));
  aisrv_reply(s, h, XAI_PS_OK, NULL, 0);
}
