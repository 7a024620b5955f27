/* xcore ADD, SUB, MUL, PAD and CONCATENATION against the reference kernels:
 * random scales (ratios 2^-20 .. 2^4 where TFLite accepts them), zero
 * points at -128 and 127, broadcast shapes, misaligned copies, 1/2/5/8
 * threads; every byte compared, no VPU fault allowed. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "xai/kernels_ref.h"
#include "xai/kernels_xcore.h"

#if defined(XAI_SANITIZE) || defined(__SANITIZE_ADDRESS__)
#define CASES 40
#else
#define CASES 200
#endif

static const unsigned threads[] = {1, 2, 5, 8};
static uint64_t rng = 0xADD5EEDu;

static int32_t rand_range(int32_t lo, int32_t hi) {
  return lo + (int32_t)(xai_test_rand(&rng) % (uint64_t)(hi - lo + 1));
}
static float rand_scale(float lo_log2, float hi_log2) {
  return exp2f(lo_log2 + (hi_log2 - lo_log2) *
                             (float)(xai_test_rand(&rng) % 10000) / 10000.0f);
}
static int32_t rand_zp(void) {
  int r = rand_range(0, 3);
  return r == 0 ? -128 : r == 1 ? 127 : rand_range(-128, 127);
}
static int8_t *rand_bytes(size_t n) {
  int8_t *p = malloc(n ? n : 1);
  for (size_t i = 0; i < n; i++) p[i] = (int8_t)rand_range(-128, 127);
  return p;
}

/* Random shapes a, b that broadcast (or are equal when same). */
static void rand_shapes(xai_shape *a, xai_shape *b, int same) {
  a->rank = b->rank = rand_range(1, 4);
  for (int d = 0; d < a->rank; d++) {
    a->dims[d] = b->dims[d] = rand_range(1, d == a->rank - 1 ? 40 : 5);
    if (!same && rand_range(0, 2) == 0) {
      if (rand_range(0, 1))
        a->dims[d] = 1;
      else
        b->dims[d] = 1;
    }
  }
}

static void test_add_sub(void) {
  for (int c = 0; c < CASES; c++) {
    xai_shape sa, sb, so;
    rand_shapes(&sa, &sb, c % 2 == 0);
    xai_bcast bc;
    CHECK_EQ_INT(xai_bcast_make(&sa, &sb, &bc, NULL), XAI_OK);
    xai_bcast_out_shape(&bc, &so);
    float s1 = rand_scale(-10, -2);
    float s2 = c % 5 == 0 ? s1 : s1 * rand_scale(-20, 4);
    float s3 = (s1 > s2 ? s1 : s2) * rand_scale(-3, 3);
    int32_t lo = rand_range(0, 2) ? -128 : rand_range(-128, 0);
    int32_t hi = rand_range(0, 2) ? 127 : rand_range(lo, 127);
    xai_add_params p;
    xai_error err;
    if (xai_add_params_make(s1, rand_zp(), s2, rand_zp(), s3, rand_zp(), 20,
                            c % 3 == 1, lo, hi, &p, &err) != XAI_OK)
      continue;
    xai_add_s8_xcore_params xp;
    CHECK_EQ_INT(xai_add_s8_xcore_pack(&p, &xp, &err), XAI_OK);
    int8_t *a = rand_bytes(xai_shape_elements(&sa));
    int8_t *b = rand_bytes(xai_shape_elements(&sb));
    int8_t *expect = malloc(bc.count), *out = malloc(bc.count);
    CHECK_EQ_INT(xai_add_s8_ref(&p, &bc, a, b, expect), XAI_OK);
    for (unsigned t = 0; t < 4; t++) {
      xai_xcore_ew_report rep;
      memset(out, 0x33, bc.count);
      CHECK_EQ_INT(xai_add_s8_xcore_run(&xp, &bc, a, b, out, threads[t], &rep,
                                        &err),
                   XAI_OK);
      CHECK(memcmp(out, expect, bc.count) == 0);
    }
    free(a);
    free(b);
    free(expect);
    free(out);
  }
}

static void test_mul(void) {
  for (int c = 0; c < CASES; c++) {
    xai_shape sa, sb;
    rand_shapes(&sa, &sb, c % 2 == 0);
    xai_bcast bc;
    CHECK_EQ_INT(xai_bcast_make(&sa, &sb, &bc, NULL), XAI_OK);
    float s1 = rand_scale(-10, 0), s2 = rand_scale(-10, 0);
    float s3 = s1 * s2 * rand_scale(-4, 20);
    int32_t lo = rand_range(0, 2) ? -128 : rand_range(-128, 0);
    xai_mul_params p;
    xai_mul_params_make(s1, rand_zp(), s2, rand_zp(), s3, rand_zp(), lo, 127,
                        &p);
    xai_mul_s8_xcore_params xp;
    CHECK_EQ_INT(xai_mul_s8_xcore_pack(&p, &xp, NULL), XAI_OK);
    int8_t *a = rand_bytes(xai_shape_elements(&sa));
    int8_t *b = rand_bytes(xai_shape_elements(&sb));
    int8_t *expect = malloc(bc.count), *out = malloc(bc.count);
    CHECK_EQ_INT(xai_mul_s8_ref(&p, &bc, a, b, expect), XAI_OK);
    for (unsigned t = 0; t < 4; t++) {
      xai_xcore_ew_report rep;
      memset(out, 0x33, bc.count);
      CHECK_EQ_INT(
          xai_mul_s8_xcore_run(&xp, &bc, a, b, out, threads[t], &rep, NULL),
          XAI_OK);
      CHECK(memcmp(out, expect, bc.count) == 0);
    }
    free(a);
    free(b);
    free(expect);
    free(out);
  }
}

