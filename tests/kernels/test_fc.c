/* FULLY_CONNECTED reference kernels on hand-computed cases. */
#include <float.h>
#include <math.h>

#include "test_conv_helpers.h"
#include "testlib.h"
#include "xai/kernels_ref/fully_connected.h"
#include "xai/tflite.h"

/* Two batches [1 2 3], [-1 0 4] stored at zero point -100; weights
 * [1 1 1], [2 -1 0]; bias [10, -10]:
 *   b0: 6 + 10 = 16, 0 - 10 = -10;  b1: 3 + 10 = 13, -2 - 10 = -12.
 * Per-tensor scale 0.5 broadcast: 8, -5, 6.5 -> 7, -6. */
static void test_s8_per_tensor(void) {
  const int8_t in[6] = {1 - 100, 2 - 100, 3 - 100, -1 - 100, 0 - 100, 4 - 100};
  const int8_t w[6] = {1, 1, 1, 2, -1, 0};
  const int32_t bias[2] = {10, -10};
  const xai_fc_dims d = {2, 3, 2};
  test_quant_set qs;
  const double scales[2] = {0.5, 0.5};
  test_set_quant(&qs, scales, 2);
  xai_fc_params p = {100, 0, 0, -128, 127, false};
  int8_t out[4];
  CHECK_EQ_INT(xai_fully_connected_s8_ref(&p, &qs.q, &d, in, w, bias, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], 8);
  CHECK_EQ_INT(out[1], -5);
  CHECK_EQ_INT(out[2], 7);
  CHECK_EQ_INT(out[3], -6);
  /* Output zero point 127 saturates the positive ones; -128 the rest. */
  p.output_offset = 127;
  CHECK_EQ_INT(xai_fully_connected_s8_ref(&p, &qs.q, &d, in, w, bias, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], 127);
  CHECK_EQ_INT(out[1], 122);
  CHECK_EQ_INT(out[2], 127);
  CHECK_EQ_INT(out[3], 121);
  p.output_offset = -128;
  CHECK_EQ_INT(xai_fully_connected_s8_ref(&p, &qs.q, &d, in, w, NULL, out),
               XAI_OK);
  /* Without bias: 6 * 0.5 = 3, 0, 1.5 -> 2, -2 * 0.5 = -1. */
  CHECK_EQ_INT(out[0], 3 - 128);
  CHECK_EQ_INT(out[1], 0 - 128);
  CHECK_EQ_INT(out[2], 2 - 128);
  CHECK_EQ_INT(out[3], -128); /* -1 - 128 clamps */
}

/* Per-channel scales 2^-20 and 2^4, RELU clamp at zero point 0, weights
 * zero point 1 (filter_offset -1):
 *   in [3, -2]; w0 [2, 1] -> (1)(3) + (0)(-2) = 3, bias 2^20 -> 3 + 2^20
 *   -> * 2^-20 = 1.0000029 -> 1;  w1 [0, 3] -> (-1)(3) + (2)(-2) = -7,
 *   bias 5 -> -2 * 16 = -32 -> RELU 0. */
static void test_s8_per_channel(void) {
  const int8_t in[2] = {3, -2};
  const int8_t w[4] = {2, 1, 0, 3};
  const int32_t bias[2] = {1 << 20, 5};
  const xai_fc_dims d = {1, 2, 2};
  test_quant_set qs;
  const double scales[2] = {ldexp(1.0, -20), 16.0};
  test_set_quant(&qs, scales, 2);
  xai_fc_params p = {0, -1, 0, 0, 127, false};
  int8_t out[2];
  CHECK_EQ_INT(xai_fully_connected_s8_ref(&p, &qs.q, &d, in, w, bias, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], 1);
  CHECK_EQ_INT(out[1], 0);
  p.act_min = -128;
  CHECK_EQ_INT(xai_fully_connected_s8_ref(&p, &qs.q, &d, in, w, bias, out),
               XAI_OK);
  CHECK_EQ_INT(out[1], -32);
}

/* One depth-1 unit where the roundings differ: acc 12687 with the
 * multiplier (1776607682, -9) is 20.4998; single rounding 20, double 21
 * (see test_quant). Output zero point -24 as in mobilenet_v2. */
static void test_s8_rounding_modes(void) {
  const int8_t in[1] = {127};
  const int8_t w[1] = {1};
  const int32_t bias[1] = {12687 - 127};
  const xai_fc_dims d = {1, 1, 1};
  const int32_t mult[1] = {1776607682}, shift[1] = {-9};
  const xai_per_channel_quant q = {.multiplier = mult, .shift = shift};
  xai_fc_params p = {0, 0, -24, -128, 127, false};
  int8_t out[1];
  CHECK_EQ_INT(xai_fully_connected_s8_ref(&p, &q, &d, in, w, bias, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], 21 - 24);
  p.single_rounding = true;
  CHECK_EQ_INT(xai_fully_connected_s8_ref(&p, &q, &d, in, w, bias, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], 20 - 24);
}

