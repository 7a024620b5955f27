/* Packing shared by the VLMACCR / VLMACC kernels: memory carving, zero
 * point folding, requant groups (requant_internal.h). */
#include <string.h>

#include "requant_internal.h"
#include "xai/kernels_ref/quant.h"
#include "xai/xcore_machine.h"

static size_t index_at(size_t weight_bytes, int32_t n_groups) {
  return xai_xc_align4(weight_bytes) + 64u * (size_t)n_groups;
}

/* The largest record: the general chain with every term (2 shifts, 3
 * levels of 2 halves, 8 coefficients). */
#define MAX_RECORD (4u + 32u * 16u)
#define MAX_CONSTS (sizeof(xai_rq_consts) + 32u * XAI_RQC_VECTORS)

size_t xai_xc_layout_max_size(size_t weight_bytes, int32_t n_groups) {
  size_t g = n_groups > 0 ? (size_t)n_groups : 0u;
  return index_at(weight_bytes, n_groups) + 4u * (g + 1u) + MAX_RECORD * g +
         MAX_CONSTS;
}

void xai_xc_layout_carve(void *mem, size_t weight_bytes, int32_t n_groups,
                         xai_xc_layout *l) {
  uint8_t *m = (uint8_t *)mem;
  memset(m, 0, xai_xc_align4(weight_bytes));
  memset(l, 0, sizeof *l);
  l->weights = (int8_t *)m;
  l->bias = (int16_t *)(void *)(m + xai_xc_align4(weight_bytes));
  l->index = (uint32_t *)(void *)(m + index_at(weight_bytes, n_groups));
}

xai_status xai_xc_layout_bind(const void *mem, size_t mem_size,
                              size_t weight_bytes, int32_t n_groups,
                              xai_xc_layout *l) {
  if (!mem || ((uintptr_t)mem & (XAI_XCORE_VPU_ALIGN - 1u)) != 0 ||
      n_groups < 1)
    return XAI_ERR_ARGUMENT;
  const size_t idx = index_at(weight_bytes, n_groups);
  const size_t n = (size_t)n_groups;
  if (idx > mem_size || (mem_size - idx) / 4u < n + 1u)
    return XAI_ERR_ARGUMENT;
  /* The kernels only read the blob; the struct keeps non-const pointers
   * because pack writes through the same fields. */
  uint8_t *m = (uint8_t *)(uintptr_t)mem;
  const uint32_t *index = (const uint32_t *)(const void *)(m + idx);
  size_t at = idx + 4u * (n + 1u);
  for (size_t g = 0; g < n; g++) {
    if (index[g] != at || mem_size - at < 4u) return XAI_ERR_ARGUMENT;
    uint32_t info;
    memcpy(&info, m + at, 4);
    size_t bytes = xai_rq_group_bytes(info);
    if (bytes > mem_size - at) return XAI_ERR_ARGUMENT;
    at += bytes;
  }
  if (index[n] != at) return XAI_ERR_ARGUMENT;
  const xai_rq_consts *c = (const xai_rq_consts *)(const void *)(m + at);
  if (!xai_rq_consts_valid(c, mem_size - at) || at + c->bytes != mem_size)
    return XAI_ERR_ARGUMENT;
  l->weights = (int8_t *)m;
  l->bias = (int16_t *)(void *)(m + xai_xc_align4(weight_bytes));
  l->index = (uint32_t *)(uintptr_t)index;
  l->rq = (xai_rq_group *)(void *)(m + index[0]);
  l->consts = (xai_rq_consts *)(void *)(m + at);
  l->total = mem_size;
  return XAI_OK;
}

_Alignas(32) const int8_t xai_xc_zero32[32] = {0};

void xai_xc_pack_row(int8_t *weights, int32_t k_pad, int32_t n_out,
                     int32_t oc, const int8_t *row, int32_t n) {
  int32_t g = oc / 16, rows = xai_xc_group_rows(n_out, g);
  int32_t r = rows - 1 - oc % 16; /* the last row issued ends in acc[0] */
  int8_t *base = weights + (size_t)g * (size_t)k_pad * 16u;
  for (int32_t k = 0; k < n; k++)
    base[(size_t)(k / 32) * 32u * (size_t)rows + (size_t)r * 32u +
         (size_t)(k % 32)] = row[k];
}

/* A channel whose weights are all zero (pruned) outputs one constant c,
 * whatever the input: its accumulator is the bias. Pruning tools leave
 * such channels with any scale, often far outside what the VPU chains
 * take (bias ~2^30 with a right shift of 26-31), which sends the whole
 * group of 16 to the general chain or to scalar code. The lane is
 * rewritten to a scale the fast and compact chains take (multiplier
 * K_MULT, shift -2: about 0.17, low half of K_MULT far from +-2^15) and a
 * small bias that it maps to the same c, so the group keeps the chain the
 * other lanes allow. Costs no byte: the bias is stored anyway. */
