/* Bundles and op times of the xcore element-wise, lookup-table, pooling
 * and data-movement kernels on representative MobileNet-style shapes.
 * Prints figures; asserts nothing (bench/README.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xai/kernels_ref.h"
#include "xai/kernels_xcore.h"

static void fill(int8_t *p, size_t n) {
  uint32_t s = 12345u;
  for (size_t i = 0; i < n; i++) {
    s = s * 1664525u + 1013904223u;
    p[i] = (int8_t)(s >> 24);
  }
}

static void print_row(const char *name, size_t elements,
                      const xai_xcore_ew_report *r1,
                      const xai_xcore_ew_report *r5) {
  printf("%-34s %9zu %11llu %8.2f %9.3f %9.3f\n", name, elements,
         (unsigned long long)r1->bundles[0],
         (double)r1->bundles[0] / (double)elements, r1->time.ms, r5->time.ms);
}

int main(void) {
  printf("%-34s %9s %11s %8s %9s %9s\n", "op (shape)", "elements",
         "bundles/1t", "b/elem", "ms 1t", "ms 5t");
  xai_xcore_ew_report r1, r5;
  xai_error err;

  /* LUT ops on 56x56x24. */
  const size_t n = 56 * 56 * 24;
  int8_t *a = malloc(n), *b = malloc(n), *o = malloc(n);
  fill(a, n);
  fill(b, n);
  {
    xai_relu_params p;
    xai_relu_params_make(0.05f, -10, 0.05f, -10, 0.0f, 6.0f, 0, -128, 127, &p);
    xai_lut_s8_packed lut;
    xai_lut_s8_pack_relu(&p, &lut, &err);
    xai_lut_s8_xcore_run(&lut, n, a, o, 1, &r1, &err);
    xai_lut_s8_xcore_run(&lut, n, a, o, 5, &r5, &err);
    print_row(lut.affine ? "RELU6 same scale (affine VPU)"
                         : "RELU6 same scale (table)",
              n, &r1, &r5);
    xai_lut_s8_pack_logistic_tanh(XAI_LUT_LOGISTIC, 0.1f, 3, 1.0f / 256,
                                  -128, &lut);
    xai_lut_s8_xcore_run(&lut, n, a, o, 1, &r1, &err);
    xai_lut_s8_xcore_run(&lut, n, a, o, 5, &r5, &err);
    print_row("LOGISTIC (table, scalar lookup)", n, &r1, &r5);
    xai_requantize_params q;
    xai_requantize_params_make(0.05f, 3, 0.1f, -7, &q);
    xai_requantize_s8_xcore_pack(&q, &lut, &err);
    xai_lut_s8_xcore_run(&lut, n, a, o, 1, &r1, &err);
    xai_lut_s8_xcore_run(&lut, n, a, o, 5, &r5, &err);
    print_row(lut.affine ? "requantize x0.5 (affine VPU)"
                         : "requantize x0.5 (table)",
              n, &r1, &r5);
  }
  /* ADD / MUL 56x56x24 (a MobileNetV2 residual). */
  {
    xai_shape s = {1, {(int32_t)n}};
    xai_bcast bc;
    xai_bcast_make(&s, &s, &bc, &err);
    xai_add_params p;
    xai_add_params_make(0.05f, 2, 0.07f, -3, 0.08f, 1, 20, 0, -128, 127, &p,
                        &err);
    xai_add_s8_xcore_params xp;
    xai_add_s8_xcore_pack(&p, &xp, &err);
    xai_add_s8_xcore_run(&xp, &bc, a, b, o, 1, &r1, &err);
    xai_add_s8_xcore_run(&xp, &bc, a, b, o, 5, &r5, &err);
    print_row("ADD 56x56x24 (VPU requant)", n, &r1, &r5);
    printf("  ADD bundles/element: %.2f (scalar requant before: %u)\n",
           (double)r1.bundles[0] / (double)n, XAI_ADD_S8_XCORE_SCALAR_BUNDLES);
    xai_mul_params m;
    xai_mul_params_make(0.05f, 2, 0.07f, -3, 0.01f, 1, -128, 127, &m);
    xai_mul_s8_xcore_params mp;
    xai_mul_s8_xcore_pack(&m, &mp, &err);
    xai_mul_s8_xcore_run(&mp, &bc, a, b, o, 1, &r1, &err);
    xai_mul_s8_xcore_run(&mp, &bc, a, b, o, 5, &r5, &err);
    print_row("MUL 56x56x24 (VPU)", n, &r1, &r5);
    printf("  MUL bundles/element: %.2f (scalar before: %u)\n",
           (double)r1.bundles[0] / (double)n, XAI_MUL_S8_XCORE_SCALAR_BUNDLES);
    /* a squeeze-excite style scale: [1,28,28,96] x [1,1,1,96] */
    xai_shape sa = {4, {1, 28, 28, 96}}, sc = {4, {1, 1, 1, 96}};
    xai_bcast bb;
    xai_bcast_make(&sa, &sc, &bb, &err);
    xai_mul_s8_xcore_run(&mp, &bb, a, b, o, 1, &r1, &err);
    xai_mul_s8_xcore_run(&mp, &bb, a, b, o, 5, &r5, &err);
    print_row("MUL 28x28x96 * 96 (broadcast)", bb.count, &r1, &r5);
    printf("  broadcast MUL bundles/element: %.2f (scalar before: %u)\n",
           (double)r1.bundles[0] / (double)bb.count,
           XAI_MUL_S8_XCORE_SCALAR_BUNDLES + XAI_EW_BCAST_BUNDLES);
  }
  /* Pooling. */
  {
    xai_dims4 id = {1, 112, 112, 64}, od = {1, 56, 56, 64};
    size_t in_n = 112 * 112 * 64, out_n = 56 * 56 * 64;
    int8_t *pin = malloc(in_n), *pout = malloc(out_n);
    fill(pin, in_n);
    xai_pool_params p = {2, 2, 3, 3, 0, 0, -128, 127};
    p.pad_h = xai_conv_pad(112, 3, 2, 1, 56);
    p.pad_w = p.pad_h;
    xai_pool2d_s8_xcore_run(&p, NULL, 0, &id, pin, &od, pout, 1, &r1, &err);
    xai_pool2d_s8_xcore_run(&p, NULL, 0, &id, pin, &od, pout, 5, &r5, &err);
    print_row("MAX_POOL 3x3/2 112x112x64", out_n, &r1, &r5);
    xai_pool_params a2 = {2, 2, 2, 2, 0, 0, -128, 127};
    xai_avgpool_div divs[9];
    xai_avgpool2d_s8_xcore_pack(&a2, divs, 9, &err);
    xai_pool2d_s8_xcore_run(&a2, divs, 4, &id, pin, &od, pout, 1, &r1, &err);
    xai_pool2d_s8_xcore_run(&a2, divs, 4, &id, pin, &od, pout, 5, &r5, &err);
    print_row("AVG_POOL 2x2/2 112x112x64", out_n, &r1, &r5);
    xai_dims4 gd = {1, 7, 7, 1280}, god = {1, 1, 1, 1280};
    xai_pool_params g = xai_pool_params_global(&gd, -128, 127);
    xai_avgpool_div *gdiv = malloc(49 * sizeof *gdiv);
    xai_avgpool2d_s8_xcore_pack(&g, gdiv, 49, &err);
    xai_pool2d_s8_xcore_run(&g, gdiv, 49, &gd, pin, &god, pout, 1, &r1, &err);
    xai_pool2d_s8_xcore_run(&g, gdiv, 49, &gd, pin, &god, pout, 5, &r5, &err);
    print_row("global AVG_POOL 7x7x1280", 1280, &r1, &r5);
    free(gdiv);
    free(pin);
    free(pout);
  }
  /* PAD 56x56x24 by one pixel; CONCATENATION of two 28x28x32 on channels. */
  {
    xai_shape s = {4, {1, 56, 56, 24}};
    int32_t before[4] = {0, 1, 1, 0}, after[4] = {0, 1, 1, 0};
    int8_t *po = malloc(58 * 58 * 24);
    xai_pad_s8_xcore_run(&s, before, after, a, -5, po, 1, &r1, &err);
    xai_pad_s8_xcore_run(&s, before, after, a, -5, po, 5, &r5, &err);
    print_row("PAD 56x56x24 +1", 58 * 58 * 24, &r1, &r5);
    free(po);
    const int8_t *ins[2] = {a, b};
    int32_t sizes[2] = {32, 32};
    xai_concat_s8_xcore_run(2, ins, sizes, 28 * 28, 1, o, 1, &r1, &err);
    xai_concat_s8_xcore_run(2, ins, sizes, 28 * 28, 1, o, 5, &r5, &err);
    print_row("CONCAT 2x 28x28x32 on channels", 28 * 28 * 64, &r1, &r5);
  }
  free(a);
  free(b);
  free(o);
  return 0;
}
