/* The output requantization record of the xcore ADD and MUL kernels
 * (elementwise.h, "Output requantization"): one requant.h group with 16
 * equal lanes and its layer constants, in fixed-size slots. */
#include <string.h>

#include "xai/kernels_xcore/elementwise.h"
#include "xai/kernels_xcore/requant.h"

xai_status xai_ew_rq_pack(xai_ew_rq *rq, int32_t multiplier, int32_t shift,
                          int64_t bound, int32_t zp_out, int32_t act_min,
                          int32_t act_max, xai_error *err) {
  memset(rq, 0, sizeof *rq);
  xai_rq_consts_plan cp;
  xai_status st = xai_rq_pack_consts(&cp, zp_out, act_min, act_max, err);
  if (st != XAI_OK) return st;
  int32_t mult[16], sh[16];
  int64_t b[16];
  for (int i = 0; i < 16; i++) {
    mult[i] = multiplier;
    sh[i] = shift;
    b[i] = bound;
  }
  xai_rq_plan plan;
  memset(&plan, 0, sizeof plan);
  xai_rq_pack_group_c(&plan, mult, sh, b, 16, 0, &cp);
  if (xai_rq_encode_group(&plan, NULL) > sizeof rq->group)
    return xai_fail(err, XAI_ERR_STATE, "requantization record too large");
  xai_rq_encode_group(&plan, rq->group);
  const uint32_t needs = xai_rq_consts_needs(xai_rq_plan_info(&plan));
  if (xai_rq_encode_consts(&cp, needs, NULL) > sizeof rq->consts)
    return xai_fail(err, XAI_ERR_STATE, "requantization constants too large");
  xai_rq_encode_consts(&cp, needs, rq->consts);
  return XAI_OK;
}

int xai_ew_rq_valid(const xai_ew_rq *rq) {
  /* Bits beyond the defined info fields would select no record kind the
   * run knows: refuse them, as every vector count then stays in the slot. */
  const uint32_t info = rq->group[0];
  if (info >> 15) return 0;
  if (xai_rq_group_bytes(info) > sizeof rq->group) return 0;
  return xai_rq_consts_valid((const xai_rq_consts *)(const void *)rq->consts,
                             sizeof rq->consts);
}
