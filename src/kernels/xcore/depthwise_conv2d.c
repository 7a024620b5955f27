/* xcore DEPTHWISE_CONV_2D int8: channel-vectorised, VLMACC multiplies 16
 * channels element-wise per tap. Input vectors are read in place when the
 * depth multiplier is 1 and the 32-byte read is aligned and inside the
 * tensor; otherwise (multiplier > 1: output channel oc reads input channel
 * oc / multiplier; odd channel counts; tails) the 16 lanes are gathered by
 * scalar code, charged per byte. Padded taps read the zero-point vector. */
#include <string.h>

#include "requant_internal.h"
#include "xai/kernels_xcore/conv.h"
#include "xai/xcore_machine.h"

static int dims_ok(const xai_dims4 *d) {
  return d && d->n > 0 && d->h > 0 && d->w > 0 && d->c > 0;
}

/* 16 bytes per group and tap: VLMACC reads 32 bytes but uses only the
 * first 16 (int8 mode), so tap t's weights at 16 t share their read with
 * tap t + 1's. The last tap's read takes 16 bytes of the bias region that
 * follows (never past the blob). */
static size_t dw_weight_bytes(const xai_dims4 *f) {
  return (size_t)((f->c + 15) / 16) * (size_t)f->h * (size_t)f->w * 16u;
}

size_t xai_dwconv2d_s8_xcore_packed_size(const xai_dims4 *in,
                                         const xai_dims4 *filter,
                                         const xai_dims4 *out) {
  if (!dims_ok(in) || !dims_ok(filter) || !dims_ok(out)) return 0;
  return xai_xc_layout_max_size(dw_weight_bytes(filter), (out->c + 15) / 16);
}

/* Fields that follow from the geometry (shared by pack and bind). */
static void derive(xai_conv_xcore *op) {
  op->k = op->filter.h * op->filter.w;
  op->k_pad = 0;
  op->n_groups = (op->out.c + 15) / 16;
  op->direct = 0;
  op->depth_multiplier = op->out.c / op->in.c;
  op->patch_contiguous = 0;
}

/* Copies of the channels one vector holds (pack): 16 / C for a layer of
 * C <= 8 channels with depth multiplier 1, else 1. */
static int32_t replicas(const xai_conv_xcore *op) {
  return op->depth_multiplier == 1 && op->out.c <= 8 ? 16 / op->out.c : 1;
}

static int geometry_ok(const xai_dims4 *in, const xai_dims4 *filter,
                       const xai_dims4 *out, const xai_conv_params *p) {
  return dims_ok(in) && dims_ok(filter) && dims_ok(out) && filter->n == 1 &&
         filter->c == out->c && out->c % in->c == 0 && in->n == out->n &&
         p->stride_h >= 1 && p->stride_w >= 1 && p->dilation_h >= 1 &&
         p->dilation_w >= 1;
}

static void set_pointers(xai_conv_xcore *op, const xai_xc_layout *l) {
  op->weights = l->weights;
  op->bias = l->bias;
  op->rq = l->rq;
  op->consts = l->consts;
}

xai_status xai_dwconv2d_s8_xcore_bind(xai_conv_xcore *op, const void *mem,
                                      size_t mem_size) {
  if (!op || !geometry_ok(&op->in, &op->filter, &op->out, &op->p))
    return XAI_ERR_ARGUMENT;
  derive(op);
  xai_xc_layout l = {0};
  xai_status st = mem ? xai_xc_layout_bind(mem, mem_size,
                                     dw_weight_bytes(&op->filter),
                                     op->n_groups, &l)
                      : XAI_OK;
  if (st != XAI_OK) return st;
  set_pointers(op, &l);
  return XAI_OK;
}

xai_status xai_dwconv2d_s8_xcore_placeholder(const xai_conv_xcore *op,
                                             void *mem, size_t mem_size) {
  if (!op || !geometry_ok(&op->in, &op->filter, &op->out, &op->p))
    return XAI_ERR_ARGUMENT;
  return xai_xc_layout_placeholder(mem, mem_size,
                                   dw_weight_bytes(&op->filter),
                                   (op->out.c + 15) / 16);
}

