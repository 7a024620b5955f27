/* A prepared interpreter at run time: inputs, invoke (on one tile or with
 * a tile runner), one op's eval and timing report, and the accessors the
 * tools and the AI server read. Never touches the heap. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "interp_internal.h"
#include "xai/xcore_machine.h"

size_t xai_interp_arena_used(const xai_interp *ip) {
  size_t low = ip->head > ip->plan_bytes ? ip->head : ip->plan_bytes;
  return low + xai_tail_used(&ip->tail);
}
size_t xai_interp_arena_head(const xai_interp *ip) { return ip->head; }

uint32_t xai_interp_input_count(const xai_interp *ip) {
  return ip->subgraphs[0].inputs.count;
}
uint32_t xai_interp_output_count(const xai_interp *ip) {
  return ip->subgraphs[0].outputs.count;
}
xai_rt_tensor *xai_interp_input(xai_interp *ip, uint32_t i) {
  const xai_sg_state *s = &ip->subgraphs[0];
  return i < s->inputs.count ? &s->tensors[s->inputs.data[i]] : NULL;
}
xai_rt_tensor *xai_interp_output(xai_interp *ip, uint32_t i) {
  const xai_sg_state *s = &ip->subgraphs[0];
  return i < s->outputs.count ? &s->tensors[s->outputs.data[i]] : NULL;
}
const char *xai_interp_tensor_name(const xai_interp *ip,
                                   const xai_rt_tensor *t) {
  for (uint32_t sg = 0; ip && t && sg < ip->subgraph_count; sg++) {
    const xai_sg_state *s = &ip->subgraphs[sg];
    if (t < s->tensors || t >= s->tensors + s->tensor_count) continue;
    xai_tfl_tensor tt;
    xai_tfl_get_tensor(&ip->view, sg, (uint32_t)(t - s->tensors), &tt);
    return tt.name ? tt.name : "";
  }
  return "";
}

uint32_t xai_interp_subgraph_count(const xai_interp *ip) {
  return ip->subgraph_count;
}
xai_rt_tensor *xai_interp_subgraph_tensor(xai_interp *ip, uint32_t sg,
                                          uint32_t i) {
  if (sg >= ip->subgraph_count || i >= ip->subgraphs[sg].tensor_count)
    return NULL;
  return &ip->subgraphs[sg].tensors[i];
}
uint32_t xai_interp_op_count(const xai_interp *ip) {
  return ip->subgraphs[0].op_count;
}
xai_status xai_interp_subgraph_io(const xai_interp *ip, uint32_t sg,
                                  const int32_t **inputs,
                                  uint32_t *input_count,
                                  const int32_t **outputs,
                                  uint32_t *output_count) {
  if (sg >= ip->subgraph_count) return XAI_ERR_RANGE;
  const xai_sg_state *s = &ip->subgraphs[sg];
  *inputs = s->inputs.data;
  *input_count = s->inputs.count;
  *outputs = s->outputs.data;
  *output_count = s->outputs.count;
  return XAI_OK;
}

xai_status xai_interp_set_input(xai_interp *ip, uint32_t i, const void *data,
                                size_t bytes, xai_error *err) {
  xai_error_clear(err);
  xai_rt_tensor *t = xai_interp_input(ip, i);
  if (!t)
    return xai_fail(err, XAI_ERR_RANGE, "input %u: the model has %u inputs",
                    i, xai_interp_input_count(ip));
  if (bytes != t->bytes)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "input %u '%s': got %zu bytes but the model expects %u "
                    "(%zu %s elements)", i, xai_interp_tensor_name(ip, t),
                    bytes, t->bytes, xai_rt_tensor_elements(t),
                    xai_tensor_type_name(t->type));
  if (t->mem == XAI_MEM_CONST)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "input %u '%s' is a constant in the model; it cannot be "
                    "set", i, xai_interp_tensor_name(ip, t));
  if (bytes) memmove(t->data, data, bytes);
  return XAI_OK;
}

xai_status xai_interp_eval_op(xai_interp *ip, xai_op_slot *slot, uint32_t sg,
                              uint32_t i, xai_error *err, uint64_t *ns) {
  xai_op_node *n = &ip->subgraphs[sg].ops[i];
  xai_op_ctx *ctx = xai_interp_load_op(ip, slot, sg, i);
  ctx->err = err;
  memset(ctx->cost, 0, sizeof *ctx->cost);
  uint64_t t0 = ip->hook ? xai_rt_now_ns() : 0;
  xai_status st = n->reg->eval(ctx);
  n->data = ctx->data;
  if (ip->hook) *ns = xai_rt_now_ns() - t0;
  if (st != XAI_OK && err && err->status == XAI_OK)
    xai_op_fail(ctx, st, "eval failed (%s)", xai_status_name(st));
  return st;
}

void xai_interp_report_op(xai_interp *ip, xai_op_slot *slot, uint64_t ns,
                          bool tile_cost) {
  if (!ip->hook) return;
  xai_op_ctx *ctx = &slot->ctx;
  if (ctx->cost->ticks == 0) xai_op_default_cost(ctx);
  if (tile_cost)
    xai_interp_tile_cost(ip, ctx->subgraph, ctx->index, ctx->cost);
  xai_op_timing tm = {ctx->subgraph, ctx->index, ctx->op_name, ns, ctx->cost};
  ip->hook(ip->hook_user, &tm);
}

/* The ops' context is this frame's slot: a subgraph call runs in a frame
 * of its own, so the caller's context survives it. */
