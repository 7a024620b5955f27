/* DEPTHWISE_CONV_2D reference kernels on hand-computed cases. */
#include <math.h>

#include "test_conv_helpers.h"
#include "testlib.h"
#include "xai/tflite.h"

/* 2x2 input with 2 channels, depth multiplier 2 -> 4 output channels;
 * oc0, oc1 read channel 0 ([1 2; 3 4]), oc2, oc3 read channel 1
 * ([10 20; 30 40]). Filter [fy][fx][oc]:
 *   oc0 all ones -> 10;  oc1 only (0,0) -> 1, bias 1 -> 2, scale 16 -> 32
 *   oc2 all ones -> 100, bias -100 -> 0;  oc3 only (1,1) = -1 -> -40,
 *   scale 0.5 -> -20. */
static void test_multiplier(void) {
  const int8_t in[8] = {1, 10, 2, 20, 3, 30, 4, 40};
  const int8_t f[16] = {1, 1, 1, 0, /* (0,0) */ 1, 0, 1, 0, /* (0,1) */
                        1, 0, 1, 0, /* (1,0) */ 1, 0, 1, -1 /* (1,1) */};
  const int32_t bias[4] = {0, 1, -100, 0};
  xai_dims4 id = {1, 2, 2, 2}, fd = {1, 2, 2, 4}, od = {1, 1, 1, 4};
  test_quant_set qs;
  const double scales[4] = {1.0, 16.0, 1.0, 0.5};
  test_set_quant(&qs, scales, 4);
  xai_conv_params p = test_plain_params();
  int8_t out[4];
  CHECK_EQ_INT(xai_depthwise_conv2d_s8_ref(&p, &qs.q, &id, in, &fd, f, bias,
                                           &od, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], 10);
  CHECK_EQ_INT(out[1], 32);
  CHECK_EQ_INT(out[2], 0);
  CHECK_EQ_INT(out[3], -20);
}

/* test_multiplier's case with int8 shifts, then with one scale (1.0) for
 * every channel (per_tensor): 10, 1 + 1 = 2, 100 - 100 = 0, -40. */
static void test_shift8_per_tensor(void) {
  const int8_t in[8] = {1, 10, 2, 20, 3, 30, 4, 40};
  const int8_t f[16] = {1, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, -1};
  const int32_t bias[4] = {0, 1, -100, 0};
  xai_dims4 id = {1, 2, 2, 2}, fd = {1, 2, 2, 4}, od = {1, 1, 1, 4};
  test_quant_set qs;
  const double scales[4] = {1.0, 16.0, 1.0, 0.5};
  test_set_quant(&qs, scales, 4);
  test_use_shift8(&qs, 4);
  xai_conv_params p = test_plain_params();
  int8_t out[4];
  CHECK_EQ_INT(xai_depthwise_conv2d_s8_ref(&p, &qs.q, &id, in, &fd, f, bias,
                                           &od, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], 10);
  CHECK_EQ_INT(out[1], 32);
  CHECK_EQ_INT(out[2], 0);
  CHECK_EQ_INT(out[3], -20);
  const double one = 1.0;
  test_set_quant(&qs, &one, 1);
  test_use_shift8(&qs, 1);
  qs.q.per_tensor = true;
  CHECK_EQ_INT(xai_depthwise_conv2d_s8_ref(&p, &qs.q, &id, in, &fd, f, bias,
                                           &od, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], 10);
  CHECK_EQ_INT(out[1], 2);
  CHECK_EQ_INT(out[2], 0);
  CHECK_EQ_INT(out[3], -40);
}

/* 3x3 input 1..9 stored at zero point -128, 3x3 ones, stride 2 SAME:
 * out 2x2, total padding (2-1)*2 + 3 - 3 = 2 -> 1 on each side. Windows:
 * 1+2+4+5 = 12, 2+3+5+6 = 16, 4+5+7+8 = 24, 5+6+8+9 = 28. Scale 2^-2 ->
 * 3, 4, 6, 7; output zero point 127 with a tight clamp [-128, 5]. */
