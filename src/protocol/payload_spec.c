/* GET_SPEC reply payload: every input and output of an engine's model
 * (docs/protocol.md, "GET_SPEC"). */
#include "le_internal.h"
#include "payload_util_internal.h"

#define SPEC_HEADER_BYTES 8u
#define TENSOR_FIXED_BYTES 17u /* index..zero_point (16) + name length (1) */

static size_t tensor_size(const xai_proto_tensor_info *t) {
  size_t rank = t->rank <= XAI_PROTO_MAX_RANK ? t->rank : XAI_PROTO_MAX_RANK;
  return xai_pad4(TENSOR_FIXED_BYTES + 4 * rank + xai_wire_name_len(t->name));
}

size_t xai_spec_encoded_size(const xai_proto_spec *spec) {
  size_t n = SPEC_HEADER_BYTES;
  size_t count = (size_t)spec->input_count + spec->output_count;
  for (size_t i = 0; i < count; i++) n += tensor_size(&spec->tensors[i]);
  return n;
}

xai_status xai_spec_encode(const xai_proto_spec *spec, uint8_t *out,
                           size_t cap, size_t *written, xai_error *err) {
  if (written) *written = 0;
  size_t count = (size_t)spec->input_count + spec->output_count;
  for (size_t i = 0; i < count; i++)
    if (spec->tensors[i].rank > XAI_PROTO_MAX_RANK)
      return xai_fail(err, XAI_ERR_RANGE,
                      "GET_SPEC: tensor %zu ('%.*s') has rank %u, the "
                      "protocol carries at most %u dimensions",
                      i, (int)xai_wire_name_len(spec->tensors[i].name),
                      spec->tensors[i].name, spec->tensors[i].rank,
                      XAI_PROTO_MAX_RANK);
  size_t need = xai_spec_encoded_size(spec);
  xai_status st =
      xai_payload_room("GET_SPEC payload", need, cap, written, err);
  if (st) return st;
  memset(out, 0, need);
  xai_put32(out, spec->arena_bytes_used);
  xai_put16(out + 4, spec->input_count);
  xai_put16(out + 6, spec->output_count);
  uint8_t *p = out + SPEC_HEADER_BYTES;
  for (size_t i = 0; i < count; i++) {
    const xai_proto_tensor_info *t = &spec->tensors[i];
    xai_put16(p + 0, t->index);
    p[2] = t->dtype;
    p[3] = t->rank;
    xai_put32(p + 4, t->bytes);
    xai_putf32(p + 8, t->scale);
    xai_put32(p + 12, (uint32_t)t->zero_point);
    for (unsigned d = 0; d < t->rank; d++)
      xai_put32(p + 16 + 4 * d, (uint32_t)t->shape[d]);
    xai_wire_name_put(p + 16 + 4 * (size_t)t->rank, t->name);
    p += tensor_size(t);
  }
  if (written) *written = need;
  return XAI_OK;
}

xai_status xai_spec_decode(const uint8_t *p, size_t n, xai_proto_spec *spec,
                           xai_proto_tensor_info *tensors, size_t max_tensors,
                           xai_error *err) {
  memset(spec, 0, sizeof *spec);
  xai_status st = xai_payload_header("GET_SPEC reply", n, SPEC_HEADER_BYTES,
                                     err);
  if (st) return st;
  uint16_t inputs = xai_le16(p + 4), outputs = xai_le16(p + 6);
  size_t count = (size_t)inputs + outputs;
  if (count > max_tensors)
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "GET_SPEC reply lists %zu tensors, room for %zu", count,
                    max_tensors);
  size_t at = SPEC_HEADER_BYTES;
  for (size_t i = 0; i < count; i++) {
    xai_proto_tensor_info *t = &tensors[i];
    memset(t, 0, sizeof *t);
    if (n - at < TENSOR_FIXED_BYTES)
      return xai_fail(err, XAI_ERR_FORMAT,
                      "GET_SPEC reply: tensor %zu truncated at byte %zu", i,
                      at);
    const uint8_t *q = p + at;
    t->index = xai_le16(q);
    t->dtype = q[2];
    t->rank = q[3];
    if (t->rank > XAI_PROTO_MAX_RANK)
      return xai_fail(err, XAI_ERR_FORMAT,
                      "GET_SPEC reply: tensor %zu has rank %u (max %u)", i,
                      t->rank, XAI_PROTO_MAX_RANK);
    t->bytes = xai_le32(q + 4);
    t->scale = xai_lef32(q + 8);
    t->zero_point = (int32_t)xai_le32(q + 12);
    size_t name_at = 16 + 4 * (size_t)t->rank;
    if (n - at < name_at + 1)
      return xai_fail(err, XAI_ERR_FORMAT,
                      "GET_SPEC reply: tensor %zu shape truncated at byte %zu",
                      i, at);
    for (unsigned d = 0; d < t->rank; d++)
      t->shape[d] = (int32_t)xai_le32(q + 16 + 4 * d);
    size_t size = 0;
    st = xai_wire_name_get(q, name_at, n - at, t->name, &size,
                           "GET_SPEC reply: tensor", i, "name", at, err);
    if (st) return st;
    at += size;
  }
  st = xai_payload_all_used("GET_SPEC reply", at, n, "tensor", err);
  if (st) return st;
  spec->arena_bytes_used = xai_le32(p);
  spec->input_count = inputs;
  spec->output_count = outputs;
  spec->tensors = tensors;
  return XAI_OK;
}
