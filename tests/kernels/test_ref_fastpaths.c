/* The reference kernels' fast paths (int8 ADD/SUB tables and folded output
 * rescale, row-wise broadcast, depthwise with a depth multiplier, staged
 * fully connected, precomputed requantization) against direct models of
 * TFLite's reference arithmetic written here from its definition: every
 * element computed on its own with the public xai_srdhm / xai_rdbpot /
 * xai_mbqm steps, on random data that includes the int8 extremes. */
#include <stdlib.h>
#include <string.h>

#include "../../src/kernels/ref/gemmlowp_s16_internal.h"
#include "../../src/kernels/ref/quant_internal.h"
#include "testlib.h"
#include "xai/kernels_ref.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static int32_t rand_range(int32_t lo, int32_t hi) { /* inclusive */
  return lo + (int32_t)(xai_test_rand(&rng) % (uint64_t)(hi - lo + 1));
}

/* int8 data with the extremes over-represented. */
static int8_t rand_s8(void) {
  switch (xai_test_rand(&rng) % 8) {
    case 0: return INT8_MIN;
    case 1: return INT8_MAX;
    default: return (int8_t)rand_range(INT8_MIN, INT8_MAX);
  }
}

static void fill_s8(int8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) p[i] = rand_s8();
}

static float rand_scale(void) {
  return (float)rand_range(1, 1000) / 4096.0f;
}

