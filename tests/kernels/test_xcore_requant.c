/* The VPU requantization (requant.h) against TFLite's exact
 * MultiplyByQuantizedMultiplier (xai_mbqm, itself checked against
 * LiteRT elsewhere): every rounding tie near every output step, dense
 * sweeps, random accumulators up to the pack-time bound, mixed lanes,
 * every clamp mode, and the scalar fallback. Every run is also checked
 * against the emulated instruction sequence (xai_rq_run_vpu): outputs,
 * registers and every cycle-model counter, from varied fetch states, also
 * for accumulators beyond the pack-time bound. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "xai/kernels_ref/quant.h"
#include "xai/kernels_xcore/requant.h"

static uint64_t rng = 0x1234567887654321ull;

static int32_t rnd(int32_t lo, int32_t hi) {
  return lo + (int32_t)(xai_test_rand(&rng) % (uint64_t)((int64_t)hi - lo + 1));
}

typedef struct {
  int single;
  int32_t mult[16], shift[16];
  int64_t bound[16];
  int32_t zp, act_min, act_max;
} rq_case;

static _Alignas(32) uint8_t scratch[XAI_RQ_SCRATCH_BYTES];
static long long checked, scalar_groups, fast_groups, groups, compact_groups;
static long long folded_groups, compact_no_t;
static int use_fast = 1; /* pack with xai_rq_pack_group_c (the kernels') */

static long long sequence_checked;

/* xai_rq_run against the instruction sequence: the same output bytes
 * (and none past n), registers, mode and counters, from a random fetch
 * state (buffer level, deferred ALU bundles) and stale vC. */
static void check_sequence(const xai_rq_group *g, const xai_rq_consts *c,
                           const int32_t acc[16], int n, int misalign) {
  _Alignas(32) int16_t hi[16];
  _Alignas(32) uint16_t lo[16];
  _Alignas(32) int8_t junk[32];
  _Alignas(32) uint8_t sa[XAI_RQ_SCRATCH_BYTES], sb[XAI_RQ_SCRATCH_BYTES];
  _Alignas(32) int8_t oa[24], ob[24];
  for (int i = 0; i < 16; i++) {
    hi[i] = (int16_t)(uint16_t)((uint32_t)acc[i] >> 16);
    lo[i] = (uint16_t)((uint32_t)acc[i] & 0xFFFF);
  }
  for (int i = 0; i < 32; i++) junk[i] = (int8_t)xai_test_rand(&rng);
  xai_vpu_ctx a;
  xai_vpu_init(&a, rnd(0, 1) ? XAI_VPU_MODE_INT8 : XAI_VPU_MODE_INT16);
  xai_vpu_vldc(&a, junk);
  xai_vpu_vldd(&a, hi);
  xai_vpu_vldr(&a, lo);
  a.ibuf = 4u * (uint32_t)rnd(0, 4);
  a.alu_pending = (uint32_t)rnd(0, 3) * (uint32_t)rnd(0, 1);
  xai_vpu_ctx b = a;
  memset(oa, 0x55, sizeof oa);
  memset(ob, 0x55, sizeof ob);
  xai_rq_run(&a, g, c, oa + misalign, n, sa);
  xai_rq_run_vpu(&b, g, c, ob + misalign, n, sb);
  int same = memcmp(oa, ob, sizeof oa) == 0 &&
             memcmp(&a.vR, &b.vR, 32) == 0 && memcmp(&a.vD, &b.vD, 32) == 0 &&
             memcmp(&a.vC, &b.vC, 32) == 0 && a.mode == b.mode &&
             a.ctrl == b.ctrl && a.bundles == b.bundles &&
             a.vpu_ops == b.vpu_ops && a.macs == b.macs &&
             a.fnops == b.fnops && a.ibuf == b.ibuf &&
             a.alu_pending == b.alu_pending &&
             a.fault_count == b.fault_count && a.fault_count == 0;
  if (!same) {
    fprintf(stderr,
            "sequence mismatch: info 0x%x n %d misalign %d: bundles %llu/%llu "
            "ops %llu/%llu macs %llu/%llu fnops %llu/%llu ibuf %u/%u "
            "pending %u/%u out %d/%d\n",
            g->info, n, misalign, (unsigned long long)a.bundles,
            (unsigned long long)b.bundles, (unsigned long long)a.vpu_ops,
            (unsigned long long)b.vpu_ops, (unsigned long long)a.macs,
            (unsigned long long)b.macs, (unsigned long long)a.fnops,
            (unsigned long long)b.fnops, a.ibuf, b.ibuf, a.alu_pending,
            b.alu_pending, memcmp(oa, ob, sizeof oa),
            memcmp(&a.vR, &b.vR, 32));
    xai_test_failures++;
    if (xai_test_failures > 20) exit(1);
  }
  sequence_checked++;
}

