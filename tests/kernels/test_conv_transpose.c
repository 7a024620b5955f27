/* TRANSPOSE_CONV reference kernels on hand-computed cases. */
#include "test_conv_helpers.h"
#include "testlib.h"
#include "xai/tflite.h"

/* Input [1 2; 3 4], 2x2 ones filter, stride 1, VALID -> 3x3 output where
 * each input pixel adds into the 2x2 block below-right of it:
 *   1  3  2
 *   4 10  6
 *   3  7  4 */
static void test_overlap(void) {
  const int8_t in[4] = {1, 2, 3, 4};
  const int8_t f[4] = {1, 1, 1, 1};
  const int8_t want[9] = {1, 3, 2, 4, 10, 6, 3, 7, 4};
  xai_dims4 id = {1, 2, 2, 1}, fd = {1, 2, 2, 1}, od = {1, 3, 3, 1};
  test_quant_set qs;
  const double one = 1.0;
  test_set_quant(&qs, &one, 1);
  xai_conv_params p = test_plain_params();
  int32_t scratch[9];
  CHECK_EQ_INT(xai_transpose_conv_s8_scratch_size(&od), sizeof scratch);
  int8_t out[9];
  CHECK_EQ_INT(xai_transpose_conv_s8_ref(&p, &qs.q, &id, in, &fd, f, NULL,
                                         &od, out, scratch),
               XAI_OK);
  for (int i = 0; i < 9; ++i) CHECK_EQ_INT(out[i], want[i]);

  /* SAME with a 2x2 output: TFLite computes the padding as a forward conv
   * from the output (2) to the input (2): total (2-1)*1 + 2 - 2 = 1 ->
   * pad 0, so the output is the top-left 2x2 of the VALID result. Input
   * zero point 5 (stored v + 5), output zero point -3, bias 1. */
  int8_t in2[4];
  for (int i = 0; i < 4; ++i) in2[i] = (int8_t)(in[i] + 5);
  const int32_t bias[1] = {1};
  xai_dims4 od2 = {1, 2, 2, 1};
  p.pad_h = p.pad_w = xai_conv_pad(2, 2, 1, 1, 2);
  CHECK_EQ_INT(p.pad_h, 0);
  p.input_offset = -5;
  p.output_offset = -3;
  CHECK_EQ_INT(xai_transpose_conv_s8_ref(&p, &qs.q, &id, in2, &fd, f, bias,
                                         &od2, out, scratch),
               XAI_OK);
  CHECK_EQ_INT(out[0], 1 + 1 - 3);
  CHECK_EQ_INT(out[1], 3 + 1 - 3);
  CHECK_EQ_INT(out[2], 4 + 1 - 3);
  CHECK_EQ_INT(out[3], 10 + 1 - 3);
}

/* Stride 2 with filter [1 2; 3 4] and two output channels (the second
 * filter is the negation, scale 0.5): every input pixel v becomes the
 * 2x2 block v * filter, no overlap. Padding 1 (as SAME would give for a
 * 3-tap filter) shifts the picture up-left by one. */
