/* Single-op int16 SOFTMAX, SUM, MEAN and RSQRT models as TFLite Micro
 * takes them (SOFTMAX and RSQRT with zero points 0, SOFTMAX output at
 * 1/32768; SUM and MEAN with any zero points): rows of 1 to 300 values,
 * input scales from 1e-4 to 0.05 and betas 0.5 to 2 (SOFTMAX), output
 * scales that saturate some sums and roots and not others, `__edge` inputs
 * (type limits mixed in). */
#include <math.h>
#include <stdio.h>

#include "gen_builtins_util.h"

typedef struct {
  uint32_t rank;
  int32_t dims[4];
} s16_shape;

static void softmax_s16(gen_ctx *g) {
  static const s16_shape shapes[] = {
      {1, {1}}, {2, {3, 5}}, {3, {2, 3, 64}}, {2, {1, 300}}, {4, {1, 2, 2, 7}},
  };
  static const float scales[] = {1e-4f, 1.0f / 4096, 1e-3f, 0.01f, 0.05f};
  static const float betas[] = {1.0f, 0.5f, 2.0f};
  char name[96];
  int n = 0;
  for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
    for (size_t k = 0; k < sizeof scales / sizeof scales[0]; k++) {
      if ((s + k) % 2) continue; /* half of the grid */
      gen_model gm;
      gen_begin(&gm);
      bt_input(&gm, XAI_TYPE_INT16, shapes[s].dims, shapes[s].rank, scales[k],
               0);
      bt_output(&gm, XAI_TYPE_INT16, shapes[s].dims, shapes[s].rank,
                1.0f / 32768, 0);
      xai_options o = {.type = XAI_OPTS_SOFTMAX};
      o.u.softmax.beta = betas[n % 3];
      snprintf(name, sizeof name, "softmax_int16_%d%s", n, n % 4 ? "" : "__edge");
      n++;
      gen_finish(g, &gm, name, XAI_OP_SOFTMAX, 1, &o);
    }
}

/* SUM and MEAN: TFLM takes any int16 zero point here. */
static void reduce_s16(gen_ctx *g, int mean) {
  static const struct {
    int32_t axes[3];
    uint32_t n;
    int keep;
    uint32_t orank;
    int32_t out[4];
    float out_mult; /* output scale = input scale * this */
  } c[] = {
      {{1, 2}, 2, 1, 4, {2, 1, 1, 3}, 4.0f},
      {{1, 2}, 2, 0, 2, {2, 3}, 0.7f},
      {{-1}, 1, 0, 3, {2, 4, 5}, 1.0f},
      {{0, 3, 0}, 3, 1, 4, {1, 4, 5, 1}, 13.0f},
      {{0, 1, 3}, 3, 0, 1, {5}, 40.0f},
  };
  const int32_t in[4] = {2, 4, 5, 3};
  for (int i = 0; i < 5; i++) {
    gen_model gm;
    gen_begin(&gm);
    const float s = gen_log_uniform(g, 1e-5f, 1e-2f);
    static const int32_t zps[] = {0, 0, -300, 1000, 7};
    bt_input(&gm, XAI_TYPE_INT16, in, 4, s, zps[i]);
    const int32_t n = (int32_t)c[i].n;
    bt_const(&gm, XAI_TYPE_INT32, &n, 1, c[i].axes, 0, 0);
    bt_output(&gm, XAI_TYPE_INT16, c[i].out, c[i].orank,
              s * (mean ? 1.0f / c[i].out_mult + 0.3f : c[i].out_mult),
              zps[(i + 2) % 5]);
    xai_options o = {.type = XAI_OPTS_REDUCER};
    o.u.reducer.keep_dims = c[i].keep;
    char name[96];
    snprintf(name, sizeof name, "%s_int16_%d%s", mean ? "mean" : "sum", i,
             i % 2 ? "__edge" : "");
    gen_finish(g, &gm, name, mean ? XAI_OP_MEAN : XAI_OP_SUM, 1, &o);
  }
}

static void rsqrt_s16(gen_ctx *g) {
  static const s16_shape shapes[] = {{1, {64}}, {3, {2, 3, 5}}, {4, {1, 4, 4, 3}}};
  static const float scales[] = {1e-4f, 1e-3f, 0.01f, 0.5f};
  for (int i = 0; i < 4; i++) {
    gen_model gm;
    gen_begin(&gm);
    const s16_shape *sh = &shapes[i % 3];
    bt_input(&gm, XAI_TYPE_INT16, sh->dims, sh->rank, scales[i], 0);
    /* 1/sqrt(scale) is the largest root (input 1): 0.3 to 3 times that
     * over the int16 range. */
    const float top = 1.0f / sqrtf(scales[i]);
    bt_output(&gm, XAI_TYPE_INT16, sh->dims, sh->rank,
              top / 32767.0f * gen_log_uniform(g, 0.3f, 3.0f), 0);
    char name[96];
    snprintf(name, sizeof name, "rsqrt_int16_%d__pos%s", i, i % 2 ? "__edge" : "");
    gen_finish(g, &gm, name, XAI_OP_RSQRT, 1, NULL);
  }
}

void gen_builtins_int16(gen_ctx *g) {
  softmax_s16(g);
  reduce_s16(g, 0);
  reduce_s16(g, 1);
  rsqrt_s16(g);
}
