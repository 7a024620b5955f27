/* xcore FULLY_CONNECTED against xai_fully_connected_s8_ref: input depths
 * on and off multiples of 4/32, output counts on and off 16, batches,
 * per-tensor and per-channel scales 2^-20..2^4, extreme zero points,
 * with and without bias, unaligned input rows, 1/2/5/8 threads. */
#include <stdio.h>

#include "testlib.h"
#include "xai/kernels_ref/fully_connected.h"
#include "xai/kernels_xcore/conv.h"
#include "xai/kernels_xcore/fc.h"
#include "xcore_conv_testutil.h"

static const unsigned thread_counts[] = {1, 2, 5, 8};

int main(void) {
#ifdef __SANITIZE_ADDRESS__
  const int cases = 200;
#else
  const int cases = 400;
#endif
  long long checked = 0;
  static const int32_t depths[] = {1, 3, 4, 31, 32, 33, 64, 100, 256, 1000};
  static const int32_t outs[] = {1, 2, 15, 16, 17, 33, 64, 100};
  for (int c = 0; c < cases; c++) {
    xai_fc_dims d = {tu_rnd(1, 3), depths[tu_rnd(0, 9)], outs[tu_rnd(0, 7)]};
    xai_fc_params p = {0};
    p.single_rounding = c % 4 < 2; /* LiteRT rounds once, TFLM twice */
    p.input_offset = -tu_zp();
    p.output_offset = tu_zp();
    tu_act(p.output_offset, &p.act_min, &p.act_max);
    size_t in_n = (size_t)d.batches * d.input_depth;
    size_t w_n = (size_t)d.output_depth * d.input_depth;
    size_t out_n = (size_t)d.batches * d.output_depth;
    int8_t *in_buf = tu_alloc(in_n + 4), *w = tu_alloc(w_n);
    int8_t *want = tu_alloc(out_n), *got = tu_alloc(out_n + 1);
    int32_t *bias = tu_alloc(4u * (size_t)d.output_depth);
    int32_t *mult = tu_alloc(4u * (size_t)d.output_depth);
    int32_t *shift = tu_alloc(4u * (size_t)d.output_depth);
    /* Every third case reads its input from an odd address. */
    int8_t *in = c % 3 == 1 ? in_buf + 1 : in_buf;
    tu_fill(in, in_n);
    tu_fill(w, w_n);
    for (int32_t i = 0; i < d.output_depth; i++)
      bias[i] = tu_rnd(-100000, 100000);
    tu_scales(mult, shift, d.output_depth, d.input_depth, c % 2 == 0);
    xai_per_channel_quant q = {.multiplier = mult, .shift = shift};
    const int32_t *b = c % 5 == 4 ? NULL : bias;
    CHECK_EQ_INT(xai_fully_connected_s8_ref(&p, &q, &d, in, w, b, want),
                 XAI_OK);
    size_t psize = xai_fc_s8_xcore_packed_size(&d);
    void *packed = tu_alloc(psize);
    xai_fc_xcore op;
    xai_error err = {0};
    xai_status st =
        xai_fc_s8_xcore_pack(&p, &q, &d, w, b, packed, psize, &op, &err);
    CHECK_EQ_INT(st, XAI_OK);
    size_t ss = xai_fc_s8_xcore_scratch_size(&op);
    void *scratch = tu_alloc(ss);
    for (unsigned t = 0; t < 4 && st == XAI_OK; t++) {
      unsigned n = thread_counts[t];
      memset(got, 0x5A, out_n + 1);
      for (unsigned i = 0; i < n; i++) {
        int32_t g0, g1;
        xai_xcore_split(op.n_groups, n, i, &g0, &g1);
        xai_vpu_ctx ctx;
        xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
        CHECK_EQ_INT(xai_fc_s8_xcore(&ctx, &op, in, got, g0, g1, scratch, ss),
                     XAI_OK);
        CHECK_EQ_INT(ctx.fault_count, 0);
      }
      CHECK_EQ_INT((uint8_t)got[out_n], 0x5A);
      for (size_t i = 0; i < out_n; i++)
        if (got[i] != want[i]) {
          fprintf(stderr,
                  "FC %dx%d->%d zp %d/%d act [%d,%d] threads %u: out %zu got "
                  "%d want %d\n",
                  d.batches, d.input_depth, d.output_depth, -p.input_offset,
                  p.output_offset, p.act_min, p.act_max, n, i, got[i],
                  want[i]);
          xai_test_failures++;
          break;
        }
      checked += (long long)out_n;
    }
    free(in_buf), free(w), free(want), free(got), free(bias), free(mult);
    free(shift), free(packed), free(scratch);
  }
  /* Asymmetric weights are refused with a message. */
  {
    xai_fc_dims d = {1, 4, 4};
    xai_fc_params p = {0};
    p.filter_offset = 3;
    p.act_min = -128;
    p.act_max = 127;
    int8_t w[16] = {0};
    int32_t m[4] = {1 << 30, 1 << 30, 1 << 30, 1 << 30}, s[4] = {0};
    xai_per_channel_quant q = {.multiplier = m, .shift = s};
    _Alignas(32) static uint8_t mem[8192];
    xai_fc_xcore op;
    xai_error err = {0};
    CHECK_EQ_INT(xai_fc_s8_xcore_pack(&p, &q, &d, w, NULL, mem, sizeof mem,
                                      &op, &err),
                 XAI_ERR_UNSUPPORTED);
    CHECK(strstr(err.message, "symmetric") != NULL);
  }
  printf("checked %lld outputs\n", checked);
  return xai_test_finish("xcore_fc");
}
