/* Single-op models for float L2_POOL_2D, L2_NORMALIZATION, LOG_SOFTMAX,
 * BATCH_MATMUL, and FULLY_CONNECTED with int16 activations and an int32 or
 * int64 bias (both of which TFLite Micro takes). */
#include <stdio.h>
#include <string.h>

#include "gen_builtins_util.h"

static void fc_s16(gen_ctx *g, int8_t bias_type, int i) {
  const int32_t units = 5 + i, depth = 7 + 3 * i;
  gen_model gm;
  gen_begin(&gm);
  const float si = gen_log_uniform(g, 1e-5f, 1e-3f);
  const int32_t in_shape[2] = {2, depth};
  bt_input(&gm, XAI_TYPE_INT16, in_shape, 2, si, 0);
  int8_t w[64 * 64];
  gen_fill_s8(g, w, (size_t)units * depth);
  const float sw = gen_log_uniform(g, 1e-3f, 1e-1f);
  const int32_t w_shape[2] = {units, depth};
  bt_const(&gm, XAI_TYPE_INT8, w_shape, 2, w, sw, 0);
  int64_t b64[64];
  int32_t b32[64];
  for (int32_t u = 0; u < units; u++) b64[u] = b32[u] = gen_range(g, -40000, 40000);
  bt_const(&gm, bias_type, &units, 1,
           bias_type == XAI_TYPE_INT64 ? (const void *)b64 : b32, si * sw, 0);
  const int32_t out_shape[2] = {2, units};
  bt_output(&gm, XAI_TYPE_INT16, out_shape, 2,
            si * sw * depth * gen_log_uniform(g, 20.0f, 200.0f), 0);
  xai_options o = {.type = XAI_OPTS_FULLY_CONNECTED};
  o.u.fully_connected.fused_activation_function = i == 1 ? XAI_ACT_RELU : XAI_ACT_NONE;
  char name[96];
  snprintf(name, sizeof name, "fully_connected_int16_bias_%s_%d",
           bt_type_name(bias_type), i);
  gen_finish(g, &gm, name, XAI_OP_FULLY_CONNECTED, 1, &o);
}

static void rows_op(gen_ctx *g, const char *nm, int32_t op, uint8_t opts_type,
                    const int32_t *shape, uint32_t rank, int i) {
  gen_model gm;
  gen_begin(&gm);
  bt_input(&gm, XAI_TYPE_FLOAT32, shape, rank, 0, 0);
  bt_output(&gm, XAI_TYPE_FLOAT32, shape, rank, 0, 0);
  xai_options o = {.type = opts_type};
  if (opts_type == XAI_OPTS_SOFTMAX) o.u.softmax.beta = i ? 0.5f : 1.0f;
  if (opts_type == XAI_OPTS_LEAKY_RELU) o.u.leaky_relu.alpha = i ? 0.3f : 0.01f;
  char name[96];
  snprintf(name, sizeof name, "%s_float32_%d__f%s", nm, i, i == 1 ? "__big" : "");
  gen_finish(g, &gm, name, op, 1, &o);
}

/* int8 L2_NORMALIZATION: output in 1/128 steps, zero point 0. */
static void l2norm_s8(gen_ctx *g, const int32_t *shape, uint32_t rank, int i) {
  gen_model gm;
  gen_begin(&gm);
  float s;
  int32_t z;
  bt_quant(g, XAI_TYPE_INT8, &s, &z);
  bt_input(&gm, XAI_TYPE_INT8, shape, rank, s, z);
  bt_output(&gm, XAI_TYPE_INT8, shape, rank, 1.0f / 128, 0);
  xai_options o = {.type = XAI_OPTS_L2NORM};
  char name[96];
  snprintf(name, sizeof name, "l2_normalization_int8_%d", i);
  gen_finish(g, &gm, name, XAI_OP_L2_NORMALIZATION, 1, &o);
}

/* int16 LOGISTIC / TANH: zero points 0, output 2^-15; power-of-two input
 * scales (2^-12, 2^-11) and general ones. */