xai_status xai_dwconv2d_s8_xcore_pack(const xai_conv_params *p,
                                      const xai_per_channel_quant *q,
                                      const xai_dims4 *in,
                                      const xai_dims4 *filter,
                                      const int8_t *filter_data,
                                      const int32_t *bias,
                                      const xai_dims4 *out, void *mem,
                                      size_t mem_size, xai_conv_xcore *op,
                                      xai_error *err) {
  if (!p || !q || !q->multiplier || !q->shift || !filter_data || !mem || !op)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "xcore DEPTHWISE_CONV_2D pack: missing params, "
                    "quantization, filter, memory or op");
  if (!geometry_ok(in, filter, out, p))
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "xcore DEPTHWISE_CONV_2D pack: inconsistent shapes, "
                    "strides or dilations");
  if (((uintptr_t)mem & (XAI_XCORE_VPU_ALIGN - 1u)) != 0 ||
      mem_size < xai_dwconv2d_s8_xcore_packed_size(in, filter, out))
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "xcore DEPTHWISE_CONV_2D pack: need %zu bytes, 4-byte "
                    "aligned",
                    xai_dwconv2d_s8_xcore_packed_size(in, filter, out));
  memset(op, 0, sizeof *op);
  op->p = *p;
  op->in = *in;
  op->filter = *filter;
  op->out = *out;
  derive(op);
  xai_xc_layout l;
  xai_xc_layout_carve(mem, dw_weight_bytes(filter), op->n_groups, &l);
  l.rq_compact = xai_xc_rq_compact_for((size_t)out->n * (size_t)out->h *
                                       (size_t)out->w);
  const int32_t C = out->c, reps = replicas(op);
  for (int32_t t = 0; t < op->k; t++) {
    if (reps > 1) {
      for (int32_t lane = 0; lane < reps * C; lane++)
        l.weights[(size_t)t * 16u + (size_t)lane] =
            filter_data[(size_t)t * C + lane % C];
      continue;
    }
    for (int32_t oc = 0; oc < C; oc++)
      l.weights[((size_t)(oc / 16) * (size_t)op->k + (size_t)t) * 16u +
                (size_t)(oc % 16)] = filter_data[(size_t)t * C + oc];
  }
  xai_status st = xai_xc_pack_channels(
      &l, out->c, reps, filter_data, 1, (size_t)op->k, (size_t)out->c, bias,
      -p->input_offset, q, p->output_offset, p->act_min, p->act_max, 0,
      "xcore DEPTHWISE_CONV_2D", err);
  if (st != XAI_OK) return st;
  set_pointers(op, &l);
  return XAI_OK;
}

/* Everything this kernel stages is fixed-size (requant slots, the
 * zero-point vector, one gathered input vector) and lives in its stack
 * frame (xai_xc_frame): no arena scratch. */
size_t xai_dwconv2d_s8_xcore_scratch_size(const xai_conv_xcore *op) {
  (void)op;
  return 0;
}

/* Whether every tap of the pixels [ox, ox + npix) of output row (b, oy)
 * can be read in place for every group: inside the input, word aligned,
 * and the 32-byte reads inside the tensor. The interior of a layer takes
 * this path; its per-tap address steps pair with the VLDC/VLMACC. */
static int interior(const xai_conv_xcore *op, const int8_t *in, int32_t b,
                    int32_t oy, int32_t ox, int32_t npix, size_t in_bytes) {
  const xai_conv_params *p = &op->p;
  const int32_t ic = op->in.c;
  if (op->depth_multiplier != 1 || ic % 4 != 0 || ((uintptr_t)in & 3u))
    return 0;
  int32_t iy0 = oy * p->stride_h - p->pad_h;
  int32_t iy1 = iy0 + (op->filter.h - 1) * p->dilation_h;
  int32_t ix0 = ox * p->stride_w - p->pad_w;
  int32_t ix1 = ix0 + (op->filter.w - 1) * p->dilation_w + (npix - 1);
  if (iy0 < 0 || iy1 >= op->in.h || ix0 < 0 || ix1 >= op->in.w) return 0;
  size_t last = (((size_t)b * op->in.h + (size_t)iy1) * op->in.w +
                 (size_t)(ix1 - (npix - 1))) * (size_t)ic +
                (size_t)(op->n_groups - 1) * 16u;
  return last + 32u <= in_bytes;
}

