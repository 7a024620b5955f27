/* LceQuantize on the VPU (include/xai/kernels_xcore/bconv.h). */
#include <string.h>

#include "xai/kernels_xcore/bconv.h"

/* Scalar bundles (ESTIMATES, as the int8 kernels' constants) of the float
 * form: per value a load, the FPU compare and the shift-or into the word;
 * per word its store and the loop branch. */
#define BUNDLES_F32_VALUE 3u
#define BUNDLES_F32_WORD 2u

void xai_lce_quantize_s8_xcore(xai_vpu_ctx *v, const int8_t *in,
                               int32_t zero_point, size_t row_begin,
                               size_t row_end, int32_t cols, int32_t *out) {
  const int32_t words = xai_lce_words(cols);
  xai_vpu_set_mode(v, XAI_VPU_MODE_INT8);
  if (zero_point <= -128) {
    /* no int8 is below -128: every bit 0 (and VLSUB's -128 quirk avoided) */
    memset(out + row_begin * (size_t)words, 0,
           (row_end - row_begin) * (size_t)words * 4u);
    xai_vpu_mem(v, (uint64_t)(row_end - row_begin) * (uint64_t)words);
    return;
  }
  _Alignas(32) int8_t zp[32], stage[32];
  memset(zp, (int8_t)zero_point, sizeof zp);
  for (size_t r = row_begin; r < row_end; r++)
    for (int32_t w = 0; w < words; w++) {
      const int8_t *src = in + r * (size_t)cols + 32 * (size_t)w;
      int32_t n = cols - 32 * w < 32 ? cols - 32 * w : 32;
      /* a partial or misaligned chunk is staged; its padding lanes hold the
       * zero point, so their bits are 0 */
      if (n < 32 || ((uintptr_t)src & (XAI_XCORE_VPU_ALIGN - 1u)) != 0) {
        memcpy(stage, zp, sizeof stage);
        memcpy(stage, src, (size_t)n);
        xai_vpu_mem(v, 2u * (((uint64_t)n + 3u) / 4u));
        src = stage;
      }
      xai_vpu_vec bits;
      xai_vpu_vldr(v, zp);
      xai_vpu_vlsub(v, src); /* x - zero_point, saturated: sign kept */
      xai_vpu_vdepth1(v);    /* bit i = lane i < 0 */
      xai_vpu_vstr(v, &bits);
      out[r * (size_t)words + (size_t)w] = (int32_t)bits.u32[0];
      xai_vpu_mem(v, 2u); /* LDW + STW of the word */
      xai_vpu_branch(v);
    }
}

uint64_t xai_lce_quantize_f32_bundles(size_t rows, int32_t cols) {
  return (uint64_t)rows * ((uint64_t)cols * BUNDLES_F32_VALUE +
                           (uint64_t)xai_lce_words(cols) * BUNDLES_F32_WORD);
}
