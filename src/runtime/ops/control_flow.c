/* IF, WHILE, CALL_ONCE: run other subgraphs through
 * xai_op_invoke_subgraph, moving tensors between the op and the called
 * subgraph's inputs/outputs by copy (every shape is static, checked in
 * prepare). The planner keeps this op's tensors live while the called
 * subgraphs run, so the copies never alias. */
#include <stdbool.h>
#include <string.h>

#include "xai/runtime.h"

/* A called subgraph's input and output tensor indices. */
typedef struct {
  const int32_t *inputs, *outputs;
  uint32_t input_count, output_count;
} sg_io;

/* Persistent data: io lists of up to two subgraphs, plus CALL_ONCE state. */
typedef struct {
  sg_io sg[2];
  bool done;
} flow_data;

static xai_status load_io(xai_op_ctx *ctx, uint32_t k, int32_t sg,
                          flow_data *d) {
  if (sg < 0 || (uint32_t)sg >= xai_interp_subgraph_count(ctx->interp))
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "subgraph %d does not exist",
                       (int)sg);
  sg_io *io = &d->sg[k];
  return xai_interp_subgraph_io(ctx->interp, (uint32_t)sg, &io->inputs,
                                &io->input_count, &io->outputs,
                                &io->output_count);
}

static xai_rt_tensor *sg_tensor(xai_op_ctx *ctx, int32_t sg, int32_t t) {
  return xai_interp_subgraph_tensor(ctx->interp, (uint32_t)sg, (uint32_t)t);
}

/* Each pair must have the same type and byte size. */
static xai_status check_pairs(xai_op_ctx *ctx, const char *what,
                              xai_rt_tensor *(*a)(xai_op_ctx *, uint32_t,
                                                  const void *),
                              const void *ua, int32_t sg, const int32_t *list,
                              uint32_t count) {
  for (uint32_t i = 0; i < count; i++) {
    const xai_rt_tensor *x = a(ctx, i, ua);
    const xai_rt_tensor *y = sg_tensor(ctx, sg, list[i]);
    if (!x || !y || x->type != y->type || x->bytes != y->bytes)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "%s %u does not match subgraph %d tensor %d (type or "
                         "size differ)", what, i, (int)sg, (int)list[i]);
  }
  return XAI_OK;
}

static xai_rt_tensor *op_in(xai_op_ctx *ctx, uint32_t i, const void *skip) {
  return xai_op_input(ctx, i + *(const uint32_t *)skip);
}
static xai_rt_tensor *op_out(xai_op_ctx *ctx, uint32_t i, const void *u) {
  (void)u;
  return xai_op_output(ctx, i);
}

static void copy_to_sg(xai_op_ctx *ctx, int32_t sg, const int32_t *list,
                       uint32_t count, bool from_outputs, uint32_t skip) {
  for (uint32_t i = 0; i < count; i++) {
    const xai_rt_tensor *x =
        from_outputs ? xai_op_output(ctx, i) : xai_op_input(ctx, i + skip);
    xai_rt_tensor *y = sg_tensor(ctx, sg, list[i]);
    if (x->bytes && x->data != y->data) memmove(y->data, x->data, x->bytes);
  }
}

static void copy_from_sg(xai_op_ctx *ctx, int32_t sg, const int32_t *list,
                         uint32_t count) {
  for (uint32_t i = 0; i < count; i++) {
    const xai_rt_tensor *y = sg_tensor(ctx, sg, list[i]);
    xai_rt_tensor *x = xai_op_output(ctx, i);
    if (x->bytes && x->data != y->data) memmove(x->data, y->data, x->bytes);
  }
}

/* ---- IF: input 0 is the condition; the rest feed the chosen branch ---- */

static xai_status if_prepare(xai_op_ctx *ctx) {
  flow_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(d, 0, sizeof *d);
  ctx->data = d;
  const xai_rt_tensor *cond = xai_op_input(ctx, 0);
  if (!cond || xai_rt_tensor_elements(cond) != 1 ||
      (cond->type != XAI_TYPE_BOOL && cond->type != XAI_TYPE_INT32 &&
       cond->type != XAI_TYPE_INT8))
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "condition must be a one-element BOOL tensor");
  int32_t br[2] = {ctx->options->u.if_.then_subgraph_index,
                   ctx->options->u.if_.else_subgraph_index};
  uint32_t skip = 1;
  for (uint32_t k = 0; k < 2; k++) {
    xai_status st = load_io(ctx, k, br[k], d);
    if (st) return st;
    const sg_io *io = &d->sg[k];
    if (io->input_count != ctx->input_count - 1 ||
        io->output_count != ctx->output_count)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "subgraph %d takes %u inputs and gives %u outputs; "
                         "the op has %u and %u", (int)br[k], io->input_count,
                         io->output_count, ctx->input_count - 1,
                         ctx->output_count);
    if ((st = check_pairs(ctx, "input", op_in, &skip, br[k], io->inputs,
                          io->input_count)) ||
        (st = check_pairs(ctx, "output", op_out, NULL, br[k], io->outputs,
                          io->output_count)))
      return st;
  }
  return XAI_OK;
}

