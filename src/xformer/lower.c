/* Runs every registered lowering over the ops of subgraph 0. Ops with no
 * lowering stay builtins; the report names them. */
#include "xformer_internal.h"

#define XF_LOWER(code, fn) \
  xai_status fn(xf_ctx *x, uint32_t op, bool *done, xai_error *err);
#include "lower_conv.def"
#include "lower_misc.def"
#undef XF_LOWER

typedef struct {
  int32_t code;
  xf_lower_fn fn;
} xf_lowering;

#define XF_LOWER(code, fn) {code, fn},
static const xf_lowering k_lowerings[] = {
#include "lower_conv.def"
#include "lower_misc.def"
    {-1, NULL},
};
#undef XF_LOWER

bool xai_xformer_lowers(int32_t builtin_code) {
  for (const xf_lowering *l = k_lowerings; l->fn; l++)
    if (l->code == builtin_code) return true;
  return false;
}

xai_status xf_lower_all(xf_ctx *x, xai_error *err) {
  xai_subgraph *sg = &x->m->subgraphs[0];
  for (uint32_t op = 0; op < sg->operator_count; op++) {
    int32_t code = xf_op_builtin(x, op);
    if (code == XAI_OP_CUSTOM) {
      xai_status st = xf_lower_lce(x, op, err);
      if (st) return st;
      continue;
    }
    if (xf_keep_if_float(x, op)) continue;
    bool done = false, found = false;
    for (const xf_lowering *l = k_lowerings; l->fn; l++) {
      if (l->code != code) continue;
      found = true;
      xai_status st = l->fn(x, op, &done, err);
      if (st) return st;
      if (done) break;
    }
    if (!found) xf_keep(x, op, "no xcore kernel for this op; runs as reference");
  }
  return XAI_OK;
}
