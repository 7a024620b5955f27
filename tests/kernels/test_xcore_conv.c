/* xcore CONV_2D and DEPTHWISE_CONV_2D against the reference kernels:
 * random shapes, strides, dilations, SAME/VALID padding, channel counts on
 * and off multiples of 4/16/32, extreme zero points and per-channel scales,
 * every output byte compared for 1, 2, 5 and 8 threads, no VPU fault. */
#include <stdio.h>

#include "testlib.h"
#include "xai/kernels_ref/conv.h"
#include "xai/kernels_xcore/conv.h"
#include "xai/tflite.h"
#include "xcore_conv_testutil.h"

static const unsigned thread_counts[] = {1, 2, 5, 8};
static long long outputs_checked;
/* 1: some output channels are pruned as pruning tools leave them (all
 * weights zero, a bias near +-2^30 and a right shift of 26..31), which
 * the pack rewrites into constant lanes (requant_layer.c). */
static int prune_channels;

typedef struct {
  int depthwise;
  xai_dims4 in, filter, out;
  xai_conv_params p;
} conv_case;

static void random_case(conv_case *c, int depthwise, int big) {
  memset(c, 0, sizeof *c);
  c->depthwise = depthwise;
  static const int32_t chans[] = {1, 2, 3, 4, 6, 8, 15, 16, 17, 32, 35, 64, 48};
  int32_t ic = chans[tu_rnd(0, big ? 12 : 10)];
  int32_t kh = tu_rnd(1, 3), kw = tu_rnd(1, 3);
  if (tu_rnd(0, 9) == 0) kh = 5;
  int32_t mult = depthwise && tu_rnd(0, 3) == 0 ? tu_rnd(2, 3) : 1;
  int32_t oc = depthwise ? ic * mult
                         : (int32_t[]){1, 2, 3, 5, 8, 16, 17, 32, 48}[tu_rnd(0, 8)];
  c->in = (xai_dims4){tu_rnd(1, 2), tu_rnd(1, 8), tu_rnd(1, 8), ic};
  c->p.stride_h = tu_rnd(1, 3);
  c->p.stride_w = tu_rnd(1, 3);
  c->p.dilation_h = tu_rnd(1, 2);
  c->p.dilation_w = tu_rnd(1, 2);
  int padding = tu_rnd(0, 1) ? XAI_PADDING_SAME : XAI_PADDING_VALID;
  int32_t oh = xai_conv_out_size(padding, c->in.h, kh, c->p.stride_h,
                                 c->p.dilation_h);
  int32_t ow = xai_conv_out_size(padding, c->in.w, kw, c->p.stride_w,
                                 c->p.dilation_w);
  if (oh < 1 || ow < 1) { /* VALID with a filter larger than the input */
    padding = XAI_PADDING_SAME;
    oh = xai_conv_out_size(padding, c->in.h, kh, c->p.stride_h, 1);
    ow = xai_conv_out_size(padding, c->in.w, kw, c->p.stride_w, 1);
  }
  c->p.pad_h = xai_conv_pad(c->in.h, kh, c->p.stride_h, c->p.dilation_h, oh);
  c->p.pad_w = xai_conv_pad(c->in.w, kw, c->p.stride_w, c->p.dilation_w, ow);
  if (padding == XAI_PADDING_VALID) c->p.pad_h = c->p.pad_w = 0;
  c->filter = depthwise ? (xai_dims4){1, kh, kw, oc}
                        : (xai_dims4){oc, kh, kw, ic};
  c->out = (xai_dims4){c->in.n, oh, ow, oc};
  c->p.input_offset = -tu_zp();
  c->p.output_offset = tu_zp();
  tu_act(c->p.output_offset, &c->p.act_min, &c->p.act_max);
}

/* Output channel o as a pruning tool leaves it. */
static void prune(const conv_case *c, int8_t *f, int32_t o, int32_t *bias,
                  int32_t *shift) {
  const int32_t oc = c->out.c;
  const int32_t taps = c->depthwise ? c->filter.h * c->filter.w
                                    : c->filter.h * c->filter.w * c->filter.c;
  for (int32_t t = 0; t < taps; t++)
    f[c->depthwise ? (size_t)t * (size_t)oc + (size_t)o
                   : (size_t)o * (size_t)taps + (size_t)t] = 0;
  bias[o] = tu_rnd(0, 1) ? (1 << 30) - tu_rnd(0, 200)
                         : -(1 << 30) + tu_rnd(0, 200);
  if (tu_rnd(0, 3) == 0) bias[o] = tu_rnd(-3000, 3000);
  shift[o] = -tu_rnd(26, 31);
}