static void test_same_stride2_offsets(void) {
  int8_t in[9];
  for (int i = 0; i < 9; ++i) in[i] = (int8_t)(i + 1 - 128);
  int8_t f[9];
  for (int i = 0; i < 9; ++i) f[i] = 1;
  xai_dims4 id = {1, 3, 3, 1}, fd = {1, 3, 3, 1};
  int32_t oh = xai_conv_out_size(XAI_PADDING_SAME, 3, 3, 2, 1);
  CHECK_EQ_INT(oh, 2);
  xai_dims4 od = {1, 2, 2, 1};
  test_quant_set qs;
  const double quarter = 0.25;
  test_set_quant(&qs, &quarter, 1);
  xai_conv_params p = test_plain_params();
  p.stride_h = p.stride_w = 2;
  p.pad_h = p.pad_w = xai_conv_pad(3, 3, 2, 1, 2);
  CHECK_EQ_INT(p.pad_h, 1);
  p.input_offset = 128;
  p.output_offset = 0;
  int8_t out[4];
  CHECK_EQ_INT(
      xai_depthwise_conv2d_s8_ref(&p, &qs.q, &id, in, &fd, f, NULL, &od, out),
      XAI_OK);
  CHECK_EQ_INT(out[0], 3);
  CHECK_EQ_INT(out[1], 4);
  CHECK_EQ_INT(out[2], 6);
  CHECK_EQ_INT(out[3], 7);
  p.output_offset = -2;
  p.act_max = 3;
  CHECK_EQ_INT(
      xai_depthwise_conv2d_s8_ref(&p, &qs.q, &id, in, &fd, f, NULL, &od, out),
      XAI_OK);
  CHECK_EQ_INT(out[0], 1);
  CHECK_EQ_INT(out[1], 2);
  CHECK_EQ_INT(out[2], 3); /* 4 clamps */
  CHECK_EQ_INT(out[3], 3);
}

/* Dilation 2 on a 1x5 row [1 2 3 4 5] with taps [1, -1]: x - x(+2) = -2
 * everywhere, VALID -> 3 outputs. */
static void test_dilation(void) {
  const int8_t in[5] = {1, 2, 3, 4, 5};
  const int8_t f[2] = {1, -1};
  xai_dims4 id = {1, 1, 5, 1}, fd = {1, 1, 2, 1}, od = {1, 1, 3, 1};
  test_quant_set qs;
  const double one = 1.0;
  test_set_quant(&qs, &one, 1);
  xai_conv_params p = test_plain_params();
  p.dilation_w = 2;
  int8_t out[3];
  CHECK_EQ_INT(
      xai_depthwise_conv2d_s8_ref(&p, &qs.q, &id, in, &fd, f, NULL, &od, out),
      XAI_OK);
  for (int i = 0; i < 3; ++i) CHECK_EQ_INT(out[i], -2);
}

/* int16: one channel, taps [3, -2] over [1000, -2001]: 3000 + 4002 = 7002,
 * bias 1 -> 7003 * 0.5 = 3501.5 -> 3502 (64-bit rounding, ties up). */
static void test_s16(void) {
  const int16_t in[2] = {1000, -2001};
  const int8_t f[2] = {3, -2};
  const int64_t bias[1] = {1};
  xai_dims4 id = {1, 1, 2, 1}, fd = {1, 1, 2, 1}, od = {1, 1, 1, 1};
  test_quant_set qs;
  const double half = 0.5;
  test_set_quant(&qs, &half, 1);
  xai_conv_params p = test_plain_params();
  p.act_min = -32768;
  p.act_max = 32767;
  int16_t out[1];
  CHECK_EQ_INT(xai_depthwise_conv2d_s16_ref(&p, &qs.q, &id, in, &fd, f, bias,
                                            &od, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], 3502);
}

static void test_bad_arguments(void) {
  int8_t buf[8] = {0};
  test_quant_set qs;
  const double one = 1.0;
  test_set_quant(&qs, &one, 1);
  xai_conv_params p = test_plain_params();
  /* 3 output channels from 2 input channels: not a whole multiplier. */
  xai_dims4 id = {1, 1, 1, 2}, fd = {1, 1, 1, 3}, od = {1, 1, 1, 3};
  CHECK_EQ_INT(xai_depthwise_conv2d_s8_ref(&p, &qs.q, &id, buf, &fd, buf,
                                           NULL, &od, buf),
               XAI_ERR_ARGUMENT);
}

int main(void) {
  test_multiplier();
  test_shift8_per_tensor();
  test_same_stride2_offsets();
  test_dilation();
  test_s16();
  test_bad_arguments();
  return xai_test_finish("test_conv_depthwise");
}
