/* Weights loaded in slices (docs/weights.md, "Slices"): with a params file,
 * every weight tensor is streamed into the arena right before its op, so
 * one op with large weights (MobileNetV2's 1280x1000 FULLY_CONNECTED, the
 * 256x256 convs at the end of person_detect) sets the arena on its own.
 * This pass, run before lowering, splits such a CONV_2D or FULLY_CONNECTED
 * by output channels into ops that each need at most a budget of weights,
 * followed by a CONCATENATION on the channel axis that puts the outputs
 * back together. Each output channel is computed from its own filter row,
 * bias and scale only, so the slices give exactly the unsplit op's bits.
 * The prefetch pass later loads slice k+1 while slice k computes when the
 * arena has room for both (double buffering).
 *
 * The budget: --xcore-weight-load-budget BYTES, or by default what the op
 * can load without raising the arena above the activations' own peak: the
 * peak of live activation bytes minus what is live at the op and the extra
 * copy of its output the concatenation needs, halved so two slices fit
 * (loads of 32 KiB or less are left whole, and slices are 16 KiB or more);
 * with --xcore-arena-budget below that peak, the budget instead. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xformer_internal.h"

#define GROUP 16u        /* output channels per VPU group: slice unit */
#define MAX_SLICES 15u   /* XAI_concat takes up to 15 inputs */
#define BLOB_PER_CHANNEL 32u /* packed bias + requant bytes per channel */
/* The automatic budget leaves loads below this alone and never cuts below
 * it: smaller slices would cost more in op overhead than they save. */
#define AUTO_MIN_LOAD (16u * 1024u)

static size_t align16(size_t v) { return (v + 15u) & ~(size_t)15u; }

static bool is_activation(xf_ctx *x, int32_t t) {
  const xai_tensor *tt = xf_tensor(x, t);
  size_t size = 0;
  return tt && !tt->is_variable && !xf_const_data(x, t, &size);
}

static size_t tensor_bytes(const xai_tensor *t) {
  size_t n = xai_tensor_type_size(t->type);
  for (uint32_t i = 0; i < t->rank; i++)
    n *= t->shape[i] > 0 ? (size_t)t->shape[i] : 1u;
  return n;
}

/* Live activation bytes at each op in model order (16-byte rounded, as the
 * planner counts them): the lower bound of any plan of this order. */
static xai_status live_bytes(xf_ctx *x, size_t *live, xai_error *err) {
  const xai_subgraph *sg = &x->m->subgraphs[0];
  uint32_t no = sg->operator_count, nt = sg->tensor_count;
  int64_t *first = malloc((nt ? nt : 1) * sizeof *first);
  int64_t *last = malloc((nt ? nt : 1) * sizeof *last);
  if (!first || !last) {
    free(first);
    free(last);
    return xai_fail(err, XAI_ERR_NO_MEMORY, "weight slices: out of memory");
  }
  for (uint32_t t = 0; t < nt; t++) first[t] = last[t] = -1;
  for (uint32_t i = 0; i < sg->input_count; i++)
    if (sg->inputs[i] >= 0) first[sg->inputs[i]] = 0;
  for (uint32_t i = 0; i < no; i++) {
    const xai_operator *o = &sg->operators[i];
    for (uint32_t k = 0; k < o->output_count; k++)
      if (o->outputs[k] >= 0 && first[o->outputs[k]] < 0)
        first[o->outputs[k]] = last[o->outputs[k]] = i;
    for (uint32_t k = 0; k < o->input_count; k++) {
      int32_t t = o->inputs[k];
      if (t < 0) continue;
      if (first[t] < 0) first[t] = 0;
      last[t] = i;
    }
  }
  for (uint32_t i = 0; i < sg->output_count; i++)
    if (sg->outputs[i] >= 0) last[sg->outputs[i]] = no ? no - 1 : 0;
  memset(live, 0, (no ? no : 1) * sizeof *live);
  for (uint32_t t = 0; t < nt; t++) {
    if (first[t] < 0 || !is_activation(x, (int32_t)t)) continue;
    size_t b = align16(tensor_bytes(&sg->tensors[t]));
    for (int64_t s = first[t]; s <= last[t] && s < no; s++) live[s] += b;
  }
  free(first);
  free(last);
  return XAI_OK;
}

/* The op's output-channel count and weight bytes if it is a CONV_2D or
 * FULLY_CONNECTED this pass can slice: int8 in and out, int8 constant
 * filter with channels first, int32 constant bias or none. */
