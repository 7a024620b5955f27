/* Bundles and VPU utilisation of the xcore CONV_2D, DEPTHWISE_CONV_2D and
 * FULLY_CONNECTED kernels on representative shapes, with the share spent
 * in requantization and the goals beside them (issue #13: depthwise 3x3
 * >= 35 % at >= 32 channels, conv 3x3 >= 75 %). Note int8 VLMACC feeds 16
 * lanes, so a depthwise tap (VLDC + VLMACC: 16 MACs per 2 bundles) caps
 * depthwise at 25 % of the 32-MAC peak before any requantization, and
 * the fetch model caps VLMACCR kernels at 75.3 % (docs/vpu.md). Prints
 * only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xai/kernels_xcore/conv.h"
#include "xai/kernels_xcore/fc.h"
#include "xai/tflite.h"

static uint64_t seed = 42;
static int8_t rnd8(void) {
  seed = seed * 6364136223846793005ull + 1442695040888963407ull;
  return (int8_t)(seed >> 56);
}
static void *zalloc(size_t n) {
  void *p = aligned_alloc(32, (n + 63) / 32 * 32);
  memset(p, 0, (n + 63) / 32 * 32);
  return p;
}

/* Bundles of one 16-lane requantization (measured on the model). */
static uint64_t rq_bundles(const xai_rq_group *g, const xai_rq_consts *c) {
  static _Alignas(32) uint8_t scratch[XAI_RQ_SCRATCH_BYTES];
  _Alignas(32) int8_t out[32];
  xai_vpu_ctx ctx;
  xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
  xai_rq_run(&ctx, g, c, out, 16, scratch);
  return ctx.bundles;
}

static double last_ms; /* the last report()'s 5-thread time */

static void report(const char *name, uint64_t macs, uint64_t bundles,
                   uint64_t rq, double goal, const uint64_t *tb, unsigned n) {
  xai_vpu_op_time t;
  xai_xcore_op_time(tb, n, &t, NULL);
  last_ms = t.ms;
  /* The depthwise goal is above what XS3 allows: 16-lane VLMACC plus a
   * VLDC per tap caps it at 25 % (docs/vpu.md, "Depthwise"). The conv
   * goal is at the ceiling of any VLMACCR kernel: a VLDC per 16 VLMACCRs
   * and one fetch slot per 4 memory-lane bundles give 16 / (17 x 5/4) =
   * 75.3 % before bias and requantization (docs/vpu.md, "Conv 3x3"). */
  printf("%-34s MACs %9llu bundles %9llu b/MAC %.3f util %5.1f%% (goal "
         ">= %2.0f%%%s) requant %4.1f%% (goal <= 10%%) 5 threads %.3f ms\n",
         name, (unsigned long long)macs, (unsigned long long)bundles,
         (double)bundles / (double)macs,
         100.0 * xai_vpu_utilisation(macs, bundles), goal,
         goal == 35 ? ", XS3 ceiling 25%" : ", XS3 ceiling 75.3%",
         100.0 * (double)rq / (double)bundles, t.ms);
}

static void conv(const char *name, int dw, int32_t h, int32_t w, int32_t ic,
                 int32_t oc, int32_t k, int32_t stride) {
  xai_dims4 in = {1, h, w, ic};
  int32_t oh = (h + stride - 1) / stride, ow = (w + stride - 1) / stride;
  xai_dims4 f = dw ? (xai_dims4){1, k, k, oc} : (xai_dims4){oc, k, k, ic};
  xai_dims4 out = {1, oh, ow, oc};
  xai_conv_params p = {stride, stride, 1, 1, 0, 0, 5, -3, -128, 127};
  p.pad_h = xai_conv_pad(h, k, stride, 1, oh);
  p.pad_w = xai_conv_pad(w, k, stride, 1, ow);
  size_t fn = (size_t)f.n * f.h * f.w * f.c, inn = (size_t)h * w * ic;
  int8_t *fw = zalloc(fn), *x = zalloc(inn), *y = zalloc((size_t)oh * ow * oc);
  for (size_t i = 0; i < fn; i++) fw[i] = rnd8();
  for (size_t i = 0; i < inn; i++) x[i] = rnd8();
  int32_t *m = zalloc(4u * oc), *s = zalloc(4u * oc);
  for (int32_t i = 0; i < oc; i++) m[i] = 1500000000 + i * 1000, s[i] = -9;
  xai_per_channel_quant q = {.multiplier = m, .shift = s};
  size_t ps = dw ? xai_dwconv2d_s8_xcore_packed_size(&in, &f, &out)
                 : xai_conv2d_s8_xcore_packed_size_p(&p, &in, &f, &out);
  void *mem = zalloc(ps);
  xai_conv_xcore op;
  xai_error err;
  xai_status st = dw ? xai_dwconv2d_s8_xcore_pack(&p, &q, &in, &f, fw, NULL,
                                                  &out, mem, ps, &op, &err)
                     : xai_conv2d_s8_xcore_pack(&p, &q, &in, &f, fw, NULL,
                                                &out, mem, ps, &op, &err);
  if (st != XAI_OK) {
    printf("%s: %s\n", name, err.message);
    return;
  }
  size_t ss = dw ? xai_dwconv2d_s8_xcore_scratch_size(&op)
                 : xai_conv2d_s8_xcore_scratch_size(&op);
  void *scr = zalloc(ss);
  uint64_t tb[5], total = 0, macs = 0;
  for (unsigned i = 0; i < 5; i++) {
    int32_t r0, r1;
    xai_xcore_split(oh, 5, i, &r0, &r1);
    xai_vpu_ctx ctx;
    xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
    if (dw) xai_dwconv2d_s8_xcore(&ctx, &op, x, y, r0, r1, scr, ss);
    else xai_conv2d_s8_xcore(&ctx, &op, x, y, r0, r1, scr, ss);
    tb[i] = ctx.bundles;
    total += ctx.bundles;
  }
  /* Useful MACs (not the padded lanes the VPU also multiplies). */
  macs = (uint64_t)oh * ow * oc * k * k * (dw ? 1 : ic);
  /* Pixels per requantized vector: CONV_2D windows and replicated
   * depthwise lanes (stride 1) compute several. */
  int32_t per = dw ? (op.consts->replicas >= 2 && stride == 1
                          ? (int32_t)op.consts->replicas
                          : 1)
                   : (op.window ? op.window : 1);
  uint64_t rq = (uint64_t)oh * (uint64_t)((ow + per - 1) / per) *
                op.n_groups * rq_bundles(op.rq, op.consts);
  report(name, macs, total, rq, dw ? 35 : 75, tb, 5);
  free(fw), free(x), free(y), free(m), free(s), free(mem), free(scr);
}

