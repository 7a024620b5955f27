/* Exact VPU requantization: the encoded forms of a packed group and of
 * the layer constants (requant.h, "Encoded forms"). */
#include "xai/kernels_xcore/requant.h"

#include <string.h>

#include "requant_internal.h"
#include "xai/kernels_ref/quant.h"

static uint32_t popcount8(uint32_t m) {
  uint32_t n = 0;
  for (; m; m &= m - 1) n++;
  return n;
}

uint32_t xai_rq_group_vectors(uint32_t info) {
  if (info & (XAI_RQ_FAST << XAI_RQ_INFO_FAST_SHIFT))
    return (info & (XAI_RQ_FAST_POFF << XAI_RQ_INFO_FAST_SHIFT)) ? 8u : 7u;
  if (info & XAI_RQ_INFO_SCALAR) return 4u;
  if (info & XAI_RQ_INFO_COMPACT) return 3u;
  uint32_t mask = info & 0xFFu;
  return 2u + ((mask & (1u << XAI_RQ_L0_Q)) ? 2u : 0u) + 4u + popcount8(mask);
}

uint32_t xai_rq_plan_info(const xai_rq_plan *g) {
  return (g->term_mask & 0xFFu) |
         ((g->fast & 0xFu) << XAI_RQ_INFO_FAST_SHIFT) |
         (g->scalar ? XAI_RQ_INFO_SCALAR : 0u) |
         (g->single_rounding ? XAI_RQ_INFO_SINGLE : 0u) |
         (g->compact ? XAI_RQ_INFO_COMPACT : 0u);
}

int xai_rq_plan_compactable(const xai_rq_plan *g, int n) {
  const int with_t = g->term_mask == XAI_RQ_COMPACT_MASK;
  if (g->scalar || g->fast || g->single_rounding ||
      (!with_t && g->term_mask != (XAI_RQ_COMPACT_MASK & ~XAI_RQ_T_MASK)))
    return 0;
  for (int i = 0; i < n && i < 16; i++)
    if (g->split_shift[i] != 16 || g->k_hi[0][i] != -1 ||
        g->k_lo[0][i] != 0x8000u || g->k_hi[1][i] != -1 ||
        g->k_lo[1][i] != 0xC000u || g->k_hi[2][i] != 0 ||
        g->k_lo[2][i] != 0 ||
        g->coef[XAI_RQ_L1_T][i] != (with_t ? -32768 : 0) ||
        g->coef[XAI_RQ_L2_T][i] != (with_t ? 1 : 0) ||
        g->coef[XAI_RQ_L0_Q][i] != g->coef[XAI_RQ_L1_P][i] ||
        g->coef[XAI_RQ_L1_Q][i] != g->coef[XAI_RQ_L2_P][i])
      return 0;
  return 1;
}

size_t xai_rq_encode_group(const xai_rq_plan *g, void *dst) {
  uint32_t info = xai_rq_plan_info(g);
  size_t bytes = xai_rq_group_bytes(info);
  if (!dst) return bytes;
  uint8_t *d = (uint8_t *)dst;
  memcpy(d, &info, 4);
  d += 4;
  const void *vec[16];
  uint32_t n = 0;
  if (g->fast & XAI_RQ_FAST) {
    /* The fast chain's coefficient slots repeat (L1_P = L0_Q = Ml, L2_P =
     * L1_Q = Mh) and L1_T is 1 wherever the sign term is used; split
     * shifts are all 16 (pack_fast_lane). */
    vec[n++] = g->final_shift;
    vec[n++] = g->k_hi[0];
    vec[n++] = g->k_lo[0];
    vec[n++] = g->k_hi[1];
    vec[n++] = g->k_hi[2];
    vec[n++] = g->coef[XAI_RQ_L0_Q];
    vec[n++] = g->coef[XAI_RQ_L1_Q];
    if (g->fast & XAI_RQ_FAST_POFF) vec[n++] = g->p_offset;
  } else if (g->compact) {
    vec[n++] = g->final_shift;
    vec[n++] = g->coef[XAI_RQ_L1_P];
    vec[n++] = g->coef[XAI_RQ_L2_P];
  } else if (g->scalar) {
    vec[n++] = g->multiplier;
    vec[n++] = g->multiplier + 8;
    vec[n++] = g->shift;
    vec[n++] = g->shift + 8;
  } else {
    vec[n++] = g->split_shift;
    vec[n++] = g->final_shift;
    for (int level = 0; level < 3; level++) {
      if (level == 0 && !(g->term_mask & (1u << XAI_RQ_L0_Q))) continue;
      vec[n++] = g->k_hi[level];
      vec[n++] = g->k_lo[level];
    }
    for (int t = 0; t < XAI_RQ_TERMS; t++)
      if (g->term_mask & (1u << t)) vec[n++] = g->coef[t];
  }
  for (uint32_t i = 0; i < n; i++) memcpy(d + 32u * i, vec[i], 32);
  return bytes;
}