#define K_MULT 1500000000
static int32_t lane_out(int32_t acc, int32_t mult, int32_t shift,
                        int single, int32_t zp, int32_t lo, int32_t hi) {
  int64_t c = (int64_t)(single ? xai_mbqm_single(acc, mult, (int)shift)
                               : xai_mbqm(acc, mult, (int)shift)) + zp;
  return (int32_t)(c < lo ? lo : c > hi ? hi : c);
}
static void constant_lane(int32_t *mult, int32_t *shift, int64_t *bias,
                          int single, int32_t zp, int32_t lo, int32_t hi) {
  const int32_t c = lane_out((int32_t)*bias, *mult, *shift, single, zp, lo,
                             hi);
  /* acc * K_MULT / 2^33 = c - zp: start at its nearest acc, then step. */
  int64_t b0 = (int64_t)(c - zp) * ((int64_t)1 << 33) / K_MULT;
  for (int64_t d = 0; d <= 8; d++)
    for (int sgn = -1; sgn <= 1; sgn += 2) {
      int64_t b = b0 + sgn * d;
      if (lane_out((int32_t)b, K_MULT, -2, single, zp, lo, hi) == c) {
        *mult = K_MULT;
        *shift = -2;
        *bias = b;
        return;
      }
    }
}

/* Moves a fast group's P offset into the accumulators' start (start[i],
 * the folded bias), saving the run's VLADD, when no partial sum of the MAC
 * loop can then leave int32: |start + d 2^16| + 128 sum |w| (wabs) below
 * 2^31 on every lane. */
static void fold_poff(xai_rq_plan *plan, int64_t start[16],
                      const int64_t wabs[16], int lanes) {
  xai_rq_plan f = *plan;
  int16_t d[16];
  if (!xai_rq_plan_fold_poff(&f, d)) return;
  for (int i = 0; i < lanes; i++) {
    int64_t s = start[i] + (int64_t)d[i] * 65536;
    if ((s < 0 ? -s : s) + 128 * wabs[i] > INT32_MAX) return;
  }
  for (int i = lanes; i < 16; i++)
    if (d[i] != 0) return;
  for (int i = 0; i < lanes; i++) start[i] += (int64_t)d[i] * 65536;
  *plan = f;
}

