/* The host-speed step forms (xai_vpu_vlmaccr16, xai_vpu_vlmaccr16_block,
 * xai_vpu_vlmacc8_pairs) against the single instructions they stand for:
 * the same registers and counters from random fetch states, on random
 * data and on accumulators at and near saturation (where the stepwise
 * saturation of VLMACC matters). */
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "vpu_test_helpers.h"
#include "xai/vpu.h"

static uint64_t rng = 0x5EEDF00Dull;

static int32_t rnd(int32_t lo, int32_t hi) {
  return lo + (int32_t)(xai_test_rand(&rng) % (uint64_t)((int64_t)hi - lo + 1));
}

static void fill(int8_t *p, size_t n, int extreme) {
  for (size_t i = 0; i < n; i++)
    p[i] = extreme ? (int8_t)(rnd(0, 1) ? -128 : 127) : (int8_t)rnd(-128, 127);
}

/* A state both forms start from: accumulators random, near +-2^31 or
 * exactly INT32_MIN, vC random, a random fetch state. */
static void start(xai_vpu_ctx *ctx, int round) {
  xai_vpu_init(ctx, XAI_VPU_MODE_INT8);
  int32_t acc[16];
  for (int i = 0; i < 16; i++) {
    int32_t near = rnd(0, 1 << 17);
    switch ((round + i) % 5) {
      case 0: acc[i] = (int32_t)xai_test_rand(&rng); break;
      case 1: acc[i] = INT32_MAX - near; break;
      case 2: acc[i] = -INT32_MAX + near; break;
      case 3: acc[i] = round % 2 ? INT32_MIN : rnd(-1000, 1000); break;
      default: acc[i] = rnd(-(1 << 20), 1 << 20); break;
    }
  }
  load_acc32(ctx, acc);
  _Alignas(32) int8_t c[32];
  fill(c, 32, round % 3 == 0);
  xai_vpu_vldc(ctx, c);
  ctx->ibuf = 4u * (uint32_t)rnd(0, 4);
  ctx->alu_pending = (uint32_t)rnd(0, 3) * (uint32_t)rnd(0, 1);
}

static int same(const xai_vpu_ctx *a, const xai_vpu_ctx *b) {
  return memcmp(&a->vR, &b->vR, 32) == 0 && memcmp(&a->vD, &b->vD, 32) == 0 &&
         memcmp(&a->vC, &b->vC, 32) == 0 && a->mode == b->mode &&
         a->bundles == b->bundles && a->vpu_ops == b->vpu_ops &&
         a->macs == b->macs && a->fnops == b->fnops && a->ibuf == b->ibuf &&
         a->alu_pending == b->alu_pending && a->fault_count == b->fault_count;
}

int main(void) {
  static _Alignas(32) int8_t rows[16][32], xs[64][32], ws[64][32];
  int rounds = 3000;
  for (int r = 0; r < rounds; r++) {
    fill(&rows[0][0], sizeof rows, r % 3 == 0);
    xai_vpu_ctx a, b, c;
    start(&a, r);
    b = a;
    c = a;
    const int8_t *ptr[16];
    for (int k = 0; k < 16; k++) ptr[k] = rows[k];
    xai_vpu_vlmaccr16(&a, ptr);
    xai_vpu_vlmaccr16_block(&c, &rows[0][0]);
    for (int k = 0; k < 16; k++) xai_vpu_vlmaccr(&b, rows[k]);
    CHECK(same(&a, &b));
    CHECK(same(&c, &b));

    unsigned n = (unsigned)rnd(1, 12);
    if (r % 50 == 0) n = 64;
    fill(&xs[0][0], sizeof xs, r % 3 == 0);
    fill(&ws[0][0], sizeof ws, r % 3 == 0);
    const void *cp[64], *mp[64];
    for (unsigned k = 0; k < n; k++) {
      cp[k] = xs[k];
      mp[k] = ws[(k * 7) % 64];
    }
    start(&a, r + 1);
    b = a;
    xai_vpu_vlmacc8_pairs(&a, cp, mp, n);
    for (unsigned k = 0; k < n; k++) {
      xai_vpu_vldc(&b, cp[k]);
      xai_vpu_vlmacc(&b, mp[k]);
    }
    CHECK(same(&a, &b));

    /* xai_vpu_charge_vpu's closed form against n single issues. */
    unsigned issues = (unsigned)rnd(0, 40);
    start(&a, r + 2);
    b = a;
    xai_vpu_charge_vpu(&a, issues);
    for (unsigned k = 0; k < issues; k++) xai_vpu_issue(&b);
    CHECK(same(&a, &b));
    if (xai_test_failures > 10) break;
  }
  return xai_test_finish("vpu_step_forms");
}