/* A pruned channel leaves its group on the fast chain: 1x1 32 -> 16 over
 * more pixels than compact records take, typical scales elsewhere. */
static void check_pruned_group_fast(void) {
  conv_case c;
  memset(&c, 0, sizeof c);
  c.in = (xai_dims4){1, 1, 80, 32};
  c.filter = (xai_dims4){16, 1, 1, 32};
  c.out = (xai_dims4){1, 1, 80, 16};
  c.p = (xai_conv_params){1, 1, 1, 1, 0, 0, 5, -3, -128, 127};
  int8_t *f = tu_alloc(512);
  int32_t bias[16], mult[16], shift[16];
  tu_fill(f, 512);
  for (int i = 0; i < 16; i++) {
    bias[i] = 100 * i;
    mult[i] = 1500000000 + i * 1000; /* as test_xcore_cycle_trace */
    shift[i] = -9;
  }
  prune(&c, f, 3, bias, shift);
  bias[3] = 1 << 30;
  shift[3] = -28;
  xai_per_channel_quant q = {.multiplier = mult, .shift = shift};
  size_t ps = xai_conv2d_s8_xcore_packed_size_p(&c.p, &c.in, &c.filter,
                                                &c.out);
  void *mem = tu_alloc(ps);
  xai_conv_xcore op;
  xai_error err = {0};
  CHECK_EQ_INT(xai_conv2d_s8_xcore_pack(&c.p, &q, &c.in, &c.filter, f, bias,
                                        &c.out, mem, ps, &op, &err),
               XAI_OK);
  CHECK((op.rq->info >> XAI_RQ_INFO_FAST_SHIFT) & XAI_RQ_FAST);
  free(f);
  free(mem);
}

