/* The op author's side of the runtime: tensors by input/output slot,
 * persistent memory and scratch during prepare, errors, subgraph calls. */
#include <stdarg.h>
#include <stdio.h>

#include "interp_internal.h"

static xai_rt_tensor *slot(const xai_op_ctx *ctx, const int32_t *list,
                           uint32_t count, uint32_t i) {
  if (i >= count || list[i] < 0) return NULL;
  return &ctx->interp->subgraphs[ctx->subgraph].tensors[list[i]];
}

xai_rt_tensor *xai_op_input(const xai_op_ctx *ctx, uint32_t i) {
  return slot(ctx, ctx->inputs, ctx->input_count, i);
}

xai_rt_tensor *xai_op_output(const xai_op_ctx *ctx, uint32_t i) {
  return slot(ctx, ctx->outputs, ctx->output_count, i);
}

const float *xai_op_tensor_scales(const xai_op_ctx *ctx,
                                  const xai_rt_tensor *t) {
  const xai_sg_state *s = &ctx->interp->subgraphs[ctx->subgraph];
  if (!t || t < s->tensors || t >= s->tensors + s->tensor_count ||
      !t->quant_count)
    return NULL;
  xai_tfl_tensor tt;
  xai_tfl_get_tensor(&ctx->interp->view, ctx->subgraph,
                     (uint32_t)(t - s->tensors), &tt);
  return tt.quant.present ? tt.quant.scale.data : NULL;
}

const char *xai_op_tensor_name(const xai_op_ctx *ctx, const xai_rt_tensor *t) {
  return xai_interp_tensor_name(ctx->interp, t);
}

void xai_op_end_invoke(xai_op_ctx *ctx) { ctx->interp->end_invoke = true; }

bool xai_interp_ended_early(const xai_interp *ip) {
  return ip && ip->end_invoke;
}

void *xai_op_alloc_persistent(xai_op_ctx *ctx, size_t bytes) {
  xai_interp *ip = ctx->interp;
  if (ip->phase != XAI_PHASE_PREPARE) return NULL;
  void *p = xai_tail_alloc(&ip->tail, bytes, 0);
  if (!p) ip->out_of_memory = true;
  return p;
}

xai_status xai_op_request_scratch(xai_op_ctx *ctx, size_t bytes,
                                  int32_t *index) {
  xai_interp *ip = ctx->interp;
  xai_op_node *n = xai_interp_ctx_node(ctx);
  if (ip->phase != XAI_PHASE_PREPARE)
    return xai_op_fail(ctx, XAI_ERR_STATE,
                       "scratch can only be requested in prepare");
  if (n->scratch_count >= XAI_MAX_OP_SCRATCH)
    return xai_op_fail(ctx, XAI_ERR_RANGE,
                       "more than %u scratch buffers requested",
                       (unsigned)XAI_MAX_OP_SCRATCH);
  if (bytes > UINT32_MAX - XAI_ARENA_ALIGN)
    return xai_op_fail(ctx, XAI_ERR_RANGE,
                       "scratch of %zu bytes is more than xai plans (4 GiB)",
                       bytes);
  xai_scratch_req *r = xai_tail_alloc(&ip->tail, sizeof *r, 0);
  if (!r) {
    ip->out_of_memory = true;
    return XAI_ERR_NO_MEMORY;
  }
  r->next = NULL;
  r->size = (uint32_t)bytes;
  r->offset = 0;
  xai_scratch_req **link = &n->scratch;
  while (*link) link = &(*link)->next;
  *link = r;
  *index = (int32_t)n->scratch_count++;
  return XAI_OK;
}

void *xai_op_scratch(const xai_op_ctx *ctx, int32_t index) {
  const xai_op_node *n = xai_interp_ctx_node(ctx);
  const xai_scratch_req *r = n->scratch;
  for (int32_t k = 0; r && k < index; k++) r = r->next;
  if (!r || index < 0 || r->size == 0) return NULL;
  return ctx->interp->tail.base + r->offset;
}

xai_status xai_op_fail(const xai_op_ctx *ctx, xai_status status,
                       const char *fmt, ...) {
  if (!ctx->err || ctx->err->status != XAI_OK) return status;
  char msg[XAI_ERROR_MESSAGE_BYTES];
  va_list args;
  va_start(args, fmt);
  vsnprintf(msg, sizeof msg, fmt, args);
  va_end(args);
  if (ctx->subgraph) /* numbered as `xai inspect` numbers them */
    return xai_fail(ctx->err, status, "subgraph %u op %u %s: %s",
                    ctx->subgraph, ctx->index, ctx->op_name, msg);
  return xai_fail(ctx->err, status, "op %u %s: %s", ctx->index, ctx->op_name,
                  msg);
}

xai_status xai_op_invoke_subgraph(const xai_op_ctx *ctx, uint32_t sg) {
  xai_interp *ip = ctx->interp;
  if (ip->phase != XAI_PHASE_READY)
    return xai_op_fail(ctx, XAI_ERR_STATE,
                       "subgraphs can only be invoked in eval");
  if (sg >= ip->subgraph_count)
    return xai_op_fail(ctx, XAI_ERR_RANGE,
                       "subgraph %u does not exist (the model has %u)", sg,
                       ip->subgraph_count);
  xai_op_node *n = xai_interp_ctx_node(ctx);
  bool declared = false;
  for (uint32_t k = 0; k < n->call_count; k++) declared |= n->calls[k] == sg;
  if (!declared)
    return xai_op_fail(ctx, XAI_ERR_ARGUMENT,
                       "subgraph %u is not named in the op's options, so "
                       "its tensors were not planned for this call", sg);
  /* The call graph was checked acyclic and shallow at init; this guards
   * against an op calling a subgraph its options did not name. */
  if (ip->call_depth >= XAI_MAX_CALL_DEPTH)
    return xai_op_fail(ctx, XAI_ERR_RANGE,
                       "subgraph calls nest deeper than %d",
                       XAI_MAX_CALL_DEPTH);
  /* The called ops run in a frame (and context slot) of their own. */
  ip->call_depth++;
  xai_status st = xai_interp_run_subgraph(ip, sg, ctx->err);
  ip->call_depth--;
  return st;
}
