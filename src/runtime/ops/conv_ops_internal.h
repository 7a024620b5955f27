/* Helpers shared by the convolution-family op adapters (conv_*.c):
 * CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV, FULLY_CONNECTED, pooling. */
#ifndef XAI_RUNTIME_OPS_CONV_OPS_INTERNAL_H
#define XAI_RUNTIME_OPS_CONV_OPS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xai/kernels_ref.h"
#include "xai/runtime.h"

/* Input i (which must be present; `what` names it in the message). */
xai_status xai_conv_op_input(xai_op_ctx *ctx, uint32_t i, const char *what,
                             xai_rt_tensor **out);
xai_status xai_conv_op_output(xai_op_ctx *ctx, xai_rt_tensor **out);

/* Fails unless t has the given type: "filter tensor 12 is FLOAT32;
 * expected INT8". */
xai_status xai_conv_op_expect_type(xai_op_ctx *ctx, const xai_rt_tensor *t,
                                   uint32_t slot, const char *what,
                                   int8_t type);

/* Tensor index of input slot i (for messages); -1 if absent. */
int32_t xai_conv_op_tensor_index(const xai_op_ctx *ctx, uint32_t i);

/* A rank-4 tensor's dims as NHWC (fails naming the tensor otherwise). */
xai_status xai_conv_op_dims4(xai_op_ctx *ctx, const xai_rt_tensor *t,
                             const char *what, xai_dims4 *out);

/* Fails unless the output tensor's declared NHWC dims equal `want`. */
xai_status xai_conv_op_check_out4(xai_op_ctx *ctx, const xai_rt_tensor *out,
                                  const xai_dims4 *want);

/* Fails unless a quantized tensor carries a scale (> 0, finite). */
xai_status xai_conv_op_expect_quant(xai_op_ctx *ctx, const xai_rt_tensor *t,
                                    const char *what);

/* Requantization as kept in the tail: int32 multipliers and int8 shifts
 * (5 bytes a channel instead of 8; TFLite's shifts lie in [-31, 30] for
 * any sane scale), or one pair when every channel shares it (per-tensor
 * weights). The reference conv kernels read both forms directly
 * (xai_per_channel_quant.shift8, .per_tensor), so no eval-time copy. */
typedef struct {
  /* `channels` int32 multipliers followed by `channels` int8 shifts in
   * one tail block, or &one_multiplier when there is a single pair (kept
   * in this struct, so a per-tensor op stores no arrays; the struct must
   * stay where prepare put it, in the op's persistent data). */
  const int32_t *multiplier;
  int32_t channels;
  int32_t one_multiplier;
  bool shared;     /* one multiplier/shift for all channels */
  int8_t one_shift;
} xai_conv_op_quant;

/* Per-channel requantization, as TFLite's
 * PopulateConvolutionQuantizationParams: effective scale = in_scale *
 * filter_scale[c] / out_scale in double from the float32 values, a single
 * filter scale broadcast to every channel. The filter's per-channel scales
 * must run along quant_dim and number `channels`. */
xai_status xai_conv_op_channel_quant(xai_op_ctx *ctx, const xai_rt_tensor *in,
                                     const xai_rt_tensor *filter,
                                     const xai_rt_tensor *out,
                                     int32_t channels, int32_t quant_dim,
                                     xai_conv_op_quant *q);
/* One multiplier/shift for every channel (per-tensor FULLY_CONNECTED). */
xai_status xai_conv_op_shared_quant(xai_op_ctx *ctx, int32_t channels,
                                    int32_t multiplier, int shift,
                                    xai_conv_op_quant *q);

/* Eval: channels [first, first + count) as int32 arrays the caller owns. */
void xai_conv_op_quant_chunk(const xai_conv_op_quant *q, int32_t first,
                             int32_t count, int32_t *mult, int32_t *shift);
/* Eval: the quant as the reference conv kernels take it (int8 shifts, a
 * shared pair marked per_tensor), pointing into q. */
void xai_conv_op_quant_get(const xai_conv_op_quant *q,
                           xai_per_channel_quant *out);

/* Output range of a fused activation for the output's type (INT8 or
 * INT16), TFLite CalculateActivationRangeQuantized. */
void xai_conv_op_act_range(const xai_rt_tensor *out, int activation,
                           int32_t *act_min, int32_t *act_max);

/* Data of an optional constant-or-activation input whose elements need
 * `align`-byte alignment (int32/int64/float bias, float weights). A
 * constant that the model buffer leaves misaligned is copied once into
 * persistent memory; *out is NULL when the input is absent or not
 * constant (read it at eval then: the planner aligns activations). */
xai_status xai_conv_op_const_aligned(xai_op_ctx *ctx, const xai_rt_tensor *t,
                                     size_t align, const void **out);

/* Fails unless bias (if present) has `type` and `count` elements. */
xai_status xai_conv_op_check_bias(xai_op_ctx *ctx, const xai_rt_tensor *bias,
                                  uint32_t slot, int8_t type, int32_t count);

/* The data pointer the kernel reads: the aligned copy made in prepare, or
 * the tensor's own data. */
static inline const void *xai_conv_op_data(const void *prepared,
                                           const xai_rt_tensor *t) {
  return prepared ? prepared : (t ? t->data : NULL);
}

/* Reports a kernel's refusal (a prepare/eval mismatch; should not happen). */
xai_status xai_conv_op_kernel_failed(xai_op_ctx *ctx, xai_status st);

#endif
