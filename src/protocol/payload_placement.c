/* SET_MODEL reply payload: where the model, its arena and its params went
 * (docs/protocol.md 6.4). */
#include "payload_util_internal.h"

xai_status xai_placement_encode(const xai_proto_placement *p, uint8_t *out,
                                size_t cap, size_t *written, xai_error *err) {
  xai_status st = xai_payload_room("SET_MODEL placement", XAI_PLACEMENT_BYTES,
                                   cap, written, err);
  if (st) return st;
  out[0] = p->model;
  out[1] = p->arena;
  out[2] = p->params;
  out[3] = p->tile;
  xai_put32(out + 4, p->model_bytes);
  xai_put32(out + 8, p->arena_bytes);
  xai_put32(out + 12, p->params_bytes);
  xai_put32(out + 16, p->flash_entry);
  xai_put32(out + 20, p->params_mbps);
  if (written) *written = XAI_PLACEMENT_BYTES;
  return XAI_OK;
}

xai_status xai_placement_decode(const uint8_t *p, size_t n,
                                xai_proto_placement *out, xai_error *err) {
  if (n < XAI_PLACEMENT_BYTES)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "SET_MODEL reply: %zu bytes of placement, expected at "
                    "least %u (does the firmware predate it?)",
                    n, XAI_PLACEMENT_BYTES);
  out->model = p[0];
  out->arena = p[1];
  out->params = p[2];
  out->tile = p[3];
  out->model_bytes = xai_le32(p + 4);
  out->arena_bytes = xai_le32(p + 8);
  out->params_bytes = xai_le32(p + 12);
  out->flash_entry = xai_le32(p + 16);
  out->params_mbps = xai_le32(p + 20);
  return XAI_OK;
}

const char *xai_proto_place_name(unsigned place) {
  switch (place) {
    case XAI_PLACE_NONE: return "none";
    case XAI_PLACE_SRAM: return "SRAM";
    case XAI_PLACE_LPDDR: return "LPDDR";
    case XAI_PLACE_FLASH: return "flash";
    case XAI_PLACE_TILES: return "tiles";
    default: return "unknown";
  }
}
