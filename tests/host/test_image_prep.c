/* xmos_classify's image preparation, against values worked out by hand
 * from the definitions in tools/xmos_classify/image_prep.h. */
#include <math.h>

#include "image_prep.h"
#include "testlib.h"

static int near(double a, double b) { return fabs(a - b) < 1e-4; }

int main(void) {
  /* 2x1 grey [0, 255] to 4x1: source x = (x + 0.5) / 2 - 0.5 =
   * -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1). */
  const uint8_t src[2] = {0, 255};
  float dst[4];
  xc_resize_bilinear(src, 2, 1, 1, dst, 4, 1);
  CHECK(near(dst[0], 0.0) && near(dst[1], 63.75) && near(dst[2], 191.25) &&
        near(dst[3], 255.0));

  /* Range [0,1], scale 1/128, zero point -128: 0.25 -> 32 - 128 = -96,
   * 0.75 -> 96 - 128 = -32, 1.0 -> 0. */
  int8_t q[4];
  CHECK_EQ_INT(xc_quantize_input(dst, 1, 4, 1, 0, 0.0f, 1.0f, 9, 1.0f / 128,
                                 -128, q),
               0);
  CHECK_EQ_INT(q[0], -128);
  CHECK_EQ_INT(q[1], -96);
  CHECK_EQ_INT(q[2], -32);
  CHECK_EQ_INT(q[3], 0);
  /* Scale 1/256: 1.0 -> 256 - 128 = 128, saturated to 127. Range [-1,1]:
   * 63.75 -> -0.5 -> -128 - 128, saturated to -128. */
  CHECK_EQ_INT(xc_quantize_input(dst, 1, 4, 1, 0, 0.0f, 1.0f, 9, 1.0f / 256,
                                 -128, q),
               0);
  CHECK_EQ_INT(q[3], 127);
  CHECK_EQ_INT(xc_quantize_input(dst, 1, 4, 1, 0, -1.0f, 1.0f, 9, 1.0f / 256,
                                 -128, q),
               0);
  CHECK_EQ_INT(q[1], -128);
  /* Half away from zero: 0.5/255*... use uint8 with scale 2: real 255 ->
   * 127.5 -> 128 (+ zp 0). */
  uint8_t u[4];
  CHECK_EQ_INT(xc_quantize_input(dst, 1, 4, 1, 0, 0.0f, 255.0f, 3, 2.0f, 0, u),
               0);
  CHECK_EQ_INT(u[3], 128);
  CHECK_EQ_INT(u[1], 32); /* 63.75 / 2 = 31.875 -> 32 */

  /* NCHW: HWC [p0c0 p0c1 p1c0 p1c1] becomes [p0c0 p1c0 p0c1 p1c1]. */
  const float hwc[4] = {0.0f, 255.0f, 127.5f, 51.0f};
  float chw[4];
  CHECK_EQ_INT(xc_quantize_input(hwc, 1, 2, 2, 1, 0.0f, 255.0f, 0, 0.0f, 0,
                                 chw),
               0);
  CHECK(near(chw[0], 0.0) && near(chw[1], 127.5) && near(chw[2], 255.0) &&
        near(chw[3], 51.0));
  CHECK_EQ_INT(xc_quantize_input(hwc, 1, 2, 2, 0, 0.0f, 1.0f, 42, 1.0f, 0,
                                 chw),
               -1);

  /* Dequantize: int8 -96 with scale 1/128, zero point -128 -> 0.25. */
  const int8_t raw[2] = {-96, 5};
  CHECK(near(xc_dequantize(raw, 0, 9, 1.0f / 128, -128), 0.25));
  CHECK(near(xc_dequantize(raw, 1, 9, 0.0f, 0), 5.0)); /* not quantized */
  /* Softmax of [0, ln 3] = [1/4, 3/4]; large logits do not overflow. */
  double v[2] = {0.0, log(3.0)};
  xc_softmax(v, 2);
  CHECK(near(v[0], 0.25) && near(v[1], 0.75));
  double big[2] = {1000.0, 1000.0};
  xc_softmax(big, 2);
  CHECK(near(big[0], 0.5));
  return xai_test_finish("test_image_prep");
}
