/* float32 and int32 broadcasting binary arithmetic (ADD, SUB, MUL, DIV,
 * FLOOR_DIV, FLOOR_MOD, SQUARED_DIFFERENCE, MAXIMUM, MINIMUM), as TFLite
 * Micro's reference kernels compute them: the float operation in float,
 * then the fused activation's clamp. */
#ifndef XAI_KERNELS_REF_ARITH_FLOAT_H
#define XAI_KERNELS_REF_ARITH_FLOAT_H

#include <stdint.h>

#include "xai/kernels_ref/elementwise.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  XAI_ARITH_ADD, XAI_ARITH_SUB, XAI_ARITH_MUL, XAI_ARITH_DIV,
  XAI_ARITH_FLOOR_DIV, XAI_ARITH_FLOOR_MOD, XAI_ARITH_SQUARED_DIFFERENCE,
  XAI_ARITH_MAXIMUM, XAI_ARITH_MINIMUM,
} xai_arith_fn;

/* TFLite CalculateActivationRange for float (XAI_ACT_*). */
void xai_activation_range_f32(int activation, float *lo, float *hi);

void xai_arith_f32_ref(xai_arith_fn fn, float act_min, float act_max,
                       const xai_bcast *bc, const float *in1,
                       const float *in2, float *out);
/* int32 (and int64 for MAXIMUM/MINIMUM with elem 8): integer division by
 * zero fails with XAI_ERR_RANGE as TFLM's Eval does. */
xai_status xai_arith_i32_ref(xai_arith_fn fn, int32_t act_min,
                             int32_t act_max, const xai_bcast *bc,
                             const int32_t *in1, const int32_t *in2,
                             int32_t *out);
xai_status xai_arith_i64_ref(xai_arith_fn fn, const xai_bcast *bc,
                             const int64_t *in1, const int64_t *in2,
                             int64_t *out);

#ifdef __cplusplus
}
#endif

#endif
