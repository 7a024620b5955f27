/* xcore CONV_2D and DEPTHWISE_CONV_2D (int8), bit-exact with
 * xai_conv2d_s8_ref / xai_depthwise_conv2d_s8_ref.
 *
 * Split of work: prepare once (the xformer calls the pack functions and
 * stores the packed buffers in the model), run many times over a sub-range
 * of output rows on each thread.
 *
 * Packed layout the xformer writes for CONV_2D (xai_conv2d_s8_xcore_pack):
 *   weights  int8, 4-byte aligned: for each group g of 16 output channels
 *            (at g * k_pad * 16), for each 32-byte chunk j of the patch
 *            (patch = filter[oc][ky][kx][ic] flattened in TFLite OHWI
 *            order, zero-padded to k_pad = 32*ceil(K/32) bytes), rows =
 *            min(16, C - 16 g) rows of 32 bytes: row r holds channel
 *            g*16 + rows - 1 - r. VLMACCR rotates (the first row issued
 *            ends in acc[15]), so a short last group first issues 16 -
 *            rows VLMACCRs of a library zero row. Size: k_pad * C bytes.
 *   bias     per group, int16 vD halves[16] then uint16 vR halves[16] of
 *            bias'[oc] = bias[oc] - zp_in * sum(filter[oc]) (int32): 64
 *            bytes per group. Folding the input zero point here lets the
 *            MACs run on raw int8 inputs; padded taps then must contribute
 *            zp_in * w (the kernel feeds a vector of zp_in for them), so
 *            sum over taps of (x - zp_in) * w stays exact, padding included.
 *   rq       a record index, one xai_rq_group record per group and the
 *            layer's xai_rq_consts (requant.h; sizes vary, see below).
 *   Window layout (op->window = P >= 1) instead, for layers that are not
 *   direct or contiguous, with C <= 16 output channels and
 *   span = ((kw-1)*dilation_w + 1)*in.c <= 29 bytes (RGB inputs, depthwise
 *   layers of one input channel lowered as CONV_2D): one output row's
 *   filter row fy for P adjacent output pixels lies in one word-aligned
 *   32-byte read of the input row, the first byte at offset a (0..3).
 *   P = 1 for C > 8, else the largest P <= 16 / C with
 *   (P-1)*stride_w*in.c + span + 3 <= 32. weights: for each filter row fy,
 *   for each offset a the layer meets (op->window_aligns, bit a; staged
 *   windows are copied to the same offset), in increasing order, 16 rows
 *   of 32 bytes; row r ends in lane l = 15 - r;
 *   lane l < P*C is pixel p = l / C, channel c = l % C and its row holds
 *   filter[c][fy][fx][ci] at byte a + p*stride_w*in.c + fx*dilation_w*in.c
 *   + ci (the rest zero). Size kh * popcount(window_aligns) * 512 bytes;
 *   one group whose bias and rq lanes repeat the C channels P times
 *   (xai_rq_consts.replicas).
 * DEPTHWISE_CONV_2D (xai_dwconv2d_s8_xcore_pack): weights are, per group
 * of 16 output channels and per tap (ky, kx), 16 bytes filter[0][ky][kx]
 * [g*16 + i] (VLMACC loads 32 bytes and uses 16: the next tap's bytes, or
 * for the last tap the bias region's, are read and ignored);
 * bias and rq as above with sum over taps of the channel's weights. With
 * depth multiplier 1 and C <= 8 channels, lane l < R*C (R = 16 / C) of the
 * one group holds channel l % C (weights, bias, rq; consts.replicas = R):
 * with stride_w 1 the kernel then computes R adjacent pixels per vector. */
#ifndef XAI_KERNELS_XCORE_CONV_H
#define XAI_KERNELS_XCORE_CONV_H

#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"
#include "xai/kernels_ref/conv.h"
#include "xai/kernels_xcore/requant.h"
#include "xai/vpu.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Everything a run needs; the buffers point into caller memory (the packed
 * model), sized by the matching _packed_size function. */
