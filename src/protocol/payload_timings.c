/* GET_TIMINGS reply payload: ticks and op name per layer
 * (docs/protocol.md, "GET_TIMINGS"). */
#include "le_internal.h"
#include "payload_util_internal.h"

#define TIMINGS_HEADER_BYTES 4u
#define LAYER_FIXED_BYTES 9u /* ticks (8) + name length (1) */

static size_t layer_size(const xai_proto_layer_timing *l) {
  return xai_pad4(LAYER_FIXED_BYTES + xai_wire_name_len(l->op));
}

size_t xai_timings_encoded_size(const xai_proto_layer_timing *layers,
                                uint32_t count) {
  size_t n = TIMINGS_HEADER_BYTES;
  for (uint32_t i = 0; i < count; i++) n += layer_size(&layers[i]);
  return n;
}

xai_status xai_timings_encode(const xai_proto_layer_timing *layers,
                              uint32_t count, uint8_t *out, size_t cap,
                              size_t *written, xai_error *err) {
  size_t need = xai_timings_encoded_size(layers, count);
  xai_status st =
      xai_payload_room("GET_TIMINGS payload", need, cap, written, err);
  if (st) return st;
  memset(out, 0, need);
  xai_put32(out, count);
  uint8_t *p = out + TIMINGS_HEADER_BYTES;
  for (uint32_t i = 0; i < count; i++) {
    xai_put64(p, layers[i].ticks);
    xai_wire_name_put(p + 8, layers[i].op);
    p += layer_size(&layers[i]);
  }
  if (written) *written = need;
  return XAI_OK;
}

xai_status xai_timings_decode(const uint8_t *p, size_t n,
                              xai_proto_layer_timing *layers,
                              uint32_t max_layers, uint32_t *count,
                              xai_error *err) {
  *count = 0;
  xai_status st = xai_payload_header("GET_TIMINGS reply", n,
                                     TIMINGS_HEADER_BYTES, err);
  if (st) return st;
  uint32_t layers_in = xai_le32(p);
  /* Each layer takes at least 12 bytes: reject a count the payload cannot
   * hold before trusting it for anything. */
  if (layers_in > (n - TIMINGS_HEADER_BYTES) / xai_pad4(LAYER_FIXED_BYTES))
    return xai_fail(err, XAI_ERR_FORMAT,
                    "GET_TIMINGS reply: claims %u layers in %zu bytes",
                    layers_in, n);
  if (layers_in > max_layers) {
    *count = layers_in;
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "GET_TIMINGS reply has %u layers, room for %u", layers_in,
                    max_layers);
  }
  size_t at = TIMINGS_HEADER_BYTES;
  for (uint32_t i = 0; i < layers_in; i++) {
    if (n - at < LAYER_FIXED_BYTES)
      return xai_fail(err, XAI_ERR_FORMAT,
                      "GET_TIMINGS reply: layer %u truncated at byte %zu", i,
                      at);
    const uint8_t *q = p + at;
    size_t size = 0;
    st = xai_wire_name_get(q, 8, n - at, layers[i].op, &size,
                           "GET_TIMINGS reply: layer", i, "op name", at, err);
    if (st) return st;
    layers[i].ticks = xai_le64(q);
    at += size;
  }
  st = xai_payload_all_used("GET_TIMINGS reply", at, n, "layer", err);
  if (st) return st;
  *count = layers_in;
  return XAI_OK;
}