uint32_t xai_rq_consts_needs(uint32_t info) {
  if (info & (XAI_RQ_FAST << XAI_RQ_INFO_FAST_SHIFT))
    return (info & (XAI_RQ_FAST_I8 << XAI_RQ_INFO_FAST_SHIFT))
               ? XAI_RQ_NEEDS_I8
               : XAI_RQ_NEEDS_OUT16;
  if (info & XAI_RQ_INFO_SCALAR) return 0;
  return XAI_RQ_NEEDS_ZP | XAI_RQ_NEEDS_OUT16;
}

size_t xai_rq_encode_consts(const xai_rq_consts_plan *c, uint32_t needs,
                            void *dst) {
  xai_rq_consts h;
  memset(&h, 0, sizeof h);
  h.act_min = c->act_min;
  h.act_max = c->act_max;
  h.zp_out = c->zp_out;
  h.i8_offset = c->i8_offset;
  h.do_min = (uint8_t)c->do_min;
  h.do_max = (uint8_t)c->do_max;
  h.fix128 = (uint8_t)c->fix128;
  h.out_i8 = (uint8_t)c->out_i8;
  h.replicas = (uint16_t)c->replicas;
  /* int16 lanes (i16 = 1) or int8 bytes of one value, only where read. */
  struct {
    int id, i16, use;
    int32_t v;
  } vecs[XAI_RQC_VECTORS] = {
      {XAI_RQC_ZP, 1, (needs & XAI_RQ_NEEDS_ZP) != 0, c->zp_out},
      {XAI_RQC_ACT_HI, 1, (needs & XAI_RQ_NEEDS_OUT16) && c->do_min,
       c->act_max},
      {XAI_RQC_NEG_LO, 1, (needs & XAI_RQ_NEEDS_OUT16) && c->do_max,
       -c->act_min},
      {XAI_RQC_ACT_LO, 1, (needs & XAI_RQ_NEEDS_OUT16) && c->do_max,
       c->act_min},
      {XAI_RQC_I8_A, 0, 0, 0},
      {XAI_RQC_I8_B, 0, 0, c->act_max - c->act_min},
      {XAI_RQC_I8_C, 0, 0, c->act_max}};
  if ((needs & XAI_RQ_NEEDS_I8) && c->out_i8 == 1) {
    vecs[XAI_RQC_I8_A].v = c->act_min + 127;
    vecs[XAI_RQC_I8_A].use = vecs[XAI_RQC_I8_A].v != 0;
  } else if ((needs & XAI_RQ_NEEDS_I8) && c->out_i8 == 2) {
    int clamp_hi = c->act_max < 127;
    vecs[XAI_RQC_I8_A].v = c->act_min;
    vecs[XAI_RQC_I8_A].use = !clamp_hi && c->act_min != 0;
    vecs[XAI_RQC_I8_B].use = clamp_hi;
    vecs[XAI_RQC_I8_C].use = clamp_hi;
  }
  size_t at = sizeof h;
  uint8_t *d = (uint8_t *)dst;
  for (int i = 0; i < XAI_RQC_VECTORS; i++) {
    if (!vecs[i].use) continue;
    h.off[vecs[i].id] = (uint16_t)at;
    if (d) {
      uint8_t v[32];
      for (int l = 0; l < 16 && vecs[i].i16; l++) {
        uint16_t u = (uint16_t)(int16_t)vecs[i].v;
        memcpy(v + 2 * l, &u, 2);
      }
      if (!vecs[i].i16) memset(v, (int)(int8_t)vecs[i].v, 32);
      memcpy(d + at, v, 32);
    }
    at += 32;
  }
  h.bytes = (uint32_t)at;
  if (d) memcpy(d, &h, sizeof h);
  return at;
}

int xai_rq_consts_valid(const xai_rq_consts *c, size_t avail) {
  if (!c || avail < sizeof *c || c->bytes < sizeof *c || c->bytes > avail ||
      c->out_i8 > 2)
    return 0;
  for (int i = 0; i < XAI_RQC_VECTORS; i++) {
    size_t off = c->off[i];
    if (off != 0 && (off % 4u != 0 || off < sizeof *c || off + 32u > c->bytes))
      return 0;
  }
  return 1;
}
