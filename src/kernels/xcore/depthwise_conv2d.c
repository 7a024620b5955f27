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

static size_t dw_weight_bytes(const xai_dims4 *f) {
  /* One 32-byte row per group and tap, plus 0: rows are full vectors. */
  return (size_t)((f->c + 15) / 16) * (size_t)f->h * (size_t)f->w * 32u;
}

size_t xai_dwconv2d_s8_xcore_packed_size(const xai_dims4 *in,
                                         const xai_dims4 *filter,
                                         const xai_dims4 *out) {
  if (!dims_ok(in) || !dims_ok(filter) || !dims_ok(out)) return 0;
  return xai_xc_layout_size(dw_weight_bytes(filter), (out->c + 15) / 16);
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

static int geometry_ok(const xai_dims4 *in, const xai_dims4 *filter,
                       const xai_dims4 *out, const xai_conv_params *p) {
  return dims_ok(in) && dims_ok(filter) && dims_ok(out) && filter->n == 1 &&
         filter->c == out->c && out->c % in->c == 0 && in->n == out->n &&
         p->stride_h >= 1 && p->stride_w >= 1 && p->dilation_h >= 1 &&
         p->dilation_w >= 1;
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
  op->weights = l.weights;
  op->bias = l.bias;
  op->rq = l.rq;
  op->consts = l.consts;
  return XAI_OK;
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
  for (int32_t t = 0; t < op->k; t++)
    for (int32_t oc = 0; oc < out->c; oc++)
      l.weights[((size_t)(oc / 16) * (size_t)op->k + (size_t)t) * 32u +
                (size_t)(oc % 16)] = filter_data[(size_t)t * out->c + oc];
  xai_status st = xai_xc_pack_channels(
      &l, out->c, filter_data, 1, (size_t)op->k, (size_t)out->c, bias,
      -p->input_offset, q, p->output_offset, p->act_min, p->act_max, 0,
      "xcore DEPTHWISE_CONV_2D", err);
  if (st != XAI_OK) return st;
  op->weights = l.weights;
  op->bias = l.bias;
  op->rq = l.rq;
  op->consts = l.consts;
  return XAI_OK;
}

/* Everything this kernel stages is fixed-size (requant slots, the
 * zero-point vector, one gathered input vector) and lives in its stack
 * frame (xai_xc_frame): no arena scratch. */
size_t xai_dwconv2d_s8_xcore_scratch_size(const xai_conv_xcore *op) {
  (void)op;
  return 0;
}

xai_status xai_dwconv2d_s8_xcore(xai_vpu_ctx *ctx, const xai_conv_xcore *op,
                                 const int8_t *in, int8_t *out,
                                 int32_t row_begin, int32_t row_end,
                                 void *scratch, size_t scratch_size) {
  (void)scratch;
  (void)scratch_size;
  int32_t rows = op ? op->out.n * op->out.h : 0;
  if (!ctx || !op || !in || !out || row_begin < 0 || row_end > rows ||
      row_begin > row_end)
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
  const size_t in_bytes =
      (size_t)op->in.n * op->in.h * op->in.w * (size_t)ic;
  for (int32_t row = row_begin; row < row_end; row++) {
    int32_t b = row / op->out.h, oy = row % op->out.h;
    for (int32_t ox = 0; ox < op->out.w; ox++) {
      int8_t *o = out + (((size_t)b * op->out.h + oy) * op->out.w + ox) *
                            (size_t)oc;
      xai_vpu_scalar(ctx, 4);
      for (int32_t g = 0; g < op->n_groups; g++) {
        int lanes = oc - 16 * g < 16 ? oc - 16 * g : 16;
        xai_xc_bias_init(ctx, op->bias, g);
        xai_vpu_scalar(ctx, 2);
        int32_t t = 0;
        for (int32_t fy = 0; fy < op->filter.h; fy++) {
          int32_t iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
          for (int32_t fx = 0; fx < op->filter.w; fx++, t++) {
            int32_t ix = ox * p->stride_w - p->pad_w + fx * p->dilation_w;
            const int8_t *src = zpvec;
            xai_vpu_scalar(ctx, 2); /* bounds test, tap address */
            if (iy >= 0 && iy < op->in.h && ix >= 0 && ix < op->in.w) {
              size_t pix = (((size_t)b * op->in.h + iy) * op->in.w + ix) *
                           (size_t)ic;
              size_t off = pix + (size_t)g * 16u;
              if (mult == 1 && ((uintptr_t)(in + off) & 3u) == 0 &&
                  off + 32u <= in_bytes) {
                src = in + off;
              } else {
                for (int i = 0; i < lanes; i++)
                  stage[i] = in[pix + (size_t)((16 * g + i) / mult)];
                xai_vpu_scalar(ctx, 2u * (uint64_t)lanes);
                src = stage;
              }
            }
            xai_vpu_vldc(ctx, src);
            xai_vpu_vlmacc(ctx,
                           op->weights +
                               ((size_t)g * (size_t)op->k + (size_t)t) * 32u);
          }
        }
        xai_rq_run(ctx, &op->rq[g], op->consts, o + 16 * g, lanes, s);
      }
    }
  }
  return XAI_OK;
}