/* Runs 16 accumulators through the VPU path and compares every lane;
 * d (a folded P offset, or NULL): the accumulators start d * 2^16 higher,
 * as the kernels' bias makes them. */
static void run16_from(const rq_case *rc, const xai_rq_group *g,
                       const xai_rq_consts *c, const int32_t acc[16], int n,
                       const int16_t *d) {
  _Alignas(32) int16_t hi[16];
  _Alignas(32) uint16_t lo[16];
  _Alignas(32) int8_t out[20];
  int32_t start[16];
  for (int i = 0; i < 16; i++) {
    start[i] = (int32_t)((int64_t)acc[i] + (d ? (int64_t)d[i] * 65536 : 0));
    hi[i] = (int16_t)(uint16_t)((uint32_t)start[i] >> 16);
    lo[i] = (uint16_t)((uint32_t)start[i] & 0xFFFF);
  }
  xai_vpu_ctx ctx;
  xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
  xai_vpu_vldd(&ctx, hi);
  xai_vpu_vldr(&ctx, lo);
  memset(out, 0x55, sizeof out);
  /* Odd n and an unaligned output pointer exercise the tail paths. */
  int8_t *o = (n & 1) ? out + 1 : out;
  xai_rq_run(&ctx, g, c, o, n, scratch);
  CHECK_EQ_INT(ctx.fault_count, 0);
  CHECK_EQ_INT(ctx.mode, XAI_VPU_MODE_INT8);
  for (int i = 0; i < n; i++) {
    /* TFLite adds the zero point in int32 (wrapping). */
    int32_t y = rc->single ? xai_mbqm_single(acc[i], rc->mult[i], rc->shift[i])
                           : xai_mbqm(acc[i], rc->mult[i], rc->shift[i]);
    int32_t v = (int32_t)((uint32_t)y + (uint32_t)rc->zp);
    if (v < rc->act_min) v = rc->act_min;
    if (v > rc->act_max) v = rc->act_max;
    if (o[i] != v) {
      fprintf(stderr,
              "lane %d acc %d M %d shift %d zp %d [%d,%d]: got %d want %d "
              "(scalar %u)\n",
              i, acc[i], rc->mult[i], rc->shift[i], rc->zp, rc->act_min,
              rc->act_max, o[i], v, (g->info & XAI_RQ_INFO_SCALAR) != 0);
      xai_test_failures++;
      if (xai_test_failures > 20) exit(1);
    }
    checked++;
  }
  /* Bytes past n are untouched. */
  if (n < 16) CHECK_EQ_INT((uint8_t)o[n], 0x55);
  check_sequence(g, c, start, n, (int)(o - out) + rnd(0, 1) * 2);
}

static void run16(const rq_case *rc, const xai_rq_group *g,
                  const xai_rq_consts *c, const int32_t acc[16], int n) {
  run16_from(rc, g, c, acc, n, NULL);
}

static int64_t bound_for(int32_t shift) {
  /* TFLite's acc << shift must not wrap; the chain needs |acc| <= 2^30. */
  int64_t b = (int64_t)1 << 30;
  if (shift > 0) b = (((int64_t)1 << 31) - 256) >> shift;
  return b;
}

/* Accumulators around the output steps k in [-300, 300] of lane i, i.e.
 * around every place a rounding tie can sit, plus dense and random ones. */
static int32_t pick_acc(const rq_case *rc, int i, int mode) {
  int64_t b = rc->bound[i];
  double real = (double)rc->mult[i] * ((double)1 / 2147483648.0);
  for (int s = 0; s < rc->shift[i]; s++) real *= 2;
  for (int s = 0; s > rc->shift[i]; s--) real /= 2;
  int64_t a;
  if (mode == 0 && real > 0) {
    double step = (rnd(-300, 300) + 0.5) / real; /* a half-way point */
    a = (int64_t)step + rnd(-3, 3);
  } else if (mode == 1) {
    a = rnd(-70000, 70000);
  } else if (mode == 2) {
    a = (int64_t)(int32_t)(uint32_t)xai_test_rand(&rng) % (b + 1);
  } else {
    a = rnd(0, 1) ? b - rnd(0, 3) : -b + rnd(0, 3);
  }
  if (a > b) a = b;
  if (a < -b) a = -b;
  return (int32_t)a;
}

