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
  uint32_t *index; /* n_groups + 1 byte offsets from the blob start */
  xai_rq_group *rq; /* group 0's record */
  xai_rq_consts *consts;
  size_t total;  /* bytes of the blob */
  /* Set by the caller after carve: pack compact general records
   * (requant.h, XAI_RQ_INFO_COMPACT) where they apply, else fast ones. */
  int rq_compact;
} xai_xc_layout;

/* Output pixels (or FC batch rows) at or below which a layer's groups
 * are packed compact: ~11 bundles more per requantized vector than the
 * fast chain buy 160 of its 260 record bytes per 16 channels. Layers with
 * many channels (most of a model's records) have few pixels, so this
 * keeps most of the bytes saved for a small share of the time. */
#define XAI_XC_COMPACT_MAX_PIXELS 64u
/* pixels <= the threshold in force (xai_rq_set_compact_max_pixels). */
int xai_xc_rq_compact_for(size_t pixels);

/* The vectors of the general chain: split and final shifts, the level
 * constants (vD half, vR half; level 0 only with the L0_Q term) and the
 * coefficient of each term in the mask (NULL: term unused). A full record
 * stores them in this order (the used terms in slot order); a compact one
 * only the final shift, Ml and Mh, and the rest are library vectors. */
typedef struct {
  const void *split, *final;
  const int16_t *k[3][2];
  const int16_t *coef[XAI_RQ_TERMS];
} xai_rq_chain;
void xai_rq_chain_of(const xai_rq_group *g, xai_rq_chain *cv);

static inline size_t xai_xc_align4(size_t n) { return (n + 3u) & ~(size_t)3u; }

/* A packed blob (docs/xcore_ops.md), at byte offsets from its start:
 *   weights  0                          weight_bytes
 *   bias     B = align4(weight_bytes)   64 per group
 *   index    I = B + 64 n_groups        uint32[n_groups + 1]: the offset
 *            of each group's record, then of the constants
 *   records  I + 4 (n_groups + 1)       xai_rq_group each, back to back
 *   consts   index[n_groups]            xai_rq_consts (its .bytes)
 * and nothing after the constants. Records and constants vary in size
 * with what the requantization needs, so only pack knows the total; the
 * one layout both pack and bind use is this description, and bind checks
 * every offset of a blob against it. */

/* Bytes enough for any blob of this weight size and group count (every
 * record at its largest, every constants vector present). */
size_t xai_xc_layout_max_size(size_t weight_bytes, int32_t n_groups);
/* Splits mem (4-byte aligned, max_size bytes) for pack: zeroes the
 * weights, sets weights, bias and index; rq, consts and total are set by
 * xai_xc_pack_channels. */
void xai_xc_layout_carve(void *mem, size_t weight_bytes, int32_t n_groups,
                         xai_xc_layout *l);
/* The split of an already packed blob, without writing to it.
 * XAI_ERR_ARGUMENT unless mem is 4-byte aligned and its mem_size bytes are
 * exactly a blob of this layout: the index starts the records right after
 * itself, each record follows the previous one with its own size, the
 * constants are well formed and end the blob. */
xai_status xai_xc_layout_bind(const void *mem, size_t mem_size,
                              size_t weight_bytes, int32_t n_groups,
                              xai_xc_layout *l);

/* Writes a blob of exactly size bytes that binds (zero weights and bias,
 * fast or else scalar records, the constants taking the rest), for
 * estimates made before the real blob is loaded. XAI_ERR_ARGUMENT when
 * size is too small for n_groups records. */
xai_status xai_xc_layout_placeholder(void *mem, size_t size,
                                     size_t weight_bytes, int32_t n_groups);

/* Group g's record (blob = the weights pointer, the blob's start). The
 * index load is a memory-lane bundle: the kernels charge it with
 * xai_vpu_mem at the top of their group loop. */
static inline const xai_rq_group *xai_xc_group(const int8_t *blob,
                                               const int16_t *bias,
                                               int32_t n_groups, int32_t g) {
  const uint32_t *index = xai_xcore_rq_index(bias, n_groups);
  return (const xai_rq_group *)(const void *)(blob + index[g]);
}

/* Fills bias (bias - zp_in * sum w, must stay int32), the group records
 * and the constants, and l->rq, l->consts, l->total. Channel c's weights
 * are w[c * chan_step + k * k_stride], k < n. reps >= 2 (one group,
 * n_out <= 8 channels): lane l < reps * n_out holds channel l % n_out, so
 * one vector computes reps adjacent output pixels (consts replicas =
 * reps); reps <= 1: lane l of group g is channel 16 g + l. */
xai_status xai_xc_pack_channels(xai_xc_layout *l, int32_t n_out,
                                int32_t reps, const int8_t *w,
                                size_t chan_step, size_t n, size_t k_stride,
                                const int32_t *bias, int32_t zp_in,
                                const xai_per_channel_quant *q,
                                int32_t zp_out, int32_t act_min,
                                int32_t act_max, int single_rounding,
                                const char *op_name, xai_error *err);

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