static void run_case(const conv_case *c) {
  size_t in_n = (size_t)c->in.n * c->in.h * c->in.w * c->in.c;
  size_t f_n = (size_t)c->filter.n * c->filter.h * c->filter.w * c->filter.c;
  size_t out_n = (size_t)c->out.n * c->out.h * c->out.w * c->out.c;
  int32_t oc = c->out.c;
  int8_t *in = tu_alloc(in_n), *f = tu_alloc(f_n);
  int8_t *want = tu_alloc(out_n), *got = tu_alloc(out_n + 1);
  int32_t *bias = tu_alloc(sizeof(int32_t) * (size_t)oc);
  int32_t *mult = tu_alloc(sizeof(int32_t) * (size_t)oc);
  int32_t *shift = tu_alloc(sizeof(int32_t) * (size_t)oc);
  tu_fill(in, in_n);
  tu_fill(f, f_n);
  int with_bias = tu_rnd(0, 4) != 0;
  for (int32_t i = 0; i < oc; i++) bias[i] = tu_rnd(-40000, 40000);
  int32_t k = c->depthwise ? c->filter.h * c->filter.w
                           : c->filter.h * c->filter.w * c->filter.c;
  tu_scales(mult, shift, oc, k, tu_rnd(0, 3) == 0);
  for (int32_t o = 0; prune_channels && o < oc; o++)
    if (tu_rnd(0, 2) == 0) {
      prune(c, f, o, bias, shift);
      with_bias = 1;
    }
  xai_per_channel_quant q = {.multiplier = mult, .shift = shift};
  const int32_t *b = with_bias ? bias : NULL;
  xai_status st =
      c->depthwise
          ? xai_depthwise_conv2d_s8_ref(&c->p, &q, &c->in, in, &c->filter, f,
                                        b, &c->out, want)
          : xai_conv2d_s8_ref(&c->p, &q, &c->in, in, &c->filter, f, b,
                              &c->out, want);
  CHECK_EQ_INT(st, XAI_OK);
  size_t psize = c->depthwise
                     ? xai_dwconv2d_s8_xcore_packed_size(&c->in, &c->filter,
                                                         &c->out)
                     : xai_conv2d_s8_xcore_packed_size_p(&c->p, &c->in,
                                                         &c->filter, &c->out);
  /* The geometry-only size bounds every layout the params may select. */
  if (!c->depthwise)
    CHECK(xai_conv2d_s8_xcore_packed_size(&c->in, &c->filter, &c->out) >=
          psize);
  void *packed = tu_alloc(psize);
  xai_conv_xcore op;
  xai_error err = {0};
  st = c->depthwise
           ? xai_dwconv2d_s8_xcore_pack(&c->p, &q, &c->in, &c->filter, f, b,
                                        &c->out, packed, psize, &op, &err)
           : xai_conv2d_s8_xcore_pack(&c->p, &q, &c->in, &c->filter, f, b,
                                      &c->out, packed, psize, &op, &err);
  CHECK_EQ_INT(st, XAI_OK);
  if (st != XAI_OK) fprintf(stderr, "%s\n", err.message);
  size_t ss = c->depthwise ? xai_dwconv2d_s8_xcore_scratch_size(&op)
                           : xai_conv2d_s8_xcore_scratch_size(&op);
  void *scratch = tu_alloc(ss);
  int32_t rows = c->out.n * c->out.h;
  int32_t units = rows * (c->depthwise ? xai_dwconv2d_s8_xcore_row_units(&op)
                                       : xai_conv2d_s8_xcore_row_units(&op));
  for (unsigned t = 0; t < 4 && st == XAI_OK; t++) {
    unsigned n = thread_counts[t];
    /* 1 and 2 threads split rows, 5 and 8 work units (pixels or pixel
     * blocks, as the runtime does): ranges start and end inside rows. */
    const int by_units = t >= 2;
    memset(got, 0x5A, out_n + 1);
    for (unsigned i = 0; i < n; i++) {
      int32_t r0, r1;
      xai_xcore_split(by_units ? units : rows, n, i, &r0, &r1);
      xai_vpu_ctx ctx;
      xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
      xai_status rs =
          by_units
              ? (c->depthwise ? xai_dwconv2d_s8_xcore_units(
                                    &ctx, &op, in, got, r0, r1, scratch, ss)
                              : xai_conv2d_s8_xcore_units(
                                    &ctx, &op, in, got, r0, r1, scratch, ss))
          : c->depthwise
              ? xai_dwconv2d_s8_xcore(&ctx, &op, in, got, r0, r1, scratch, ss)
              : xai_conv2d_s8_xcore(&ctx, &op, in, got, r0, r1, scratch, ss);
      CHECK_EQ_INT(rs, XAI_OK);
      CHECK_EQ_INT(ctx.fault_count, 0);
    }
    CHECK_EQ_INT((uint8_t)got[out_n], 0x5A);
    for (size_t i = 0; i < out_n; i++) {
      if (got[i] != want[i]) {
        fprintf(stderr,
                "%s in %dx%dx%dx%d filter %dx%dx%dx%d out %dx%dx%dx%d "
                "stride %d,%d dil %d,%d pad %d,%d zp %d/%d act [%d,%d] "
                "threads %u: byte %zu (channel %d) got %d want %d\n",
                c->depthwise ? "DW" : "CONV", c->in.n, c->in.h, c->in.w,
                c->in.c, c->filter.n, c->filter.h, c->filter.w, c->filter.c,
                c->out.n, c->out.h, c->out.w, c->out.c, c->p.stride_h,
                c->p.stride_w, c->p.dilation_h, c->p.dilation_w, c->p.pad_h,
                c->p.pad_w, -c->p.input_offset, c->p.output_offset,
                c->p.act_min, c->p.act_max, n, i, (int)(i % (size_t)oc),
                got[i], want[i]);
        xai_test_failures++;
        if (xai_test_failures > 10) exit(1);
        break;
      }
    }
    outputs_checked += (long long)out_n;
  }
  free(in), free(f), free(want), free(got), free(bias), free(mult);
  free(shift), free(packed), free(scratch);
}

int main(void) {
#ifdef __SANITIZE_ADDRESS__
  const int cases = 200;
#else
  const int cases = 400;
#endif
  conv_case c;
  for (int i = 0; i < cases; i++) {
    random_case(&c, 0, i % 4 == 0);
    run_case(&c);
  }
  for (int i = 0; i < cases; i++) {
    random_case(&c, 1, i % 4 == 0);
    run_case(&c);
  }
  check_pruned_group_fast();
  prune_channels = 1;
  for (int i = 0; i < cases / 4; i++) {
    random_case(&c, i % 2, i % 4 < 2);
    run_case(&c);
  }
  printf("checked %lld output bytes\n", outputs_checked);
  return xai_test_finish("xcore_conv");
}