static void act_s16(gen_ctx *g, const char *nm, int32_t op) {
  static const float scales[] = {1.0f / 4096, 1.0f / 2048, 3.1e-4f, 1.7e-3f,
                                 2.0e-5f};
  static const int32_t shape[3] = {2, 5, 13};
  for (int i = 0; i < 5; i++) {
    gen_model gm;
    gen_begin(&gm);
    bt_input(&gm, XAI_TYPE_INT16, shape, 3, scales[i], 0);
    bt_output(&gm, XAI_TYPE_INT16, shape, 3, 1.0f / 32768, 0);
    char name[96];
    snprintf(name, sizeof name, "%s_int16_%d", nm, i);
    gen_finish(g, &gm, name, op, 1, NULL);
  }
  (void)g;
}

static void l2_pool(gen_ctx *g, int i, int padding, int32_t f, int32_t s,
                    int act) {
  const int32_t in[4] = {1, 7, 6, 3};
  int32_t oh = padding == XAI_PADDING_SAME ? (7 + s - 1) / s : (7 - f + s) / s;
  int32_t ow = padding == XAI_PADDING_SAME ? (6 + s - 1) / s : (6 - f + s) / s;
  const int32_t out[4] = {1, oh, ow, 3};
  gen_model gm;
  gen_begin(&gm);
  bt_input(&gm, XAI_TYPE_FLOAT32, in, 4, 0, 0);
  bt_output(&gm, XAI_TYPE_FLOAT32, out, 4, 0, 0);
  xai_options o = {.type = XAI_OPTS_POOL2D};
  o.u.pool2d.padding = (int8_t)padding;
  o.u.pool2d.filter_height = o.u.pool2d.filter_width = f;
  o.u.pool2d.stride_h = o.u.pool2d.stride_w = s;
  o.u.pool2d.fused_activation_function = (int8_t)act;
  char name[96];
  snprintf(name, sizeof name, "l2_pool_2d_float32_%d", i);
  gen_finish(g, &gm, name, XAI_OP_L2_POOL_2D, 1, &o);
}

static int8_t g_matmul_type = XAI_TYPE_FLOAT32;

static void matmul(gen_ctx *g, int i, const int32_t *l, uint32_t lr,
                   const int32_t *r, uint32_t rr, const int32_t *o,
                   uint32_t orank, int adj_x, int adj_y) {
  const int8_t t = g_matmul_type;
  gen_model gm;
  gen_begin(&gm);
  float s1, s2, so;
  int32_t z1, z2, zo;
  bt_quant(g, t, &s1, &z1);
  bt_quant(g, t, &s2, &z2);
  bt_quant(g, t, &so, &zo);
  so = s1 * s2 * (t == XAI_TYPE_INT16 ? 2e5f : 4000.0f);
  if (t == XAI_TYPE_FLOAT32) so = 0.0f;
  bt_input(&gm, t, l, lr, s1, z1);
  bt_input(&gm, t, r, rr, s2, z2);
  bt_output(&gm, t, o, orank, so, zo);
  xai_options opts = {.type = XAI_OPTS_BATCH_MATMUL};
  opts.u.batch_matmul.adj_x = adj_x;
  opts.u.batch_matmul.adj_y = adj_y;
  char name[96];
  snprintf(name, sizeof name, "batch_matmul_%s_%d", bt_type_name(t), i);
  gen_finish(g, &gm, name, XAI_OP_BATCH_MATMUL, 1, &opts);
}

