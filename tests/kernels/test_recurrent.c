/* SVDF and the gemmlowp int16 activations against hand-derived values and
 * the math they approximate. (The full SVDF and LSTM are checked against
 * LiteRT in test_recurrent_litert.c and tests/runtime.) */
#include <math.h>

#include "testlib.h"
#include "xai/kernels_ref/recurrent.h"

static void test_svdf(void) {
  /* batch 1, input 2, filters 2, rank 1, memory 2. Multiplier 1 is 1.0
   * (2^30 with shift 1), multiplier 2 is 0.5 (2^30, shift 0).
   * Step 1, input {3,-2}: features {1*3+2*-2, -1*3+1*-2} = {-1,-5} go to
   * the newest column; time sums {-1*20, -5*2} = {-20,-10}; + bias {5,0}
   * = {-15,-10}; * 0.5 = -7.5 -> -7 (SRDHM rounds the half up), -5; + zp 1
   * -> {-6,-4}. State then shifts: rows {-1,0}, {-5,0}.
   * Step 2, input 0: time sums {-1*10, -5*1} + bias = {-5,-5} -> -2.5 ->
   * -2 -> +1 = {-1,-1}. */
  xai_svdf_s8_params p = {1, 2, 2, 1, 2, 0, 1, 1 << 30, 1, 1 << 30, 0, 0};
  const int8_t wf[] = {1, 2, -1, 1};
  const int16_t wt[] = {10, 20, 1, 2};
  const int32_t bias[] = {5, 0};
  int16_t state[4] = {0};
  int32_t scratch[8];
  int8_t out[2];
  CHECK_EQ_INT(xai_svdf_s8_scratch_size(&p), 4 * 4);
  CHECK_EQ_INT(xai_svdf_s8_ref(&p, (int8_t[]){3, -2}, wf, wt, bias, state,
                               out, scratch),
               XAI_OK);
  CHECK_EQ_INT(out[0], -6);
  CHECK_EQ_INT(out[1], -4);
  CHECK_EQ_INT(state[0], -1);
  CHECK_EQ_INT(state[1], 0);
  CHECK_EQ_INT(state[2], -5);
  CHECK_EQ_INT(state[3], 0);
  CHECK_EQ_INT(xai_svdf_s8_ref(&p, (int8_t[]){0, 0}, wf, wt, bias, state, out,
                               scratch),
               XAI_OK);
  CHECK_EQ_INT(out[0], -1);
  CHECK_EQ_INT(out[1], -1);
  p.rank = 3; /* 2 filters are not a multiple of rank 3 */
  CHECK_EQ_INT(xai_svdf_s8_ref(&p, (int8_t[]){0, 0}, wf, wt, bias, state, out,
                               scratch),
               XAI_ERR_ARGUMENT);
}

/* gemmlowp's fixed-point functions: exact at 0, odd/complementary
 * symmetry, and within a few LSB of the real functions everywhere. */
static void test_activations(void) {
  CHECK_EQ_INT(xai_gemmlowp_logistic_q3_s16(0), 16384);
  CHECK_EQ_INT(xai_gemmlowp_tanh_s16(0, 3), 0);
  int worst_logistic = 0, worst_tanh = 0;
  for (int32_t x = -32768; x <= 32767; x++) {
    const double real = x / 4096.0; /* Q3.12 */
    const double want = 32768.0 / (1.0 + exp(-real));
    int e = (int)fabs(xai_gemmlowp_logistic_q3_s16((int16_t)x) -
                      (want > 32767 ? 32767 : want));
    if (e > worst_logistic) worst_logistic = e;
    for (int ib = 0; ib <= 6; ib++) {
      const double t = 32768.0 * tanh(x / (double)(1 << (15 - ib)));
      const int16_t got = xai_gemmlowp_tanh_s16((int16_t)x, ib);
      e = (int)fabs(got - (t > 32767 ? 32767 : t));
      if (e > worst_tanh) worst_tanh = e;
      if (x > -32768 && got != -xai_gemmlowp_tanh_s16((int16_t)-x, ib)) {
        fprintf(stderr, "tanh(%d) not odd at ib %d\n", (int)x, ib);
        xai_test_failures++;
        x = 32767;
        break;
      }
    }
  }
  /* gemmlowp's int16 polynomial + 3 Newton steps stays within ~1e-3. */
  CHECK(worst_logistic <= 8);
  CHECK(worst_tanh <= 16);
  printf("worst error: logistic %d LSB, tanh %d LSB\n", worst_logistic,
         worst_tanh);
}

int main(void) {
  test_svdf();
  test_activations();
  return xai_test_finish("kernels_test_recurrent");
}
