/* SVDF with int8 weights_time and int8 state (TFLite Micro's svdf_common
 * integer path for int8), against values derived by hand below from the
 * documented arithmetic. LiteRT cannot be the oracle: its reference SVDF
 * reads an int8 weights_time as int16. */
#include "testlib.h"
#include "xai/kernels_ref/recurrent.h"

int main(void) {
  /* batch 1, input 2, filters 2, rank 1, memory 2; input zp 1, output zp
   * -2, state zp 3. Multiplier 1 is 1.0 (2^30, shift 1), multiplier 2 is
   * 0.5 (2^30, shift 0). The state starts at its zero point (TFLite resets
   * int8 variables to it). */
  xai_svdf_s8_params p = {.batch = 1, .input_size = 2, .num_filters = 2,
                          .rank = 1, .memory_size = 2,
                          .input_zero_point = 1, .output_zero_point = -2,
                          .multiplier_1 = 1 << 30, .shift_1 = 1,
                          .multiplier_2 = 1 << 30, .shift_2 = 0,
                          .state_zero_point = 3};
  const int8_t wf[] = {1, 2, -1, 1};
  const int8_t wt[] = {10, 20, 1, 2};
  const int32_t bias[] = {5, 0};
  int8_t state[4] = {3, 3, 3, 3};
  int32_t scratch[4];
  int8_t out[2];
  CHECK_EQ_INT(xai_svdf_s8_scratch_size(&p), sizeof scratch);

  /* Step 1, input {4,-1} (minus zp: {3,-2}): features {3-4, -3-2} =
   * {-1,-5}, + state zp -> {2,-2} in the newest column after the rows
   * shift: rows {3,2}, {3,-2}. Time sums (state minus zp 3):
   * {10*0 + 20*-1, 1*0 + 2*-5} = {-20,-10}; + bias {5,0} = {-15,-10};
   * * 0.5 = {-7.5,-5}: SRDHM rounds -7.5 to -7; + output zp -> {-9,-7}. */
  CHECK_EQ_INT(xai_svdf_s8_state8_ref(&p, (int8_t[]){4, -1}, wf, wt, bias,
                                      state, out, scratch),
               XAI_OK);
  CHECK_EQ_INT(out[0], -9);
  CHECK_EQ_INT(out[1], -7);
  CHECK_EQ_INT(state[0], 3);
  CHECK_EQ_INT(state[1], 2);
  CHECK_EQ_INT(state[2], 3);
  CHECK_EQ_INT(state[3], -2);

  /* Step 2, input {1,1} = zp: features 0 -> 3. Rows {2,3}, {-2,3}. Time
   * sums {10*-1 + 0, 1*-5 + 0} = {-10,-5}; + bias = {-5,-5}; * 0.5 = -2.5
   * -> -2; + zp -> {-4,-4}. */
  CHECK_EQ_INT(xai_svdf_s8_state8_ref(&p, (int8_t[]){1, 1}, wf, wt, bias,
                                      state, out, scratch),
               XAI_OK);
  CHECK_EQ_INT(out[0], -4);
  CHECK_EQ_INT(out[1], -4);
  CHECK_EQ_INT(state[0], 2);
  CHECK_EQ_INT(state[1], 3);
  CHECK_EQ_INT(state[2], -2);
  CHECK_EQ_INT(state[3], 3);

  /* Step 3, input {127,-128} (minus zp: {126,-129}): features
   * {126-258, -126-129} = {-132,-255}; + zp 3 = {-129,-252}; the clamp
   * comes after the zero point, so both store -128 (clamping first would
   * store -125). Rows {3,-128}, {3,-128}. Time sums {0 + 20*-131,
   * 0 + 2*-131} = {-2620,-262}; + bias = {-2615,-262}; * 0.5 =
   * {-1307.5,-131} -> {-1307,-131}; + zp -> {-1309,-133} -> clamp -128. */
  CHECK_EQ_INT(xai_svdf_s8_state8_ref(&p, (int8_t[]){127, -128}, wf, wt,
                                      bias, state, out, scratch),
               XAI_OK);
  CHECK_EQ_INT(out[0], -128);
  CHECK_EQ_INT(out[1], -128);
  CHECK_EQ_INT(state[0], 3);
  CHECK_EQ_INT(state[1], -128);
  CHECK_EQ_INT(state[2], 3);
  CHECK_EQ_INT(state[3], -128);

  /* No bias, rank 2 (one unit summing both filters): state {0,0,0,0}
   * with zp 0, input {1,3} (minus zp {0,2}): features {4,2}; rows {0,4},
   * {0,2}; time sums {20*4, 2*2} = {80,4}; unit sum 84 * 0.5 = 42 - 2 =
   * 40. */
  p.rank = 2;
  p.state_zero_point = 0;
  int8_t state2[4] = {0, 0, 0, 0};
  CHECK_EQ_INT(xai_svdf_s8_state8_ref(&p, (int8_t[]){1, 3}, wf, wt, NULL,
                                      state2, out, scratch),
               XAI_OK);
  CHECK_EQ_INT(out[0], 40);
  CHECK_EQ_INT(state2[1], 4);
  CHECK_EQ_INT(state2[3], 2);

  p.rank = 3; /* 2 filters are not a multiple of rank 3 */
  CHECK_EQ_INT(xai_svdf_s8_state8_ref(&p, (int8_t[]){0, 0}, wf, wt, bias,
                                      state, out, scratch),
               XAI_ERR_ARGUMENT);
  return xai_test_finish("kernels_test_svdf_state8");
}
