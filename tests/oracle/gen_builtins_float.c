/* float32 single-op models for the ops whose other types are in the LiteRT
 * suite: PRELU (alpha broadcast), RESIZE_BILINEAR and
 * RESIZE_NEAREST_NEIGHBOR (every corner/centre option, up and down),
 * TRANSPOSE_CONV (strides, paddings, activations, with and without bias). */
#include <stdio.h>
#include <string.h>

#include "gen_builtins_util.h"

/* Uniform in [-r, r], on a 1/4096 grid so that edge values repeat. */
static void fill_f32(gen_ctx *g, float *v, size_t n, float r) {
  for (size_t i = 0; i < n; i++)
    v[i] = r * (float)gen_range(g, -4096, 4096) / 4096.0f;
}

static void prelu(gen_ctx *g, int i, const int32_t *in, uint32_t rank,
                  const int32_t *alpha, uint32_t arank) {
  gen_model gm;
  gen_begin(&gm);
  bt_input(&gm, XAI_TYPE_FLOAT32, in, rank, 0, 0);
  size_t n = 1;
  for (uint32_t k = 0; k < arank; k++) n *= (size_t)alpha[k];
  float a[64];
  fill_f32(g, a, n, 1.5f);
  bt_const(&gm, XAI_TYPE_FLOAT32, alpha, arank, a, 0, 0);
  bt_output(&gm, XAI_TYPE_FLOAT32, in, rank, 0, 0);
  char name[96];
  snprintf(name, sizeof name, "prelu_float32_%d__f", i);
  gen_finish(g, &gm, name, XAI_OP_PRELU, 1, NULL);
}

static void resize(gen_ctx *g, int bilinear, int i, const int32_t *in,
                   int32_t oh, int32_t ow, int align, int half) {
  gen_model gm;
  gen_begin(&gm);
  bt_input(&gm, XAI_TYPE_FLOAT32, in, 4, 0, 0);
  const int32_t size[2] = {oh, ow}, two = 2;
  gen_const_i32(&gm, size, 2, &two, 1);
  const int32_t out[4] = {in[0], oh, ow, in[3]};
  bt_output(&gm, XAI_TYPE_FLOAT32, out, 4, 0, 0);
  xai_options o;
  if (bilinear) {
    o = (xai_options){.type = XAI_OPTS_RESIZE_BILINEAR};
    o.u.resize_bilinear.align_corners = align;
    o.u.resize_bilinear.half_pixel_centers = half;
  } else {
    o = (xai_options){.type = XAI_OPTS_RESIZE_NEAREST_NEIGHBOR};
    o.u.resize_nearest_neighbor.align_corners = align;
    o.u.resize_nearest_neighbor.half_pixel_centers = half;
  }
  char name[96];
  snprintf(name, sizeof name, "resize_%s_float32_%d__f",
           bilinear ? "bilinear" : "nearest", i);
  gen_finish(g, &gm, name,
             bilinear ? XAI_OP_RESIZE_BILINEAR : XAI_OP_RESIZE_NEAREST_NEIGHBOR,
             1, &o);
}

static void transpose_conv(gen_ctx *g, int i) {
  const int32_t h = gen_range(g, 1, 6), w = gen_range(g, 1, 6);
  const int32_t cin = gen_range(g, 1, 6), cout = gen_range(g, 1, 6);
  const int32_t k = gen_range(g, 1, 4), s = gen_range(g, 1, 3);
  const int32_t batch = i % 3 == 2 ? 2 : 1;
  const int padding = i % 2 ? XAI_PADDING_SAME : XAI_PADDING_VALID;
  static const int8_t acts[] = {XAI_ACT_NONE, XAI_ACT_RELU, XAI_ACT_RELU6,
                                XAI_ACT_RELU_N1_TO_1};
  const int32_t oh = padding == XAI_PADDING_SAME ? h * s : (h - 1) * s + k;
  const int32_t ow = padding == XAI_PADDING_SAME ? w * s : (w - 1) * s + k;
  gen_model gm;
  gen_begin(&gm);
  const int32_t out_dims[4] = {batch, oh, ow, cout};
  gen_const_i32(&gm, out_dims, 4, NULL, 0);
  float wts[4 * 4 * 6 * 6], bias[6];
  const int32_t w_shape[4] = {cout, k, k, cin};
  fill_f32(g, wts, (size_t)cout * k * k * cin, 1.0f);
  bt_const(&gm, XAI_TYPE_FLOAT32, w_shape, 4, wts, 0, 0);
  const int32_t in_shape[4] = {batch, h, w, cin};
  bt_input(&gm, XAI_TYPE_FLOAT32, in_shape, 4, 0, 0);
  if (i % 4 != 3) {
    fill_f32(g, bias, (size_t)cout, 2.0f);
    bt_const(&gm, XAI_TYPE_FLOAT32, &cout, 1, bias, 0, 0);
  }
  bt_output(&gm, XAI_TYPE_FLOAT32, out_dims, 4, 0, 0);
  xai_options o = {.type = XAI_OPTS_TRANSPOSE_CONV};
  o.u.transpose_conv = (xai_transpose_conv_options){
      .padding = (int8_t)padding, .stride_w = s, .stride_h = s,
      .fused_activation_function = acts[i % 4]};
  char name[96];
  snprintf(name, sizeof name, "transpose_conv_float32_%d__f", i);
  gen_finish(g, &gm, name, XAI_OP_TRANSPOSE_CONV, 4, &o);
}

void gen_builtins_float(gen_ctx *g) {
  const int32_t nhwc[4] = {2, 3, 4, 5}, a_c[1] = {5}, a_wc[2] = {4, 5};
  const int32_t a_one[1] = {1}, a_hwc[3] = {3, 4, 5}, vec[2] = {3, 7};
  const int32_t a_vec[2] = {1, 7};
  prelu(g, 0, nhwc, 4, a_c, 1);
  prelu(g, 1, nhwc, 4, a_wc, 2);
  prelu(g, 2, nhwc, 4, a_one, 1);
  prelu(g, 3, nhwc, 4, a_hwc, 3);
  prelu(g, 4, vec, 2, a_vec, 2);
  const int32_t small[4] = {1, 3, 5, 2}, big[4] = {2, 7, 9, 3};
  for (int bilinear = 0; bilinear < 2; bilinear++) {
    int i = 0;
    for (int mode = 0; mode < 3; mode++) {
      const int align = mode == 1, half = mode == 2;
      resize(g, bilinear, i++, small, 7, 11, align, half); /* up */
      resize(g, bilinear, i++, small, 6, 10, align, half); /* exactly 2x */
      resize(g, bilinear, i++, big, 4, 5, align, half);    /* down */
      resize(g, bilinear, i++, big, 1, 1, align, half);    /* to one pixel */
    }
  }
  for (int i = 0; i < 12; i++) transpose_conv(g, i);
}