static void test_pad(void) {
  for (int c = 0; c < CASES; c++) {
    xai_shape s;
    int32_t before[4], after[4];
    s.rank = rand_range(1, 4);
    size_t out_n = 1;
    for (int d = 0; d < s.rank; d++) {
      s.dims[d] = rand_range(0, 4) == 0 && d < s.rank - 1 ? 1
                                                          : rand_range(1, 37);
      before[d] = rand_range(0, 3);
      after[d] = rand_range(0, 5);
      out_n *= (size_t)(s.dims[d] + before[d] + after[d]);
    }
    int8_t *in = rand_bytes(xai_shape_elements(&s));
    int8_t *expect = malloc(out_n), *out = malloc(out_n);
    int8_t pad = (int8_t)rand_zp();
    CHECK_EQ_INT(xai_pad_ref(&s, before, after, in, &pad, 1, expect), XAI_OK);
    for (unsigned t = 0; t < 4; t++) {
      xai_xcore_ew_report rep;
      memset(out, 0x33, out_n);
      CHECK_EQ_INT(xai_pad_s8_xcore_run(&s, before, after, in, pad, out,
                                        threads[t], &rep, NULL),
                   XAI_OK);
      CHECK(memcmp(out, expect, out_n) == 0);
    }
    free(in);
    free(expect);
    free(out);
  }
}

static void test_concat(void) {
  for (int c = 0; c < CASES; c++) {
    uint32_t count = (uint32_t)rand_range(1, 4);
    int32_t outer = rand_range(1, 6), inner = rand_range(1, 20);
    if (c % 3 == 0) inner = 4 * rand_range(1, 8); /* aligned chunks */
    int32_t sizes[4];
    int8_t *ins[4];
    size_t total = 0;
    for (uint32_t i = 0; i < count; i++) {
      sizes[i] = rand_range(0, 9);
      ins[i] = rand_bytes((size_t)outer * sizes[i] * inner);
      total += (size_t)outer * sizes[i] * inner;
    }
    int8_t *expect = malloc(total ? total : 1), *out = malloc(total ? total : 1);
    CHECK_EQ_INT(xai_concat_ref(count, (const void *const *)ins, sizes, outer,
                                inner, 1, expect),
                 XAI_OK);
    for (unsigned t = 0; t < 4; t++) {
      xai_xcore_ew_report rep;
      memset(out, 0x33, total);
      CHECK_EQ_INT(xai_concat_s8_xcore_run(count, (const int8_t *const *)ins,
                                           sizes, outer, inner, out,
                                           threads[t], &rep, NULL),
                   XAI_OK);
      CHECK(memcmp(out, expect, total) == 0);
    }
    for (uint32_t i = 0; i < count; i++) free(ins[i]);
    free(expect);
    free(out);
  }
}

/* Vector copy/fill at every head offset and length up to 70 bytes, inside
 * guard bytes that must stay untouched. */
static void test_copy_fill(void) {
  int8_t src[80], dst[96];
  for (int i = 0; i < 80; i++) src[i] = (int8_t)(i + 1);
  for (int off = 0; off < 8; off++)
    for (size_t n = 0; n <= 70; n++) {
      xai_vpu_ctx ctx;
      xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
      memset(dst, 0x7F, sizeof dst);
      xai_xcore_copy_bytes(&ctx, dst + 8 + off, src + (off % 4), n, src,
                           src + 80);
      for (int i = 0; i < 96; i++) {
        int in_range = i >= 8 + off && (size_t)i < 8 + off + n;
        CHECK_EQ_INT(dst[i], in_range ? src[(off % 4) + i - 8 - off] : 0x7F);
      }
      xai_xcore_fill_bytes(&ctx, dst + 8 + off, n, -128);
      for (int i = 0; i < 96; i++) {
        int in_range = i >= 8 + off && (size_t)i < 8 + off + n;
        if (in_range) CHECK_EQ_INT(dst[i], -128);
      }
      CHECK_EQ_INT(ctx.fault_count, 0);
    }
}

int main(void) {
  test_copy_fill();
  test_add_sub();
  test_mul();
  test_pad();
  test_concat();
  return xai_test_finish("kernels_test_xcore_elementwise");
}