/* The encoded forms the kernels read, each in a buffer of exactly its
 * size (so ASan catches a read past a record or the constants). */
static xai_rq_group *encode_group(const xai_rq_plan *g) {
  size_t n = xai_rq_encode_group(g, NULL);
  xai_rq_group *r = malloc(n);
  CHECK_EQ_INT((long long)xai_rq_encode_group(g, r), (long long)n);
  CHECK_EQ_INT((long long)n,
               (long long)xai_rq_group_bytes(xai_rq_plan_info(g)));
  return r;
}

static xai_rq_consts *encode_consts(const xai_rq_consts_plan *c,
                                    const xai_rq_plan *g) {
  uint32_t needs = xai_rq_consts_needs(xai_rq_plan_info(g));
  size_t n = xai_rq_encode_consts(c, needs, NULL);
  xai_rq_consts *e = malloc(n);
  CHECK_EQ_INT((long long)xai_rq_encode_consts(c, needs, e), (long long)n);
  CHECK(xai_rq_consts_valid(e, n));
  CHECK(!xai_rq_consts_valid(e, n - 1));
  return e;
}

static void run_case(rq_case *rc, int rounds) {
  xai_rq_plan g;
  xai_rq_consts_plan c;
  CHECK_EQ_INT(xai_rq_pack_consts(&c, rc->zp, rc->act_min, rc->act_max, NULL),
               XAI_OK);
  if (use_fast)
    xai_rq_pack_group_c(&g, rc->mult, rc->shift, rc->bound, 16, rc->single,
                        &c);
  else
    xai_rq_pack_group(&g, rc->mult, rc->shift, rc->bound, 16, rc->single);
  scalar_groups += g.scalar;
  fast_groups += (g.fast & XAI_RQ_FAST) != 0;
  groups++;
  xai_rq_group *eg = encode_group(&g);
  xai_rq_consts *ec = encode_consts(&c, &g);
  /* A group the compact record can hold also runs as one. */
  xai_rq_plan gc;
  xai_rq_pack_group_clamped(&gc, rc->mult, rc->shift, rc->bound, 16,
                            rc->single, &c);
  gc.compact = (uint32_t)xai_rq_plan_compactable(&gc, 16);
  xai_rq_group *egc = gc.compact ? encode_group(&gc) : NULL;
  xai_rq_consts *ecc = gc.compact ? encode_consts(&c, &gc) : NULL;
  compact_groups += gc.compact;
  compact_no_t += gc.compact && !(gc.term_mask & XAI_RQ_T_MASK);
  /* The P offset folded into the accumulators' start (the kernels' bias). */
  xai_rq_plan gf = g;
  int16_t d[16];
  xai_rq_group *egf = xai_rq_plan_fold_poff(&gf, d) ? encode_group(&gf) : NULL;
  xai_rq_consts *ecf = egf ? encode_consts(&c, &gf) : NULL;
  folded_groups += egf != NULL;
  if (use_fast && (g.fast & XAI_RQ_FAST) && !rc->single &&
      rc->act_min >= rc->zp)
    CHECK(!(g.fast & XAI_RQ_FAST_SIGN));
  for (int r = 0; r < rounds; r++) {
    int32_t acc[16];
    for (int i = 0; i < 16; i++) acc[i] = pick_acc(rc, i, r % 4);
    int n = 16 - (r % 7 == 3 ? rnd(1, 15) : 0);
    run16(rc, eg, ec, acc, n);
    if (egc) run16(rc, egc, ecc, acc, n);
    if (egf) run16_from(rc, egf, ecf, acc, n, d);
  }
  /* Beyond the bound (no reference there): any 32-bit accumulator, the
   * extremes included, still runs as the sequence does. */
  for (int r = 0; r < rounds / 20 + 1; r++) {
    int32_t acc[16];
    for (int i = 0; i < 16; i++) {
      uint32_t v = (uint32_t)xai_test_rand(&rng);
      acc[i] = i % 5 == 0 ? (int32_t)(v >> rnd(0, 31)) : (int32_t)v;
      if (i == 3 && r % 3 == 0) acc[i] = INT32_MIN;
      if (i == 4 && r % 3 == 1) acc[i] = INT32_MAX;
    }
    check_sequence(eg, ec, acc, rnd(1, 16), rnd(0, 3));
    if (egc) check_sequence(egc, ecc, acc, rnd(1, 16), rnd(0, 3));
  }
  free(eg);
  free(egf);
  free(ecf);
  free(egc);
  free(ecc);
  free(ec);
}

