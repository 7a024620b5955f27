/* The VPU requantization of the xcore ADD, SUB and MUL kernels against
 * the reference kernels: every (a, b) pair of int8 values for a set of
 * quantizations chosen at the edges (zero points -128 and 127, where MUL's
 * offset is 128; input scale ratios at TFLite's limits; output scales that
 * push ADD's sums and MUL's products to saturate; activation clamps), at 1
 * and 5 threads, plus unaligned inputs, tails and broadcasts. Also pins the
 * modelled bundles per element below the scalar forms they replaced. */
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "xai/kernels_ref.h"
#include "xai/kernels_xcore.h"

#define PAIRS 65536u

typedef struct {
  float s1, s2, so;
  int32_t z1, z2, zo, lo, hi;
} quant;

static const quant k_cases[] = {
    {0.05f, 0.07f, 0.08f, 2, -3, 1, -128, 127},
    {0.02f, 0.02f, 0.04f, -128, -128, -128, -128, 127},
    {0.1f, 0.1f, 0.01f, 127, 127, 127, -128, 127},   /* outputs saturate */
    {0.5f, 0.5f / 1048576.0f, 0.6f, 0, 5, -5, 0, 127},
    {0.003f, 0.9f, 2.0f, -20, 100, -128, -128, 127},  /* scale 1, fix-ups */
    {0.04f, 0.03f, 0.05f, 10, -10, -100, -100, 27},   /* RELU-like clamp */
    {0.25f, 0.125f, 0.0625f, 0, 0, 0, -128, 127},     /* powers of two */
    {1e-4f, 1e-4f, 1.0f, -1, 1, 0, -1, 1},           /* RELU_N1_TO_1 */
};

/* a, b = every pair of int8 values. */
static void pairs(int8_t *a, int8_t *b) {
  for (unsigned i = 0; i < PAIRS; i++) {
    a[i] = (int8_t)(uint8_t)(i & 0xFFu);
    b[i] = (int8_t)(uint8_t)(i >> 8);
  }
}

/* Modelled bundles per element within the bound (deterministic). */
static void per_element(uint64_t bundles, size_t n, double max,
                        uint32_t info) {
  const double per = (double)bundles / (double)n;
  if (per > max) {
    fprintf(stderr, "%.2f bundles per element > %.1f (record info 0x%x)\n",
            per, max, (unsigned)info);
    xai_test_failures++;
  }
}

static void check_add(const quant *q, int sub, const int8_t *a,
                      const int8_t *b, size_t n, const xai_bcast *bc,
                      double max_per_elem) {
  xai_add_params p;
  if (xai_add_params_make(q->s1, q->z1, q->s2, q->z2, q->so, q->zo, 20, sub,
                          q->lo, q->hi, &p, NULL) != XAI_OK)
    return;
  xai_add_s8_xcore_params *xp = malloc(sizeof *xp);
  CHECK_EQ_INT(xai_add_s8_xcore_pack(&p, xp, NULL), XAI_OK);
  int8_t *want = malloc(n), *got = malloc(n);
  CHECK_EQ_INT(xai_add_s8_ref(&p, bc, a, b, want), XAI_OK);
  static const unsigned th[] = {1, 5};
  for (int t = 0; t < 2; t++) {
    xai_xcore_ew_report rep;
    memset(got, 0x5A, n);
    CHECK_EQ_INT(xai_add_s8_xcore_run(xp, bc, a, b, got, th[t], &rep, NULL),
                 XAI_OK);
    CHECK(memcmp(got, want, n) == 0);
    if (t == 0 && max_per_elem > 0)
      per_element(rep.bundles[0], n, max_per_elem, xp->rq.group[0]);
  }
  free(xp);
  free(want);
  free(got);
}

static void check_mul(const quant *q, const int8_t *a, const int8_t *b,
                      size_t n, const xai_bcast *bc, double max_per_elem) {
  xai_mul_params p;
  xai_mul_params_make(q->s1, q->z1, q->s2, q->z2, q->so * q->s1 * 10.0f,
                      q->zo, q->lo, q->hi, &p);
  xai_mul_s8_xcore_params xp;
  CHECK_EQ_INT(xai_mul_s8_xcore_pack(&p, &xp, NULL), XAI_OK);
  int8_t *want = malloc(n), *got = malloc(n);
  CHECK_EQ_INT(xai_mul_s8_ref(&p, bc, a, b, want), XAI_OK);
  static const unsigned th[] = {1, 5};
  for (int t = 0; t < 2; t++) {
    xai_xcore_ew_report rep;
    memset(got, 0x5A, n);
    CHECK_EQ_INT(xai_mul_s8_xcore_run(&xp, bc, a, b, got, th[t], &rep, NULL),
                 XAI_OK);
    CHECK(memcmp(got, want, n) == 0);
    if (t == 0 && max_per_elem > 0)
      per_element(rep.bundles[0], n, max_per_elem, xp.rq.group[0]);
  }
  free(want);
  free(got);
}