static void test_stride2_two_channels(void) {
  const int8_t in[4] = {1, 2, 3, 4};
  const int8_t f[8] = {1, 2, 3, 4, -1, -2, -3, -4}; /* [oc][fy][fx][ic] */
  xai_dims4 id = {1, 2, 2, 1}, fd = {2, 2, 2, 1}, od = {1, 4, 4, 2};
  test_quant_set qs;
  const double scales[2] = {1.0, 0.5};
  test_set_quant(&qs, scales, 2);
  xai_conv_params p = test_plain_params();
  p.stride_h = p.stride_w = 2;
  int32_t scratch[32];
  int8_t out[32];
  CHECK_EQ_INT(xai_transpose_conv_s8_ref(&p, &qs.q, &id, in, &fd, f, NULL,
                                         &od, out, scratch),
               XAI_OK);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 4; ++x) {
      int v = in[(y / 2) * 2 + x / 2];
      int w = f[(y % 2) * 2 + x % 2];
      CHECK_EQ_INT(out[(y * 4 + x) * 2 + 0], v * w);
      /* -v*w / 2 with SRDHM ties toward +inf: -1.5 -> -1, -4.5 -> -4. */
      int half = -v * w;
      int want = half % 2 == 0 ? half / 2 : (half + 1) / 2;
      CHECK_EQ_INT(out[(y * 4 + x) * 2 + 1], want);
    }
  /* Padding 1: output (y, x) is the unpadded (y + 1, x + 1); 3x3 output. */
  xai_dims4 od3 = {1, 3, 3, 2};
  p.pad_h = p.pad_w = 1;
  CHECK_EQ_INT(xai_transpose_conv_s8_ref(&p, &qs.q, &id, in, &fd, f, NULL,
                                         &od3, out, scratch),
               XAI_OK);
  for (int y = 0; y < 3; ++y)
    for (int x = 0; x < 3; ++x) {
      int v = in[((y + 1) / 2) * 2 + (x + 1) / 2];
      int w = f[((y + 1) % 2) * 2 + (x + 1) % 2];
      CHECK_EQ_INT(out[(y * 3 + x) * 2 + 0], v * w);
    }
  /* The same with int8 shifts (as the runtime passes them): channel 1
   * still halves. */
  test_use_shift8(&qs, 2);
  CHECK_EQ_INT(xai_transpose_conv_s8_ref(&p, &qs.q, &id, in, &fd, f, NULL,
                                         &od3, out, scratch),
               XAI_OK);
  for (int y = 0; y < 3; ++y)
    for (int x = 0; x < 3; ++x) {
      int v = in[((y + 1) / 2) * 2 + (x + 1) / 2];
      int w = f[((y + 1) % 2) * 2 + (x + 1) % 2];
      CHECK_EQ_INT(out[(y * 3 + x) * 2 + 0], v * w);
      int half = -v * w;
      CHECK_EQ_INT(out[(y * 3 + x) * 2 + 1],
                   half % 2 == 0 ? half / 2 : (half + 1) / 2);
    }
}

/* int16, int64 bias: [1000, -1001] through a 1-tap filter [1] stride 1,
 * scale 0.5: 500 and -500.5 -> -500 (64-bit path, ties toward +inf);
 * bias 2 then gives 501 and -499.5 -> -499. */
static void test_s16(void) {
  const int16_t in[2] = {1000, -1001};
  const int8_t f[1] = {1};
  const int64_t bias[1] = {2};
  xai_dims4 id = {1, 1, 2, 1}, fd = {1, 1, 1, 1}, od = {1, 1, 2, 1};
  test_quant_set qs;
  const double half = 0.5;
  test_set_quant(&qs, &half, 1);
  xai_conv_params p = test_plain_params();
  p.act_min = -32768;
  p.act_max = 32767;
  int64_t scratch[2];
  CHECK_EQ_INT(xai_transpose_conv_s16_scratch_size(&od), sizeof scratch);
  int16_t out[2];
  CHECK_EQ_INT(xai_transpose_conv_s16_ref(&p, &qs.q, &id, in, &fd, f, NULL,
                                          &od, out, scratch),
               XAI_OK);
  CHECK_EQ_INT(out[0], 500);
  CHECK_EQ_INT(out[1], -500);
  CHECK_EQ_INT(xai_transpose_conv_s16_ref(&p, &qs.q, &id, in, &fd, f, bias,
                                          &od, out, scratch),
               XAI_OK);
  CHECK_EQ_INT(out[0], 501);
  CHECK_EQ_INT(out[1], -499);
}

int main(void) {
  test_overlap();
  test_stride2_two_channels();
  test_s16();
  return xai_test_finish("test_conv_transpose");
}
