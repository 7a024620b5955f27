/* CONV_2D reference kernels on small cases computed by hand (comments show
 * the sums), plus the TFLite padding geometry. */
#include <math.h>
#include <string.h>

#include "test_conv_helpers.h"
#include "testlib.h"
#include "xai/kernels_ref/conv.h"
#include "xai/kernels_ref/quant.h"
#include "xai/tflite.h"

static void test_geometry(void) {
  /* SAME: ceil(in / stride); VALID: ceil((in - eff + 1) / stride). */
  CHECK_EQ_INT(xai_conv_out_size(XAI_PADDING_SAME, 3, 2, 1, 1), 3);
  CHECK_EQ_INT(xai_conv_out_size(XAI_PADDING_SAME, 5, 3, 2, 1), 3);
  CHECK_EQ_INT(xai_conv_out_size(XAI_PADDING_VALID, 5, 3, 2, 1), 2);
  CHECK_EQ_INT(xai_conv_out_size(XAI_PADDING_VALID, 5, 2, 1, 2), 3);
  CHECK_EQ_INT(xai_conv_out_size(XAI_PADDING_VALID, 2, 3, 1, 1), 0);
  /* Total 1 (odd): nothing on top, the odd row at the bottom. */
  CHECK_EQ_INT(xai_conv_pad(3, 2, 1, 1, 3), 0);
  /* 4 wide, 3 filter, stride 2, out 2: total (2-1)*2 + 3 - 4 = 1. */
  CHECK_EQ_INT(xai_conv_pad(4, 3, 2, 1, 2), 0);
  /* 5 wide, 3 filter, stride 1, SAME: total 2 -> 1 each side. */
  CHECK_EQ_INT(xai_conv_pad(5, 3, 1, 1, 5), 1);
  /* Dilation 2 widens a 3-tap filter to 5: total 4 -> 2. */
  CHECK_EQ_INT(xai_conv_pad(5, 3, 1, 2, 5), 2);
  /* 6 wide, 4 filter, stride 1 SAME: total 3 -> 1 top, 2 bottom. */
  CHECK_EQ_INT(xai_conv_pad(6, 4, 1, 1, 6), 1);
  /* VALID never pads. */
  CHECK_EQ_INT(xai_conv_pad(5, 3, 2, 1, 2), 0);
}

/* 3x3 input 1..9, 2x2 ones filter, SAME, stride 1: pad 0 top/left, the odd
 * padding row/column at the bottom/right. Scale 1.0 = (2^30, shift 1). */