static xai_status run_ops(xai_interp *ip, uint32_t sg, xai_error *err) {
  xai_sg_state *s = &ip->subgraphs[sg];
  xai_op_slot slot;
  slot.node = NULL;
  for (uint32_t i = 0; i < s->op_count; i++) {
    uint64_t ns = 0;
    xai_status st = xai_interp_eval_op(ip, &slot, sg, i, err, &ns);
    if (st != XAI_OK) return st;
    xai_interp_report_op(ip, &slot, ns, true);
    if (ip->end_invoke) break;
  }
  return XAI_OK;
}

/* Subgraph 0 with channel-split halves on the runner's tile; its own frame
 * so subgraph calls (control flow) do not carry the table. */
static xai_status run_ops_tiles(xai_interp *ip, const xai_tile_runner *runner,
                                xai_error *err) {
  xai_tile_par par;
  if (xai_tile_par_load(&par, &ip->view, NULL) || !par.count)
    return run_ops(ip, 0, err);
  xai_sg_state *s = &ip->subgraphs[0];
  xai_op_slot slot;
  slot.node = NULL;
  for (uint32_t i = 0; i < s->op_count; i++) {
    xai_status st;
    if (i + 1 < s->op_count && xai_tile_par_index(&par, i) >= 0) {
      st = xai_tile_par_run_pair(ip, &slot, i, runner, err);
      i++;
    } else {
      uint64_t ns = 0;
      st = xai_interp_eval_op(ip, &slot, 0, i, err, &ns);
      if (st == XAI_OK) xai_interp_report_op(ip, &slot, ns, true);
    }
    if (st != XAI_OK) return st;
    if (ip->end_invoke) break;
  }
  return XAI_OK;
}

xai_status xai_interp_run_subgraph(xai_interp *ip, uint32_t sg,
                                   xai_error *err) {
  return run_ops(ip, sg, err);
}

xai_status xai_interp_invoke_tiles(xai_interp *ip,
                                   const xai_tile_runner *runner,
                                   xai_error *err) {
  if (!ip || ip->phase != XAI_PHASE_READY)
    return xai_fail(err, XAI_ERR_STATE, "xai_interp_invoke: not initialised");
  if (err) xai_error_clear(err);
  ip->call_depth = 0;
  ip->end_invoke = false;
  return runner ? run_ops_tiles(ip, runner, err) : run_ops(ip, 0, err);
}

xai_status xai_interp_invoke(xai_interp *ip, xai_error *err) {
  return xai_interp_invoke_tiles(ip, NULL, err);
}

void xai_interp_op_io(const xai_interp *ip, uint32_t sg, uint32_t i,
                      xai_i32_span *inputs, xai_i32_span *outputs) {
  xai_tfl_operator top;
  xai_tfl_get_operator(&ip->view, sg, i, &top);
  *inputs = top.inputs;
  *outputs = top.outputs;
}

xai_op_ctx *xai_interp_load_op(xai_interp *ip, xai_op_slot *slot, uint32_t sg,
                               uint32_t i) {
  xai_op_node *n = &ip->subgraphs[sg].ops[i];
  xai_op_ctx *c = &slot->ctx;
  xai_tfl_operator top;
  xai_tfl_get_operator(&ip->view, sg, i, &top);
  memset(c, 0, sizeof *c);
  c->interp = ip;
  c->subgraph = sg;
  c->index = i;
  c->clock_mhz = ip->clock_mhz;
  /* The resolver matched the model's code (and custom name) exactly. */
  c->builtin_code = n->reg->builtin_code;
  if (c->builtin_code == XAI_OP_CUSTOM)
    c->op_name = n->reg->custom_name ? n->reg->custom_name : "CUSTOM";
  else if (!(c->op_name = xai_builtin_op_name(c->builtin_code)))
    c->op_name = "BUILTIN"; /* a code newer than our name table */
  c->options = &slot->options;
  c->cost = &slot->cost;
  c->custom_options = top.custom_options;
  c->custom_options_size = top.custom_options_size;
  c->input_count = top.inputs.count;
  c->output_count = top.outputs.count;
  c->inputs = top.inputs.data;
  c->outputs = top.outputs.data;
  c->data = n->data;
  xai_error e;
  xai_error_clear(&e);
  if (xai_tfl_get_options(&ip->view, &top, &slot->options, &e) != XAI_OK)
    memset(&slot->options, 0, sizeof slot->options); /* decoded fine at init */
  slot->node = n;
  return c;
}

/* Tools cost one op at a time through this call: the context is one static
 * slot (tools only, never an op's run; not thread-local, which bare-metal
 * targets lack), loaded as for an eval. */
xai_op_ctx *xai_interp_op(xai_interp *ip, uint32_t i) {
  static xai_op_slot tools_slot;
  if (!ip || ip->subgraph_count == 0 || i >= ip->subgraphs[0].op_count)
    return NULL;
  return xai_interp_load_op(ip, &tools_slot, 0, i);
}

const xai_op_registration *xai_interp_op_registration(const xai_interp *ip,
                                                      uint32_t i) {
  if (!ip || ip->subgraph_count == 0 || i >= ip->subgraphs[0].op_count)
    return NULL;
  return ip->subgraphs[0].ops[i].reg;
}
