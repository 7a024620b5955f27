/* Where the general chain's vectors are (requant_internal.h,
 * xai_rq_chain): in the record, or for a compact record mostly in the
 * kernel library. Shared by the instruction sequence (requant_run_vpu.c)
 * and its host-speed mirror (requant_run.c). */
#include <string.h>

#include "requant_internal.h"

static _Alignas(32) const int16_t k_ones[16] = {1, 1, 1, 1, 1, 1, 1, 1,
                                                1, 1, 1, 1, 1, 1, 1, 1};
static _Alignas(32) const uint16_t k_shift16[16] = {
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16};
static _Alignas(32) const int16_t k_minus1[16] = {-1, -1, -1, -1, -1, -1,
                                                  -1, -1, -1, -1, -1, -1,
                                                  -1, -1, -1, -1};
static _Alignas(32) const uint16_t k_x8000[16] = {
    0x8000, 0x8000, 0x8000, 0x8000, 0x8000, 0x8000, 0x8000, 0x8000,
    0x8000, 0x8000, 0x8000, 0x8000, 0x8000, 0x8000, 0x8000, 0x8000};
static _Alignas(32) const uint16_t k_xc000[16] = {
    0xC000, 0xC000, 0xC000, 0xC000, 0xC000, 0xC000, 0xC000, 0xC000,
    0xC000, 0xC000, 0xC000, 0xC000, 0xC000, 0xC000, 0xC000, 0xC000};
static _Alignas(32) const int16_t k_zero16[16] = {0};

void xai_rq_chain_of(const xai_rq_group *g, xai_rq_chain *cv) {
  memset(cv, 0, sizeof *cv);
  const uint32_t mask = g->info & 0xFFu;
  if (g->info & XAI_RQ_INFO_COMPACT) {
    /* xai_rq_plan_compactable: K0 = -2^15, K1 = -2^14, K2 = 0, T
     * coefficients -2^15 (level 1) and 1 (level 2) when the mask has T. */
    cv->split = k_shift16;
    cv->final = g->v[0];
    cv->k[0][0] = k_minus1;
    cv->k[0][1] = (const int16_t *)k_x8000;
    cv->k[1][0] = k_minus1;
    cv->k[1][1] = (const int16_t *)k_xc000;
    cv->k[2][0] = cv->k[2][1] = k_zero16;
    cv->coef[XAI_RQ_L0_Q] = cv->coef[XAI_RQ_L1_P] = g->v[1];
    cv->coef[XAI_RQ_L1_Q] = cv->coef[XAI_RQ_L2_P] = g->v[2];
    if (mask & XAI_RQ_T_MASK) {
      cv->coef[XAI_RQ_L1_T] = (const int16_t *)k_x8000;
      cv->coef[XAI_RQ_L2_T] = k_ones;
    }
    return;
  }
  cv->split = g->v[0];
  cv->final = g->v[1];
  uint32_t at = 2;
  for (int level = 0; level < 3; level++) {
    if (level == 0 && !(mask & (1u << XAI_RQ_L0_Q))) continue;
    cv->k[level][0] = g->v[at++];
    cv->k[level][1] = g->v[at++];
  }
  for (int t = 0; t < XAI_RQ_TERMS; t++)
    if (mask & (1u << t)) cv->coef[t] = g->v[at++];
}