static void test_same_odd_padding(void) {
  const int8_t in[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const int8_t f[4] = {1, 1, 1, 1};
  const int8_t want[9] = {12, 16, 9, 24, 28, 15, 15, 17, 9};
  xai_dims4 id = {1, 3, 3, 1}, fd = {1, 2, 2, 1}, od = {1, 3, 3, 1};
  test_quant_set qs;
  const double one = 1.0;
  test_set_quant(&qs, &one, 1);
  xai_conv_params p = test_plain_params();
  p.pad_h = xai_conv_pad(3, 2, 1, 1, 3);
  p.pad_w = p.pad_h;
  int8_t out[9];
  CHECK_EQ_INT(xai_conv2d_s8_ref(&p, &qs.q, &id, in, &fd, f, NULL, &od, out),
               XAI_OK);
  for (int i = 0; i < 9; ++i) CHECK_EQ_INT(out[i], want[i]);
}

/* 4x4 input 1..16, 3x3 ones, stride 2 SAME (pad 0, odd at the end):
 * sums 54, 45 (3+4+7+8+11+12), 72 (9+10+11+13+14+15), 54 (11+12+15+16);
 * scale 0.5 -> 27, 22.5 -> 23, 36, 27. Input zero point -128 (values are
 * stored as v - 128, input_offset 128); output zero point 127 then
 * saturates; output zero point -100 gives -73, -77, -64, -73. */
static void test_stride2_zero_points(void) {
  int8_t in[16];
  for (int i = 0; i < 16; ++i) in[i] = (int8_t)(i + 1 - 128);
  int8_t f[9];
  for (int i = 0; i < 9; ++i) f[i] = 1;
  xai_dims4 id = {1, 4, 4, 1}, fd = {1, 3, 3, 1}, od = {1, 2, 2, 1};
  test_quant_set qs;
  const double half = 0.5;
  test_set_quant(&qs, &half, 1);
  xai_conv_params p = test_plain_params();
  p.stride_h = p.stride_w = 2;
  p.pad_h = p.pad_w = xai_conv_pad(4, 3, 2, 1, 2);
  p.input_offset = 128;
  p.output_offset = -100;
  int8_t out[4];
  CHECK_EQ_INT(xai_conv2d_s8_ref(&p, &qs.q, &id, in, &fd, f, NULL, &od, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], 27 - 100);
  CHECK_EQ_INT(out[1], 23 - 100);
  CHECK_EQ_INT(out[2], 36 - 100);
  CHECK_EQ_INT(out[3], 27 - 100);
  /* Output zero point 127: 27 + 127 saturates to 127 everywhere. */
  p.output_offset = 127;
  CHECK_EQ_INT(xai_conv2d_s8_ref(&p, &qs.q, &id, in, &fd, f, NULL, &od, out),
               XAI_OK);
  for (int i = 0; i < 4; ++i) CHECK_EQ_INT(out[i], 127);
}

/* 5x5 input v(y,x) = 5y + x + 1, 2x2 ones with dilation 2, VALID: taps at
 * (y,x), (y,x+2), (y+2,x), (y+2,x+2) -> 4 v(y,x) + 2 + 10 + 12. */
static void test_dilation(void) {
  int8_t in[25];
  for (int i = 0; i < 25; ++i) in[i] = (int8_t)(i + 1);
  const int8_t f[4] = {1, 1, 1, 1};
  xai_dims4 id = {1, 5, 5, 1}, fd = {1, 2, 2, 1};
  int32_t oh = xai_conv_out_size(XAI_PADDING_VALID, 5, 2, 1, 2);
  CHECK_EQ_INT(oh, 3);
  xai_dims4 od = {1, 3, 3, 1};
  test_quant_set qs;
  const double one = 1.0;
  test_set_quant(&qs, &one, 1);
  xai_conv_params p = test_plain_params();
  p.dilation_h = p.dilation_w = 2;
  int8_t out[9];
  CHECK_EQ_INT(xai_conv2d_s8_ref(&p, &qs.q, &id, in, &fd, f, NULL, &od, out),
               XAI_OK);
  for (int y = 0; y < 3; ++y)
    for (int x = 0; x < 3; ++x)
      CHECK_EQ_INT(out[y * 3 + x], 4 * (5 * y + x + 1) + 24);
}

/* 1x1 conv, 2 input channels at zero point -128 (x + 128 = 10, 20), three
 * output channels with scales 2^-4, 2^-20, 2^4 and a bias:
 *   oc0: [1, 2]  -> 10 + 40 = 50, bias 4  -> 54 * 2^-4 = 3.375 -> 3
 *   oc1: [-3, 1] -> -30 + 20 = -10, bias -1 -> -11 * 2^-20 -> 0 (SRDHM
 *        -5.5 -> -5, then the shift rounds -5 / 2^19 to 0)
 *   oc2: [1, -1] -> -10, bias 3 -> -7 * 16 = -112. */
static void test_per_channel_extremes(void) {
  const int8_t in[2] = {10 - 128, 20 - 128};
  const int8_t f[6] = {1, 2, -3, 1, 1, -1};
  const int32_t bias[3] = {4, -1, 3};
  xai_dims4 id = {1, 1, 1, 2}, fd = {3, 1, 1, 2}, od = {1, 1, 1, 3};
  test_quant_set qs;
  const double scales[3] = {ldexp(1.0, -4), ldexp(1.0, -20), 16.0};
  test_set_quant(&qs, scales, 3);
  xai_conv_params p = test_plain_params();
  p.input_offset = 128;
  p.output_offset = 127;
  int8_t out[3];
  CHECK_EQ_INT(xai_conv2d_s8_ref(&p, &qs.q, &id, in, &fd, f, bias, &od, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], 127); /* 3 + 127 saturates */
  CHECK_EQ_INT(out[1], 127); /* 0 + 127 */
  CHECK_EQ_INT(out[2], 15);  /* -112 + 127 */
  p.output_offset = -128;
  CHECK_EQ_INT(xai_conv2d_s8_ref(&p, &qs.q, &id, in, &fd, f, bias, &od, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], -125);
  CHECK_EQ_INT(out[1], -128);
  CHECK_EQ_INT(out[2], -128); /* -240 clamps */
  /* RELU6 with output scale 0.25, zero point -128: range [-128, -104]. */
  int32_t lo = 0, hi = 0;
  xai_activation_range_quantized(XAI_ACT_RELU6, 0.25f, -128, -128, 127, &lo,
                                 &hi);
  p.act_min = lo;
  p.act_max = hi;
  p.output_offset = -120;
  CHECK_EQ_INT(xai_conv2d_s8_ref(&p, &qs.q, &id, in, &fd, f, bias, &od, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], -117); /* 3 - 120 */
  CHECK_EQ_INT(out[1], -120); /* 0 - 120 */
  CHECK_EQ_INT(out[2], -128); /* -232 clamps to -128 */
  p.output_offset = -90;      /* 3 - 90 = -87 > -104: clamps to act_max */
  CHECK_EQ_INT(xai_conv2d_s8_ref(&p, &qs.q, &id, in, &fd, f, bias, &od, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], -104);
  CHECK_EQ_INT(out[1], -104);
}

/* The same per-channel case with the shifts as int8 (what the runtime
 * passes): the same hand-derived outputs. */
static void test_per_channel_shift8(void) {
  const int8_t in[2] = {10 - 128, 20 - 128};
  const int8_t f[6] = {1, 2, -3, 1, 1, -1};
  const int32_t bias[3] = {4, -1, 3};
  xai_dims4 id = {1, 1, 1, 2}, fd = {3, 1, 1, 2}, od = {1, 1, 1, 3};
  test_quant_set qs;
  const double scales[3] = {ldexp(1.0, -4), ldexp(1.0, -20), 16.0};
  test_set_quant(&qs, scales, 3);
  test_use_shift8(&qs, 3);
  CHECK_EQ_INT(qs.shift8[1], -19); /* 2^-20 = 2^30 * 2^(-19 - 31) */
  xai_conv_params p = test_plain_params();
  p.input_offset = 128;
  p.output_offset = -128;
  int8_t out[3];
  CHECK_EQ_INT(xai_conv2d_s8_ref(&p, &qs.q, &id, in, &fd, f, bias, &od, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], -125);
  CHECK_EQ_INT(out[1], -128);
  CHECK_EQ_INT(out[2], -128);
  p.output_offset = 0;
  CHECK_EQ_INT(xai_conv2d_s8_ref(&p, &qs.q, &id, in, &fd, f, bias, &od, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], 3);
  CHECK_EQ_INT(out[1], 0);
  CHECK_EQ_INT(out[2], -112);
}

/* per_tensor: one multiplier/shift (scale 2^-4) serves all three channels
 * of the case above: 54 -> 3.375 -> 3, -11 -> -0.6875 -> -1, -7 ->
 * -0.4375 -> 0; with int32 and with int8 shifts. */
static void test_per_tensor(void) {
  const int8_t in[2] = {10 - 128, 20 - 128};
  const int8_t f[6] = {1, 2, -3, 1, 1, -1};
  const int32_t bias[3] = {4, -1, 3};
  xai_dims4 id = {1, 1, 1, 2}, fd = {3, 1, 1, 2}, od = {1, 1, 1, 3};
  test_quant_set qs;
  const double scale = ldexp(1.0, -4);
  test_set_quant(&qs, &scale, 1);
  qs.q.per_tensor = true;
  xai_conv_params p = test_plain_params();
  p.input_offset = 128;
  for (int form = 0; form < 2; ++form) {
    if (form) test_use_shift8(&qs, 1);
    int8_t out[3] = {99, 99, 99};
    CHECK_EQ_INT(
        xai_conv2d_s8_ref(&p, &qs.q, &id, in, &fd, f, bias, &od, out),
        XAI_OK);
    CHECK_EQ_INT(out[0], 3);
    CHECK_EQ_INT(out[1], -1);
    CHECK_EQ_INT(out[2], 0);
  }
}

/* Grouped: 4 input channels, filter depth 2 -> 2 groups; oc0 reads
 * channels 0-1 with [1, 1] (1 + 2 = 3), oc1 reads 2-3 with [1, -1]
 * (3 - 4 = -1). */
static void test_groups(void) {
  const int8_t in[4] = {1, 2, 3, 4};
  const int8_t f[4] = {1, 1, 1, -1};
  xai_dims4 id = {1, 1, 1, 4}, fd = {2, 1, 1, 2}, od = {1, 1, 1, 2};
  test_quant_set qs;
  const double ones[2] = {1.0, 1.0};
  test_set_quant(&qs, ones, 2);
  xai_conv_params p = test_plain_params();
  int8_t out[2];
  CHECK_EQ_INT(xai_conv2d_s8_ref(&p, &qs.q, &id, in, &fd, f, NULL, &od, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], 3);
  CHECK_EQ_INT(out[1], -1);
  /* Input depth not a multiple of the filter depth is refused. */
  xai_dims4 bad = {2, 1, 1, 3};
  CHECK_EQ_INT(xai_conv2d_s8_ref(&p, &qs.q, &id, in, &bad, f, NULL, &od, out),
               XAI_ERR_ARGUMENT);
}

/* Batches: two images through one 1x1 filter [2]. */
static void test_batches(void) {
  const int8_t in[2] = {5, -7};
  const int8_t f[1] = {2};
  const int32_t bias[1] = {1};
  xai_dims4 id = {2, 1, 1, 1}, fd = {1, 1, 1, 1}, od = {2, 1, 1, 1};
  test_quant_set qs;
  const double one = 1.0;
  test_set_quant(&qs, &one, 1);
  xai_conv_params p = test_plain_params();
  int8_t out[2];
  CHECK_EQ_INT(xai_conv2d_s8_ref(&p, &qs.q, &id, in, &fd, f, bias, &od, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], 11);
  CHECK_EQ_INT(out[1], -13);
}

/* int16 x int8, 1x2 filter [3, -2] over [1000, -2000, 30000], VALID:
 * 3000 + 4000 = 7000 and -6000 - 60000 = -66000, bias 5 -> 7005, -65995;
 * scale 0.5 with the 64-bit path: (7005 * 2^14 + 2^14) >> 15 = 3503 and
 * -32997 which clamps to -32768. */
static void test_s16(void) {
  const int16_t in[3] = {1000, -2000, 30000};
  const int8_t f[2] = {3, -2};
  const int64_t bias[1] = {5};
  xai_dims4 id = {1, 1, 3, 1}, fd = {1, 1, 2, 1}, od = {1, 1, 2, 1};
  test_quant_set qs;
  const double half = 0.5;
  test_set_quant(&qs, &half, 1);
  xai_conv_params p = test_plain_params();
  p.act_min = -32768;
  p.act_max = 32767;
  int16_t out[2];
  CHECK_EQ_INT(xai_conv2d_s16_ref(&p, &qs.q, &id, in, &fd, f, bias, &od, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], 3503);
  CHECK_EQ_INT(out[1], -32768);
  /* -6 * 0.25 = -1.5: the 64-bit path floors (-6 * 2^14 + 2^15) >> 16 to
   * -1; with an int32 bias TFLite uses the 32-bit path, which gives -2. */
  const int16_t in2[1] = {-6};
  const int8_t f2[1] = {1};
  xai_dims4 id2 = {1, 1, 1, 1}, fd2 = {1, 1, 1, 1}, od2 = {1, 1, 1, 1};
  const double quarter = 0.25;
  test_set_quant(&qs, &quarter, 1);
  CHECK_EQ_INT(
      xai_conv2d_s16_ref(&p, &qs.q, &id2, in2, &fd2, f2, NULL, &od2, out),
      XAI_OK);
  CHECK_EQ_INT(out[0], -1);
  CHECK_EQ_INT(xai_conv2d_s16_acc32_ref(&p, &qs.q, &id2, in2, &fd2, f2, NULL,
                                        &od2, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], -2);
  const int32_t bias32[1] = {-2}; /* -8 * 0.25 = -2 exactly */
  CHECK_EQ_INT(xai_conv2d_s16_acc32_ref(&p, &qs.q, &id2, in2, &fd2, f2,
                                        bias32, &od2, out),
               XAI_OK);
  CHECK_EQ_INT(out[0], -2);
}

static void test_bad_arguments(void) {
  xai_conv_params p = test_plain_params();
  test_quant_set qs;
  const double one = 1.0;
  test_set_quant(&qs, &one, 1);
  int8_t buf[4] = {0};
  xai_dims4 d = {1, 1, 1, 1};
  p.stride_h = 0;
  CHECK_EQ_INT(xai_conv2d_s8_ref(&p, &qs.q, &d, buf, &d, buf, NULL, &d, buf),
               XAI_ERR_ARGUMENT);
  p = test_plain_params();
  xai_dims4 wrong_out = {1, 1, 1, 2}; /* filter has 1 output channel */
  CHECK_EQ_INT(
      xai_conv2d_s8_ref(&p, &qs.q, &d, buf, &d, buf, NULL, &wrong_out, buf),
      XAI_ERR_ARGUMENT);
  CHECK_EQ_INT(xai_conv2d_s8_ref(NULL, &qs.q, &d, buf, &d, buf, NULL, &d, buf),
               XAI_ERR_ARGUMENT);
}

int main(void) {
  test_geometry();
  test_same_odd_padding();
  test_stride2_zero_points();
  test_dilation();
  test_per_channel_extremes();
  test_per_channel_shift8();
  test_per_tensor();
  test_groups();
  test_batches();
  test_s16();
  test_bad_arguments();
  return xai_test_finish("test_conv2d");
}
