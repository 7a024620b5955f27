/* Comparisons (EQUAL, NOT_EQUAL, GREATER, GREATER_EQUAL, LESS, LESS_EQUAL),
 * LOGICAL_AND / LOGICAL_OR / LOGICAL_NOT and SELECT_V2, with TFLite's
 * broadcasting (xai_bcast), bit-exact with TFLite Micro's comparisons.cc,
 * logical.cc and select.cc. Bool tensors hold one byte, 0 or 1. */
#ifndef XAI_KERNELS_REF_COMPARE_H
#define XAI_KERNELS_REF_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "xai/kernels_ref/elementwise.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  XAI_CMP_EQ, XAI_CMP_NE, XAI_CMP_GT, XAI_CMP_GE, XAI_CMP_LT, XAI_CMP_LE,
} xai_cmp_fn;

/* int8 inputs are compared after TFLM's rescaling: (q - zp) << 8 times
 * each input's own scale as a Q31 multiplier (ComparisonWithScaling). */
typedef struct {
  int32_t offset1, offset2; /* -zero points */
  int32_t multiplier1, multiplier2;
  int shift1, shift2;
} xai_cmp_s8_params;
void xai_cmp_s8_params_make(float scale1, int32_t zp1, float scale2,
                            int32_t zp2, xai_cmp_s8_params *p);

/* type: XAI_TYPE_FLOAT32, INT32, INT64, INT16, BOOL (unscaled) or INT8
 * (scaled with p, which may be NULL for the other types). */
xai_status xai_compare_ref(xai_cmp_fn fn, int8_t type,
                           const xai_cmp_s8_params *p, const xai_bcast *bc,
                           const void *in1, const void *in2, uint8_t *out);

/* and_op 1: AND, 0: OR. */
void xai_logical_ref(int and_op, const xai_bcast *bc, const uint8_t *in1,
                     const uint8_t *in2, uint8_t *out);
void xai_logical_not_ref(size_t n, const uint8_t *in, uint8_t *out);

/* SELECT_V2: out = cond ? x : y, all three broadcast to the output.
 * Shapes are given already padded to the output's rank (out_rank <= 6). */
typedef struct {
  int32_t rank;
  int32_t dims[XAI_BCAST_MAX_RANK];
  int32_t stride_c[XAI_BCAST_MAX_RANK], stride_x[XAI_BCAST_MAX_RANK],
      stride_y[XAI_BCAST_MAX_RANK];
  size_t count;
} xai_select_plan;
xai_status xai_select_plan_make(const xai_shape *c, const xai_shape *x,
                                const xai_shape *y, xai_select_plan *p,
                                xai_error *err);
void xai_select_ref(const xai_select_plan *p, size_t elem,
                    const uint8_t *cond, const void *x, const void *y,
                    void *out);

#ifdef __cplusplus
}
#endif

#endif