static void fc(const char *name, int32_t k, int32_t o) {
  xai_fc_dims d = {1, k, o};
  xai_fc_params p = {-5, 0, 3, -128, 127, false};
  int8_t *w = zalloc((size_t)k * o), *x = zalloc((size_t)k), *y = zalloc((size_t)o);
  for (size_t i = 0; i < (size_t)k * o; i++) w[i] = rnd8();
  int32_t *m = zalloc(4u * o), *s = zalloc(4u * o);
  for (int32_t i = 0; i < o; i++) m[i] = 1500000000, s[i] = -10;
  xai_per_channel_quant q = {.multiplier = m, .shift = s};
  size_t ps = xai_fc_s8_xcore_packed_size(&d);
  void *mem = zalloc(ps);
  xai_fc_xcore op;
  xai_error err;
  if (xai_fc_s8_xcore_pack(&p, &q, &d, w, NULL, mem, ps, &op, &err) != XAI_OK) {
    printf("%s: %s\n", name, err.message);
    return;
  }
  size_t ss = xai_fc_s8_xcore_scratch_size(&op);
  void *scr = zalloc(ss);
  uint64_t tb[5], total = 0;
  for (unsigned i = 0; i < 5; i++) {
    int32_t g0, g1;
    xai_xcore_split(op.n_groups, 5, i, &g0, &g1);
    xai_vpu_ctx ctx;
    xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
    xai_fc_s8_xcore(&ctx, &op, x, y, g0, g1, scr, ss);
    tb[i] = ctx.bundles;
    total += ctx.bundles;
  }
  uint64_t rq = (uint64_t)op.n_groups * rq_bundles(op.rq, op.consts);
  report(name, (uint64_t)k * o, total, rq, 40, tb, 5);
  free(w), free(x), free(y), free(m), free(s), free(mem), free(scr);
}

#include "xcore_conv_binary.h"

int main(void) {
  conv("CONV 3x3 32->32 16x16 (direct)", 0, 16, 16, 32, 32, 3, 1);
  conv("CONV 3x3 64->64 16x16 (direct)", 0, 16, 16, 64, 64, 3, 1);
  conv("CONV 3x3 128->128 8x8 (direct)", 0, 8, 8, 128, 128, 3, 1);
  conv("CONV 1x1 64->128 16x16 (direct)", 0, 16, 16, 64, 128, 1, 1);
  conv("CONV 3x3 3->16 s2 32x32 (im2col)", 0, 32, 32, 3, 16, 3, 2);
  conv("CONV 3x3 24->32 16x16 (im2col)", 0, 16, 16, 24, 32, 3, 1);
  conv("CONV 3x3 3->8 s2 128x128 (window)", 0, 128, 128, 3, 8, 3, 2);
  conv("CONV 3x3 1->8 s2 96x96 (window)", 0, 96, 96, 1, 8, 3, 2);
  conv("DW 3x3 32 16x16", 1, 16, 16, 32, 32, 3, 1);
  conv("DW 3x3 128 8x8", 1, 8, 8, 128, 128, 3, 1);
  /* person_detect's depthwise shapes. */
  conv("DW 3x3 8 48x48 s1", 1, 48, 48, 8, 8, 3, 1);
  conv("DW 3x3 16 48x48 s2", 1, 48, 48, 16, 16, 3, 2);
  conv("DW 3x3 32 24x24 s1", 1, 24, 24, 32, 32, 3, 1);
  conv("DW 3x3 64 12x12 s1", 1, 12, 12, 64, 64, 3, 1);
  conv("DW 3x3 128 6x6 s1", 1, 6, 6, 128, 128, 3, 1);
  conv("DW 3x3 256 3x3 s1", 1, 3, 3, 256, 256, 3, 1);
  fc("FC 256->64", 256, 64);
  fc("FC 1024->1000", 1024, 1000);
  conv("CONV 3x3 256->256 16x16 (int8 twin)", 0, 16, 16, 256, 256, 3, 1);
  binary_conv(16, 256, last_ms);
  conv("CONV 3x3 64->64 16x16 (int8 twin)", 0, 16, 16, 64, 64, 3, 1);
  binary_conv(16, 64, last_ms);
  return 0;
}
