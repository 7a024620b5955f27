/* LceBconv2d on the XS3 vector unit's 1-bit mode (VLMACCR1), bit-exact
 * with xai_bconv2d_ref (xai/kernels_ref/lce.h).
 *
 * Per output pixel and group the receptive field's words are gathered into
 * an im2col row in the filter's OHWI order (a padded tap gives 0 words), so
 * output channel c's filter row (kh*kw*words words, contiguous in the
 * model's filter: no repacking, 1 bit a parameter) lines up with it. Full
 * 256-bit chunks run on the VPU: one VLDC of the input chunk, then one
 * VLMACCR1 per output channel of a 16-channel block (a block of fewer
 * channels is completed with a zero row); after n chunks acc = 128 n -
 * popcount(in XOR filter). The < 8-word tail of a row, the zero-padding
 * correction (a padded tap counts channels/2 instead of the filter's
 * popcount) and LCE's output transform are scalar. Threads split output
 * rows. */
#ifndef XAI_KERNELS_XCORE_BCONV_H
#define XAI_KERNELS_XCORE_BCONV_H

#include <stdint.h>

#include "xai/common.h"
#include "xai/kernels_ref/lce.h"
#include "xai/vpu.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 32-byte aligned int32 words the im2col row needs (one group). */
int32_t xai_bconv2d_xcore_scratch_words(const xai_dims4 *filter_dims);

/* Output rows [row_begin, row_end) of every batch (the thread's share).
 * scratch: xai_bconv2d_xcore_scratch_words() words, 32-byte aligned. */
xai_status xai_bconv2d_xcore(xai_vpu_ctx *v, const xai_bconv2d_params *p,
                             const xai_dims4 *in_dims, const int32_t *in,
                             const xai_dims4 *filter_dims,
                             const int32_t *filter, const xai_dims4 *out_dims,
                             void *out, int32_t row_begin, int32_t row_end,
                             int32_t *scratch);

/* Thread t of n's rows: out rows split as evenly as possible. */
void xai_bconv2d_xcore_rows(int32_t out_h, unsigned n, unsigned t,
                            int32_t *begin, int32_t *end);

#ifdef __cplusplus
}
#endif
#endif