static bool sliceable(xf_ctx *x, uint32_t op, uint32_t *channels,
                      size_t *weight_bytes) {
  const xai_operator *o = xf_op(x, op);
  int32_t code = xf_op_builtin(x, op);
  if ((code != XAI_OP_CONV_2D && code != XAI_OP_FULLY_CONNECTED) ||
      o->input_count < 2 || o->output_count != 1)
    return false;
  const xai_tensor *in = xf_tensor(x, o->inputs[0]);
  const xai_tensor *f = xf_tensor(x, o->inputs[1]);
  const xai_tensor *b = o->input_count > 2 ? xf_tensor(x, o->inputs[2]) : NULL;
  const xai_tensor *out = xf_tensor(x, o->outputs[0]);
  size_t size = 0;
  if (!in || !f || !out || in->type != XAI_TYPE_INT8 ||
      out->type != XAI_TYPE_INT8 || f->type != XAI_TYPE_INT8 ||
      f->rank < 2 || out->rank < 1 || !xf_const_data(x, o->inputs[1], &size) ||
      size != tensor_bytes(f) || f->shape[0] != out->shape[out->rank - 1] ||
      f->quant.quantized_dimension != 0)
    return false;
  if (b && (b->type != XAI_TYPE_INT32 || b->rank != 1 ||
            b->shape[0] != f->shape[0] ||
            !xf_const_data(x, o->inputs[2], &size)))
    return false;
  if (code == XAI_OP_FULLY_CONNECTED &&
      o->options.u.fully_connected.weights_format != 0)
    return false;
  *channels = (uint32_t)f->shape[0];
  *weight_bytes = tensor_bytes(f) + (size_t)*channels * BLOB_PER_CHANNEL;
  return true;
}

/* Copies quantization to tensor t, keeping channels [c0, c0 + n) when it
 * is per-channel over `channels`. */
static xai_status slice_quant(xf_ctx *x, int32_t t, const xai_quant *q,
                              uint32_t channels, uint32_t c0, uint32_t n) {
  if (!q->present || q->scale_count == 0) return XAI_OK;
  bool per = q->scale_count == channels && channels > 1;
  uint32_t count = per ? n : 1, from = per ? c0 : 0;
  float *scale = malloc(count * sizeof *scale);
  int64_t *zp = calloc(count, sizeof *zp);
  xai_status st = XAI_ERR_NO_MEMORY;
  if (scale && zp) {
    for (uint32_t i = 0; i < count; i++) {
      scale[i] = q->scale[from + i];
      if (q->zero_point_count == q->scale_count)
        zp[i] = q->zero_point[from + i];
      else if (q->zero_point_count > 0)
        zp[i] = q->zero_point[0];
    }
    st = xai_model_set_quant(x->m, 0, (uint32_t)t, scale, zp, count,
                             q->quantized_dimension);
  }
  free(scale);
  free(zp);
  return st;
}

/* A constant tensor holding channels [c0, c0 + n) of constant `src`
 * (channels first), with its quantization sliced the same way. */
static int32_t slice_const(xf_ctx *x, int32_t src, uint32_t c0, uint32_t n,
                           const char *suffix) {
  const xai_tensor *s = xf_tensor(x, src);
  size_t size = 0;
  const uint8_t *data = xf_const_data(x, src, &size);
  uint32_t channels = (uint32_t)s->shape[0];
  size_t row = size / channels;
  int32_t shape[XAI_MAX_DIMS];
  memcpy(shape, s->shape, s->rank * sizeof *shape);
  shape[0] = (int32_t)n;
  char name[160];
  snprintf(name, sizeof name, "%.120s/%s%u", s->name ? s->name : "", suffix,
           c0);
  xai_quant q = s->quant; /* shallow: the arrays stay the source's */
  int8_t type = s->type;
  uint32_t rank = s->rank;
  int32_t t = xf_add_const(x, name, type, shape, rank, data + row * c0,
                           row * n);
  if (t < 0 || slice_quant(x, t, &q, channels, c0, n)) return -1;
  return t;
}

/* Replaces op by `slices` ops of `per` output channels (the last one
 * fewer) and a CONCATENATION of their outputs into the op's output. */