static int32_t special_mult(int k) {
  static const int32_t m[] = {
      1 << 30, (1 << 30) + 1, 2147483647, 2147483646, 2147450880,
      2147450881, 2147450879, (1 << 30) + 0x8000, (1 << 30) + 0x7FFF,
      (1 << 30) + 0xFFFF, (1 << 30) + 0x10000, 0x5A5A8000, 0x7FFF8001};
  return m[k % (int)(sizeof m / sizeof m[0])];
}

static void set_lane(rq_case *rc, int i, int32_t m, int32_t shift) {
  rc->mult[i] = m;
  rc->shift[i] = shift;
  /* Layer-like bounds (the fast chain needs |acc| well below 2^30) as
   * well as the largest the general chain takes. */
  rc->bound[i] = bound_for(shift) >> rnd(0, 16);
}

static void set_act(rq_case *rc, int kind) {
  rc->zp = kind == 0 ? -128 : kind == 1 ? 127 : rnd(-128, 127);
  switch (kind % 6) {
  case 4: rc->act_min = rnd(-127, -1); rc->act_max = 127; return; /* int8 1 */
  case 5: rc->act_min = rnd(0, 127); rc->act_max = rnd(rc->act_min, 127);
    return; /* int8 mode 2 */
  case 0: rc->act_min = -128; rc->act_max = 127; break;
  case 1: rc->act_min = rc->zp; rc->act_max = 127; break;
  case 2: rc->act_min = rc->zp > 77 ? 77 : rc->zp; rc->act_max = rc->act_min + 50; break;
  default: rc->act_min = rnd(-128, 0); rc->act_max = rnd(0, 127); break;
  }
}

