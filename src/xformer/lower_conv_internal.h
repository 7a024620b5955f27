/* Helpers shared by the CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED
 * lowerings (lower_conv*.c). Each check that fails records why with
 * xf_keep() and returns false, so a lowering just returns XAI_OK then. */
#ifndef XAI_XFORMER_LOWER_CONV_INTERNAL_H
#define XAI_XFORMER_LOWER_CONV_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xai/kernels_ref/conv.h"
#include "xformer_internal.h"

/* Tensor t of op is INT8 with a positive, finite per-tensor scale. */
bool xf_conv_int8_act(xf_ctx *x, uint32_t op, int32_t t, const char *what,
                      float *scale, int32_t *zero_point);

/* Tensor t is rank 4 (NHWC or OHWI); dims in *d. */
bool xf_conv_dims4(xf_ctx *x, uint32_t op, int32_t t, const char *what,
                   xai_dims4 *d);

/* Constant INT8 weights of exactly n bytes. */
const int8_t *xf_conv_weights(xf_ctx *x, uint32_t op, int32_t t, size_t n,
                              const char *what);

/* Optional bias: absent gives *bias = NULL; otherwise a constant INT32
 * tensor of n elements, copied to *bias (malloc'd: model buffers need not
 * be 4-byte aligned). false when unusable or out of memory (then *oom). */
bool xf_conv_bias(xf_ctx *x, uint32_t op, int32_t t, int32_t n,
                  int32_t **bias, bool *oom);

/* Per-channel multipliers and shifts for n channels as the reference ops
 * compute them (src/runtime/ops/conv_ops_common.c): per channel in double
 * from the float32 scales; a single filter scale is broadcast. With
 * fc_per_tensor, a single scale follows LiteRT's FULLY_CONNECTED (the two
 * float scales multiplied in float first). mult/shift hold n entries. */
bool xf_conv_quant(xf_ctx *x, uint32_t op, float in_scale, int32_t filter,
                   float out_scale, int32_t n, int32_t quant_dim,
                   bool fc_per_tensor, int32_t *mult, int32_t *shift);

/* The int8 clamp of a fused activation (TFLite
 * CalculateActivationRangeQuantized). */
void xf_conv_act_range(int activation, float out_scale, int32_t out_zp,
                       int32_t *act_min, int32_t *act_max);

/* A lowering's result: the packed blob and its options builder (a map
 * already opened, with "th" added). */
typedef struct {
  xai_flexbuf_builder opts;
  uint8_t *blob;
  size_t blob_size;
} xf_conv_emit;

/* Threads for an op of work_items equal items (output rows, channel
 * groups) of about item_bundles bundles each: the count from 1 to
 * --xcore-thread-count with the least modelled time (SYSTEM.md section 4:
 * most items per thread x item_bundles x max(5, n), plus fork/join for
 * n > 1), the fewest threads on ties. Never more threads than items;
 * above 5 threads each thread issues more slowly, so 9 rows run faster
 * on 5 threads (2 rows each) than on 8. */
uint32_t xf_conv_threads(const xf_ctx *x, int64_t work_items,
                         uint64_t item_bundles);

/* Opens the options map with "th" = th and allocates blob_size bytes
 * (4-byte aligned, zeroed). false on allocation failure (err set). */
xai_status xf_conv_emit_begin(xf_conv_emit *e, size_t blob_size,
                              uint32_t th, xai_error *err);
/* Adds the blob as a constant UINT8 tensor and replaces op by custom op
 * `code` with inputs {in, packed} and output out. Frees e. */
xai_status xf_conv_emit_finish(xf_ctx *x, uint32_t op, xf_conv_emit *e,
                               const char *code, int32_t in, int32_t out,
                               xai_error *err);
void xf_conv_emit_free(xf_conv_emit *e);

/* Reports a kernel pack refusal: unsupported shapes and out-of-range
 * folded biases keep the op (true), anything else is an error (false). */
bool xf_conv_pack_refused(xf_ctx *x, uint32_t op, xai_status st,
                          const xai_error *kerr);

#endif
