/* float32 L2_POOL_2D, L2_NORMALIZATION, LOG_SOFTMAX and BATCH_MATMUL, in
 * TFLite Micro's reference order of float operations (so the results are
 * the same bits). */
#ifndef XAI_KERNELS_REF_NN_FLOAT_H
#define XAI_KERNELS_REF_NN_FLOAT_H

#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t batches, in_h, in_w, depth, out_h, out_w;
  int32_t filter_h, filter_w, stride_h, stride_w, pad_h, pad_w;
  float act_min, act_max;
} xai_l2_pool_params;
void xai_l2_pool_f32_ref(const xai_l2_pool_params *p, const float *in,
                         float *out);

/* Over the last dimension (depth), outer rows of it. */
void xai_l2_norm_f32_ref(size_t outer, size_t depth, float act_min,
                         float act_max, const float *in, float *out);
void xai_log_softmax_f32_ref(size_t outer, size_t depth, const float *in,
                             float *out);

/* lhs [batch..., rows, accum] (or [accum, rows] with adj_x), rhs
 * [batch..., accum, cols] (or [cols, accum] with adj_y); batch dims are
 * given padded to 3 and broadcast. */
typedef struct {
  int32_t lhs_batch[3], rhs_batch[3], out_batch[3];
  int32_t rows, accum, cols;
  int adj_x, adj_y;
} xai_batch_matmul_params;
void xai_batch_matmul_f32_ref(const xai_batch_matmul_params *p,
                              const float *lhs, const float *rhs, float *out);

#ifdef __cplusplus
}
#endif

#endif
