/* The 1x1 CONV_2D written out bundle by bundle in docs/vpu.md ("One kernel,
 * bundle by bundle"): 32 -> 16 channels, fast requantization chain with
 * sign and P offset, full int8 range. Each further output pixel costs the
 * 74 bundles and 9 FNOPs of that table; if a kernel or cycle-model change
 * moves these numbers, the table must be redone with it. */
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "xai/kernels_xcore/conv.h"

static void *zalloc(size_t n) {
  void *p = aligned_alloc(32, (n + 63) / 32 * 32);
  if (p) memset(p, 0, (n + 63) / 32 * 32);
  return p;
}

/* Bundles and FNOPs of the kernel over w pixels. */
static void run(int32_t w, uint64_t *bundles, uint64_t *fnops,
                uint32_t *info) {
  xai_dims4 in = {1, 1, w, 32}, f = {16, 1, 1, 32}, out = {1, 1, w, 16};
  xai_conv_params p = {1, 1, 1, 1, 0, 0, 5, -3, -128, 127};
  int8_t *fw = zalloc(512), *x = zalloc(32u * (size_t)w),
         *y = zalloc(16u * (size_t)w);
  for (int i = 0; i < 512; i++) fw[i] = (int8_t)(i * 37);
  int32_t m[16], s[16];
  for (int i = 0; i < 16; i++) m[i] = 1500000000 + i * 1000, s[i] = -9;
  xai_per_channel_quant q = {.multiplier = m, .shift = s};
  size_t ps = xai_conv2d_s8_xcore_packed_size_p(&p, &in, &f, &out);
  void *mem = zalloc(ps);
  xai_conv_xcore op;
  xai_error err;
  CHECK(xai_conv2d_s8_xcore_pack(&p, &q, &in, &f, fw, NULL, &out, mem, ps,
                                 &op, &err) == XAI_OK);
  *info = op.rq->info;
  xai_vpu_ctx ctx;
  xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
  CHECK(xai_conv2d_s8_xcore(&ctx, &op, x, y, 0, 1, NULL, 0) == XAI_OK);
  *bundles = ctx.bundles;
  *fnops = ctx.fnops;
  free(fw);
  free(x);
  free(y);
  free(mem);
}

int main(void) {
  uint64_t b2, f2, b3, f3;
  uint32_t info;
  /* more than XAI_XC_COMPACT_MAX_PIXELS outputs: the fast chain */
  run(66, &b2, &f2, &info);
  run(67, &b3, &f3, &info);
  /* fast chain with sign and P offset, int16 output stage */
  CHECK_EQ_INT((info >> XAI_RQ_INFO_FAST_SHIFT) & 0xFu,
               XAI_RQ_FAST | XAI_RQ_FAST_SIGN | XAI_RQ_FAST_POFF);
  CHECK_EQ_INT(b3 - b2, 74);
  CHECK_EQ_INT(f3 - f2, 9);
  return xai_test_finish("test_xcore_cycle_trace");
}
