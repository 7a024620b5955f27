/* int16 SOFTMAX as TFLite Micro (softmax_common.cc, reference SoftmaxInt16):
 * differences from the row maximum are rescaled so [-10, 0] spans the int16
 * range, exp() and 1/(1+x) come from two 513-entry interpolated tables,
 * and the output is in [0, 1) at scale 1/32768, zero point 0. */
#ifndef XAI_KERNELS_REF_SOFTMAX_S16_H
#define XAI_KERNELS_REF_SOFTMAX_S16_H

#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define XAI_LUT_S16_SIZE 513

typedef struct {
  int32_t input_multiplier;
  int input_left_shift;
  int16_t exp_lut[XAI_LUT_S16_SIZE];
  int16_t recip_lut[XAI_LUT_S16_SIZE]; /* 1 / (1 + x) over [0, 1] */
} xai_softmax_s16_params;

void xai_softmax_s16_params_make(float beta, float input_scale,
                                 xai_softmax_s16_params *p);
void xai_softmax_s16_ref(const xai_softmax_s16_params *p, size_t outer,
                         size_t depth, const int16_t *in, int16_t *out);

/* TFLite's int16 table: func over [in_min, in_max] in 512 steps, outputs
 * [-1, 1] in Q0.15, each entry biased by half its midpoint error. */
void xai_lut_s16_make(float (*func)(float), float in_min, float in_max,
                      int16_t lut[XAI_LUT_S16_SIZE]);
/* Table lookup with 7-bit linear interpolation (generic_int16_table_lookup). */
int16_t xai_lut_s16_lookup(int16_t value, const int16_t lut[XAI_LUT_S16_SIZE]);

#ifdef __cplusplus
}
#endif

#endif