static xai_status split_op(xf_ctx *x, uint32_t op, uint32_t channels,
                           uint32_t per, uint32_t slices, xai_error *err) {
  xai_operator o = *xf_op(x, op); /* shallow; arrays stay valid until the
                                     op is removed at the end */
  int32_t outs[MAX_SLICES];
  for (uint32_t s = 0; s < slices; s++) {
    uint32_t c0 = s * per, n = channels - c0 < per ? channels - c0 : per;
    int32_t in[3];
    memcpy(in, o.inputs, o.input_count * sizeof *in);
    in[1] = slice_const(x, o.inputs[1], c0, n, "ch");
    if (in[1] < 0) return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
    if (o.input_count > 2 && o.inputs[2] >= 0) {
      in[2] = slice_const(x, o.inputs[2], c0, n, "ch");
      if (in[2] < 0) return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
    }
    const xai_tensor *to = xf_tensor(x, o.outputs[0]);
    int32_t shape[XAI_MAX_DIMS];
    memcpy(shape, to->shape, to->rank * sizeof *shape);
    shape[to->rank - 1] = (int32_t)n;
    char name[160];
    snprintf(name, sizeof name, "%.120s/ch%u", to->name ? to->name : "", c0);
    xai_quant q = to->quant;
    uint32_t rank = to->rank;
    int8_t type = to->type;
    outs[s] = xai_model_add_tensor(x->m, 0, name, type, shape, rank, 0);
    if (outs[s] < 0 || slice_quant(x, outs[s], &q, 1, 0, 1))
      return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
    if (xai_model_add_operator(x->m, 0, (int32_t)(op + s), o.opcode_index, in,
                               o.input_count, &outs[s], 1, &o.options, NULL,
                               0) < 0)
      return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  }
  xai_options co;
  memset(&co, 0, sizeof co);
  co.type = XAI_OPTS_CONCATENATION;
  co.u.concatenation.axis = (int32_t)xf_tensor(x, o.outputs[0])->rank - 1;
  int32_t cat = xai_model_opcode(x->m, XAI_OP_CONCATENATION, NULL, 1);
  if (cat < 0 || xai_model_add_operator(x->m, 0, (int32_t)(op + slices),
                                        (uint32_t)cat, outs, slices,
                                        o.outputs, 1, &co, NULL, 0) < 0)
    return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  return xai_model_remove_operator(x->m, 0, op + slices + 1);
}

xai_status xf_slice_weights(xf_ctx *x, xai_error *err) {
  if (!x->opt->params_file || x->m->subgraph_count < 1) return XAI_OK;
  xai_subgraph *sg = &x->m->subgraphs[0];
  uint32_t no = sg->operator_count;
  size_t *live = malloc((no ? no : 1) * sizeof *live);
  if (!live) return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  xai_status st = live_bytes(x, live, err);
  size_t peak = 0;
  for (uint32_t i = 0; i < no; i++)
    if (live[i] > peak) peak = live[i];
  /* An arena budget below the activations' peak: loads fit under it. */
  if (x->opt->arena_budget && x->opt->arena_budget < peak)
    peak = x->opt->arena_budget;
  /* Backwards, so the indices of ops still to visit do not move. */
  for (uint32_t i = no; !st && i-- > 0;) {
    uint32_t channels = 0;
    size_t weights = 0;
    if (!sliceable(x, i, &channels, &weights) ||
        weights <= x->opt->load_externally_if_larger)
      continue;
    const xai_tensor *out = xf_tensor(x, xf_op(x, i)->outputs[0]);
    size_t out_bytes = align16(tensor_bytes(out));
    size_t budget = x->opt->weight_load_budget;
    if (!budget) {
      if (peak >= live[i] + weights || weights <= 2 * AUTO_MIN_LOAD)
        continue; /* fits under the peak, or too small to matter */
      size_t room = peak > live[i] + out_bytes ? peak - live[i] - out_bytes
                                               : 0;
      budget = room / 2 > AUTO_MIN_LOAD ? room / 2 : AUTO_MIN_LOAD;
    }
    if (weights <= budget) continue;
    size_t per_channel = weights / channels;
    uint32_t per = per_channel ? (uint32_t)(budget / per_channel) : channels;
    per = per / GROUP * GROUP;
    if (per < GROUP) per = GROUP;
    uint32_t slices = (channels + per - 1) / per;
    if (slices > MAX_SLICES) {
      slices = MAX_SLICES;
      per = ((channels + slices - 1) / slices + GROUP - 1) / GROUP * GROUP;
      slices = (channels + per - 1) / per;
    }
    if (slices < 2) continue;
    st = split_op(x, i, channels, per, slices, err);
    if (!st)
      xf_keep(x, i, "weights loaded in %u slices of %u output channels "
              "(%zu bytes each at most; budget %zu)", slices, per,
              (size_t)per * per_channel, budget);
    x->weights_sliced_ops += !st;
  }
  free(live);
  return st;
}

/* For the channel split over tiles (tile_split.c). */
bool xf_sliceable(xf_ctx *x, uint32_t op, uint32_t *channels,
                  size_t *weight_bytes) {
  return sliceable(x, op, channels, weight_bytes);
}

xai_status xf_split_output_channels(xf_ctx *x, uint32_t op, uint32_t channels,
                                    uint32_t per, uint32_t slices,
                                    xai_error *err) {
  return split_op(x, op, channels, per, slices, err);
}