/* float CONV_2D (dw 0) or DEPTHWISE_CONV_2D (dw = depth multiplier). */
static void conv_f32(gen_ctx *g, int i, int dw, int padding, int32_t k,
                     int32_t stride, int32_t dil, int with_bias, int act) {
  const int32_t in[4] = {1, 7, 6, 3};
  const int32_t oc = dw ? 3 * dw : 4;
  const int32_t eff = (k - 1) * dil + 1;
  const int32_t oh = padding == XAI_PADDING_SAME ? (7 + stride - 1) / stride
                                                 : (7 - eff + stride) / stride;
  const int32_t ow = padding == XAI_PADDING_SAME ? (6 + stride - 1) / stride
                                                 : (6 - eff + stride) / stride;
  gen_model gm;
  gen_begin(&gm);
  bt_input(&gm, XAI_TYPE_FLOAT32, in, 4, 0, 0);
  float w[4 * 5 * 5 * 6], b[8];
  const int32_t fshape[4] = {dw ? 1 : oc, k, k, dw ? oc : 3};
  for (int32_t n = 0; n < fshape[0] * k * k * fshape[3]; n++)
    w[n] = (float)gen_range(g, -1000, 1000) / 997.0f;
  for (int32_t n = 0; n < oc; n++) b[n] = (float)gen_range(g, -500, 500) / 211.0f;
  bt_const(&gm, XAI_TYPE_FLOAT32, fshape, 4, w, 0, 0);
  if (with_bias) bt_const(&gm, XAI_TYPE_FLOAT32, &oc, 1, b, 0, 0);
  else gen_absent(&gm);
  const int32_t out[4] = {1, oh, ow, oc};
  bt_output(&gm, XAI_TYPE_FLOAT32, out, 4, 0, 0);
  xai_options o = {.type = dw ? XAI_OPTS_DEPTHWISE_CONV2D : XAI_OPTS_CONV2D};
  if (dw) {
    o.u.depthwise_conv2d.padding = (int8_t)padding;
    o.u.depthwise_conv2d.stride_h = o.u.depthwise_conv2d.stride_w = stride;
    o.u.depthwise_conv2d.dilation_h_factor = o.u.depthwise_conv2d.dilation_w_factor = dil;
    o.u.depthwise_conv2d.depth_multiplier = dw;
    o.u.depthwise_conv2d.fused_activation_function = (int8_t)act;
  } else {
    o.u.conv2d.padding = (int8_t)padding;
    o.u.conv2d.stride_h = o.u.conv2d.stride_w = stride;
    o.u.conv2d.dilation_h_factor = o.u.conv2d.dilation_w_factor = dil;
    o.u.conv2d.fused_activation_function = (int8_t)act;
  }
  char name[96];
  snprintf(name, sizeof name, "%s_float32_%d",
           dw ? "depthwise_conv_2d" : "conv_2d", i);
  gen_finish(g, &gm, name, dw ? XAI_OP_DEPTHWISE_CONV_2D : XAI_OP_CONV_2D, 1, &o);
}

static void pool_f32(gen_ctx *g, int i, int32_t op, int padding, int32_t f,
                     int32_t s, int act) {
  const int32_t in[4] = {2, 7, 6, 3};
  const int32_t oh = padding == XAI_PADDING_SAME ? (7 + s - 1) / s : (7 - f + s) / s;
  const int32_t ow = padding == XAI_PADDING_SAME ? (6 + s - 1) / s : (6 - f + s) / s;
  const int32_t out[4] = {2, oh, ow, 3};
  gen_model gm;
  gen_begin(&gm);
  bt_input(&gm, XAI_TYPE_FLOAT32, in, 4, 0, 0);
  bt_output(&gm, XAI_TYPE_FLOAT32, out, 4, 0, 0);
  xai_options o = {.type = XAI_OPTS_POOL2D};
  o.u.pool2d.padding = (int8_t)padding;
  o.u.pool2d.filter_height = o.u.pool2d.filter_width = f;
  o.u.pool2d.stride_h = o.u.pool2d.stride_w = s;
  o.u.pool2d.fused_activation_function = (int8_t)act;
  char name[96];
  snprintf(name, sizeof name, "%s_float32_%d",
           op == XAI_OP_MAX_POOL_2D ? "max_pool_2d" : "average_pool_2d", i);
  gen_finish(g, &gm, name, op, 1, &o);
}