/* Taps of the tap loop computed per emulator step (host speed only; the
 * unrolled block has at most 9). */
#define XAI_DW_BATCH 9

/* Pixels per vector: a blob with replicated lanes computes adjacent
 * output pixels together when their taps are adjacent in the input
 * (stride 1 along x): lane l = pixel l / C, channel l % C. */
static int32_t dw_step(const xai_conv_xcore *op) {
  return op->consts && op->consts->replicas >= 2 && op->p.stride_w == 1 &&
                 op->depth_multiplier == 1 && op->n_groups == 1
             ? (int32_t)op->consts->replicas
             : 1;
}

int32_t xai_dwconv2d_s8_xcore_row_units(const xai_conv_xcore *op) {
  int32_t step = dw_step(op);
  return (op->out.w + step - 1) / step;
}

xai_status xai_dwconv2d_s8_xcore(xai_vpu_ctx *ctx, const xai_conv_xcore *op,
                                 const int8_t *in, int8_t *out,
                                 int32_t row_begin, int32_t row_end,
                                 void *scratch, size_t scratch_size) {
  int32_t rows = op ? op->out.n * op->out.h : 0;
  if (!op || row_begin < 0 || row_end > rows || row_begin > row_end)
    return XAI_ERR_ARGUMENT;
  int32_t nb = xai_dwconv2d_s8_xcore_row_units(op);
  return xai_dwconv2d_s8_xcore_units(ctx, op, in, out, row_begin * nb,
                                     row_end * nb, scratch, scratch_size);
}