static xai_status if_eval(xai_op_ctx *ctx) {
  const flow_data *d = ctx->data;
  const xai_rt_tensor *cond = xai_op_input(ctx, 0);
  bool take = cond->type == XAI_TYPE_INT32 ? *(const int32_t *)cond->data != 0
                                           : *(const uint8_t *)cond->data != 0;
  uint32_t k = take ? 0 : 1;
  int32_t sg = k ? ctx->options->u.if_.else_subgraph_index
                 : ctx->options->u.if_.then_subgraph_index;
  copy_to_sg(ctx, sg, d->sg[k].inputs, d->sg[k].input_count, false, 1);
  xai_status st = xai_op_invoke_subgraph(ctx, (uint32_t)sg);
  if (st) return st;
  copy_from_sg(ctx, sg, d->sg[k].outputs, d->sg[k].output_count);
  return XAI_OK;
}

/* ---- WHILE: outputs carry the loop state; cond gives one bool -------- */

static xai_status while_prepare(xai_op_ctx *ctx) {
  flow_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(d, 0, sizeof *d);
  ctx->data = d;
  int32_t cond = ctx->options->u.while_.cond_subgraph_index;
  int32_t body = ctx->options->u.while_.body_subgraph_index;
  xai_status st;
  if ((st = load_io(ctx, 0, cond, d)) || (st = load_io(ctx, 1, body, d)))
    return st;
  uint32_t n = ctx->input_count, zero = 0;
  if (ctx->output_count != n || d->sg[0].input_count != n ||
      d->sg[1].input_count != n || d->sg[1].output_count != n ||
      d->sg[0].output_count != 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "loop state does not match: op %u in / %u out, cond "
                       "%u in / %u out, body %u in / %u out", n,
                       ctx->output_count, d->sg[0].input_count,
                       d->sg[0].output_count, d->sg[1].input_count,
                       d->sg[1].output_count);
  if ((st = check_pairs(ctx, "input", op_in, &zero, cond, d->sg[0].inputs,
                        n)) ||
      (st = check_pairs(ctx, "input", op_in, &zero, body, d->sg[1].inputs,
                        n)) ||
      (st = check_pairs(ctx, "output", op_out, NULL, body, d->sg[1].outputs,
                        n)))
    return st;
  for (uint32_t i = 0; i < n; i++) {
    const xai_rt_tensor *a = xai_op_input(ctx, i), *b = xai_op_output(ctx, i);
    if (!a || !b || a->bytes != b->bytes)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "input %u and output %u differ in size", i, i);
  }
  const xai_rt_tensor *c = sg_tensor(ctx, cond, d->sg[0].outputs[0]);
  if (!c || xai_rt_tensor_elements(c) != 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "cond subgraph must give one boolean");
  return XAI_OK;
}

static xai_status while_eval(xai_op_ctx *ctx) {
  const flow_data *d = ctx->data;
  int32_t cond = ctx->options->u.while_.cond_subgraph_index;
  int32_t body = ctx->options->u.while_.body_subgraph_index;
  uint32_t n = ctx->input_count;
  for (uint32_t i = 0; i < n; i++) {
    const xai_rt_tensor *a = xai_op_input(ctx, i);
    xai_rt_tensor *b = xai_op_output(ctx, i);
    if (a->bytes && a->data != b->data) memmove(b->data, a->data, a->bytes);
  }
  const xai_rt_tensor *c = sg_tensor(ctx, cond, d->sg[0].outputs[0]);
  for (;;) {
    copy_to_sg(ctx, cond, d->sg[0].inputs, n, true, 0);
    xai_status st = xai_op_invoke_subgraph(ctx, (uint32_t)cond);
    if (st) return st;
    bool go = c->type == XAI_TYPE_INT32 ? *(const int32_t *)c->data != 0
                                        : *(const uint8_t *)c->data != 0;
    if (!go) return XAI_OK;
    copy_to_sg(ctx, body, d->sg[1].inputs, n, true, 0);
    if ((st = xai_op_invoke_subgraph(ctx, (uint32_t)body))) return st;
    copy_from_sg(ctx, body, d->sg[1].outputs, n);
  }
}

/* ---- CALL_ONCE: runs the init subgraph on the first invoke only ------- */

static xai_status call_once_prepare(xai_op_ctx *ctx) {
  flow_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(d, 0, sizeof *d);
  ctx->data = d;
  return load_io(ctx, 0, ctx->options->u.call_once.init_subgraph_index, d);
}

static xai_status call_once_eval(xai_op_ctx *ctx) {
  flow_data *d = ctx->data;
  if (d->done) return XAI_OK;
  xai_status st = xai_op_invoke_subgraph(
      ctx, (uint32_t)ctx->options->u.call_once.init_subgraph_index);
  if (!st) d->done = true;
  return st;
}

const xai_op_registration xai_op_if = {XAI_OP_IF, NULL, if_prepare, if_eval, NULL};
const xai_op_registration xai_op_while = {XAI_OP_WHILE, NULL, while_prepare,
                                          while_eval, NULL};
const xai_op_registration xai_op_call_once = {
    XAI_OP_CALL_ONCE, NULL, call_once_prepare, call_once_eval, NULL};
