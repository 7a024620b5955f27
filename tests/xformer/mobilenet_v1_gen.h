/* A MobileNetV1 with width 0.25 at 128x128x3 (int8, per-tensor scales,
 * random weights from a seed), built with the project's model builder: about
 * 470 KB of weights, more than one xcore.ai tile holds with its firmware
 * (docs/multitile.md). Scales keep activations inside int8 so the outputs
 * carry information. */
#ifndef XAI_TESTS_XFORMER_MOBILENET_V1_GEN_H
#define XAI_TESTS_XFORMER_MOBILENET_V1_GEN_H

#include <math.h>
#include <stdlib.h>

#include "test_model_build.h"

typedef struct {
  xai_model m;
  uint64_t rng;
  int32_t t, h, w, c; /* current activation and its shape */
  float scale;
} mnv1_gen;

static inline uint32_t mnv1_rand(mnv1_gen *g) {
  g->rng = g->rng * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(g->rng >> 33);
}

static inline int32_t mnv1_const(mnv1_gen *g, const int32_t *shape,
                                 uint32_t rank, size_t n, float scale,
                                 int is_bias) {
  void *d = malloc(is_bias ? n * 4 : n);
  for (size_t i = 0; i < n; i++) {
    if (is_bias) ((int32_t *)d)[i] = (int32_t)(mnv1_rand(g) % 2001) - 1000;
    else ((int8_t *)d)[i] = (int8_t)((int32_t)(mnv1_rand(g) % 255) - 127);
  }
  int32_t t = mb_tensor(&g->m, is_bias ? "b" : "w",
                        is_bias ? XAI_TYPE_INT32 : XAI_TYPE_INT8, shape, rank,
                        scale, 0, d, is_bias ? n * 4 : n);
  free(d);
  return t;
}

/* conv (depthwise when dw) 3x3 or 1x1, SAME padding. */
static inline void mnv1_conv(mnv1_gen *g, int32_t k, int32_t out_c,
                             int32_t stride, int dw) {
  const float ws = 0.01f;
  int32_t taps = k * k * (dw ? 1 : g->c);
  int32_t wshape[4] = {dw ? 1 : out_c, k, k, g->c};
  int32_t oc = dw ? g->c : out_c;
  int32_t wt = mnv1_const(g, wshape, 4, 
                          (size_t)(k * k) * (size_t)(dw ? g->c : g->c * out_c),
                          ws, 0);
  int32_t bs[1] = {oc};
  int32_t bt = mnv1_const(g, bs, 1, (size_t)oc, g->scale * ws, 1);
  int32_t oh = (g->h + stride - 1) / stride, ow = (g->w + stride - 1) / stride;
  /* accumulators have std ~ sqrt(taps) * 40 * 73 in int units */
  float os = g->scale * ws * sqrtf((float)taps) * 73.0f;
  int32_t shape[4] = {1, oh, ow, oc};
  int32_t out = mb_tensor(&g->m, dw ? "dw" : "conv", XAI_TYPE_INT8, shape, 4,
                          os, 0, NULL, 0);
  xai_options o;
  memset(&o, 0, sizeof o);
  if (dw) {
    o.type = XAI_OPTS_DEPTHWISE_CONV2D;
    o.u.depthwise_conv2d.padding = 0; /* SAME */
    o.u.depthwise_conv2d.stride_w = o.u.depthwise_conv2d.stride_h = stride;
    o.u.depthwise_conv2d.depth_multiplier = 1;
    o.u.depthwise_conv2d.dilation_w_factor = 1;
    o.u.depthwise_conv2d.dilation_h_factor = 1;
  } else {
    o.type = XAI_OPTS_CONV2D;
    o.u.conv2d.padding = 0;
    o.u.conv2d.stride_w = o.u.conv2d.stride_h = stride;
    o.u.conv2d.dilation_w_factor = o.u.conv2d.dilation_h_factor = 1;
  }
  int32_t ins[3] = {g->t, wt, bt};
  mb_op(&g->m, dw ? XAI_OP_DEPTHWISE_CONV_2D : XAI_OP_CONV_2D, ins, 3, out, &o);
  g->t = out;
  g->h = oh;
  g->w = ow;
  g->c = oc;
  g->scale = os;
}

/* Writes the model to *out (malloc'd). classes: FC outputs (1001 in the
 * original; fewer makes a smaller model). */
/* The first `depth` of the 13 depthwise-separable blocks (13 = the whole
 * network; fewer give small models for the multi-model tests). */
static inline xai_status mnv1_build_depth(uint64_t seed, int32_t size,
                                          int32_t classes, int depth,
                                          uint8_t **out, size_t *out_size,
                                          xai_error *err) {
  mnv1_gen g;
  memset(&g, 0, sizeof g);
  g.rng = seed;
  xai_status st = xai_model_init(&g.m, err);
  if (st) return st;
  int32_t in_shape[4] = {1, size, size, 3};
  g.scale = 0.02f;
  int32_t input = mb_tensor(&g.m, "input", XAI_TYPE_INT8, in_shape, 4, g.scale,
                            0, NULL, 0);
  g.t = input;
  g.h = g.w = size;
  g.c = 3;
  mnv1_conv(&g, 3, 8, 2, 0);
  static const int32_t blocks[13][2] = {
      {16, 1}, {32, 2}, {32, 1}, {64, 2}, {64, 1}, {128, 2}, {128, 1},
      {128, 1}, {128, 1}, {128, 1}, {128, 1}, {256, 2}, {256, 1}};
  for (int i = 0; i < depth && i < 13; i++) {
    mnv1_conv(&g, 3, 0, blocks[i][1], 1);
    mnv1_conv(&g, 1, blocks[i][0], 1, 0);
  }
  /* global average pool to 1x1 */
  int32_t ps[4] = {1, 1, 1, g.c};
  int32_t pooled = mb_tensor(&g.m, "pool", XAI_TYPE_INT8, ps, 4, g.scale, 0,
                             NULL, 0);
  xai_options po;
  memset(&po, 0, sizeof po);
  po.type = XAI_OPTS_POOL2D;
  po.u.pool2d.padding = 1; /* VALID */
  po.u.pool2d.stride_w = po.u.pool2d.stride_h = 1;
  po.u.pool2d.filter_width = g.w;
  po.u.pool2d.filter_height = g.h;
  mb_op(&g.m, XAI_OP_AVERAGE_POOL_2D, &g.t, 1, pooled, &po);
  int8_t *w = malloc((size_t)classes * (size_t)g.c);
  int32_t *bias = calloc((size_t)classes, 4);
  if (!w || !bias) {
    free(w);
    free(bias);
    xai_model_free(&g.m);
    return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  }
  for (int32_t i = 0; i < classes * g.c; i++)
    w[i] = (int8_t)((int32_t)(mnv1_rand(&g) % 255) - 127);
  float fs = g.scale * 0.01f * sqrtf((float)g.c) * 73.0f;
  int32_t logits = mb_fc(&g.m, pooled, (uint32_t)g.c, (uint32_t)classes,
                         "logits", w, bias, fs, 0);
  free(w);
  free(bias);
  st = xai_model_set_subgraph_io(&g.m, 0, &input, 1, &logits, 1);
  if (!st) st = xai_model_write(&g.m, out, out_size, err);
  xai_model_free(&g.m);
  return st;
}

static inline xai_status mnv1_build(uint64_t seed, int32_t size,
                                    int32_t classes, uint8_t **out,
                                    size_t *out_size, xai_error *err) {
  return mnv1_build_depth(seed, size, classes, 13, out, out_size, err);
}

#endif