int main(void) {
#ifdef __SANITIZE_ADDRESS__
  const int rounds = 400;
#else
  const int rounds = 2000;
#endif
  rq_case rc;
  /* Every shift TFLite produces for scales 2^-31 .. 2^5, special and
   * random multipliers, lanes mixed within one group. */
  for (int shift = -31; shift <= 5; shift++) {
    for (int kind = 0; kind < 8; kind++) {
      memset(&rc, 0, sizeof rc);
      rc.single = kind >= 4; /* LiteRT FULLY_CONNECTED rounding */
      for (int i = 0; i < 16; i++) {
        int32_t m = i < 8 ? special_mult(i + kind * 3)
                          : rnd(1 << 30, 2147483647);
        /* Mix neighbouring shifts in one group. */
        set_lane(&rc, i, m, i % 3 == 0 ? shift : rnd(-31, 5));
      }
      set_act(&rc, (kind + shift + 31) % 6);
      run_case(&rc, rounds);
      CHECK_EQ_INT(scalar_groups, 0);
    }
  }
  /* Per-channel scales 2^-20 .. 2^4 from real scales, as the kernels see
   * them (xai_quantize_multiplier), with zero multipliers in between. */
  for (int t = 0; t < 200; t++) {
    memset(&rc, 0, sizeof rc);
    rc.single = t % 2;
    for (int i = 0; i < 16; i++) {
      double real = (double)rnd(1 << 20, (1 << 21) - 1) / (1 << 20);
      int e = rnd(-21, 3);
      for (; e > 0; e--) real *= 2;
      for (; e < 0; e++) real /= 2;
      int32_t m;
      int s;
      xai_quantize_multiplier(real, &m, &s);
      if (i == 5) m = 0, s = 0;
      set_lane(&rc, i, m, s);
    }
    set_act(&rc, t % 6);
    run_case(&rc, rounds / 10);
    use_fast = t % 5 != 4;
  }
  use_fast = 1;
  CHECK_EQ_INT(scalar_groups, 0);
  /* Fast-chain edge cases: multipliers at the ends of [2^30, 2^31), |Ml|
   * near 2^15, shifts -1 and -15, layer-sized bounds, every clamp mode;
   * most of these groups must take the fast chain. */
  long long fast_before = fast_groups, groups_before = groups;
  for (int t = 0; t < 240; t++) {
    memset(&rc, 0, sizeof rc);
    rc.single = t % 3 == 2;
    for (int i = 0; i < 16; i++) {
      int32_t m = rnd(1 << 30, 2147483647);
      if (t % 4 == 1) m = (1 << 30) + rnd(0, 70000);
      if (t % 4 == 2) m = (int32_t)(((uint32_t)m & 0xFFFF0000u) | 0x7FF0u);
      int sh = t % 8 == 0 ? -1 : t % 8 == 1 ? -15 : rnd(-15, -1);
      rc.mult[i] = m;
      rc.shift[i] = sh;
      rc.bound[i] = rnd(1, 1 << rnd(1, 24));
      if (i == 9 && t % 5 == 0) rc.mult[i] = 0;
    }
    set_act(&rc, t % 6);
    run_case(&rc, rounds / 10);
  }
  printf("fast chain: %lld of %lld edge groups\n", fast_groups - fast_before,
         groups - groups_before);
  CHECK(2 * (fast_groups - fast_before) > groups - groups_before);
  /* Conv-like groups (right shifts 2 .. 20, double rounding): every one
   * fits a compact record, and runs exactly from it. */
  long long compact_before = compact_groups;
  for (int t = 0; t < 100; t++) {
    memset(&rc, 0, sizeof rc);
    for (int i = 0; i < 16; i++)
      set_lane(&rc, i, rnd(1 << 30, 2147483647), rnd(-20, -2));
    set_act(&rc, t % 6);
    run_case(&rc, rounds / 10);
  }
  CHECK_EQ_INT(compact_groups - compact_before, 100);
  /* Scalar fallback: a bound beyond 2^30, a non-TFLite multiplier, a huge
   * left shift. Still exact; the groups are flagged. */
  for (int t = 0; t < 3; t++) {
    memset(&rc, 0, sizeof rc);
    rc.single = t == 1;
    for (int i = 0; i < 16; i++) set_lane(&rc, i, rnd(1 << 30, 2147483647), -8);
    if (t == 0) rc.bound[3] = ((int64_t)1 << 30) + 1;
    if (t == 1) rc.mult[7] = 12345;
    if (t == 2) set_lane(&rc, 2, 1 << 30, 31);
    set_act(&rc, t);
    long long before = scalar_groups;
    run_case(&rc, rounds);
    CHECK_EQ_INT(scalar_groups, before + 1);
  }
  /* Hand-derived: M = 2^30 (0.5), shift -1: real 0.25. acc 2 -> srdhm 1,
   * rdbpot(1, 1) = 1 (tie away from zero); acc -2 -> -1; acc 6 -> 3 -> 2;
   * acc -6 -> -3 -> -2. */
  {
    memset(&rc, 0, sizeof rc);
    for (int i = 0; i < 16; i++) set_lane(&rc, i, 1 << 30, -1);
    rc.act_min = -128;
    rc.act_max = 127;
    xai_rq_plan g;
    xai_rq_consts_plan c;
    xai_rq_pack_consts(&c, 0, -128, 127, NULL);
    xai_rq_pack_group(&g, rc.mult, rc.shift, rc.bound, 16, 0);
    int32_t acc[16] = {2, -2, 6, -6, 1, -1, 0, 3, -3, 1000, -1000, 512, -512,
                       508, -510, 4};
    xai_rq_group *eg = encode_group(&g);
    xai_rq_consts *ec = encode_consts(&c, &g);
    run16(&rc, eg, ec, acc, 16);
    free(eg);
    free(ec);
    CHECK_EQ_INT(xai_mbqm(2, 1 << 30, -1), 1);
    CHECK_EQ_INT(xai_mbqm(-2, 1 << 30, -1), -1);
    CHECK_EQ_INT(xai_mbqm(6, 1 << 30, -1), 2);
    CHECK_EQ_INT(xai_mbqm(-6, 1 << 30, -1), -2);
  }
  printf("checked %lld outputs, %lld of %lld groups on the fast chain, "
         "%lld runs against the instruction sequence, %lld also as compact "
         "records\n",
         checked, fast_groups, groups, sequence_checked, compact_groups);
  printf("%lld groups also with the P offset folded into the bias, %lld "
         "compact records without the sign term\n",
         folded_groups, compact_no_t);
  CHECK(compact_no_t > 0);
  CHECK(compact_groups > 0);
  CHECK(folded_groups > 0);
  return xai_test_finish("xcore_requant");
}
