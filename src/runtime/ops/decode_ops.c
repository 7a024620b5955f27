/* TFLM_DECODE, TFLite Micro's custom op that expands compressed constant
 * tensors at run time (decode.cc; models from TFLM's compression tool,
 * tflite_micro/.../compression/compress.py). Inputs come in pairs
 * (encoded, ancillary), both constant, one output per pair. The ancillary
 * tensor starts with a 16-byte header: byte 0 the decode type, byte 1 its
 * version (1). Type 0, look-up table (decode_state_lut.cc): byte 4 the LUT
 * version (1), byte 5's low 3 bits the index width (1..7), byte 6 the
 * values per channel; the value table (the output's element type) follows
 * the header, one run per channel. The encoded tensor is an MSB-first bit
 * stream of indices. Channels are the output's quantization scales: along
 * axis 0, or interleaved when the axis is the last and there are several.
 * TFLM's Huffman (1) and pruning (2) types have no encoder in its tool
 * yet and are refused here. Everything is checked at prepare (TFLM checks
 * little): the stream and the tables hold what the output needs, every
 * index is within its channel's table. */
#include <stdbool.h>
#include <string.h>

#include "signal_ops_internal.h"

#define MAX_PAIRS 16

typedef struct {
  const uint8_t *indices;
  const uint8_t *table;   /* value table, element size bytes each */
  size_t count, channels, stride, elem;
  uint8_t width;
  bool interleaved;
} lut_decode;

typedef struct {
  uint32_t pairs;
  lut_decode lut[MAX_PAIRS];
} decode_data;

static size_t bytes_of(const xai_rt_tensor *t) {
  return xai_rt_tensor_elements(t) * xai_tensor_type_size(t->type);
}

static size_t index_at(const lut_decode *l, size_t k) {
  /* width <= 7: the index lies in two bytes at most */
  const size_t bit = k * l->width, byte = bit >> 3;
  const unsigned hi = l->indices[byte];
  const unsigned lo = (bit & 7) + l->width > 8 ? l->indices[byte + 1] : 0;
  const unsigned both = hi << 8 | lo;
  return (both >> (16 - (bit & 7) - l->width)) & ((1u << l->width) - 1);
}

static size_t channel_of(const lut_decode *l, size_t k) {
  return l->interleaved ? k % l->channels : k / (l->count / l->channels);
}

static xai_status setup_lut(xai_op_ctx *ctx, uint32_t pair,
                            const xai_rt_tensor *enc,
                            const xai_rt_tensor *anc,
                            const xai_rt_tensor *out, lut_decode *l) {
  const uint8_t *h = anc->data;
  const size_t anc_bytes = bytes_of(anc);
  if (h[4] != 1)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "pair %u: LUT version %u; TFLM decodes version 1",
                       pair, h[4]);
  static const int8_t types[] = {XAI_TYPE_BOOL,  XAI_TYPE_FLOAT32,
                                 XAI_TYPE_INT8,  XAI_TYPE_INT16,
                                 XAI_TYPE_INT32, XAI_TYPE_INT64};
  bool type_ok = false;
  for (size_t i = 0; i < sizeof types; i++) type_ok |= out->type == types[i];
  if (!type_ok)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "output %u is %s; TFLM's LUT decode writes BOOL, "
                       "FLOAT32, INT8, INT16, INT32 or INT64",
                       pair, xai_tensor_type_name(out->type));
  l->width = h[5] & 7;
  l->stride = h[6];
  l->elem = xai_tensor_type_size(out->type);
  l->count = xai_rt_tensor_elements(out);
  l->channels = out->quant_count ? out->quant_count : 1;
  if (out->quant_count) {
    if (out->quant_dim == (int)out->rank - 1 && l->channels > 1)
      l->interleaved = true;
    else if (out->quant_dim != 0)
      return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                         "output %u is quantized along axis %d; TFLM's LUT "
                         "decode takes axis 0 or the last",
                         pair, (int)out->quant_dim);
  }
  if (l->width == 0)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "pair %u: index width 0; TFLM's LUT takes 1..7 bits",
                       pair);
  if (l->count % l->channels)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "output %u: %zu values do not split into %zu "
                       "channels",
                       pair, l->count, l->channels);
  if (bytes_of(enc) * 8 < l->count * l->width)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input %u holds %zu bytes; %zu indices of %u bits "
                       "need %zu",
                       2 * pair, bytes_of(enc), l->count, l->width,
                       (l->count * l->width + 7) / 8);
  const size_t table_bytes = l->channels * l->stride * l->elem;
  if (anc_bytes < 16 + table_bytes)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "ancillary input %u holds %zu bytes; the header and "
                       "%zu channels of %zu values need %zu",
                       2 * pair + 1, anc_bytes, l->channels, l->stride,
                       16 + table_bytes);
  l->indices = enc->data;
  l->table = h + 16;
  for (size_t k = 0; k < l->count; k++) {
    const size_t ix = index_at(l, k);
    if (ix >= l->stride)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "pair %u: index %zu of value %zu is past the %zu "
                         "values of its channel",
                         pair, ix, k, l->stride);
  }
  /* bool tables must hold 0/1 so the output is a valid bool */
  if (out->type == XAI_TYPE_BOOL)
    for (size_t i = 0; i < table_bytes; i++)
      if (l->table[i] > 1)
        return xai_op_fail(ctx, XAI_ERR_FORMAT,
                           "pair %u: bool value table holds %u", pair,
                           l->table[i]);
  return XAI_OK;
}

