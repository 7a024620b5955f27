/* Single-op LOG_SOFTMAX int8 models (TFLM's output quantization: scale
 * 16/256, zero point 127) over rows of 1 to 300 values and input scales
 * from 2^-10 to 4, so the Q5.26 rescale, the diff_min cut-off and the
 * fixed-point log's range are all reached. */
#include <stdio.h>

#include "gen_builtins_util.h"

typedef struct {
  uint32_t rank;
  int32_t dims[4];
} ls_shape;

void gen_builtins_log_softmax(gen_ctx *g) {
  static const ls_shape shapes[] = {
      {1, {1}},       {2, {3, 5}},  {2, {2, 10}},    {3, {2, 3, 64}},
      {4, {1, 2, 2, 7}}, {2, {1, 300}}, {1, {1001}},
  };
  static const float scales[] = {0.0009765625f, 0.01f, 0.05f, 0.1f,
                                 0.25f,         0.5f,  1.0f,  4.0f};
  static const int32_t zps[] = {-128, 0, 127, -7, 64};
  char name[96];
  int n = 0;
  for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
    for (size_t k = 0; k < sizeof scales / sizeof scales[0]; k++) {
      /* every shape at every scale would be 56 models; half is enough */
      if ((s + k) % 2) continue;
      gen_model gm;
      gen_begin(&gm);
      const ls_shape *sh = &shapes[s];
      const float si = k == 3 ? gen_log_uniform(g, 1e-3f, 2.0f) : scales[k];
      bt_input(&gm, XAI_TYPE_INT8, sh->dims, sh->rank, si, zps[n % 5]);
      bt_output(&gm, XAI_TYPE_INT8, sh->dims, sh->rank, 16.0f / 256.0f, 127);
      snprintf(name, sizeof name, "log_softmax_int8_%d", n++);
      xai_options o = {.type = XAI_OPTS_LOG_SOFTMAX};
      gen_finish(g, &gm, name, XAI_OP_LOG_SOFTMAX, 2, &o);
    }
}
