/* GET_TILE_TIMINGS reply payload (docs/protocol.md 6.5): a header, one
 * entry per tile, one fixed-size entry per layer. Op names are not
 * repeated: GET_TIMINGS has them, in the same order. */
#include "le_internal.h"
#include "payload_util_internal.h"

#define HEADER_BYTES 8u /* layers (4), tiles (1), compute tile (1), 0 (2) */
#define TILE_BYTES 24u
#define LAYER_BYTES 32u

size_t xai_tile_timings_encoded_size(const xai_proto_tile_timings *t) {
  return HEADER_BYTES + (size_t)t->tiles * TILE_BYTES +
         (size_t)t->layer_count * LAYER_BYTES;
}

xai_status xai_tile_timings_encode(const xai_proto_tile_timings *t,
                                   uint8_t *out, size_t cap, size_t *written,
                                   xai_error *err) {
  if (t->tiles == 0 || t->tiles > XAI_PROTO_TILE_TIMINGS_MAX_TILES)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "GET_TILE_TIMINGS payload: %u tiles, 1..%u supported",
                    t->tiles, XAI_PROTO_TILE_TIMINGS_MAX_TILES);
  size_t need = xai_tile_timings_encoded_size(t);
  xai_status st =
      xai_payload_room("GET_TILE_TIMINGS payload", need, cap, written, err);
  if (st) return st;
  memset(out, 0, need);
  xai_put32(out, t->layer_count);
  out[4] = t->tiles;
  out[5] = t->compute_tile;
  uint8_t *p = out + HEADER_BYTES;
  for (uint32_t i = 0; i < t->tiles; i++, p += TILE_BYTES) {
    xai_put64(p, t->tile[i].compute_ticks);
    xai_put64(p + 8, t->tile[i].link_ticks);
    xai_put64(p + 16, t->tile[i].link_bytes);
  }
  for (uint32_t i = 0; i < t->layer_count; i++, p += LAYER_BYTES) {
    const xai_proto_layer_tile *l = &t->layers[i];
    xai_put64(p, l->ticks);
    xai_put64(p + 8, l->link_ticks);
    xai_put64(p + 16, l->link_wait_ticks);
    xai_put32(p + 24, l->link_bytes);
    p[28] = l->tile;
  }
  if (written) *written = need;
  return XAI_OK;
}

xai_status xai_tile_timings_decode(const uint8_t *p, size_t n,
                                   xai_proto_tile_timings *t,
                                   xai_proto_layer_tile *layers,
                                   uint32_t max_layers, xai_error *err) {
  memset(t, 0, sizeof *t);
  t->layers = layers;
  xai_status st =
      xai_payload_header("GET_TILE_TIMINGS reply", n, HEADER_BYTES, err);
  if (st) return st;
  uint32_t count = xai_le32(p);
  uint8_t tiles = p[4];
  if (tiles == 0 || tiles > XAI_PROTO_TILE_TIMINGS_MAX_TILES ||
      p[5] >= tiles)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "GET_TILE_TIMINGS reply: %u tiles, compute tile %u", tiles,
                    p[5]);
  size_t body = n - HEADER_BYTES;
  if (body < (size_t)tiles * TILE_BYTES ||
      (body - (size_t)tiles * TILE_BYTES) / LAYER_BYTES != count ||
      (body - (size_t)tiles * TILE_BYTES) % LAYER_BYTES)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "GET_TILE_TIMINGS reply: %zu bytes do not hold %u tiles "
                    "and %u layers", n, tiles, count);
  t->tiles = tiles;
  t->compute_tile = p[5];
  if (count > max_layers) {
    t->layer_count = count;
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "GET_TILE_TIMINGS reply has %u layers, room for %u",
                    count, max_layers);
  }
  const uint8_t *q = p + HEADER_BYTES;
  for (uint32_t i = 0; i < tiles; i++, q += TILE_BYTES) {
    t->tile[i].compute_ticks = xai_le64(q);
    t->tile[i].link_ticks = xai_le64(q + 8);
    t->tile[i].link_bytes = xai_le64(q + 16);
  }
  for (uint32_t i = 0; i < count; i++, q += LAYER_BYTES) {
    if (q[28] >= tiles)
      return xai_fail(err, XAI_ERR_FORMAT,
                      "GET_TILE_TIMINGS reply: layer %u on tile %u of %u", i,
                      q[28], tiles);
    layers[i].ticks = xai_le64(q);
    layers[i].link_ticks = xai_le64(q + 8);
    layers[i].link_wait_ticks = xai_le64(q + 16);
    layers[i].link_bytes = xai_le32(q + 24);
    layers[i].tile = q[28];
  }
  t->layer_count = count;
  return XAI_OK;
}