typedef struct {
  xai_conv_params p;      /* geometry, zero points, clamp (as the ref) */
  xai_dims4 in, filter, out;
  int32_t k;              /* patch length: filter h * w * c (CONV_2D) */
  int32_t k_pad;          /* k rounded up to 32 */
  int32_t n_groups;       /* ceil(out.c / 16) */
  int32_t direct;         /* CONV_2D: 1 = no gather (in.c % 32 == 0) */
  int32_t depth_multiplier; /* DEPTHWISE: out.c / in.c */
  int32_t patch_contiguous; /* CONV_2D, not direct: each pixel's patch is
                               one word-aligned run of the input, read in
                               place (no gather, no scratch) */
  int32_t window;         /* CONV_2D, few input channels: 0, or the output
                             pixels (>= 1) one vector computes from
                             in-place 32-byte windows of input rows */
  int32_t window_aligns;  /* window layout: bit a set = weight rows for
                             input offset a (0..3) are stored (see above) */
  int8_t *weights;        /* the blob's start */
  int16_t *bias;          /* 32 int16 per group, then the record index */
  xai_rq_group *rq;       /* group 0's record */
  xai_rq_consts *consts;  /* the blob's last part */
} xai_conv_xcore;


/* Bytes of memory pack needs for a CONV_2D layer (an upper bound: the
 * blob's exact size depends on its requantization records, see
 * xai_xcore_blob_bytes); 0 for invalid dims. The blob is, at byte offsets
 * from its start (the same for CONV_2D, DEPTHWISE and FC):
 *   weights  0                          weight_bytes (see above)
 *   bias     B = align4(weight_bytes)   64 * n_groups
 *   index    I = B + 64 * n_groups      uint32[n_groups + 1]: offsets of
 *                                       the records, then of the consts
 *   records  I + 4 * (n_groups + 1)     xai_rq_group each (requant.h)
 *   consts   index[n_groups]            xai_rq_consts, ends the blob
 * It needs only 4-byte alignment (XAI_XCORE_VPU_ALIGN). */
size_t xai_conv2d_s8_xcore_packed_size_p(const xai_conv_params *p,
                                         const xai_dims4 *in,
                                         const xai_dims4 *filter,
                                         const xai_dims4 *out);
/* The largest blob the geometry may need for any strides, dilations and
 * padding (the window layout when it can apply, see above): enough memory
 * for pack; _p is tighter. */
size_t xai_conv2d_s8_xcore_packed_size(const xai_dims4 *in,
                                       const xai_dims4 *filter,
                                       const xai_dims4 *out);
/* Packs TFLite-layout filter (OHWI), bias (int32 or NULL) and per-channel
 * quantization into mem (packed_size bytes, 4-byte aligned) and fills
 * *op. Errors: XAI_ERR_UNSUPPORTED for grouped convolution, XAI_ERR_ARGUMENT
 * for inconsistent dims or params, XAI_ERR_RANGE if a folded bias leaves
 * int32. */
xai_status xai_conv2d_s8_xcore_pack(const xai_conv_params *p,
                                    const xai_per_channel_quant *q,
                                    const xai_dims4 *in,
                                    const xai_dims4 *filter,
                                    const int8_t *filter_data,
                                    const int32_t *bias, const xai_dims4 *out,
                                    void *mem, size_t mem_size,
                                    xai_conv_xcore *op, xai_error *err);
/* Binds op to a blob pack wrote earlier (possibly copied elsewhere, e.g.
 * into the arena): op->p, in, filter and out must hold what pack was given;
 * this re-derives k, k_pad, n_groups, direct, depth_multiplier, window
 * and the four pointers with pack's own layout. Call it before every run
 * whose blob may have moved. XAI_ERR_ARGUMENT for inconsistent dims, a
 * blob not 4-byte aligned, or one whose mem_size bytes are not exactly a
 * blob of this geometry (index, records and consts are all checked).
 * Never writes to mem.
 * mem == NULL derives the fields only (pointers NULL), e.g. to size
 * scratch before the blob is loaded. */
xai_status xai_conv2d_s8_xcore_bind(xai_conv_xcore *op, const void *mem,
                                    size_t mem_size);
/* Writes into mem (4-byte aligned) a blob of exactly mem_size bytes that
 * binds to op's geometry (op->p, in, filter, out set): zero weights and
 * bias, placeholder requantization records. For cost estimates made
 * before the real blob is loaded (the bundle count barely depends on the
 * blob's contents). XAI_ERR_ARGUMENT for bad dims or a size no blob of
 * this geometry can have. */
xai_status xai_conv2d_s8_xcore_placeholder(const xai_conv_xcore *op,
                                           void *mem, size_t mem_size);
