/* xcore SOFTMAX (int8 -> int8) against the reference kernel: random and
 * edge rows (all equal, one peak, the full int8 range, rows where most
 * differences fall outside the input radius), depths 1..300, betas and
 * input scales from tiny (exp ~1 everywhere) to large (radius < 255), at 1
 * and 5 threads; every byte compared. Also pins the modelled bundles: per
 * element, well below the builtin's ~400. */
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "xai/kernels_ref.h"
#include "xai/kernels_xcore.h"

static uint64_t rng = 0x50F7u;

static int32_t rand_range(int32_t lo, int32_t hi) {
  return lo + (int32_t)(xai_test_rand(&rng) % (uint64_t)(hi - lo + 1));
}

static void fill_row(int8_t *r, size_t n, int kind) {
  for (size_t i = 0; i < n; i++) {
    switch (kind) {
      case 0: r[i] = (int8_t)rand_range(-128, 127); break;
      case 1: r[i] = 17; break;
      case 2: r[i] = (int8_t)(i == n / 2 ? 127 : -128); break;
      case 3: r[i] = (int8_t)rand_range(100, 127); break;
      default: r[i] = (int8_t)(i % 256 - 128); break;
    }
  }
}

int main(void) {
  static const float scales[] = {1e-6f, 0.0039f, 0.05f, 0.1f, 0.5f, 3.0f};
  static const float betas[] = {1.0f, 0.5f, 2.0f};
  static const unsigned threads[] = {1, 5};
  int cases = 0;
  for (size_t s = 0; s < sizeof scales / sizeof scales[0]; s++)
    for (size_t bi = 0; bi < sizeof betas / sizeof betas[0]; bi++)
      for (int k = 0; k < 5; k++) {
        xai_softmax_params p;
        if (xai_softmax_params_make(betas[bi], scales[s], &p, NULL) != XAI_OK)
          continue;
        xai_softmax_s8_xcore_params xp;
        xai_softmax_s8_xcore_pack(&p, &xp);
        const size_t depth = k == 4 ? 256 : (size_t)rand_range(1, 300);
        const size_t outer = (size_t)rand_range(1, 9);
        const size_t n = depth * outer;
        int8_t *in = malloc(n), *want = malloc(n), *got = malloc(n);
        for (size_t r = 0; r < outer; r++)
          fill_row(in + r * depth, depth, (int)((k + r) % 5));
        CHECK_EQ_INT(xai_softmax_s8_ref(&p, outer, depth, in, want), XAI_OK);
        for (int t = 0; t < 2; t++) {
          xai_xcore_ew_report rep;
          memset(got, 0x5A, n);
          CHECK_EQ_INT(xai_softmax_s8_xcore_run(&xp, outer, depth, in, got,
                                                threads[t], &rep, NULL),
                       XAI_OK);
          CHECK(memcmp(got, want, n) == 0);
          uint64_t total = 0;
          for (unsigned i = 0; i < threads[t]; i++) total += rep.bundles[i];
          /* 3 + 6 + 17 per element, branches per 4, 120 + 3 per row */
          CHECK(total <= 28u * n + 125u * outer);
        }
        cases++;
        free(in);
        free(want);
        free(got);
      }
  CHECK(cases >= 60);
  return xai_test_finish("test_xcore_softmax");
}
