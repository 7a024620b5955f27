/* bench_xcore_conv's binarized part: LceBconv2d on VLMACCR1 (3x3 c->c on
 * hw x hw; goal shape 256->256 16x16) against the 1-bit peak, and the same
 * layer binary vs int8: modelled time, activation bytes, parameter bytes.
 * Included once by bench_xcore_conv.c. */
#include "xai/kernels_xcore/bconv.h"

static void binary_conv(int32_t hw, int32_t c, double int8_ms) {
  const int32_t k = 3, words = xai_lce_words(c);
  xai_dims4 in = {1, hw, hw, words}, f = {c, k, k, words}, out = {1, hw, hw, c};
  size_t n_in = (size_t)hw * hw * words, n_f = (size_t)c * k * k * words;
  int32_t *x = zalloc(n_in * 4), *fw = zalloc(n_f * 4);
  for (size_t i = 0; i < n_in; i++) x[i] = rnd8() * 0x01010101;
  for (size_t i = 0; i < n_f; i++) fw[i] = rnd8() * 0x01000193;
  float *mult = zalloc(4u * c), *bias = zalloc(4u * c);
  int32_t *th = zalloc(4u * c), *fix = zalloc(4u * c);
  for (int32_t i = 0; i < c; i++) mult[i] = 0.01f, th[i] = k * k * c / 2;
  xai_bconv2d_params p = {.stride_h = 1, .stride_w = 1, .dil_h = 1,
                          .dil_w = 1, .pad_h = 1, .pad_w = 1,
                          .channels_in = c, .groups = 1,
                          .clamp_max = 2 * k * k * c, .mult = mult,
                          .bias = bias, .threshold = th, .tail_fix = fix};
  xai_bconv2d_xcore_tail_fix(NULL, &f, fw, fix);
  int16_t *lanes = zalloc(xai_bconv2d_xcore_bit_lanes_count(&f, 1) * 2);
  xai_bconv2d_xcore_bit_lanes(NULL, &p, &f, lanes);
  int32_t *scratch = zalloc((size_t)xai_bconv2d_xcore_scratch_words(&f, c) * 4);
  const char *kinds[] = {"int8 out", "bitpacked out"};
  for (int kind = 0; kind < 2; kind++) {
    p.out_kind = kind ? XAI_BCONV_OUT_BITPACKED : XAI_BCONV_OUT_INT8;
    p.bit_lanes = kind ? lanes : NULL;
    void *y = zalloc((size_t)hw * hw * c * 4);
    uint64_t tb[5], total = 0;
    for (unsigned t = 0; t < 5; t++) {
      xai_vpu_ctx v;
      xai_vpu_init(&v, XAI_VPU_MODE_INT8);
      int32_t b, e;
      xai_xcore_split(hw * hw, 5, t, &b, &e);
      xai_bconv2d_xcore(&v, &p, &in, x, &f, fw, &out, y, b, e, scratch);
      tb[t] = v.bundles;
      total += v.bundles;
    }
    uint64_t macs = (uint64_t)hw * hw * c * k * k * c;
    xai_vpu_op_time t;
    xai_xcore_op_time(tb, 5, &t, NULL);
    printf("BCONV 3x3 %d->%d %dx%d (%s)   binary MACs %9llu bundles %8llu "
           "util %5.1f%% of the 1-bit peak (256/bundle) 5 threads %.3f ms\n",
           (int)c, (int)c, (int)hw, (int)hw, kinds[kind],
           (unsigned long long)macs, (unsigned long long)total,
           100.0 * (double)macs / (256.0 * (double)total), t.ms);
    if (kind == 0)
      printf("  BNN vs int8, same layer: time %.3f vs %.3f ms; params %zu vs "
             "%zu bytes (1/%.1f); input activation %zu vs %zu bytes\n",
             t.ms, int8_ms, n_f * 4, (size_t)c * k * k * c,
             (double)((size_t)c * k * k * c) / (double)(n_f * 4), n_in * 4,
             (size_t)hw * hw * c);
    free(y);
  }
  free(x), free(fw), free(mult), free(bias), free(th), free(fix), free(lanes);
  free(scratch);
}