xai_status xai_dwconv2d_s8_xcore_units(xai_vpu_ctx *ctx,
                                       const xai_conv_xcore *op,
                                       const int8_t *in, int8_t *out,
                                       int32_t u_begin, int32_t u_end,
                                       void *scratch, size_t scratch_size) {
  (void)scratch;
  (void)scratch_size;
  int64_t units = op ? (int64_t)op->out.n * op->out.h *
                           xai_dwconv2d_s8_xcore_row_units(op)
                     : 0;
  if (!ctx || !op || !in || !out || u_begin < 0 || u_end > units ||
      u_begin > u_end)
    return XAI_ERR_ARGUMENT;
  const xai_conv_params *p = &op->p;
  xai_xc_frame frame;
  void *s = frame.rq;
  int8_t *zpvec = (int8_t *)frame.zp;
  int8_t *stage = (int8_t *)frame.stage;
  memset(zpvec, (int8_t)(-p->input_offset), 32);
  memset(stage, 0, 32);
  xai_vpu_scalar(ctx, 16);
  xai_vpu_set_mode(ctx, XAI_VPU_MODE_INT8);
  const int32_t ic = op->in.c, oc = op->out.c, mult = op->depth_multiplier;
  const int32_t step = dw_step(op);
  const size_t in_bytes =
      (size_t)op->in.n * op->in.h * op->in.w * (size_t)ic;
  const int32_t nb = (op->out.w + step - 1) / step;
  /* A layer of one group (<= 16 channels) runs a generated pixel loop
   * without the group loop (XAI_XCORE_UNROLLED_CODE_BYTES): no group
   * branch, the one record's address is loop-invariant, one live value
   * (the group counter) fewer. */
  const unsigned live = op->n_groups == 1 ? XAI_XC_PIXEL_LOOP_LIVE - 1u
                                          : XAI_XC_PIXEL_LOOP_LIVE;
  _Alignas(32) int8_t taps[XAI_DW_BATCH][32]; /* host copies of gathers */
  for (int32_t row = u_begin / nb; (int64_t)row * nb < u_end; row++) {
    int32_t b = row / op->out.h, oy = row % op->out.h;
    int32_t ox_end = xai_xc_unit_ox_end(row, nb, step, op->out.w, u_end);
    for (int32_t ox = xai_xc_unit_ox_begin(row, nb, step, u_begin);
         ox < ox_end; ox += step) {
      int32_t npix = op->out.w - ox < step ? op->out.w - ox : step;
      int8_t *o = out + (((size_t)b * op->out.h + oy) * op->out.w + ox) *
                            (size_t)oc;
      int inner = interior(op, in, b, oy, ox, npix, in_bytes);
      xai_vpu_defer(ctx, 5); /* output address, interior test */
      xai_vpu_branch(ctx);    /* pixel loop */
      xai_vpu_mem(ctx, xai_vpu_spills(live));
      int32_t ix0 = ox * p->stride_w - p->pad_w;
      for (int32_t g = 0; g < op->n_groups; g++) {
        int lanes = step > 1 ? npix * oc
                    : oc - 16 * g < 16 ? oc - 16 * g
                                       : 16;
        xai_xc_bias_init(ctx, op->bias, g);
        xai_vpu_defer(ctx, 1); /* weight and record addresses */
        if (op->n_groups > 1) {
          xai_vpu_branch(ctx); /* group loop */
          xai_vpu_mem(ctx, 1); /* ldw: the group's record offset */
        }
        /* Interior pixels of filters up to 3x3 run a generated unrolled tap
         * block (XAI_XCORE_UNROLLED_CODE_BYTES); others loop per tap. */
        const int tap_loop = !inner || op->k > 9;
        /* The unrolled block runs as one emulator step (same counts); the
         * tap loop charges each instruction in its place and computes up to
         * XAI_DW_BATCH taps at a time (gathered lanes kept per tap). */
        const void *blk_c[XAI_DW_BATCH], *blk_w[XAI_DW_BATCH];
        unsigned blk = 0;
        int32_t t = 0;
        for (int32_t fy = 0; fy < op->filter.h; fy++) {
          int32_t iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
          for (int32_t fx = 0; fx < op->filter.w; fx++, t++) {
            int32_t ix = ix0 + fx * p->dilation_w;
            size_t pix = (((size_t)b * op->in.h + (size_t)iy) * op->in.w +
                          (size_t)ix) * (size_t)ic;
            const int8_t *src = zpvec;
            if (inner) {
              src = in + pix + (size_t)g * 16u;
            } else {
              xai_vpu_scalar(ctx, 2); /* bounds tests, tap address */
              int row_in = iy >= 0 && iy < op->in.h;
              int all_in = row_in && ix >= 0 && ix + npix - 1 < op->in.w;
              size_t off = pix + (size_t)g * 16u;
              if (all_in && mult == 1 && ((uintptr_t)(in + off) & 3u) == 0 &&
                  off + 32u <= in_bytes) {
                src = in + off;
              } else if (row_in && ix + npix - 1 >= 0 && ix < op->in.w) {
                /* Gather the lanes; padded pixels give the zero point. */
                for (int i = 0; i < lanes; i++) {
                  int32_t px = step > 1 ? i / oc : 0;
                  int32_t ch = step > 1 ? i % oc : 16 * g + i;
                  int32_t x = ix + px;
                  stage[i] = x >= 0 && x < op->in.w
                                 ? in[pix + (size_t)((int64_t)px * ic) +
                                      (size_t)(ch / mult)]
                                 : zpvec[0];
                }
                xai_xc_charge_copy(ctx, (size_t)lanes, 0);
                src = stage;
                if (tap_loop) {
                  memcpy(taps[blk], stage, 32);
                  src = taps[blk];
                }
              }
            }
            const int8_t *wt =
                op->weights + ((size_t)g * (size_t)op->k + (size_t)t) * 16u;
            blk_c[blk] = src;
            blk_w[blk++] = wt;
            if (!tap_loop) continue;
            xai_vpu_charge_vpu(ctx, 2); /* VLDC, VLMACC */
            xai_vpu_branch(ctx);
            if (blk == XAI_DW_BATCH) {
              xai_vpu_vlmacc8_sum(ctx, blk_c, blk_w, blk);
              blk = 0;
            }
          }
        }
        if (blk && tap_loop) xai_vpu_vlmacc8_sum(ctx, blk_c, blk_w, blk);
        if (blk && !tap_loop) xai_vpu_vlmacc8_pairs(ctx, blk_c, blk_w, blk);
        xai_rq_run(ctx, xai_xc_group(op->weights, op->bias, op->n_groups, g),
                   op->consts, o + 16 * g, lanes, s);
      }
      xai_vpu_flush(ctx);
    }
  }
  return XAI_OK;
}
