/* xcore int8 SOFTMAX (int8 output), exact against xai_softmax_s8_ref.
 *
 * TFLite's quantized softmax of a row is, per element, exp of the scaled
 * difference d = x - max (gemmlowp fixed point), summed in Q12.19, one
 * reciprocal per row, and per element rdbpot(srdhm(recip, exp), k) - 128.
 * d takes only the 256 values 0..-255, so the pack step tabulates exp(d)
 * with the reference's own functions (0 beyond the input radius, where the
 * reference skips the element and outputs -128, which the sum and output
 * steps then give too): the per-element exp (~100 bundles of fixed-point
 * code, twice) becomes one table load. What is left is scalar XS3 code,
 * charged per row and element:
 *   max pass:    ld8s, lss, bf (mov paired)                  3
 *   sum pass:    ld8s, sub, ldw exp[d], add 2^11, shr 12 (the Q12.19
 *                term: a rounding shift of a non-negative value), add  6
 *   reciprocal:  XAI_SOFTMAX_XCORE_RECIP_BUNDLES per row (Newton steps)
 *   output pass: ld8s, sub, ldw exp[d], MBQM-like step
 *                (XAI_SOFTMAX_XCORE_MBQM_BUNDLES), add -128, clamp, st8
 * every loop unrolled by 4 (one branch per 4 elements). Rows split over
 * threads. */
#ifndef XAI_KERNELS_XCORE_SOFTMAX_H
#define XAI_KERNELS_XCORE_SOFTMAX_H

#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"
#include "xai/kernels_ref/activations.h"
#include "xai/kernels_xcore/elementwise.h"
#include "xai/vpu.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ESTIMATES for hand-written scalar XS3 (the same rates as the builtin
 * cost table, src/runtime/op_default_cost.c): a reciprocal in gemmlowp's
 * Newton form, and MACCS-based SRDHM + rounding shift. */
#define XAI_SOFTMAX_XCORE_RECIP_BUNDLES 120u
#define XAI_SOFTMAX_XCORE_MBQM_BUNDLES 10u

typedef struct {
  int32_t exp[256]; /* exp of difference -d, Q0.31 (0 below diff_min) */
} xai_softmax_s8_xcore_params;

void xai_softmax_s8_xcore_pack(const xai_softmax_params *p,
                               xai_softmax_s8_xcore_params *out);

/* Rows [row_begin, row_end) of depth elements each. */
xai_status xai_softmax_s8_xcore(xai_vpu_ctx *ctx,
                                const xai_softmax_s8_xcore_params *p,
                                size_t depth, const int8_t *in, int8_t *out,
                                size_t row_begin, size_t row_end);
xai_status xai_softmax_s8_xcore_run(const xai_softmax_s8_xcore_params *p,
                                    size_t outer, size_t depth,
                                    const int8_t *in, int8_t *out,
                                    unsigned n_threads,
                                    xai_xcore_ew_report *rep, xai_error *err);

#ifdef __cplusplus
}
#endif

#endif