static xai_status decode_prepare(xai_op_ctx *ctx) {
  const uint32_t outs = ctx->output_count;
  if (outs == 0 || ctx->input_count != 2 * outs)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "has %u inputs and %u outputs; TFLM's DECODE takes "
                       "two inputs (encoded, ancillary) per output",
                       ctx->input_count, outs);
  if (outs > MAX_PAIRS)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "decodes %u tensors in one op; xai takes up to %d",
                       outs, MAX_PAIRS);
  decode_data *d = xai_sig_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->pairs = outs;
  for (uint32_t p = 0; p < outs; p++) {
    const xai_rt_tensor *enc = xai_op_input(ctx, 2 * p);
    const xai_rt_tensor *anc = xai_op_input(ctx, 2 * p + 1);
    const xai_rt_tensor *out = xai_op_output(ctx, p);
    if (!enc || !anc || !out)
      return xai_op_fail(ctx, XAI_ERR_FORMAT, "pair %u has an absent tensor",
                         p);
    if (enc->mem != XAI_MEM_CONST || anc->mem != XAI_MEM_CONST)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "inputs %u and %u (encoded, ancillary) must be "
                         "constant",
                         2 * p, 2 * p + 1);
    if (bytes_of(anc) < 16)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "ancillary input %u holds %zu bytes; its header "
                         "alone is 16",
                         2 * p + 1, bytes_of(anc));
    const uint8_t *h = anc->data;
    if (h[1] != 1)
      return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                         "ancillary input %u has version %u; TFLM decodes "
                         "version 1",
                         2 * p + 1, h[1]);
    if (h[0] != 0)
      return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                         "pair %u has decode type %u (%s); xai decodes the "
                         "look-up table (0), which TFLM's compression tool "
                         "writes",
                         p, h[0],
                         h[0] == 1   ? "Huffman"
                         : h[0] == 2 ? "pruning"
                                     : "custom");
    xai_status st = setup_lut(ctx, p, enc, anc, out, &d->lut[p]);
    if (st) return st;
  }
  return XAI_OK;
}

static xai_status decode_eval(xai_op_ctx *ctx) {
  const decode_data *d = ctx->data;
  uint64_t values = 0;
  for (uint32_t p = 0; p < d->pairs; p++) {
    const lut_decode *l = &d->lut[p];
    uint8_t *out = xai_op_output(ctx, p)->data;
    for (size_t k = 0; k < l->count; k++) {
      const size_t c = channel_of(l, k);
      memcpy(out + k * l->elem,
             l->table + (c * l->stride + index_at(l, k)) * l->elem, l->elem);
    }
    values += l->count;
  }
  /* per value: bit extraction, table load, store */
  xai_sig_cost(ctx, 8 * values + 20);
  return XAI_OK;
}

const xai_op_registration xai_op_tflm_decode = {
    XAI_OP_CUSTOM, "TFLM_DECODE", decode_prepare, decode_eval, NULL};