static int32_t clamp(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

/* ---- requantization helpers ------------------------------------------- */

static void test_srdhm_and_mbqm_forms(void) {
  static const int32_t edge[] = {INT32_MIN, INT32_MIN + 1, -(1 << 30) - 1,
                                 -(1 << 30), -1, 0, 1, (1 << 30),
                                 INT32_MAX - 1, INT32_MAX};
  const size_t n_edge = sizeof edge / sizeof edge[0];
  for (int i = 0; i < 200000; i++) {
    int32_t a = (int32_t)(uint32_t)xai_test_rand(&rng);
    int32_t b = (int32_t)(uint32_t)xai_test_rand(&rng);
    if (i % 4 == 0) a = edge[(size_t)i / 4 % n_edge];
    if (i % 7 == 0) b = edge[(size_t)i / 7 % n_edge];
    if (i % 3 == 0) a >>= rand_range(0, 30); /* small magnitudes too */
    if (a == INT32_MIN && b == INT32_MIN) continue;
    CHECK_EQ_INT(xai_srdhm_nosat(a, b), xai_srdhm(a, b));
    const int shift = rand_range(-40, 31);
    const xai_mbqm_pre q = xai_mbqm_pre_make(b, shift);
    CHECK_EQ_INT(xai_mbqm_apply(&q, a), xai_mbqm(a, b, shift));
    CHECK_EQ_INT(xai_mbqm_inline(a, b, shift), xai_mbqm(a, b, shift));
    CHECK_EQ_INT(xai_mbqm_inline(a, INT32_MIN, shift),
                 xai_mbqm(a, INT32_MIN, shift));
    const xai_rdbpot_pre r = xai_rdbpot_pre_make(shift);
    CHECK_EQ_INT(xai_rdbpot_apply(&r, a), xai_rdbpot(a, shift));
  }
}

/* ---- ADD / SUB int8 ----------------------------------------------------- */

static int32_t add_model(const xai_add_params *p, int32_t a, int32_t b) {
  const int32_t as = (p->input1_offset + a) * (1 << p->left_shift);
  const int32_t bs = (p->input2_offset + b) * (1 << p->left_shift);
  const int32_t ra =
      xai_rdbpot(xai_srdhm(as, p->input1_multiplier), -p->input1_shift);
  const int32_t rb =
      xai_rdbpot(xai_srdhm(bs, p->input2_multiplier), -p->input2_shift);
  const int32_t r = xai_rdbpot(xai_srdhm(ra + rb, p->output_multiplier),
                               -p->output_shift) +
                    p->output_offset;
  return clamp(r, p->act_min, p->act_max);
}

/* Flat index of output element i's operand in a right-aligned shape. */
static size_t operand_index(const xai_shape *out, const xai_shape *in,
                            size_t i) {
  size_t idx = 0, stride = 1;
  for (int32_t d = out->rank - 1; d >= 0; d--) {
    const int32_t coord = (int32_t)(i % (size_t)out->dims[d]);
    i /= (size_t)out->dims[d];
    const int32_t k = d - (out->rank - in->rank);
    if (k < 0) continue;
    if (in->dims[k] != 1) idx += (size_t)coord * stride;
    stride *= (size_t)in->dims[k];
  }
  return idx;
}

static size_t shape_count(const xai_shape *s) {
  size_t n = 1;
  for (int32_t d = 0; d < s->rank; d++) n *= (size_t)s->dims[d];
  return n;
}

static void check_add_case(const xai_shape *sa, const xai_shape *sb,
                           int negate, int left_shift) {
  xai_error err;
  xai_bcast bc;
  if (xai_bcast_make(sa, sb, &bc, &err) != XAI_OK) {
    CHECK(0);
    return;
  }
  xai_shape so;
  xai_bcast_out_shape(&bc, &so);
  const size_t na = shape_count(sa), nb = shape_count(sb), no = bc.count;
  int8_t *a = malloc(na), *b = malloc(nb), *o = malloc(no);
  fill_s8(a, na);
  fill_s8(b, nb);
  xai_add_params p;
  int32_t lo = rand_range(-128, 0), hi = rand_range(0, 127);
  if (rand_range(0, 1)) lo = -128, hi = 127;
  const int32_t zp1 = rand_range(0, 3) == 0 ? -128 : rand_range(-128, 127);
  const int32_t zp2 = rand_range(0, 3) == 0 ? 127 : rand_range(-128, 127);
  /* Power-of-two scales make exact halves (rounding ties) common. */
  static const float pot[] = {0.25f, 0.5f, 1.0f, 2.0f, 4.0f};
  const int ties = rand_range(0, 2) == 0;
  const float s1 = ties ? pot[rand_range(0, 4)] : rand_scale();
  const float s2 = ties ? pot[rand_range(0, 4)] : rand_scale();
  const float s_out = ties ? pot[rand_range(0, 4)] : rand_scale();
  if (xai_add_params_make(s1, zp1, s2, zp2, s_out, rand_range(-128, 127),
                          left_shift, negate, lo, hi, &p, &err) != XAI_OK) {
    free(a), free(b), free(o);
    return; /* a rescale outside (0, 1): TFLite rejects it too */
  }
  CHECK_EQ_INT(xai_add_s8_ref(&p, &bc, a, b, o), XAI_OK);
  int bad = 0;
  for (size_t i = 0; i < no && bad < 5; i++) {
    const int32_t want = add_model(&p, a[operand_index(&so, sa, i)],
                                   b[operand_index(&so, sb, i)]);
    if (o[i] != want) {
      CHECK_EQ_INT(o[i], want);
      bad++;
    }
  }
  free(a), free(b), free(o);
}

static xai_shape shape4(int32_t rank, int32_t d0, int32_t d1, int32_t d2,
                        int32_t d3) {
  xai_shape s;
  memset(&s, 0, sizeof s);
  s.rank = rank;
  s.dims[0] = d0, s.dims[1] = d1, s.dims[2] = d2, s.dims[3] = d3;
  return s;
}

static void test_add_sub_s8(void) {
  for (int rep = 0; rep < 40; rep++) {
    const int negate = rep % 2, ls = rep % 5 == 4 ? 8 : 20;
    /* Same shape, large enough for the table path and small. */
    xai_shape big = shape4(4, 1, 32, 32, 3), small = shape4(2, 5, 7, 0, 0);
    check_add_case(&big, &big, negate, ls);
    check_add_case(&small, &small, negate, ls);
    /* Scalars on either side. */
    xai_shape one = shape4(0, 0, 0, 0, 0), vec = shape4(1, 1000, 0, 0, 0);
    check_add_case(&one, &vec, negate, ls);
    check_add_case(&vec, &one, negate, ls);
    /* Per-channel (last dimension) and middle-dimension broadcasts. */
    xai_shape nhwc = shape4(4, 2, 9, 11, 8), ch = shape4(1, 8, 0, 0, 0);
    check_add_case(&nhwc, &ch, negate, ls);
    check_add_case(&ch, &nhwc, negate, ls);
    xai_shape x = shape4(3, 6, 1, 40, 0), y = shape4(3, 6, 30, 1, 0);
    check_add_case(&x, &y, negate, ls);
    xai_shape col = shape4(4, 2, 9, 11, 1);
    check_add_case(&nhwc, &col, negate, ls);
    /* Size-1 dimensions in the middle of a same-shape pair. */
    xai_shape z = shape4(4, 3, 1, 200, 1);
    check_add_case(&z, &z, negate, ls);
  }
}

/* ---- MUL int8 ----------------------------------------------------------- */

static void test_mul_s8(void) {
  xai_error err;
  for (int rep = 0; rep < 20; rep++) {
    xai_shape sa = shape4(3, 4, 25, 16, 0), sb = rep % 2 ? shape4(1, 16, 0, 0, 0)
                                                      : shape4(3, 4, 25, 16, 0);
    xai_bcast bc;
    CHECK_EQ_INT(xai_bcast_make(&sa, &sb, &bc, &err), XAI_OK);
    xai_shape so;
    xai_bcast_out_shape(&bc, &so);
    const size_t na = shape_count(&sa), nb = shape_count(&sb);
    int8_t *a = malloc(na), *b = malloc(nb), *o = malloc(bc.count);
    fill_s8(a, na);
    fill_s8(b, nb);
    xai_mul_params p;
    xai_mul_params_make(rand_scale(), rand_range(-128, 127), rand_scale(),
                        rand_range(-128, 127), rand_scale() / 16.0f,
                        rand_range(-128, 127), -128, 127, &p);
    CHECK_EQ_INT(xai_mul_s8_ref(&p, &bc, a, b, o), XAI_OK);
    for (size_t i = 0; i < bc.count; i++) {
      const int32_t x = p.input1_offset + a[operand_index(&so, &sa, i)];
      const int32_t y = p.input2_offset + b[operand_index(&so, &sb, i)];
      const int32_t want = clamp(
          xai_mbqm(x * y, p.output_multiplier, p.output_shift) +
              p.output_offset,
          p.act_min, p.act_max);
      if (o[i] != want) {
        CHECK_EQ_INT(o[i], want);
        break;
      }
    }
    free(a), free(b), free(o);
  }
}

/* ---- DEPTHWISE_CONV_2D int8 ------------------------------------------- */

typedef struct {
  int32_t h, w, ic, mult, fh, fw, stride, dil, pad_h, pad_w, offset;
} dw_case;

static void dw_model(const xai_conv_params *p, const xai_per_channel_quant *q,
                     const xai_dims4 *id, const int8_t *in,
                     const xai_dims4 *fd, const int8_t *f,
                     const int32_t *bias, const xai_dims4 *od, int8_t *out) {
  const int32_t mult = od->c / id->c;
  for (int32_t oy = 0; oy < od->h; oy++)
    for (int32_t ox = 0; ox < od->w; ox++)
      for (int32_t ic = 0; ic < id->c; ic++)
        for (int32_t m = 0; m < mult; m++) {
          const int32_t oc = ic * mult + m;
          uint32_t acc = 0;
          for (int32_t fy = 0; fy < fd->h; fy++)
            for (int32_t fx = 0; fx < fd->w; fx++) {
              const int32_t iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
              const int32_t ix = ox * p->stride_w - p->pad_w + fx * p->dilation_w;
              if (iy < 0 || iy >= id->h || ix < 0 || ix >= id->w) continue;
              const int32_t x = in[((size_t)iy * id->w + ix) * id->c + ic];
              const int32_t w = f[((size_t)fy * fd->w + fx) * fd->c + oc];
              acc += (uint32_t)(w * (x + p->input_offset));
            }
          if (bias) acc += (uint32_t)bias[oc];
          int32_t v = xai_mbqm((int32_t)acc, q->multiplier[oc], q->shift[oc]);
          v = (int32_t)((uint32_t)v + (uint32_t)p->output_offset);
          out[((size_t)oy * od->w + ox) * od->c + oc] =
              (int8_t)clamp(v, p->act_min, p->act_max);
        }
}

static void run_dw_case(const dw_case *k) {
  const int32_t oc_n = k->ic * k->mult;
  const int32_t eff_h = (k->fh - 1) * k->dil + 1, eff_w = (k->fw - 1) * k->dil + 1;
  const int32_t oh = (k->h + 2 * k->pad_h - eff_h) / k->stride + 1;
  const int32_t ow = (k->w + 2 * k->pad_w - eff_w) / k->stride + 1;
  xai_dims4 id = {1, k->h, k->w, k->ic}, fd = {1, k->fh, k->fw, oc_n};
  xai_dims4 od = {1, oh, ow, oc_n};
  const size_t ni = (size_t)k->h * k->w * k->ic,
               nf = (size_t)k->fh * k->fw * oc_n, no = (size_t)oh * ow * oc_n;
  int8_t *in = malloc(ni), *f = malloc(nf), *out = malloc(no),
         *want = malloc(no);
  int32_t *bias = malloc(sizeof(int32_t) * (size_t)oc_n);
  int32_t *mul = malloc(sizeof(int32_t) * (size_t)oc_n);
  int32_t *sh = malloc(sizeof(int32_t) * (size_t)oc_n);
  fill_s8(in, ni);
  fill_s8(f, nf);
  for (int32_t c = 0; c < oc_n; c++) {
    bias[c] = rand_range(-100000, 100000);
    mul[c] = rand_range(1 << 30, INT32_MAX);
    sh[c] = rand_range(-12, 1);
  }
  xai_conv_params p = {k->stride, k->stride, k->dil, k->dil, k->pad_h,
                       k->pad_w, k->offset, rand_range(-128, 127), -128,
                       127};
  if (rand_range(0, 1)) p.act_min = -100, p.act_max = 90;
  xai_per_channel_quant q = {.multiplier = mul, .shift = sh};
  const int32_t *b = rand_range(0, 3) ? bias : NULL;
  CHECK_EQ_INT(
      xai_depthwise_conv2d_s8_ref(&p, &q, &id, in, &fd, f, b, &od, out),
      XAI_OK);
  dw_model(&p, &q, &id, in, &fd, f, b, &od, want);
  for (size_t i = 0; i < no; i++)
    if (out[i] != want[i]) {
      CHECK_EQ_INT(out[i], want[i]);
      fprintf(stderr, "  depthwise case %dx%dx%d mult %d filter %dx%d: "
              "element %zu\n", (int)k->h, (int)k->w, (int)k->ic,
              (int)k->mult, (int)k->fh, (int)k->fw, i);
      break;
    }
  free(in), free(f), free(out), free(want), free(bias), free(mul), free(sh);
}

static void test_depthwise_mult(void) {
  static const dw_case cases[] = {
      /* micro_speech's shape: one channel, multiplier 8, 10x8 filter. */
      {49, 40, 1, 8, 10, 8, 2, 1, 4, 3, 128},
      {49, 40, 1, 8, 10, 8, 2, 1, 4, 3, -127},
      {12, 9, 1, 3, 3, 3, 1, 1, 1, 1, 5},
      {12, 9, 3, 2, 3, 3, 1, 2, 2, 2, -7},   /* several channels, dilation */
      {10, 10, 2, 4, 5, 5, 3, 1, 0, 0, 0},
      {7, 6, 1, 16, 4, 4, 1, 1, 3, 3, 100},  /* padding beyond the filter */
      {16, 16, 2, 32, 9, 9, 1, 1, 4, 4, 17}, /* too big for the patch path */
      {8, 8, 3, 80, 3, 3, 1, 1, 1, 1, 3},    /* multiplier above the block */
      {9, 9, 2, 3, 3, 3, 1, 1, 1, 1, 200},   /* offset beyond int8 */
      {6, 6, 4, 1, 3, 3, 1, 1, 1, 1, 33},    /* multiplier 1 */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    for (int rep = 0; rep < 3; rep++) run_dw_case(&cases[i]);
}

/* ---- FULLY_CONNECTED int8 ------------------------------------------- */

static void test_fc_staged(void) {
  static const int32_t depths[] = {1, 15, 16, 257, 1024, 1025, 3000};
  for (size_t k = 0; k < sizeof depths / sizeof depths[0]; k++)
    for (int rep = 0; rep < 4; rep++) {
      const int32_t n_in = depths[k], n_out = rand_range(1, 20), batches = 2;
      int8_t *x = malloc((size_t)n_in * batches),
             *w = malloc((size_t)n_in * n_out), *o = malloc((size_t)n_out * 2);
      int32_t *bias = malloc(sizeof(int32_t) * (size_t)n_out);
      int32_t *mul = malloc(sizeof(int32_t) * (size_t)n_out);
      int32_t *sh = malloc(sizeof(int32_t) * (size_t)n_out);
      fill_s8(x, (size_t)n_in * batches);
      fill_s8(w, (size_t)n_in * n_out);
      for (int32_t c = 0; c < n_out; c++) {
        bias[c] = rand_range(-100000, 100000);
        mul[c] = rand_range(1 << 30, INT32_MAX);
        sh[c] = rand_range(-14, 0);
      }
      xai_fc_params p;
      memset(&p, 0, sizeof p);
      static const int32_t offsets[] = {128, -127, 0, 129, -128};
      p.input_offset = offsets[rep % 5];
      p.output_offset = rand_range(-128, 127);
      p.act_min = -128;
      p.act_max = 127;
      xai_per_channel_quant q = {.multiplier = mul, .shift = sh};
      xai_fc_dims d = {batches, n_in, n_out};
      CHECK_EQ_INT(xai_fully_connected_s8_ref(&p, &q, &d, x, w, bias, o),
                   XAI_OK);
      for (int32_t b = 0; b < batches; b++)
        for (int32_t c = 0; c < n_out; c++) {
          uint32_t acc = (uint32_t)bias[c];
          for (int32_t i = 0; i < n_in; i++)
            acc += (uint32_t)(w[(size_t)c * n_in + i] *
                              (x[(size_t)b * n_in + i] + p.input_offset));
          int32_t v = xai_mbqm((int32_t)acc, mul[c], sh[c]) + p.output_offset;
          CHECK_EQ_INT(o[(size_t)b * n_out + c], clamp(v, -128, 127));
        }
      free(x), free(w), free(o), free(bias), free(mul), free(sh);
    }
}

/* ---- CONV_2D int8: staged window, four channels at a time ----------- */

typedef struct {
  int32_t h, w, ic, oc, fh, fw, stride, dil_h, dil_w, pad_h, pad_w, offset;
} conv_case;

static void conv_model(const xai_conv_params *p, const xai_per_channel_quant *q,
                       const xai_dims4 *id, const int8_t *in,
                       const xai_dims4 *fd, const int8_t *f,
                       const int32_t *bias, const xai_dims4 *od, int8_t *out) {
  for (int32_t oy = 0; oy < od->h; oy++)
    for (int32_t ox = 0; ox < od->w; ox++)
      for (int32_t oc = 0; oc < od->c; oc++) {
        uint32_t acc = 0;
        for (int32_t fy = 0; fy < fd->h; fy++)
          for (int32_t fx = 0; fx < fd->w; fx++)
            for (int32_t ic = 0; ic < fd->c; ic++) {
              const int32_t iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
              const int32_t ix = ox * p->stride_w - p->pad_w + fx * p->dilation_w;
              if (iy < 0 || iy >= id->h || ix < 0 || ix >= id->w) continue;
              const int32_t x = in[((size_t)iy * id->w + ix) * id->c + ic];
              const int32_t w =
                  f[(((size_t)oc * fd->h + fy) * fd->w + fx) * fd->c + ic];
              acc += (uint32_t)(w * (x + p->input_offset));
            }
        if (bias) acc += (uint32_t)bias[oc];
        int32_t v = xai_mbqm((int32_t)acc, q->multiplier[oc], q->shift[oc]);
        v = (int32_t)((uint32_t)v + (uint32_t)p->output_offset);
        out[((size_t)oy * od->w + ox) * od->c + oc] =
            (int8_t)clamp(v, p->act_min, p->act_max);
      }
}

static void run_conv_case(const conv_case *k) {
  const int32_t eff_h = (k->fh - 1) * k->dil_h + 1;
  const int32_t eff_w = (k->fw - 1) * k->dil_w + 1;
  const int32_t oh = (k->h + 2 * k->pad_h - eff_h) / k->stride + 1;
  const int32_t ow = (k->w + 2 * k->pad_w - eff_w) / k->stride + 1;
  xai_dims4 id = {1, k->h, k->w, k->ic}, fd = {k->oc, k->fh, k->fw, k->ic};
  xai_dims4 od = {1, oh, ow, k->oc};
  const size_t ni = (size_t)k->h * k->w * k->ic,
               nf = (size_t)k->oc * k->fh * k->fw * k->ic,
               no = (size_t)oh * ow * k->oc;
  int8_t *in = malloc(ni), *f = malloc(nf), *out = malloc(no),
         *want = malloc(no);
  int32_t *bias = malloc(sizeof(int32_t) * (size_t)k->oc);
  int32_t *mul = malloc(sizeof(int32_t) * (size_t)k->oc);
  int32_t *sh = malloc(sizeof(int32_t) * (size_t)k->oc);
  fill_s8(in, ni);
  fill_s8(f, nf);
  for (int32_t c = 0; c < k->oc; c++) {
    bias[c] = rand_range(-100000, 100000);
    mul[c] = rand_range(1 << 30, INT32_MAX);
    sh[c] = rand_range(-14, 2);
  }
  xai_conv_params p = {k->stride, k->stride, k->dil_h, k->dil_w, k->pad_h,
                       k->pad_w, k->offset, rand_range(-128, 127), -128,
                       127};
  if (rand_range(0, 1)) p.act_min = -100, p.act_max = 90;
  xai_per_channel_quant q = {.multiplier = mul, .shift = sh};
  const int32_t *b = rand_range(0, 3) ? bias : NULL;
  CHECK_EQ_INT(xai_conv2d_s8_ref(&p, &q, &id, in, &fd, f, b, &od, out),
               XAI_OK);
  conv_model(&p, &q, &id, in, &fd, f, b, &od, want);
  for (size_t i = 0; i < no; i++)
    if (out[i] != want[i]) {
      CHECK_EQ_INT(out[i], want[i]);
      fprintf(stderr, "  conv case %dx%dx%d -> %d filter %dx%d: element %zu\n",
              (int)k->h, (int)k->w, (int)k->ic, (int)k->oc, (int)k->fh,
              (int)k->fw, i);
      break;
    }
  free(in), free(f), free(out), free(want), free(bias), free(mul), free(sh);
}

static void test_conv_staged(void) {
  static const conv_case cases[] = {
      /* h w ic oc fh fw stride dil_h dil_w pad_h pad_w offset */
      {12, 12, 3, 8, 3, 3, 2, 1, 1, 1, 1, 128},  /* RGB first layer */
      {9, 7, 1, 5, 3, 3, 1, 1, 1, 1, 1, -127},   /* one channel, 5 outputs */
      {6, 6, 16, 7, 1, 1, 1, 1, 1, 0, 0, 1},     /* pointwise, tail of 3 */
      {5, 5, 300, 4, 1, 1, 1, 1, 1, 0, 0, 0},    /* long pointwise */
      {8, 9, 4, 9, 5, 4, 1, 1, 1, 3, 2, 17},     /* padding beyond the taps */
      {10, 10, 2, 6, 3, 3, 1, 2, 1, 2, 2, -5},   /* y dilation only */
      {10, 10, 2, 6, 3, 3, 1, 1, 2, 2, 2, -5},   /* x dilation: not staged */
      {6, 6, 120, 5, 3, 3, 1, 1, 1, 1, 1, 9},    /* window above the stage */
      {7, 7, 3, 6, 3, 3, 1, 1, 1, 1, 1, 129},    /* offset beyond the stage */
      {7, 7, 3, 6, 3, 3, 1, 1, 1, 1, 1, -128},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    for (int rep = 0; rep < 3; rep++) run_conv_case(&cases[i]);
}

/* ---- LSTM activations: array forms vs the scalar functions ---------- */

/* Every int16 input, in one call (blocks and their tail) and in place, for
 * logistic and every tanh integer-bit count; then short odd lengths. */
static void test_gemmlowp_arrays(void) {
  const size_t n = 65536;
  int16_t *in = malloc(n * sizeof *in), *out = malloc(n * sizeof *out);
  for (size_t i = 0; i < n; i++) in[i] = (int16_t)((int32_t)i - 32768);
  xai_gemmlowp_logistic_q3_s16_n(in, out, n);
  int bad = 0;
  for (size_t i = 0; i < n && bad < 5; i++)
    if (out[i] != xai_gemmlowp_logistic_q3_s16(in[i])) {
      fprintf(stderr, "logistic(%d): %d, want %d\n", in[i], out[i],
              xai_gemmlowp_logistic_q3_s16(in[i]));
      bad++;
    }
  for (int ib = 0; ib <= 6; ib++) {
    memcpy(out, in, n * sizeof *in);
    xai_gemmlowp_tanh_s16_n(out, out, n, ib);
    for (size_t i = 0; i < n && bad < 5; i++)
      if (out[i] != xai_gemmlowp_tanh_s16(in[i], ib)) {
        fprintf(stderr, "tanh(%d, %d): %d, want %d\n", in[i], ib, out[i],
                xai_gemmlowp_tanh_s16(in[i], ib));
        bad++;
      }
  }
  static const size_t lens[] = {0, 1, 7, 63, 64, 65, 200};
  for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
    for (size_t i = 0; i < lens[k]; i++)
      in[i] = (int16_t)(uint16_t)xai_test_rand(&rng);
    xai_gemmlowp_logistic_q3_s16_n(in, out, lens[k]);
    for (size_t i = 0; i < lens[k]; i++)
      bad += out[i] != xai_gemmlowp_logistic_q3_s16(in[i]);
    xai_gemmlowp_tanh_s16_n(in, out, lens[k], 4);
    for (size_t i = 0; i < lens[k]; i++)
      bad += out[i] != xai_gemmlowp_tanh_s16(in[i], 4);
  }
  CHECK_EQ_INT(bad, 0);
  free(in), free(out);
}

int main(void) {
  test_gemmlowp_arrays();
  test_conv_staged();
  test_srdhm_and_mbqm_forms();
  test_add_sub_s8();
  test_mul_s8();
  test_depthwise_mult();
  test_fc_staged();
  return xai_test_finish("test_ref_fastpaths");
}
