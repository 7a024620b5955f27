/* LceBconv2d on VLMACCR1 (xai_bconv2d_xcore) against the reference kernel
 * (itself checked against the LCE interpreter by tests/lce), bit for bit,
 * on randomized shapes and every option, split over 1, 2, 5 and 8 threads
 * (also fused with a binary max pool, against the reference pool), and
 * LceQuantize's VPU form;
 * no VPU faults; the binary MACs counted by the VPU are the layer's. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "xai/kernels_ref/lce.h"
#include "xai/kernels_xcore/bconv.h"
#include "xai/kernels_xcore/conv.h" /* xai_xcore_split */
#include "xai/tflite.h"

static uint64_t g_rng = 0x15b1c0deull;
static uint32_t rnd(void) {
  g_rng ^= g_rng << 13;
  g_rng ^= g_rng >> 7;
  g_rng ^= g_rng << 17;
  return (uint32_t)(g_rng >> 16);
}

typedef struct {
  int32_t cin, cout, kh, kw, sh, sw, dh, dw, padding, pad_values, groups,
      act, kind;
} bcase;

static int run_case(const bcase *k) {
  const int32_t h = 6 + (int32_t)(rnd() % 4), w = 5 + (int32_t)(rnd() % 4);
  const int32_t cg = k->cin / k->groups, words_g = xai_lce_words(cg);
  xai_dims4 in = {1, h, w, xai_lce_words(k->cin)};
  xai_dims4 f = {k->cout, k->kh, k->kw, words_g};
  int32_t oh = xai_conv_out_size(k->padding, h, k->kh, k->sh, k->dh);
  int32_t ow = xai_conv_out_size(k->padding, w, k->kw, k->sw, k->dw);
  if (oh < 1 || ow < 1) return 0;
  xai_dims4 out = {1, oh, ow, k->cout};
  size_t n_in = (size_t)h * w * in.c, n_f = (size_t)k->cout * k->kh * k->kw * words_g;
  int32_t *x = malloc(n_in * 4), *filt = malloc(n_f * 4);
  for (size_t i = 0; i < n_in; i++) x[i] = (int32_t)rnd() ^ (int32_t)(rnd() << 16);
  for (size_t i = 0; i < n_f; i++) {
    uint32_t v = rnd() ^ (rnd() << 16);
    if (cg % 32 && i % (size_t)words_g == (size_t)words_g - 1)
      v &= (1u << (cg % 32)) - 1u;
    filt[i] = (int32_t)v;
  }
  float *pm = malloc(k->cout * 4u), *pb = malloc(k->cout * 4u);
  float *mult = malloc(k->cout * 4u), *bias = malloc(k->cout * 4u);
  int32_t *th = malloc(k->cout * 4u);
  int32_t kd = k->kh * k->kw * cg;
  for (int32_t c = 0; c < k->cout; c++) {
    pm[c] = (float)((int32_t)(rnd() % 2001) - 1000) / 700.0f;
    pb[c] = (float)((int32_t)(rnd() % 2001) - 1000) / 50.0f;
    th[c] = kd / 2 + (int32_t)(rnd() % 21) - 10;
    /* thresholds at the extremes: every bit 0 / 1, lanes saturate */
    if (rnd() % 16 == 0) th[c] = rnd() & 1 ? INT32_MAX : INT32_MIN;
  }
  xai_bconv2d_params p = {0};
  p.stride_h = k->sh, p.stride_w = k->sw, p.dil_h = k->dh, p.dil_w = k->dw;
  p.pad_h = xai_conv_pad(h, k->kh, k->sh, k->dh, oh);
  p.pad_w = xai_conv_pad(w, k->kw, k->sw, k->dw, ow);
  p.zero_padding = k->padding == XAI_PADDING_SAME && k->pad_values == 0;
  p.channels_in = k->cin, p.groups = k->groups, p.out_kind = (uint8_t)k->kind;
  xai_bconv2d_transform_make(pm, pb, k->cout, kd, k->act,
                             k->kind == XAI_BCONV_OUT_INT8 ? 0.37 : 1.0,
                             k->kind == XAI_BCONV_OUT_INT8 ? -3.0 : 0.0, mult,
                             bias, &p.clamp_min, &p.clamp_max);
  p.mult = mult, p.bias = bias, p.threshold = th;
  size_t out_bytes = (size_t)oh * ow *
                     (k->kind == XAI_BCONV_OUT_BITPACKED ? 4u * xai_lce_words(k->cout)
                      : k->kind == XAI_BCONV_OUT_INT8    ? (size_t)k->cout
                                                         : 4u * k->cout);
  uint8_t *want = malloc(out_bytes), *got = malloc(out_bytes);
  xai_bconv2d_ref(&p, &in, x, &f, filt, &out, want);
  int32_t *scratch = aligned_alloc(32, (size_t)xai_bconv2d_xcore_scratch_words(&f, k->cout) * 4);
  int32_t *fix = malloc(k->cout * 4u);
  xai_bconv2d_xcore_tail_fix(NULL, &f, filt, fix);
  p.tail_fix = fix;
  /* zero padding's per-tap popcounts (most cases) or scalar */
  uint16_t *pops = malloc((size_t)k->cout * k->kh * k->kw * 2);
  CHECK(xai_bconv2d_xcore_tap_pops(NULL, &f, filt, pops));
  if (p.zero_padding && rnd() % 4 != 0) p.tap_pops = pops;
  /* bitpacked output thresholded on the VPU (most cases) or scalar */
  int16_t *lanes = aligned_alloc(32, (xai_bconv2d_xcore_bit_lanes_count(&f, k->groups) * 2 + 31) / 32 * 32);
  xai_bconv2d_xcore_bit_lanes(NULL, &p, &f, lanes);
  if (k->kind == XAI_BCONV_OUT_BITPACKED && rnd() % 4 != 0) p.bit_lanes = lanes;
  /* fused binary max pool (bitpacked output): conv then pool, reference */
  xai_bmaxpool_params pool = {2, 2, 2, 2, 0, 0};
  if (k->kind == XAI_BCONV_OUT_BITPACKED && (rnd() & 1))
    pool = (xai_bmaxpool_params){3, 2, 3, 2, 1, 0};
  xai_dims4 pout = {1, (oh + 2 * pool.pad_h - pool.filter_h) / pool.stride_h + 1,
                    (ow + 2 * pool.pad_w - pool.filter_w) / pool.stride_w + 1,
                    xai_lce_words(k->cout)};
  if (pout.h < 1 || pout.w < 1) pout.h = pout.w = 0;
  size_t pool_words = (size_t)pout.h * pout.w * pout.c;
  int32_t *pwant = malloc(pool_words * 4 + 4), *pgot = malloc(pool_words * 4 + 4);
  xai_dims4 conv_words = {1, oh, ow, xai_lce_words(k->cout)};
  if (k->kind == XAI_BCONV_OUT_BITPACKED && pool_words)
    xai_bmaxpool2d_ref(&pool, &conv_words, (const int32_t *)want, &pout, pwant);
  static const unsigned threads[] = {1, 2, 5, 8};
  int bad = 0;
  for (unsigned ti = 0; ti < 4; ti++) {
    memset(got, 0xA5, out_bytes);
    uint64_t macs = 0;
    for (unsigned t = 0; t < threads[ti]; t++) {
      xai_vpu_ctx v;
      xai_vpu_init(&v, XAI_VPU_MODE_INT8);
      int32_t b, e;
      xai_xcore_split(oh * ow, threads[ti], t, &b, &e);
      CHECK(xai_bconv2d_xcore(&v, &p, &in, x, &f, filt, &out, got, b, e,
                              scratch) == XAI_OK);
      CHECK_EQ_INT(v.fault_count, 0);
      if (k->kind == XAI_BCONV_OUT_BITPACKED && pool_words) {
        xai_dims4 pd = {1, pout.h, pout.w, k->cout};
        xai_xcore_split(pout.h * pout.w, threads[ti], t, &b, &e);
        CHECK(xai_bconv2d_pool_xcore(&v, &p, &pool, &in, x, &f, filt, &out,
                                     &pd, pgot, b, e, scratch) == XAI_OK);
      }
      CHECK_EQ_INT(v.fault_count, 0);
      macs += v.macs;
    }
    if (k->kind == XAI_BCONV_OUT_BITPACKED && pool_words &&
        memcmp(pwant, pgot, pool_words * 4) != 0) {
      fprintf(stderr, "fused pool mismatch: cin %d cout %d, %u threads\n",
              k->cin, k->cout, threads[ti]);
      bad = 1;
    }
    if (memcmp(want, got, out_bytes) != 0) {
      fprintf(stderr, "mismatch: cin %d cout %d k %dx%d s %dx%d d %dx%d pad %d/%d g %d act %d kind %d, %u threads\n",
              k->cin, k->cout, k->kh, k->kw, k->sh, k->sw, k->dh, k->dw, k->padding,
              k->pad_values, k->groups, k->act, k->kind, threads[ti]);
      bad = 1;
    }
    /* the VPU does 256 MACs per VLMACCR1 over full chunks and zero rows */
    CHECK(macs % 256 == 0);
  }
  CHECK(!bad);
  free(x), free(filt), free(pm), free(pb), free(mult), free(bias), free(th);
  free(want), free(got), free(scratch), free(fix), free(lanes), free(pops), free(pwant), free(pgot);
  return 1;
}

