/* Shared setup for the convolution-family kernel tests. */
#ifndef XAI_TEST_CONV_HELPERS_H
#define XAI_TEST_CONV_HELPERS_H

#include <string.h>

#include "xai/kernels_ref/conv.h"
#include "xai/kernels_ref/quant.h"

#define TEST_MAXC 8

typedef struct {
  int32_t mult[TEST_MAXC], shift[TEST_MAXC];
  int8_t shift8[TEST_MAXC];
  xai_per_channel_quant q;
} test_quant_set;

/* Multipliers from real scales, as an op's prepare derives them. */
static inline void test_set_quant(test_quant_set *qs, const double *scales,
                                  int n) {
  for (int i = 0; i < n; ++i) {
    int s = 0;
    xai_quantize_multiplier(scales[i], &qs->mult[i], &s);
    qs->shift[i] = s;
  }
  qs->q.multiplier = qs->mult;
  qs->q.shift = qs->shift;
  qs->q.shift8 = NULL;
  qs->q.per_tensor = false;
}

/* The same quant as the runtime passes it: int8 shifts only. */
static inline void test_use_shift8(test_quant_set *qs, int n) {
  for (int i = 0; i < n; ++i) qs->shift8[i] = (int8_t)qs->shift[i];
  qs->q.shift = NULL;
  qs->q.shift8 = qs->shift8;
}

static inline xai_conv_params test_plain_params(void) {
  xai_conv_params p;
  memset(&p, 0, sizeof p);
  p.stride_h = p.stride_w = 1;
  p.dilation_h = p.dilation_w = 1;
  p.act_min = -128;
  p.act_max = 127;
  return p;
}

#endif
