/* Greedy planner on synthetic lifetimes: hand-derived placements, fixed
 * (offline) offsets, and random cases checked for the invariants (no two
 * live-overlapping buffers share bytes, 16-byte alignment, head = max end). */
#include <string.h>

#include "../../src/runtime/interp_internal.h"
#include "testlib.h"

static xai_plan_buf buf(size_t size, uint32_t first, uint32_t last) {
  xai_plan_buf b;
  memset(&b, 0, sizeof b);
  b.id = 0;
  b.size = size;
  b.first = first;
  b.last = last;
  b.fixed = -1;
  return b;
}

static void test_hand_derived(void) {
  /* A 32 [0,1], B 16 [1,2], C 48 [2,3]. Largest first: C@0; A@0 (not
   * live with C); B is live with both: 0 hits A -> 32, hits C -> 48. */
  xai_plan_buf b[3] = {buf(32, 0, 1), buf(16, 1, 2), buf(48, 2, 3)};
  size_t head = 0;
  xai_error err;
  CHECK_EQ_INT(xai_plan_greedy(b, 3, &head, &err), XAI_OK);
  CHECK_EQ_INT(b[2].offset, 0);
  CHECK_EQ_INT(b[0].offset, 0);
  CHECK_EQ_INT(b[1].offset, 48);
  CHECK_EQ_INT(head, 64);
  CHECK_EQ_INT(xai_plan_check(b, 3, &err), XAI_OK);

  /* A gap is reused: X 64 [0,3] @0, Y 32 [0,0] @64, Z 32 [2,2] @64 (Y is
   * dead by then), W 16 [1,1]: live with X only -> 64. Equal sizes keep
   * their order (Y before Z). */
  xai_plan_buf c[4] = {buf(64, 0, 3), buf(32, 0, 0), buf(32, 2, 2),
                       buf(16, 1, 1)};
  CHECK_EQ_INT(xai_plan_greedy(c, 4, &head, &err), XAI_OK);
  CHECK_EQ_INT(c[0].offset, 0);
  CHECK_EQ_INT(c[1].offset, 64);
  CHECK_EQ_INT(c[2].offset, 64);
  CHECK_EQ_INT(c[3].offset, 64);
  CHECK_EQ_INT(head, 96);

  /* Lowest fit between two buffers: P 16 [0,5] @0... order by size: Q 48
   * [0,5] @0, R 32 [0,0] @48, P 16 [0,5] -> 0 hits Q -> 48 hits R -> 80.
   * S 32 [1,5] after R is placed: 0 -> 48 (Q) -> fits at 48 (R dead). */
  xai_plan_buf d[4] = {buf(16, 0, 5), buf(48, 0, 5), buf(32, 0, 0),
                       buf(32, 1, 5)};
  CHECK_EQ_INT(xai_plan_greedy(d, 4, &head, &err), XAI_OK);
  CHECK_EQ_INT(d[1].offset, 0);
  CHECK_EQ_INT(d[2].offset, 48);
  CHECK_EQ_INT(d[3].offset, 48);
  CHECK_EQ_INT(d[0].offset, 80);
  CHECK_EQ_INT(head, 96);
}

static void test_fixed(void) {
  /* Fixed buffers keep their offsets; online ones avoid them. */
  xai_plan_buf b[3] = {buf(32, 0, 2), buf(16, 0, 2), buf(16, 0, 2)};
  b[1].fixed = 0;
  size_t head = 0;
  xai_error err;
  CHECK_EQ_INT(xai_plan_greedy(b, 3, &head, &err), XAI_OK);
  CHECK_EQ_INT(b[1].offset, 0);
  CHECK_EQ_INT(b[0].offset, 16);
  CHECK_EQ_INT(b[2].offset, 48);
  CHECK_EQ_INT(head, 64);
  /* Two fixed buffers live together on the same bytes: the check refuses. */
  xai_plan_buf c[2] = {buf(32, 0, 1), buf(32, 1, 2)};
  c[0].fixed = 0;
  c[1].fixed = 16;
  c[1].id = 1;
  CHECK_EQ_INT(xai_plan_greedy(c, 2, &head, &err), XAI_OK);
  xai_error_clear(&err);
  CHECK_EQ_INT(xai_plan_check(c, 2, &err), XAI_ERR_FORMAT);
  CHECK(strstr(err.message, "tensor 0") && strstr(err.message, "tensor 1"));
}

static void test_random(void) {
  uint64_t seed = 12345;
  enum { N = 60 };
  for (int round = 0; round < 200; round++) {
    xai_plan_buf b[N];
    uint32_t n = 1 + (uint32_t)(xai_test_rand(&seed) % N);
    size_t total = 0;
    for (uint32_t i = 0; i < n; i++) {
      uint32_t first = (uint32_t)(xai_test_rand(&seed) % 40);
      uint32_t len = (uint32_t)(xai_test_rand(&seed) % 8);
      size_t size = 16 * (1 + xai_test_rand(&seed) % 64);
      b[i] = buf(size, first, first + len);
      b[i].id = i;
      total += size;
    }
    size_t head = 0;
    xai_error err;
    CHECK_EQ_INT(xai_plan_greedy(b, n, &head, &err), XAI_OK);
    CHECK_EQ_INT(xai_plan_check(b, n, &err), XAI_OK);
    size_t end = 0, peak = 0;
    for (uint32_t i = 0; i < n; i++) {
      CHECK_EQ_INT(b[i].offset % 16, 0);
      if (b[i].offset + b[i].size > end) end = b[i].offset + b[i].size;
    }
    /* The head is the highest end; it is at least the live peak and at
     * most the sum of all buffers. */
    for (uint32_t t = 0; t < 48; t++) {
      size_t live = 0;
      for (uint32_t i = 0; i < n; i++)
        if (b[i].first <= t && t <= b[i].last) live += b[i].size;
      if (live > peak) peak = live;
    }
    CHECK_EQ_INT(head, end);
    CHECK(head >= peak && head <= total);
  }
}

int main(void) {
  test_hand_derived();
  test_fixed();
  test_random();
  return xai_test_finish("runtime_planner");
}