void gen_builtins_nn(gen_ctx *g) {
  conv_f32(g, 0, 0, XAI_PADDING_SAME, 3, 1, 1, 1, XAI_ACT_NONE);
  conv_f32(g, 1, 0, XAI_PADDING_VALID, 3, 2, 1, 0, XAI_ACT_RELU6);
  conv_f32(g, 2, 0, XAI_PADDING_SAME, 3, 1, 2, 1, XAI_ACT_RELU);
  conv_f32(g, 3, 0, XAI_PADDING_VALID, 1, 1, 1, 1, XAI_ACT_NONE);
  conv_f32(g, 0, 1, XAI_PADDING_SAME, 3, 1, 1, 1, XAI_ACT_NONE);
  conv_f32(g, 1, 2, XAI_PADDING_VALID, 3, 2, 1, 1, XAI_ACT_RELU6);
  conv_f32(g, 2, 2, XAI_PADDING_SAME, 3, 1, 2, 1, XAI_ACT_NONE);
  for (int k = 0; k < 2; k++) {
    const int32_t op = k ? XAI_OP_MAX_POOL_2D : XAI_OP_AVERAGE_POOL_2D;
    pool_f32(g, 0, op, XAI_PADDING_VALID, 2, 2, XAI_ACT_NONE);
    pool_f32(g, 1, op, XAI_PADDING_SAME, 3, 2, XAI_ACT_RELU6);
    pool_f32(g, 2, op, XAI_PADDING_SAME, 3, 1, XAI_ACT_NONE);
  }
  for (int i = 0; i < 3; i++) {
    fc_s16(g, XAI_TYPE_INT32, i);
    fc_s16(g, XAI_TYPE_INT64, i);
  }
  const int32_t s1[3] = {2, 3, 8}, s2[2] = {1, 17}, s3[4] = {1, 2, 2, 5};
  rows_op(g, "l2_normalization", XAI_OP_L2_NORMALIZATION, XAI_OPTS_L2NORM, s1, 3, 0);
  rows_op(g, "l2_normalization", XAI_OP_L2_NORMALIZATION, XAI_OPTS_L2NORM, s2, 2, 1);
  act_s16(g, "logistic", XAI_OP_LOGISTIC);
  act_s16(g, "tanh", XAI_OP_TANH);
  l2norm_s8(g, s1, 3, 0);
  l2norm_s8(g, s2, 2, 1);
  l2norm_s8(g, s3, 4, 2);
  rows_op(g, "log_softmax", XAI_OP_LOG_SOFTMAX, XAI_OPTS_LOG_SOFTMAX, s1, 3, 0);
  rows_op(g, "log_softmax", XAI_OP_LOG_SOFTMAX, XAI_OPTS_LOG_SOFTMAX, s3, 4, 1);
  static const struct { const char *nm; int32_t op; uint8_t opts; } acts[] = {
      {"softmax", XAI_OP_SOFTMAX, XAI_OPTS_SOFTMAX},
      {"logistic", XAI_OP_LOGISTIC, XAI_OPTS_NONE},
      {"tanh", XAI_OP_TANH, XAI_OPTS_NONE},
      {"leaky_relu", XAI_OP_LEAKY_RELU, XAI_OPTS_LEAKY_RELU},
      {"hard_swish", XAI_OP_HARD_SWISH, XAI_OPTS_HARD_SWISH},
  };
  for (int k = 0; k < 5; k++) {
    rows_op(g, acts[k].nm, acts[k].op, acts[k].opts, s1, 3, 0);
    rows_op(g, acts[k].nm, acts[k].op, acts[k].opts, s3, 4, 1);
  }
  l2_pool(g, 0, XAI_PADDING_VALID, 2, 2, XAI_ACT_NONE);
  l2_pool(g, 1, XAI_PADDING_SAME, 3, 2, XAI_ACT_RELU6);
  l2_pool(g, 2, XAI_PADDING_SAME, 2, 1, XAI_ACT_NONE);
  static const int8_t mm_types[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8,
                                    XAI_TYPE_INT16};
  for (int t = 0; t < 3; t++) {
    g_matmul_type = mm_types[t];
    {
      const int32_t l[3] = {2, 3, 4}, r[3] = {2, 4, 5}, o[3] = {2, 3, 5};
      matmul(g, 0, l, 3, r, 3, o, 3, 0, 0);
    }
    {
      const int32_t l[2] = {3, 4}, r[3] = {2, 4, 5}, o[3] = {2, 3, 5};
      matmul(g, 1, l, 2, r, 3, o, 3, 0, 0);
    }
    {
      const int32_t l[3] = {2, 4, 3}, r[3] = {2, 5, 4}, o[3] = {2, 3, 5};
      matmul(g, 2, l, 3, r, 3, o, 3, 1, 1);
    }
    {
      const int32_t l[4] = {2, 1, 3, 4}, r[4] = {1, 3, 4, 2}, o[4] = {2, 3, 3, 2};
      matmul(g, 3, l, 4, r, 4, o, 4, 0, 0);
    }
  }
}
