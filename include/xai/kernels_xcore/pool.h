/* xcore-optimised int8 MAX_POOL_2D and AVERAGE_POOL_2D (incl. global
 * average pooling), NHWC, bit-exact with xai_maxpool2d_s8_ref /
 * xai_avgpool2d_s8_ref (padding SAME/VALID via pad_h/pad_w, any stride,
 * activation clamp).
 *
 * Vector path (C % 4 == 0 and 4-byte aligned tensors; otherwise an exact
 * scalar path charged per tap):
 *  - MAX: there is no VPU max, so each tap is a compare and a masked store
 *    into a running-maximum vector (32 channels): VLASHR(tap, 0) (which
 *    turns -128 into -127, so VLSUB never meets its -128 quirk), VLSUB(cur)
 *    = sat(cur - tap'), VDEPTH1 (sign bits = lanes where cur < tap'), and
 *    VLDR(tap) + VSTRPV(cur, mask). Replacing cur = -128 by a tap of -128
 *    is harmless, so the result is the exact maximum. The clamp is the same
 *    compare against broadcast act_min / act_max.
 *  - AVERAGE: VLMACC with vC = 1 sums 16 channels per tap exactly in the
 *    32-bit accumulators. TFLite's (s +- c/2) / c (half away from zero)
 *    becomes, for window size c,
 *        q = rshr(B_c + m_c * s - even_c * m_c * [s < 0], S_c)
 *    with m_c = ceil(2^S_c / c) (int16, VLMACC in int16 mode on the sums),
 *    [s < 0] from VLASHR(s, 15) and B_c folding the +c/2, a +128c offset
 *    that makes the dividend non-negative and -2^(S-1) (VLSAT rounds half
 *    up, so this makes it a floor). The pack step proves it for every sum
 *    s in [-128c, 127c] (exhaustively; B is the intersection of the
 *    per-sum intervals, m is tried around 2^S/c) and marks a count whose
 *    check fails for the exact scalar division of the VPU sums (read out
 *    with VSTR/VSTD). All c <= 195 are proven; c > 255 cannot be (sums
 *    leave int16).
 *    The clamp is two pairs of saturating VLADDs in int16 mode; the narrow
 *    to int8 is VLASHR(-8) + VDEPTH8; -128 results get the documented
 *    masked-store fix-up. */
#ifndef XAI_KERNELS_XCORE_POOL_H
#define XAI_KERNELS_XCORE_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"
#include "xai/kernels_ref/pooling.h"
#include "xai/kernels_xcore/elementwise.h"
#include "xai/vpu.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Division constants for one window size c (what the xformer writes: an
 * array of xai_avgpool2d_s8_xcore_div_count() of them, entry c-1 for window
 * size c; 8 bytes each, little-endian, 4-byte aligned, no pointers, so the
 * array may be used where it lies in a model buffer or the arena). */
typedef struct {
  int32_t bias;       /* B_c */
  int16_t multiplier; /* m_c */
  uint8_t shift;      /* S_c */
  uint8_t flags;      /* XAI_AVGPOOL_DIV_* */
} xai_avgpool_div;

#define XAI_AVGPOOL_DIV_VPU 1u  /* VPU division proven exact for this c */
#define XAI_AVGPOOL_DIV_EVEN 2u /* c even: subtract m_c * [s < 0] */

/* Window sizes above this have no VPU division (their sums leave the
 * int16 lanes), so the table stops there and larger windows divide in
 * scalar code: a big global pool keeps a small table. */
#define XAI_AVGPOOL_DIV_MAX 256u

/* Entries the pack step writes: min(filter_h * filter_w,
 * XAI_AVGPOOL_DIV_MAX). */
size_t xai_avgpool2d_s8_xcore_div_count(const xai_pool_params *p);
/* Fills divs[0 .. div_count) (divs has n entries). */
xai_status xai_avgpool2d_s8_xcore_pack(const xai_pool_params *p,
                                       xai_avgpool_div *divs, size_t n,
                                       xai_error *err);

/* Global average pooling as an AVERAGE_POOL_2D with a VALID whole-image
 * window. */
xai_pool_params xai_pool_params_global(const xai_dims4 *in_dims,
                                       int32_t act_min, int32_t act_max);

/* A thread's share: flattened output rows (batch * out_h) and a channel
 * range (ch_begin a multiple of 16). */
typedef struct {
  int32_t row_begin, row_end;
  int32_t ch_begin, ch_end;
} xai_pool_range;

/* Share i of n: output rows when there are at least n of them, otherwise
 * channel groups of 16 (global pooling has one row). */
void xai_pool_s8_xcore_split(const xai_dims4 *out_dims, unsigned n_threads,
                             unsigned i, xai_pool_range *r);

xai_status xai_maxpool2d_s8_xcore(xai_vpu_ctx *ctx, const xai_pool_params *p,
                                  const xai_dims4 *in_dims, const int8_t *in,
                                  const xai_dims4 *out_dims, int8_t *out,
                                  const xai_pool_range *r);
/* Fails with XAI_ERR_ARGUMENT for a window with no element in the image,
 * as the reference kernel. */
xai_status xai_avgpool2d_s8_xcore(xai_vpu_ctx *ctx, const xai_pool_params *p,
                                  const xai_avgpool_div *divs, size_t n_divs,
                                  const xai_dims4 *in_dims, const int8_t *in,
                                  const xai_dims4 *out_dims, int8_t *out,
                                  const xai_pool_range *r);

/* Whole op over n_threads. divs NULL selects MAX_POOL_2D. */
xai_status xai_pool2d_s8_xcore_run(const xai_pool_params *p,
                                   const xai_avgpool_div *divs, size_t n_divs,
                                   const xai_dims4 *in_dims, const int8_t *in,
                                   const xai_dims4 *out_dims, int8_t *out,
                                   unsigned n_threads,
                                   xai_xcore_ew_report *rep, xai_error *err);

#ifdef __cplusplus
}
#endif

#endif