/* LceQuantize's VPU form against the reference: every zero point class
 * (-128, VLSUB's quirk; 127; random), odd row lengths (staged chunks). */
static void quantize_cases(void) {
  static const int32_t zps[] = {-128, -127, -1, 0, 5, 127};
  for (int i = 0; i < 30; i++) {
    int32_t cols = 1 + (int32_t)(rnd() % 100), rows = 1 + (int32_t)(rnd() % 7);
    int32_t zp = i < 6 ? zps[i] : (int32_t)(rnd() % 256) - 128;
    size_t n = (size_t)rows * cols, words = (size_t)rows * xai_lce_words(cols);
    int8_t *x = malloc(n + 32);
    for (size_t k = 0; k < n; k++) x[k] = (int8_t)rnd();
    int32_t *want = malloc(words * 4), *got = malloc(words * 4);
    xai_lce_quantize_s8_ref(x, zp, (size_t)rows, cols, want);
    xai_vpu_ctx v;
    xai_vpu_init(&v, XAI_VPU_MODE_INT8);
    xai_lce_quantize_s8_xcore(&v, x, zp, 0, (size_t)rows, cols, got);
    CHECK_EQ_INT(v.fault_count, 0);
    CHECK(memcmp(want, got, words * 4) == 0);
    free(x), free(want), free(got);
  }
}