xai_status xai_xc_pack_channels(xai_xc_layout *l, int32_t n_out,
                                int32_t reps, const int8_t *w,
                                size_t chan_step, size_t n, size_t k_stride,
                                const int32_t *bias, int32_t zp_in,
                                const xai_per_channel_quant *q,
                                int32_t zp_out, int32_t act_min,
                                int32_t act_max, int single_rounding,
                                const char *op_name, xai_error *err) {
  xai_rq_consts_plan cp;
  xai_status st = xai_rq_pack_consts(&cp, zp_out, act_min, act_max, err);
  if (st != XAI_OK) return st;
  if (reps < 2 || n_out > 8) reps = 1;
  cp.replicas = reps > 1 ? (uint32_t)reps : 0u;
  const int32_t n_groups = reps > 1 ? 1 : (n_out + 15) / 16;
  uint8_t *base = (uint8_t *)l->weights;
  size_t at = (size_t)((uint8_t *)(l->index + n_groups + 1) - base);
  uint32_t needs = 0;
  xai_rq_plan plan;
  memset(&plan, 0, sizeof plan);
  for (int32_t g = 0; g < n_groups; g++) {
    int32_t mult[16] = {0}, shift[16] = {0};
    int64_t bound[16] = {0};
    int lanes = reps > 1 ? (int)(reps * n_out)
                : n_out - 16 * g < 16 ? (int)(n_out - 16 * g)
                                      : 16;
    if (lanes > 16) lanes = 16;
    int16_t *bg = l->bias + 32 * g;
    memset(bg, 0, 64);
    int64_t start[16] = {0}, wabs[16] = {0};
    for (int i = 0; i < lanes; i++) {
      int32_t oc = reps > 1 ? i % n_out : 16 * g + i;
      const int8_t *wc = w + (size_t)oc * chan_step;
      int64_t sum = 0;
      for (size_t k = 0; k < n; k++) {
        sum += wc[k * k_stride];
        wabs[i] += wc[k * k_stride] < 0 ? -wc[k * k_stride] : wc[k * k_stride];
      }
      int64_t b = bias ? bias[oc] : 0;
      int64_t folded = b - (int64_t)zp_in * sum;
      if (folded < INT32_MIN || folded > INT32_MAX)
        return xai_fail(err, XAI_ERR_RANGE,
                        "%s: channel %d: bias %lld minus input zero point x "
                        "weight sum leaves int32; requantize the model",
                        op_name, (int)oc, (long long)b);
      mult[i] = q->multiplier[oc];
      shift[i] = q->shift[oc];
      int all_zero = 1;
      for (size_t k = 0; k < n && all_zero; k++) all_zero = wc[k * k_stride] == 0;
      if (all_zero)
        constant_lane(&mult[i], &shift[i], &folded, single_rounding, zp_out,
                      act_min, act_max);
      start[i] = folded;
      bound[i] = all_zero ? (folded < 0 ? -folded : folded)
                          : xai_rq_acc_bound(wc, n, k_stride, zp_in, b);
    }
    plan.compact = 0;
    if (l->rq_compact) {
      xai_rq_pack_group_clamped(&plan, mult, shift, bound, lanes,
                                single_rounding, &cp);
      plan.compact = (uint32_t)xai_rq_plan_compactable(&plan, lanes);
    }
    if (!plan.compact) {
      xai_rq_pack_group_c(&plan, mult, shift, bound, lanes, single_rounding,
                          &cp);
      /* Where the fast chain does not fit, a compact record runs the very
       * sequence of the full general one (same term mask; the shared
       * vectors come from the library): 352 bytes fewer, no bundle more. */
      plan.compact = (uint32_t)xai_rq_plan_compactable(&plan, lanes);
    }
    fold_poff(&plan, start, wabs, lanes);
    for (int i = 0; i < lanes; i++) {
      uint32_t u = (uint32_t)(int32_t)start[i];
      bg[i] = (int16_t)(uint16_t)(u >> 16);
      bg[16 + i] = (int16_t)(uint16_t)(u & 0xFFFFu);
    }
    l->index[g] = (uint32_t)at;
    at += xai_rq_encode_group(&plan, base + at);
    needs |= xai_rq_consts_needs(xai_rq_plan_info(&plan));
  }
  l->index[n_groups] = (uint32_t)at;
  l->rq = (xai_rq_group *)(void *)(base + l->index[0]);
  l->consts = (xai_rq_consts *)(void *)(base + at);
  at += xai_rq_encode_consts(&cp, needs, base + at);
  l->total = at;
  return XAI_OK;
}

static size_t g_compact_max_pixels = XAI_XC_COMPACT_MAX_PIXELS;

size_t xai_rq_set_compact_max_pixels(size_t pixels) {
  size_t was = g_compact_max_pixels;
  g_compact_max_pixels = pixels ? pixels : XAI_XC_COMPACT_MAX_PIXELS;
  return was;
}

int xai_xc_rq_compact_for(size_t pixels) {
  return pixels <= g_compact_max_pixels;
}

xai_status xai_xc_layout_placeholder(void *mem, size_t size,
                                     size_t weight_bytes, int32_t n_groups) {
  if (!mem || ((uintptr_t)mem & (XAI_XCORE_VPU_ALIGN - 1u)) != 0 ||
      n_groups < 1)
    return XAI_ERR_ARGUMENT;
  const size_t n = (size_t)n_groups;
  const size_t rec0 = index_at(weight_bytes, n_groups) + 4u * (n + 1u);
  const uint32_t kinds[2] = {
      (XAI_RQ_FAST | XAI_RQ_FAST_SIGN) << XAI_RQ_INFO_FAST_SHIFT,
      XAI_RQ_INFO_SCALAR};
  for (int k = 0; k < 2; k++) {
    size_t rec = xai_rq_group_bytes(kinds[k]);
    if (size < rec0 || (size - rec0) / rec < n ||
        size - rec0 - rec * n < sizeof(xai_rq_consts))
      continue;
    uint8_t *m = (uint8_t *)mem;
    memset(m, 0, size);
    uint32_t *index = (uint32_t *)(void *)(m + index_at(weight_bytes,
                                                        n_groups));
    for (size_t g = 0; g <= n; g++) {
      index[g] = (uint32_t)(rec0 + rec * g);
      if (g < n) memcpy(m + index[g], &kinds[k], 4);
    }
    xai_rq_consts *c = (xai_rq_consts *)(void *)(m + index[n]);
    c->bytes = (uint32_t)(size - index[n]);
    c->act_min = -128;
    c->act_max = 127;
    return XAI_OK;
  }
  return XAI_ERR_ARGUMENT;
}