/* int16 x int8 with the 64-bit requantization: [1001] and [-1001] times
 * weight 1, scale 0.5 -> 501 and -500 (ties toward +inf); bias 2^40 is
 * carried exactly in the int64 accumulator: (2^40 - 1001) * 2^-30 with
 * scale 2^-30 -> 1023.99... -> 1024. */
static void test_s16(void) {
  const int16_t in[2] = {1001, -1001};
  const int8_t w[1] = {1};
  const xai_fc_dims d = {2, 1, 1};
  test_quant_set qs;
  const double half = 0.5;
  test_set_quant(&qs, &half, 1);
  xai_fc_params p = {0, 0, 0, -32768, 32767, false};
  int16_t out[2];
  CHECK_EQ_INT(xai_fully_connected_s16_ref(&p, &qs.q, &d, in, w, NULL, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], 501);
  CHECK_EQ_INT(out[1], -500);
  const int64_t bias[1] = {(int64_t)1 << 40};
  const double tiny = ldexp(1.0, -30);
  test_set_quant(&qs, &tiny, 1);
  CHECK_EQ_INT(xai_fully_connected_s16_ref(&p, &qs.q, &d, in, w, bias, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], 1024);
  CHECK_EQ_INT(out[1], 1024);
}

/* float: [1, 2] x [[0.5, -1], [2, 2]] + [0.25, -10] = [-1.25, -4]. */
static void test_f32(void) {
  const float in[2] = {1.0f, 2.0f};
  const float w[4] = {0.5f, -1.0f, 2.0f, 2.0f};
  const float bias[2] = {0.25f, -10.0f};
  const xai_fc_dims d = {1, 2, 2};
  float lo = 0, hi = 0, out[2];
  xai_float_activation_range(XAI_ACT_NONE, &lo, &hi);
  CHECK(lo == -FLT_MAX && hi == FLT_MAX);
  CHECK_EQ_INT(xai_fully_connected_f32_ref(&d, lo, hi, in, w, bias, out),
               XAI_OK);
  CHECK(out[0] == -1.25f);
  CHECK(out[1] == -4.0f);
  xai_float_activation_range(XAI_ACT_RELU, &lo, &hi);
  CHECK_EQ_INT(xai_fully_connected_f32_ref(&d, lo, hi, in, w, bias, out),
               XAI_OK);
  CHECK(out[0] == 0.0f && out[1] == 0.0f);
  xai_float_activation_range(XAI_ACT_RELU_N1_TO_1, &lo, &hi);
  CHECK_EQ_INT(xai_fully_connected_f32_ref(&d, lo, hi, in, w, bias, out),
               XAI_OK);
  CHECK(out[0] == -1.0f && out[1] == -1.0f);
  xai_float_activation_range(XAI_ACT_RELU6, &lo, &hi);
  CHECK(lo == 0.0f && hi == 6.0f);
  CHECK_EQ_INT(xai_fully_connected_f32_ref(&d, lo, hi, in, w, NULL, out),
               XAI_OK);
  CHECK(out[0] == 0.0f); /* -1.5 */
  CHECK(out[1] == 6.0f); /* 6 */
}

/* More than 2^16 terms: the kernel sums in chunks; TFLite's int32
 * accumulator wraps. 70000 terms of -128 * (127 + 128) = -32640 sum to
 * -2,284,800,000, which wraps to -2,284,800,000 + 2^32 = 2,010,167,296.
 * Times 0.5 * 2^-24 (2^30, shift -24): SRDHM halves it to 1,005,083,648,
 * the rounding shift by 24 gives 59.9 -> 60 (the unwrapped sum would give
 * -68). */
static void test_s8_long_wrap(void) {
  enum { DEPTH = 70000 };
  static int8_t x[DEPTH], w[DEPTH];
  for (int i = 0; i < DEPTH; i++) x[i] = 127, w[i] = -128;
  const xai_fc_dims d = {1, DEPTH, 1};
  const int32_t mult[] = {1 << 30}, shift[] = {-24};
  const xai_per_channel_quant q = {.multiplier = mult, .shift = shift};
  xai_fc_params p = {128, 0, 0, -128, 127, false};
  int8_t out[1];
  CHECK_EQ_INT(xai_fully_connected_s8_ref(&p, &q, &d, x, w, NULL, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], 60);
}

int main(void) {
  test_s8_long_wrap();
  test_s8_per_tensor();
  test_s8_per_channel();
  test_s8_rounding_modes();
  test_s16();
  test_f32();
  return xai_test_finish("test_fc");
}
