/* float32 CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D, MAX_POOL_2D in
 * TFLite Micro's reference order of float operations: sum over filter rows,
 * columns, then channels; add the bias; clamp to the activation range. */
#ifndef XAI_KERNELS_REF_CONV_FLOAT_H
#define XAI_KERNELS_REF_CONV_FLOAT_H

#include "xai/kernels_ref/conv.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w;
  int32_t depth_multiplier; /* depthwise only */
  float act_min, act_max;
} xai_conv_f32_params;

/* filter [out_c, fh, fw, in_c per group]; bias NULL or [out_c]. */
void xai_conv2d_f32_ref(const xai_conv_f32_params *p, const xai_dims4 *in_d,
                        const float *in, const xai_dims4 *f_d,
                        const float *filter, const float *bias,
                        const xai_dims4 *out_d, float *out);
/* filter [1, fh, fw, in_c * depth_multiplier]. */
void xai_depthwise_f32_ref(const xai_conv_f32_params *p,
                           const xai_dims4 *in_d, const float *in,
                           const xai_dims4 *f_d, const float *filter,
                           const float *bias, const xai_dims4 *out_d,
                           float *out);
/* TRANSPOSE_CONV: filter [out_c, fh, fw, in_c]; bias NULL or [out_c];
 * dilations unused. Each input element scatters into the zeroed output
 * (TFLite's order), then the bias is added and the result clamped. */
void xai_transpose_conv_f32_ref(const xai_conv_f32_params *p,
                                const xai_dims4 *in_d, const float *in,
                                const xai_dims4 *f_d, const float *filter,
                                const float *bias, const xai_dims4 *out_d,
                                float *out);
/* is_max 0: average over the in-image part of the window. */
void xai_pool_f32_ref(int is_max, const xai_conv_f32_params *p,
                      int32_t filter_h, int32_t filter_w,
                      const xai_dims4 *in_d, const float *in,
                      const xai_dims4 *out_d, float *out);

#ifdef __cplusplus
}
#endif

#endif
