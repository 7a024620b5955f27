/* xcore FULLY_CONNECTED (int8), bit-exact with xai_fully_connected_s8_ref
 * (symmetric weights: filter_offset must be 0).
 *
 * Packed layout the xformer writes (xai_fc_s8_xcore_pack):
 *   weights  for each group g of 16 outputs (at g * k_pad * 16), for each
 *            32-byte chunk j of the input (zero-padded to k_pad =
 *            32*ceil(input_depth/32)), rows = min(16, n - 16 g) rows of 32
 *            bytes, row r = output g*16 + rows - 1 - r (conv.h). k_pad * n
 *            bytes.
 *   bias     per group int16 vD halves[16], uint16 vR halves[16] of
 *            bias[o] - zp_in * sum_k W[o][k] (bias may be NULL = 0).
 *   rq       record index, xai_rq_group records and xai_rq_consts
 *            (requant.h, conv.h); a per-tensor scale is passed broadcast
 *            as per-channel arrays. packed_size is an upper bound; the
 *            packed blob's size is xai_xcore_blob_bytes. */
#ifndef XAI_KERNELS_XCORE_FC_H
#define XAI_KERNELS_XCORE_FC_H

#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"
#include "xai/kernels_ref/fully_connected.h"
#include "xai/kernels_xcore/requant.h"
#include "xai/vpu.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  xai_fc_params p;
  xai_fc_dims d;
  int32_t k_pad, n_groups;
  int8_t *weights;          /* the blob's start */
  int16_t *bias;            /* then the record index (conv.h) */
  xai_rq_group *rq;         /* group 0's record */
  xai_rq_consts *consts;
} xai_fc_xcore;

size_t xai_fc_s8_xcore_packed_size(const xai_fc_dims *d);
xai_status xai_fc_s8_xcore_pack(const xai_fc_params *p,
                                const xai_per_channel_quant *q,
                                const xai_fc_dims *d, const int8_t *weights,
                                const int32_t *bias, void *mem,
                                size_t mem_size, xai_fc_xcore *op,
                                xai_error *err);
/* Binds op to a packed blob (see xai_conv2d_s8_xcore_bind): op->p and
 * op->d must hold what pack was given; re-derives k_pad, n_groups and the
 * pointers. The blob layout is conv.h's (weights, bias, index, records,
 * consts; mem_size must be the blob's exact size); 4-byte alignment
 * suffices. */
xai_status xai_fc_s8_xcore_bind(xai_fc_xcore *op, const void *mem,
                                size_t mem_size);
/* As xai_conv2d_s8_xcore_placeholder, for op->d. */
xai_status xai_fc_s8_xcore_placeholder(const xai_fc_xcore *op, void *mem,
                                       size_t mem_size);
/* Arena scratch bytes one thread needs: 0 unless batch rows start off
 * word boundaries (batches > 1, input_depth % 4 != 0) and there is more
 * than one group of 16 outputs; then k_pad (a realigned row copy). Other
 * staging (requantization, the tail chunk) is on the kernel's stack;
 * scratch may be NULL when this is 0. */
size_t xai_fc_s8_xcore_scratch_size(const xai_fc_xcore *op);
/* Computes output groups [group_begin, group_end) for every batch row. */
xai_status xai_fc_s8_xcore(xai_vpu_ctx *ctx, const xai_fc_xcore *op,
                           const int8_t *in, int8_t *out, int32_t group_begin,
                           int32_t group_end, void *scratch,
                           size_t scratch_size);

#ifdef __cplusplus
}
#endif

#endif
