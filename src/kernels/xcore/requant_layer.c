/* Packing shared by the VLMACCR / VLMACC kernels: memory carving, zero
 * point folding, requant groups (requant_internal.h). */
#include <string.h>

#include "requant_internal.h"
#include "xai/xcore_machine.h"

void xai_xc_layout_offsets(size_t weight_bytes, int32_t n_groups,
                           xai_xc_offsets *o) {
  size_t g = n_groups > 0 ? (size_t)n_groups : 0u;
  o->weights = 0;
  o->bias = xai_xc_align32(weight_bytes);
  o->rq = o->bias + g * 64u;
  o->consts = o->rq + g * sizeof(xai_rq_group);
  o->total = o->consts + sizeof(xai_rq_consts);
}

size_t xai_xc_layout_size(size_t weight_bytes, int32_t n_groups) {
  xai_xc_offsets o;
  xai_xc_layout_offsets(weight_bytes, n_groups, &o);
  return o.total;
}

static void split(uint8_t *m, size_t weight_bytes, int32_t n_groups,
                  xai_xc_layout *l) {
  xai_xc_offsets o;
  xai_xc_layout_offsets(weight_bytes, n_groups, &o);
  l->weights = (int8_t *)(m + o.weights);
  l->bias = (int16_t *)(void *)(m + o.bias);
  l->rq = (xai_rq_group *)(void *)(m + o.rq);
  l->consts = (xai_rq_consts *)(void *)(m + o.consts);
}

void xai_xc_layout_carve(void *mem, size_t weight_bytes, int32_t n_groups,
                         xai_xc_layout *l) {
  memset(mem, 0, weight_bytes);
  split((uint8_t *)mem, weight_bytes, n_groups, l);
}

xai_status xai_xc_layout_bind(const void *mem, size_t mem_size,
                              size_t weight_bytes, int32_t n_groups,
                              xai_xc_layout *l) {
  if (!mem || ((uintptr_t)mem & (XAI_XCORE_VPU_ALIGN - 1u)) != 0 ||
      n_groups < 1 || mem_size < xai_xc_layout_size(weight_bytes, n_groups))
    return XAI_ERR_ARGUMENT;
  /* The kernels only read the blob; the struct keeps non-const pointers
   * because pack writes through the same fields. */
  split((uint8_t *)(uintptr_t)mem, weight_bytes, n_groups, l);
  return XAI_OK;
}

void xai_xc_pack_row(int8_t *weights, int32_t k_pad, int32_t oc,
                     const int8_t *row, int32_t n) {
  int32_t g = oc / 16, r = 15 - oc % 16; /* first row issued ends in acc[15] */
  int8_t *base = weights + (size_t)g * (size_t)k_pad * 16u;
  for (int32_t k = 0; k < n; k++)
    base[(size_t)(k / 32) * 512u + (size_t)r * 32u + (size_t)(k % 32)] = row[k];
}

xai_status xai_xc_pack_channels(const xai_xc_layout *l, int32_t n_out,
                                const int8_t *w, size_t chan_step, size_t n,
                                size_t k_stride, const int32_t *bias,
                                int32_t zp_in, const xai_per_channel_quant *q,
                                int32_t zp_out, int32_t act_min,
                                int32_t act_max, int single_rounding,
                                const char *op_name, xai_error *err) {
  xai_status st = xai_rq_pack_consts(l->consts, zp_out, act_min, act_max, err);
  if (st != XAI_OK) return st;
  int32_t n_groups = (n_out + 15) / 16;
  for (int32_t g = 0; g < n_groups; g++) {
    int32_t mult[16] = {0}, shift[16] = {0};
    int64_t bound[16] = {0};
    int lanes = n_out - 16 * g < 16 ? n_out - 16 * g : 16;
    int16_t *bg = l->bias + 32 * g;
    memset(bg, 0, 64);
    for (int i = 0; i < lanes; i++) {
      int32_t oc = 16 * g + i;
      const int8_t *wc = w + (size_t)oc * chan_step;
      int64_t sum = 0;
      for (size_t k = 0; k < n; k++) sum += wc[k * k_stride];
      int64_t b = bias ? bias[oc] : 0;
      int64_t folded = b - (int64_t)zp_in * sum;
      if (folded < INT32_MIN || folded > INT32_MAX)
        return xai_fail(err, XAI_ERR_RANGE,
                        "%s: channel %d: bias %lld minus input zero point x "
                        "weight sum leaves int32; requantize the model",
                        op_name, (int)oc, (long long)b);
      uint32_t u = (uint32_t)(int32_t)folded;
      bg[i] = (int16_t)(uint16_t)(u >> 16);
      bg[16 + i] = (int16_t)(uint16_t)(u & 0xFFFFu);
      mult[i] = q->multiplier[oc];
      shift[i] = q->shift[oc];
      bound[i] = xai_rq_acc_bound(wc, n, k_stride, zp_in, b);
    }
    xai_rq_pack_group_c(&l->rq[g], mult, shift, bound, lanes, single_rounding,
                        l->consts);
  }
  return XAI_OK;
}

void xai_xc_replicate_lanes(const xai_xc_layout *l, int32_t n_out,
                            int32_t reps, const int8_t *w, size_t chan_step,
                            size_t n, size_t k_stride, const int32_t *bias,
                            int32_t zp_in, const xai_per_channel_quant *q) {
  int32_t mult[16], shift[16];
  int64_t bound[16];
  for (int32_t lane = 0; lane < reps * n_out && lane < 16; lane++) {
    int32_t c = lane % n_out;
    l->bias[lane] = l->bias[c];
    l->bias[16 + lane] = l->bias[16 + c];
    mult[lane] = q->multiplier[c];
    shift[lane] = q->shift[c];
    bound[lane] = xai_rq_acc_bound(w + (size_t)c * chan_step, n, k_stride,
                                   zp_in, bias ? bias[c] : 0);
  }
  xai_rq_pack_group_c(&l->rq[0], mult, shift, bound, (int)(reps * n_out), 0,
                      l->consts);
  l->consts->replicas = (uint32_t)reps;
}