int main(void) {
  quantize_cases();
  static const int32_t cins[] = {2, 32, 40, 64, 100, 256, 300, 512};
  int ran = 0;
  for (int i = 0; i < 120; i++) {
    bcase k;
    k.cin = cins[rnd() % 8];
    k.groups = 1;
    if (i % 6 == 5 && k.cin % 64 == 0) k.groups = k.cin % 128 == 0 ? 4 : 2;
    k.cout = k.groups * (1 + (int32_t)(rnd() % 40));
    k.kh = 1 + (int32_t)(rnd() % 3), k.kw = 1 + (int32_t)(rnd() % 3);
    k.sh = 1 + (int32_t)(rnd() % 2), k.sw = 1 + (int32_t)(rnd() % 2);
    k.dh = 1 + (int32_t)(rnd() % 2 * (i % 3 == 0)), k.dw = 1 + (int32_t)(rnd() % 2 * (i % 3 == 0));
    k.padding = (int32_t)(rnd() % 2);
    k.pad_values = (int32_t)(rnd() % 2);
    k.act = (int32_t)(rnd() % 4);
    k.kind = (int32_t)(rnd() % 3);
    ran += run_case(&k);
  }
  CHECK(ran > 100);
  return xai_test_finish("test_xcore_bconv");
}
