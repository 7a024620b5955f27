/* xcore FULLY_CONNECTED int8: VLMACCR over 32 inputs into 16 outputs per
 * group; the input zero point is folded into the bias at pack time. */
#include <string.h>

#include "requant_internal.h"
#include "xai/kernels_xcore/fc.h"
#include "xai/xcore_machine.h"

static int fc_dims_ok(const xai_fc_dims *d) {
  return d && d->batches > 0 && d->input_depth > 0 && d->output_depth > 0;
}

static size_t fc_weight_bytes(const xai_fc_dims *d) {
  return xai_xc_mac_weight_bytes(d->output_depth,
                                 (d->input_depth + 31) / 32 * 32);
}

size_t xai_fc_s8_xcore_packed_size(const xai_fc_dims *d) {
  if (!fc_dims_ok(d)) return 0;
  return xai_xc_layout_max_size(fc_weight_bytes(d),
                                (d->output_depth + 15) / 16);
}

/* Fields that follow from the dims (shared by pack and bind). */
static void derive(xai_fc_xcore *op) {
  op->k_pad = (op->d.input_depth + 31) / 32 * 32;
  op->n_groups = (op->d.output_depth + 15) / 16;
}

static void set_pointers(xai_fc_xcore *op, const xai_xc_layout *l) {
  op->weights = l->weights;
  op->bias = l->bias;
  op->rq = l->rq;
  op->consts = l->consts;
}

xai_status xai_fc_s8_xcore_bind(xai_fc_xcore *op, const void *mem,
                                size_t mem_size) {
  if (!op || !fc_dims_ok(&op->d)) return XAI_ERR_ARGUMENT;
  derive(op);
  xai_xc_layout l = {0};
  xai_status st = mem ? xai_xc_layout_bind(mem, mem_size, fc_weight_bytes(&op->d),
                                     op->n_groups, &l)
                      : XAI_OK;
  if (st != XAI_OK) return st;
  set_pointers(op, &l);
  return XAI_OK;
}

xai_status xai_fc_s8_xcore_placeholder(const xai_fc_xcore *op, void *mem,
                                       size_t mem_size) {
  if (!op || !fc_dims_ok(&op->d)) return XAI_ERR_ARGUMENT;
  return xai_xc_layout_placeholder(mem, mem_size, fc_weight_bytes(&op->d),
                                   (op->d.output_depth + 15) / 16);
}

xai_status xai_fc_s8_xcore_pack(const xai_fc_params *p,
                                const xai_per_channel_quant *q,
                                const xai_fc_dims *d, const int8_t *weights,
                                const int32_t *bias, void *mem,
                                size_t mem_size, xai_fc_xcore *op,
                                xai_error *err) {
  if (!p || !q || !q->multiplier || !q->shift || !weights || !mem || !op ||
      !fc_dims_ok(d))
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "xcore FULLY_CONNECTED pack: missing params, weights, "
                    "memory or dims");
  if (p->filter_offset != 0)
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "xcore FULLY_CONNECTED pack: weights zero point %d; only "
                    "symmetric int8 weights are supported",
                    (int)-p->filter_offset);
  if (((uintptr_t)mem & (XAI_XCORE_VPU_ALIGN - 1u)) != 0 ||
      mem_size < xai_fc_s8_xcore_packed_size(d))
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "xcore FULLY_CONNECTED pack: need %zu bytes, 4-byte "
                    "aligned",
                    xai_fc_s8_xcore_packed_size(d));
  memset(op, 0, sizeof *op);
  op->p = *p;
  op->d = *d;
  derive(op);
  xai_xc_layout l;
  xai_xc_layout_carve(mem, fc_weight_bytes(d), op->n_groups, &l);
  l.rq_compact = xai_xc_rq_compact_for((size_t)d->batches);
  for (int32_t o = 0; o < d->output_depth; o++)
    xai_xc_pack_row(l.weights, op->k_pad, d->output_depth, o,
                    weights + (size_t)o * (size_t)d->input_depth,
                    d->input_depth);
  xai_status st = xai_xc_pack_channels(
      &l, d->output_depth, 1, weights, (size_t)d->input_depth,
      (size_t)d->input_depth, 1, bias, -p->input_offset, q, p->output_offset,
      p->act_min, p->act_max, p->single_rounding, "xcore FULLY_CONNECTED", err);
  if (st != XAI_OK) return st;
  set_pointers(op, &l);
  return XAI_OK;
}

/* Rows are read in place (bytes past a row's end in its last chunk meet
 * zero weights; the chunk that would pass the end of the input is staged
 * in the stack frame, xai_xc_frame). Only a row that starts off a word
 * boundary (batches > 1 and k % 4 != 0) must be copied: into a zero-tailed
 * arena buffer when several groups would each repeat the copy, else chunk
 * by chunk through the frame's stage vector. */
