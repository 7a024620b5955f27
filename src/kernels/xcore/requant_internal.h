/* Private helpers shared by the xcore CONV_2D, DEPTHWISE_CONV_2D and
 * FULLY_CONNECTED kernels: carving packed memory, folding the input zero
 * point into the bias, building the requant groups, bias init. */
#ifndef XAI_KERNELS_XCORE_REQUANT_INTERNAL_H
#define XAI_KERNELS_XCORE_REQUANT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "xai/kernels_ref/conv.h"
#include "xai/kernels_xcore/requant.h"
#include "xai/vpu.h"

typedef struct {
  int8_t *weights;
  int16_t *bias; /* 32 int16 per group: vD halves then vR halves */
  xai_rq_group *rq;
  xai_rq_consts *consts;
} xai_xc_layout;

static inline size_t xai_xc_align32(size_t n) { return (n + 31u) & ~(size_t)31u; }

/* Byte offsets of the four regions of a packed blob: weights at 0, bias
 * at align32(weight_bytes), n_groups xai_rq_group after 64 bias bytes per
 * group, then one xai_rq_consts. The one layout function both pack and
 * bind use, so the runtime finds exactly what the xformer wrote. */
typedef struct {
  size_t weights, bias, rq, consts, total;
} xai_xc_offsets;
void xai_xc_layout_offsets(size_t weight_bytes, int32_t n_groups,
                           xai_xc_offsets *o);

/* Packed bytes for weight_bytes of weights and n_groups groups. */
size_t xai_xc_layout_size(size_t weight_bytes, int32_t n_groups);
/* Splits mem (4-byte aligned) into the four regions; zeroes the weights. */
void xai_xc_layout_carve(void *mem, size_t weight_bytes, int32_t n_groups,
                         xai_xc_layout *l);
/* The same split of an already packed blob, without writing to it.
 * XAI_ERR_ARGUMENT unless mem is 4-byte aligned and holds mem_size >=
 * xai_xc_layout_size bytes. */
xai_status xai_xc_layout_bind(const void *mem, size_t mem_size,
                              size_t weight_bytes, int32_t n_groups,
                              xai_xc_layout *l);

/* Channel oc's weights are w[oc * chan_step + k * k_stride], k < n. Fills
 * bias (bias - zp_in * sum w, must stay int32), rq groups and consts. */
xai_status xai_xc_pack_channels(const xai_xc_layout *l, int32_t n_out,
                                const int8_t *w, size_t chan_step, size_t n,
                                size_t k_stride, const int32_t *bias,
                                int32_t zp_in, const xai_per_channel_quant *q,
                                int32_t zp_out, int32_t act_min,
                                int32_t act_max, int single_rounding,
                                const char *op_name, xai_error *err);

/* After xai_xc_pack_channels for a one-group layer of n_out <= 8
 * channels: lane l < reps * n_out of group 0 (bias and requantization)
 * becomes a copy of channel l % n_out, so one vector computes reps
 * adjacent output pixels; sets consts->replicas. Same arguments as
 * xai_xc_pack_channels (double rounding). */
void xai_xc_replicate_lanes(const xai_xc_layout *l, int32_t n_out,
                            int32_t reps, const int8_t *w, size_t chan_step,
                            size_t n, size_t k_stride, const int32_t *bias,
                            int32_t zp_in, const xai_per_channel_quant *q);

/* The fixed-size vectors one kernel call stages through memory (the VPU
 * has no register-to-register moves, so every intermediate goes through a
 * store and a load): the requantization slots, a vector of the input zero
 * point for padded taps and one staged input vector (tails, gathered
 * lanes). They live in the calling thread's stack frame, like a compiler's
 * spill slots: their size does not depend on the layer, so they would be
 * the same few words in every op's arena scratch. Only buffers that grow
 * with the layer (an im2col patch, a realigned input row) are arena
 * scratch. 192 bytes, word aligned (the VPU's XAI_XCORE_VPU_ALIGN). */
typedef struct {
  uint32_t rq[XAI_RQ_SCRATCH_BYTES / 4u];
  uint32_t zp[8];
  uint32_t stage[8];
} xai_xc_frame;

/* Copies a TFLite row (n bytes) into the VLMACCR layout: group g, channel
 * slot i (0..15), k_pad bytes per channel. */
void xai_xc_pack_row(int8_t *weights, int32_t k_pad, int32_t oc,
                     const int8_t *row, int32_t n);

/* acc = bias' of group g (VLDD + VLDR). */
static inline void xai_xc_bias_init(xai_vpu_ctx *ctx, const int16_t *bias,
                                    int32_t g) {
  xai_vpu_vldd(ctx, bias + 32 * g);
  xai_vpu_vldr(ctx, bias + 32 * g + 16);
}

/* 16 VLMACCRs of one 32-byte chunk against one group's 16 rows (vC must
 * hold the input chunk). */
static inline void xai_xc_mac16(xai_vpu_ctx *ctx, const int8_t *rows) {
  for (int r = 0; r < 16; r++) xai_vpu_vlmaccr(ctx, rows + 32 * r);
}

/* Charges a scalar copy of n bytes: word copies when both sides allow
 * it, else byte copies (a load and a store each). */
static inline void xai_xc_charge_copy(xai_vpu_ctx *ctx, size_t n, int words) {
  xai_vpu_scalar(ctx, words ? 2u * ((n + 3u) / 4u) : 2u * n);
}

#endif
