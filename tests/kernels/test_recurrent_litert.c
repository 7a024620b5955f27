/* Integer SVDF against LiteRT (BUILTIN_REF) outputs of random one-op
 * models run for several steps (gen_recurrent_litert_cases.py). The
 * multipliers are derived as TFLite's svdf.cc Prepare does: float products
 * of the tensor scales, widened to double for QuantizeMultiplier. */
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "xai/kernels_ref/quant.h"
#include "xai/kernels_ref/recurrent.h"

typedef struct {
  int32_t dims[5]; /* batch, input_size, filters, rank, memory */
  float scales[5]; /* input, weights_feature, weights_time, state, output */
  int32_t zps[2];  /* input, output */
  int steps;
  const int8_t *wf;
  const int16_t *wt;
  const int32_t *bias;
  const int8_t *x, *y;
} svdf_case;

#include "recurrent_litert_cases.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void check_svdf(void) {
  for (size_t k = 0; k < COUNT(svdf_cases); k++) {
    const svdf_case *c = &svdf_cases[k];
    xai_svdf_s8_params p = {c->dims[0], c->dims[1], c->dims[2], c->dims[3],
                            c->dims[4], c->zps[0],  c->zps[1],  0,
                            0,          0,          0,          0};
    float e1 = c->scales[0] * c->scales[1];
    e1 = e1 / c->scales[3];
    float e2 = c->scales[3] * c->scales[2];
    e2 = e2 / c->scales[4];
    int shift;
    xai_quantize_multiplier((double)e1, &p.multiplier_1, &shift);
    p.shift_1 = shift;
    xai_quantize_multiplier((double)e2, &p.multiplier_2, &shift);
    p.shift_2 = shift;
    const size_t n_state = (size_t)p.batch * p.num_filters * p.memory_size;
    const size_t n_in = (size_t)p.batch * p.input_size;
    const size_t n_out = (size_t)p.batch * (p.num_filters / p.rank);
    int16_t *state = calloc(n_state, sizeof *state);
    void *scratch = malloc(xai_svdf_s8_scratch_size(&p));
    int8_t out[64];
    for (int t = 0; t < c->steps; t++) {
      CHECK_EQ_INT(xai_svdf_s8_ref(&p, c->x + t * n_in, c->wf, c->wt, c->bias,
                                   state, out, scratch),
                   XAI_OK);
      if (memcmp(out, c->y + t * n_out, n_out) != 0) {
        fprintf(stderr, "svdf case %zu step %d differs from LiteRT\n", k, t);
        xai_test_failures++;
        break;
      }
    }
    free(state);
    free(scratch);
  }
}

int main(void) {
  check_svdf();
  return xai_test_finish("kernels_test_recurrent_litert");
}