static void flat_plan(size_t n, xai_bcast *bc) {
  xai_shape s = {1, {(int32_t)n}};
  CHECK_EQ_INT(xai_bcast_make(&s, &s, bc, NULL), XAI_OK);
}

int main(void) {
  /* +4 so the unaligned copies stay inside */
  int8_t *a = malloc(PAIRS + 4), *b = malloc(PAIRS + 4);
  pairs(a, b);
  xai_bcast bc;
  flat_plan(PAIRS, &bc);
  const size_t nq = sizeof k_cases / sizeof k_cases[0];
  for (size_t c = 0; c < nq; c++) {
    /* every pair, same shapes: ADD under 13 bundles/element (17 scalar),
     * MUL under 5 (16 scalar; 3.3 on the fast chain, 4.3 on the general) */
    check_add(&k_cases[c], 0, a, b, PAIRS, &bc, 13.0);
    check_add(&k_cases[c], 1, a, b, PAIRS, &bc, 13.0);
    check_mul(&k_cases[c], a, b, PAIRS, &bc, 5.0);
  }
  /* unaligned inputs (MUL gathers them), and odd lengths (tails) */
  int8_t *ca = malloc(PAIRS + 4), *cb = malloc(PAIRS + 4);
  memcpy(ca + 1, a, PAIRS);
  memcpy(cb + 3, b, PAIRS);
  for (size_t c = 0; c < nq; c++) {
    check_mul(&k_cases[c], ca + 1, cb + 3, PAIRS, &bc, 0);
    check_add(&k_cases[c], 0, ca + 1, cb + 3, PAIRS, &bc, 0);
  }
  static const size_t lens[] = {1, 15, 16, 17, 31, 33, 47, 161};
  for (size_t l = 0; l < sizeof lens / sizeof lens[0]; l++) {
    xai_bcast t;
    flat_plan(lens[l], &t);
    for (size_t c = 0; c < nq; c++) {
      /* from a 4-aligned offset inside the pairs, so the last vector reads
       * past the tensor's end and must be staged */
      check_mul(&k_cases[c], a + 4 * (c + l), b + 4 * (c + 2 * l),
                lens[l], &t, 0);
      check_add(&k_cases[c], c % 2, a + c, b + l, lens[l], &t, 0);
    }
  }
  /* broadcasts: per-channel vector, scalar, row */
  static const xai_shape shapes[][2] = {
      {{4, {1, 8, 8, 48}}, {4, {1, 1, 1, 48}}},
      {{4, {1, 8, 8, 48}}, {1, {1}}},
      {{1, {1}}, {3, {7, 9, 33}}},
      {{3, {5, 1, 40}}, {3, {1, 6, 40}}},
  };
  for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
    xai_bcast t;
    CHECK_EQ_INT(xai_bcast_make(&shapes[s][0], &shapes[s][1], &t, NULL),
                 XAI_OK);
    for (size_t c = 0; c < nq; c++) {
      check_mul(&k_cases[c], a + 8 * c, b + 4 * s, t.count, &t, 0);
      check_add(&k_cases[c], (int)(c % 2), a + 8 * c, b + 4 * s, t.count,
                &t, 0);
    }
  }
  /* a malformed record from a model is refused, not run */
  {
    xai_mul_params p;
    xai_mul_params_make(0.1f, 0, 0.1f, 0, 0.1f, 0, -128, 127, &p);
    xai_mul_s8_xcore_params xp;
    CHECK_EQ_INT(xai_mul_s8_xcore_pack(&p, &xp, NULL), XAI_OK);
    xp.rq.group[0] = 0xFFFFFFFFu;
    xai_xcore_ew_report rep;
    int8_t out[16];
    xai_bcast t;
    flat_plan(16, &t);
    xai_error e;
    xai_error_clear(&e);
    CHECK_EQ_INT(xai_mul_s8_xcore_run(&xp, &t, a, b, out, 1, &rep, &e),
                 XAI_ERR_FORMAT);
    CHECK(strstr(e.message, "malformed") != NULL);
  }
  free(a);
  free(b);
  free(ca);
  free(cb);
  return xai_test_finish("test_xcore_ew_vpu");
}
