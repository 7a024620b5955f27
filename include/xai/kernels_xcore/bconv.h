/* LceBconv2d on the XS3 vector unit's 1-bit mode (VLMACCR1), bit-exact
 * with xai_bconv2d_ref (xai/kernels_ref/lce.h).
 *
 * Per output pixel and group the receptive field's words are gathered into
 * an im2col row in the filter's OHWI order (a padded tap gives 0 words;
 * zeros up to a whole number of 256-bit chunks), so output channel c's
 * filter row (kh*kw*words words, contiguous in the model's filter: no
 * repacking, 1 bit a parameter) lines up with it. Every chunk runs on the
 * VPU: one VLDC of the input chunk, then one VLMACCR1 per output channel
 * of a 16-channel block (a block of fewer channels is completed with a
 * zero row); after n chunks acc = 128 n - popcount(in XOR filter) -
 * tail_fix[c], where tail_fix[c] counts the filter bits the last chunk's
 * read takes from beyond row c (the next rows; a read that would pass the
 * filter's end comes from a zero-padded copy of its last words). The
 * zero-padding correction (a padded tap counts channels/2 instead of the
 * filter's popcount) and LCE's output transform are scalar. Threads split
 * output pixels. */
#ifndef XAI_KERNELS_XCORE_BCONV_H
#define XAI_KERNELS_XCORE_BCONV_H

#include <stdbool.h>
#include <stdint.h>

#include "xai/common.h"
#include "xai/kernels_ref/lce.h"
#include "xai/vpu.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 32-byte aligned int32 words of scratch a call needs (one thread). */
int32_t xai_bconv2d_xcore_scratch_words(const xai_dims4 *filter_dims,
                                        int32_t channels_out);

/* Whether filter rows are not whole 8-word chunks: then p->tail_fix must
 * hold xai_bconv2d_xcore_tail_fix()'s filter_dims->n values. */
bool xai_bconv2d_xcore_needs_tail_fix(const xai_dims4 *filter_dims);
/* Computes tail_fix (filter_dims->n values); its scalar bundles go to v
 * (may be NULL). */
void xai_bconv2d_xcore_tail_fix(xai_vpu_ctx *v, const xai_dims4 *filter_dims,
                                const int32_t *filter, int32_t *tail_fix);

/* Bitpacked output on the VPU: each 16-channel block's accumulators start
 * at threshold[c] + tail_fix[c] - 128 x chunks (saturated to int32, which
 * keeps every sign), so after the chunks a channel's bit is the sign of
 * its accumulator, which VDEPTH1 (int16 mode, on the high halves) packs
 * for all 16; pixels with zero-padded taps use the scalar compare. lanes:
 * xai_bconv2d_xcore_bit_lanes_count() int16, 4-byte aligned, made from
 * p->threshold and p->tail_fix; scalar bundles go to v (may be NULL). */
size_t xai_bconv2d_xcore_bit_lanes_count(const xai_dims4 *filter_dims,
                                         int32_t groups);
void xai_bconv2d_xcore_bit_lanes(xai_vpu_ctx *v, const xai_bconv2d_params *p,
                                 const xai_dims4 *filter_dims, int16_t *lanes);

/* Zero padding (p->zero_padding): a padded tap adds channels/2 instead of
 * the popcount of its filter words, which the VPU counted; with tap_pops
 * (filter_dims->n x kh x kw popcounts, made here; false when a tap's
 * popcount would not fit 16 bits) the correction is one add a padded tap
 * and channel instead of a popcount of its words. */
bool xai_bconv2d_xcore_tap_pops(xai_vpu_ctx *v, const xai_dims4 *filter_dims,
                                const int32_t *filter, uint16_t *tap_pops);

/* Output pixels [pix_begin, pix_end) of n*oh*ow (the thread's share). */
xai_status xai_bconv2d_xcore(xai_vpu_ctx *v, const xai_bconv2d_params *p,
                             const xai_dims4 *in_dims, const int32_t *in,
                             const xai_dims4 *filter_dims,
                             const int32_t *filter, const xai_dims4 *out_dims,
                             void *out, int32_t pix_begin, int32_t pix_end,
                             int32_t *scratch);

/* A bitpacked-output bconv fused with LceBMaxPool2d: pooled pixels
 * [pix_begin, pix_end) of out_dims (c = channels), each the AND of the
 * conv pixels of its window computed on the fly (conv_dims: the conv's
 * output, c = channels); the conv output never exists in memory. */
xai_status xai_bconv2d_pool_xcore(xai_vpu_ctx *v, const xai_bconv2d_params *p,
                                  const xai_bmaxpool_params *pool,
                                  const xai_dims4 *in_dims, const int32_t *in,
                                  const xai_dims4 *filter_dims,
                                  const int32_t *filter,
                                  const xai_dims4 *conv_dims,
                                  const xai_dims4 *out_dims, int32_t *out,
                                  int32_t pix_begin, int32_t pix_end,
                                  int32_t *scratch);

/* LceQuantize of int8 rows [row_begin, row_end) (cols values a row) on
 * the VPU: per 32 values VLDR of the zero point, VLSUB (x - zero point,
 * saturated, sign kept), VDEPTH1 (bit i = lane i < 0, i.e. x < zero
 * point), the word stored; bit-exact with xai_lce_quantize_s8_ref. */
void xai_lce_quantize_s8_xcore(xai_vpu_ctx *v, const int8_t *in,
                               int32_t zero_point, size_t row_begin,
                               size_t row_end, int32_t cols, int32_t *out);
/* Modelled bundles of float LceQuantize (scalar: the VPU's sign bit would
 * give -0.0 and negative NaNs a 1, LCE gives them 0). */
uint64_t xai_lce_quantize_f32_bundles(size_t rows, int32_t cols);

#ifdef __cplusplus
}
#endif
#endif