static int needs_row_copy(const xai_fc_xcore *op) {
  return op->d.batches > 1 && op->d.input_depth % 4 != 0 && op->n_groups > 1;
}

size_t xai_fc_s8_xcore_scratch_size(const xai_fc_xcore *op) {
  return needs_row_copy(op) ? (size_t)op->k_pad : 0u;
}

xai_status xai_fc_s8_xcore(xai_vpu_ctx *ctx, const xai_fc_xcore *op,
                           const int8_t *in, int8_t *out, int32_t group_begin,
                           int32_t group_end, void *scratch,
                           size_t scratch_size) {
  if (!ctx || !op || !in || !out || group_begin < 0 ||
      group_end > op->n_groups || group_begin > group_end ||
      ((uintptr_t)scratch & 3u) ||
      scratch_size < xai_fc_s8_xcore_scratch_size(op) ||
      (scratch_size && !scratch))
    return XAI_ERR_ARGUMENT;
  const int32_t k = op->d.input_depth, o_depth = op->d.output_depth;
  const int32_t n_chunks = op->k_pad / 32;
  const int32_t tail = k - 32 * (n_chunks - 1); /* bytes in the last chunk */
  xai_xc_frame frame;
  int8_t *stage = (int8_t *)frame.stage;
  int8_t *row = (int8_t *)scratch;
  const int have_row = scratch_size >= (size_t)op->k_pad;
  memset(stage, 0, 32);
  xai_vpu_scalar(ctx, 8);
  if (have_row) {
    memset(row + k, 0, (size_t)(op->k_pad - k));
    xai_xc_charge_fill(ctx, (size_t)(op->k_pad - k));
  }
  xai_vpu_set_mode(ctx, XAI_VPU_MODE_INT8);
  const size_t group_bytes = (size_t)op->k_pad * 16u;
  for (int32_t b = 0; b < op->d.batches; b++) {
    const int8_t *x = in + (size_t)b * (size_t)k;
    xai_vpu_defer(ctx, 2); /* input address, alignment test */
    xai_vpu_branch(ctx);    /* batch loop */
    xai_vpu_mem(ctx, xai_vpu_spills(XAI_XC_PIXEL_LOOP_LIVE));
    const int aligned = ((uintptr_t)x & 3u) == 0;
    /* In place, the last chunk is read from the stage when it would pass
     * the end of the input. */
    int staged_last = 0;
    if (aligned && (size_t)(b + 1) * (size_t)k + (size_t)(32 - tail) >
                       (size_t)op->d.batches * (size_t)k) {
      staged_last = 1;
      memcpy(stage, x + 32 * (n_chunks - 1), (size_t)tail);
      xai_xc_charge_copy(ctx, (size_t)tail, tail % 4 == 0);
    } else if (!aligned && have_row) {
      memcpy(row, x, (size_t)k);
      xai_xc_charge_copy(ctx, (size_t)k, 0);
      x = row;
    }
    const int chunked = !aligned && !have_row;
    for (int32_t g = group_begin; g < group_end; g++) {
      const int8_t *wg = op->weights + (size_t)g * group_bytes;
      const int32_t rows = xai_xc_group_rows(o_depth, g);
      xai_xc_bias_init(ctx, op->bias, g);
      xai_vpu_defer(ctx, 1); /* weight and record addresses */
      xai_vpu_branch(ctx);    /* group loop */
      xai_vpu_mem(ctx, 1);    /* ldw: the group's record offset */
      for (int32_t j = 0; j < n_chunks; j++) {
        const int8_t *src = x + 32 * j;
        if (chunked) {
          /* Bytes past the row's end keep older values: zero weights. */
          int32_t n = j == n_chunks - 1 ? tail : 32;
          memcpy(stage, src, (size_t)n);
          xai_xc_charge_copy(ctx, (size_t)n, 0);
          src = stage;
        } else if (staged_last && j == n_chunks - 1) {
          src = stage;
        }
        xai_vpu_vldc(ctx, src);
        xai_xc_mac_rows(ctx, wg + (size_t)j * 32u * rows, rows);
        xai_vpu_branch(ctx); /* chunk loop */
      }
      int n = o_depth - 16 * g < 16 ? o_depth - 16 * g : 16;
      xai_rq_run(ctx, xai_xc_group(op->weights, op->bias, op->n_groups, g),
                 op->consts, out + (size_t)b * (size_t)o_depth + 16 * g, n,
                 frame.rq);
    }
    xai_vpu_flush(ctx);
  }
  return XAI_OK;
}