/* VLMACCR weight layout of n_out channels (conv.h): group g starts at
 * g * k_pad * 16 and holds rows = min(16, n_out - 16 g) rows per 32-byte
 * chunk, so a last group of fewer than 16 channels stores only its own
 * rows (the kernel rotates past the dead lanes with a shared zero row). */
static inline int32_t xai_xc_group_rows(int32_t n_out, int32_t g) {
  return n_out - 16 * g < 16 ? n_out - 16 * g : 16;
}
static inline size_t xai_xc_mac_weight_bytes(int32_t n_out, int32_t k_pad) {
  return ((size_t)(n_out / 16) * 16u + (size_t)(n_out % 16)) *
         (size_t)k_pad;
}
/* Copies a TFLite row (n bytes) of channel oc into that layout: within
 * chunk j of its group, stored row rows - 1 - (oc % 16). */
void xai_xc_pack_row(int8_t *weights, int32_t k_pad, int32_t n_out,
                     int32_t oc, const int8_t *row, int32_t n);

/* 32 zero bytes (library constant): the weight row of dead lanes. */
extern const int8_t xai_xc_zero32[32];

/* acc = bias' of group g (VLDD + VLDR). */
static inline void xai_xc_bias_init(xai_vpu_ctx *ctx, const int16_t *bias,
                                    int32_t g) {
  xai_vpu_vldd(ctx, bias + 32 * g);
  xai_vpu_vldr(ctx, bias + 32 * g + 16);
}

/* 16 VLMACCRs of one 32-byte chunk against one group's 16 rows (vC must
 * hold the input chunk). */
static inline void xai_xc_mac16(xai_vpu_ctx *ctx, const int8_t *rows) {
  xai_vpu_vlmaccr16_block(ctx, rows);
}

/* The same for a group of n stored rows (xai_xc_group_rows): first 16 - n
 * VLMACCRs of the zero row (they only rotate lanes n..15 to the top), then
 * the n rows, which end in lanes n-1 .. 0. Same bundles as 16 rows. */
static inline void xai_xc_mac_rows(xai_vpu_ctx *ctx, const int8_t *rows,
                                   int32_t n) {
  if (n == 16) {
    xai_vpu_vlmaccr16_block(ctx, rows);
    return;
  }
  const int8_t *r[16];
  int k = 0;
  for (int32_t i = n; i < 16; i++) r[k++] = xai_xc_zero32;
  for (int32_t i = 0; i < n; i++) r[k++] = rows + 32 * i;
  xai_vpu_vlmaccr16(ctx, r);
}

/* Charges a scalar copy of n bytes: word copies when both sides allow
 * it, else byte copies; a load and a store each (two memory-lane bundles,
 * the pointer steps pair with them), in a loop unrolled by 4 (one branch
 * per 4 elements). */
static inline void xai_xc_charge_copy(xai_vpu_ctx *ctx, size_t n, int words) {
  const uint64_t units = words ? (n + 3u) / 4u : n;
  xai_vpu_mem(ctx, 2u * units);
  for (uint64_t i = 0; i < (units + 3u) / 4u; i++) xai_vpu_branch(ctx);
}

/* Charges n scalar stores of a fill (memset), unrolled by 4 likewise. */
static inline void xai_xc_charge_fill(xai_vpu_ctx *ctx, size_t n) {
  xai_vpu_mem(ctx, n);
  for (size_t i = 0; i < (n + 3u) / 4u; i++) xai_vpu_branch(ctx);
}

/* Spill reloads per output pixel (or FC batch row) of the conv and FC
 * kernels: their pixel loops keep input, output, weight, bias, record and
 * constants pointers, the zero-point vector, the pixel, group and chunk
 * (or tap) counters, the row offset and the bound: 14 live values. */
#define XAI_XC_PIXEL_LOOP_LIVE 14u

/* Work units of the conv kernels (conv.h: xai_conv2d_s8_xcore_units):
 * row r holds units [r * nb, (r + 1) * nb), unit j of the row its
 * pixels [j * step, j * step + step). The first and one past the last
 * output x of row r inside units [u_begin, u_end). */
static inline int32_t xai_xc_unit_ox_begin(int32_t row, int32_t nb,
                                           int32_t step, int32_t u_begin) {
  int64_t first = (int64_t)row * nb;
  return first < u_begin ? (int32_t)(u_begin - first) * step : 0;
}
static inline int32_t xai_xc_unit_ox_end(int32_t row, int32_t nb,
                                         int32_t step, int32_t out_w,
                                         int32_t u_end) {
  int64_t end = (int64_t)(row + 1) * nb;
  if (end <= u_end) return out_w;
  int32_t ox = (int32_t)(u_end - (int64_t)row * nb) * step;
  return ox < out_w ? ox : out_w;
}

#endif
