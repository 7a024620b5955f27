/* Helpers shared by the Larq Compute Engine op adapters (lce_*.c). */
#ifndef XAI_RUNTIME_OPS_LCE_OPS_INTERNAL_H
#define XAI_RUNTIME_OPS_LCE_OPS_INTERNAL_H

#include <stdbool.h>

#include "xai/kernels_ref/lce.h"
#include "xai/runtime.h"
#include "xai/tflite.h"
#include "xcore_op_internal.h" /* options map, integer options */

/* Input 0 and output 0, both present, with `inputs` inputs in total. */
xai_status xai_lce_op_io(xai_op_ctx *ctx, uint32_t inputs, xai_rt_tensor **in,
                         xai_rt_tensor **out);
/* "input tensor 3 is INT16; LceQuantize takes FLOAT32 or INT8" */
xai_status xai_lce_op_bad_type(xai_op_ctx *ctx, const char *what,
                               const xai_rt_tensor *t, const char *want);
xai_status xai_lce_op_expect_type(xai_op_ctx *ctx, const xai_rt_tensor *t,
                                  const char *what, int8_t type);
/* An int8 tensor must carry a positive finite scale. */
xai_status xai_lce_op_expect_scale(xai_op_ctx *ctx, const xai_rt_tensor *t,
                                   const char *what);
/* Rank-4 dims (NHWC). */
xai_status xai_lce_op_dims4(xai_op_ctx *ctx, const xai_rt_tensor *t,
                            const char *what, xai_dims4 *d);
/* Fails unless t has rank 1 and `n` elements of `type`. */
xai_status xai_lce_op_vector(xai_op_ctx *ctx, const xai_rt_tensor *t,
                             const char *what, int8_t type, int32_t n);

/* LceBconv2d's options and the shapes they imply, decoded and checked as
 * LCE's bconv2d.cc does (groups from the filter's packed depth). */
typedef struct {
  xai_bconv2d_params p;
  int32_t activation, padding, pad_values;
  int32_t channels_out, k_depth; /* K = kh * kw * channels_in / groups */
  xai_dims4 in, filter, out;     /* out.c unpacked */
} xai_lce_bconv_geometry;
xai_status xai_lce_bconv_decode(xai_op_ctx *ctx, xai_lce_bconv_geometry *g);

/* A binary convolution (optionally fused with a binary max pool) on the
 * VLMACCR1 kernel, shared by LceBconv2d and XAI_bconv2d
 * (lce_bconv_run.c). The op fills p (all but threshold, tail_fix), the
 * dims, k_depth, channels_out, pooled/pool and threads before
 * xai_bconv_run_prepare; eval passes the filter and threshold data. */
typedef struct {
  xai_bconv2d_params p;
  xai_dims4 in, filter, conv, out; /* conv/out: c = unpacked channels */
  int32_t k_depth;
  bool pooled;                     /* out = max pool of conv */
  xai_bmaxpool_params pool;
  unsigned threads;                /* capped by the output pixels */
  int32_t scratch;
  size_t slice;                    /* scratch bytes a thread */
  int32_t *tail_fix;               /* NULL when rows are whole chunks */
  bool filter_fixed;               /* a model constant: tables made once */
  int16_t *bit_lanes;              /* bitpacked output: VPU thresholds */
  bool bit_lanes_fixed;            /* made in prepare (constant inputs) */
  uint16_t *tap_pops;              /* zero padding: per-tap popcounts */
} xai_bconv_run;
/* threshold: the thresholds tensor for bitpacked output, else NULL. */
xai_status xai_bconv_run_prepare(xai_op_ctx *ctx, xai_bconv_run *r,
                                 const xai_rt_tensor *filter,
                                 const xai_rt_tensor *threshold);
xai_status xai_bconv_run_eval(xai_op_ctx *ctx, xai_bconv_run *r,
                              const int32_t *filter,
                              const int32_t *threshold);

#endif