xai_status xai_dwconv2d_s8_xcore_placeholder(const xai_conv_xcore *op,
                                             void *mem, size_t mem_size);
/* Arena scratch bytes one thread needs (4-byte aligned): 0 unless the
 * patch must be gathered (input depth not a multiple of 32, patch not
 * contiguous) and there is more than one group of 16 output channels;
 * then k_pad. Fixed-size staging (requantization, zero-point and tail
 * vectors, 192 bytes) is on the kernel's stack. scratch may be NULL when
 * this is 0. An input at an address that is not 4-byte aligned (never an
 * arena tensor) is gathered instead of read in place, through the scratch
 * if it holds k_pad bytes, else chunk by chunk (same bits, slower). */
size_t xai_conv2d_s8_xcore_scratch_size(const xai_conv_xcore *op);
/* Computes output rows [row_begin, row_end) where row r is (batch r /
 * out.h, y r % out.h). The VPU context must be initialised; it is left in
 * int8 mode. Returns XAI_ERR_ARGUMENT for a bad range or missing scratch. */
xai_status xai_conv2d_s8_xcore(xai_vpu_ctx *ctx, const xai_conv_xcore *op,
                               const int8_t *in, int8_t *out,
                               int32_t row_begin, int32_t row_end,
                               void *scratch, size_t scratch_size);

size_t xai_dwconv2d_s8_xcore_packed_size(const xai_dims4 *in,
                                         const xai_dims4 *filter,
                                         const xai_dims4 *out);
xai_status xai_dwconv2d_s8_xcore_pack(const xai_conv_params *p,
                                      const xai_per_channel_quant *q,
                                      const xai_dims4 *in,
                                      const xai_dims4 *filter,
                                      const int8_t *filter_data,
                                      const int32_t *bias,
                                      const xai_dims4 *out, void *mem,
                                      size_t mem_size, xai_conv_xcore *op,
                                      xai_error *err);
/* As xai_conv2d_s8_xcore_bind, for a DEPTHWISE_CONV_2D blob. */
xai_status xai_dwconv2d_s8_xcore_bind(xai_conv_xcore *op, const void *mem,
                                      size_t mem_size);
/* 0: depthwise keeps only fixed-size staging, on its stack. */
size_t xai_dwconv2d_s8_xcore_scratch_size(const xai_conv_xcore *op);
xai_status xai_dwconv2d_s8_xcore(xai_vpu_ctx *ctx, const xai_conv_xcore *op,
                                 const int8_t *in, int8_t *out,
                                 int32_t row_begin, int32_t row_end,
                                 void *scratch, size_t scratch_size);

/* Finer split for threads: a work unit is one output pixel, or one block
 * of pixels a vector computes together (window P, depthwise replicas),
 * in row-major order: row r holds units [r * R, (r + 1) * R) with R =
 * _row_units (op bound: depthwise reads the blob's consts). The _units
 * runs compute units [u_begin, u_end) with the bundles of the row runs
 * (a row range is the same as its units range). */
int32_t xai_conv2d_s8_xcore_row_units(const xai_conv_xcore *op);
int32_t xai_dwconv2d_s8_xcore_row_units(const xai_conv_xcore *op);
xai_status xai_conv2d_s8_xcore_units(xai_vpu_ctx *ctx,
                                     const xai_conv_xcore *op,
                                     const int8_t *in, int8_t *out,
                                     int32_t u_begin, int32_t u_end,
                                     void *scratch, size_t scratch_size);
xai_status xai_dwconv2d_s8_xcore_units(xai_vpu_ctx *ctx,
                                       const xai_conv_xcore *op,
                                       const int8_t *in, int8_t *out,
                                       int32_t u_begin, int32_t u_end,
                                       void *scratch, size_t scratch_size);

/* ---- Threads --------------------------------------------------------------
 * Even split of `total` work items (rows, channel groups) over n threads:
 * thread i gets [*begin, *end); the first total % n threads get one more. */
void xai_xcore_split(int32_t total, unsigned n, unsigned i, int32_t *begin,
                     int32_t *end);

/* Op time of per-thread bundle counts (weights in SRAM) through the machine
 * model (xai_vpu_time_op). */
xai_status xai_xcore_op_time(const uint64_t *thread_bundles, unsigned n,
                             xai_vpu_op_time *t, xai_error *err);

#ifdef __cplusplus
}
#endif

#endif
