/* CIRCULAR_BUFFER, TFLite Micro's custom op for strided streaming models
 * (input [1, 1, W, D] int8, output [1, slots, W, D]): each invoke shifts the
 * window one slot towards the start and appends the input. Every
 * cycles_max-th invoke it "runs"; on the others TFLM ends the invoke after
 * it (kTfLiteAbort, xai_op_end_invoke here), or, with the optional bool
 * output, says false there and lets the graph go on. The window is kept in
 * the arena tail, zeroed at prepare, and copied to the output: TFLM keeps it
 * in the output tensor itself and leaves it uninitialised at the start.
 * Option cycles_max (flexbuffer map); without it TFLM guesses the period
 * from the output shape and the op's order among such ops (1 for 5, 13 or
 * 25 slots, or for the fifth one of 2 x 96; else 2), as done here. */
#include <string.h>

#include "interp_internal.h"
#include "signal_ops_internal.h"

#define IN false
#define OUT true

typedef struct {
  int32_t slots, depth, cycles_max, until_run;
  bool has_valid;
  int8_t *window; /* slots * depth */
} cb_data;

/* cycles_max from the options: 0 when absent (or no options at all). */
static xai_status read_cycles(const uint8_t *opts, uint32_t size,
                              int64_t *cycles, xai_error *e) {
  *cycles = 0;
  if (!opts || !size) return XAI_OK;
  xai_flexbuf_ref root, v;
  xai_status st = xai_flexbuf_root(opts, size, &root, e);
  if (st) return st;
  if (xai_flexbuf_map_get(&root, "cycles_max", &v, e) == XAI_ERR_RANGE) {
    xai_error_clear(e);
    return XAI_OK;
  }
  return e->status ? e->status : xai_flexbuf_get_int(&v, cycles, e);
}

static bool heuristic_period_one(const int32_t *out_dims, int32_t count) {
  const int32_t slots = out_dims[1];
  return slots == 5 || slots == 13 || slots == 25 ||
         (count == 5 && out_dims[2] == 2 && out_dims[3] == 96);
}

/* TFLM's guess, with its prepare counter replayed over the ops prepared
 * before this one (subgraphs in order, ops in order). */
static int32_t guessed_cycles(const xai_op_ctx *ctx) {
  const xai_tfl_view *v = &ctx->interp->view;
  int32_t count = 0, cycles = 2;
  for (uint32_t sg = 0; sg <= ctx->subgraph; sg++) {
    xai_tfl_subgraph s;
    xai_tfl_get_subgraph(v, sg, &s);
    const uint32_t last = sg == ctx->subgraph ? ctx->index : s.operator_count - 1;
    for (uint32_t i = 0; i <= last && i < s.operator_count; i++) {
      xai_tfl_operator op;
      xai_tfl_opcode oc;
      xai_tfl_get_operator(v, sg, i, &op);
      xai_tfl_get_opcode(v, op.opcode_index, &oc);
      if (!oc.custom_code || strcmp(oc.custom_code, "CIRCULAR_BUFFER") ||
          op.outputs.count < 1 || op.outputs.data[0] < 0)
        continue;
      xai_error e;
      xai_error_clear(&e);
      int64_t c;
      if (read_cycles(op.custom_options, op.custom_options_size, &c, &e) ||
          c > 0)
        continue;
      xai_tfl_tensor t;
      xai_tfl_get_tensor(v, sg, (uint32_t)op.outputs.data[0], &t);
      if (t.shape.count != 4) continue;
      count++;
      cycles = 2;
      if (heuristic_period_one(t.shape.data, count)) {
        cycles = 1;
        count = 0;
      }
    }
  }
  return cycles;
}

static xai_status cb_prepare(xai_op_ctx *ctx) {
  if (ctx->input_count != 1 || ctx->output_count < 1 || ctx->output_count > 2)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "has %u inputs and %u outputs; TFLM's kernel takes 1 "
                       "input and 1 or 2 outputs", ctx->input_count,
                       ctx->output_count);
  xai_status st = xai_sig_io(ctx, 1, ctx->output_count);
  if (!st) st = xai_sig_type(ctx, IN, 0, XAI_TYPE_INT8);
  if (!st) st = xai_sig_type(ctx, OUT, 0, XAI_TYPE_INT8);
  if (!st) st = xai_sig_rank(ctx, IN, 0, 4);
  if (!st) st = xai_sig_rank(ctx, OUT, 0, 4);
  if (!st && ctx->output_count == 2) {
    st = xai_sig_type(ctx, OUT, 1, XAI_TYPE_BOOL);
    if (!st && xai_sig_elements(ctx, OUT, 1) != 1)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "output 1 has %d elements; the valid flag is one "
                         "bool", xai_sig_elements(ctx, OUT, 1));
  }
  if (st) return st;
  const int32_t *i = xai_op_input(ctx, 0)->dims, *o = xai_op_output(ctx, 0)->dims;
  if (i[0] != 1 || o[0] != 1 || i[1] != 1 || o[1] < 1 || i[2] != o[2] ||
      i[3] != o[3])
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input [%d, %d, %d, %d] and output [%d, %d, %d, %d]; "
                       "TFLM's kernel takes [1, 1, W, D] into [1, slots >= 1, "
                       "W, D]", (int)i[0], (int)i[1], (int)i[2], (int)i[3],
                       (int)o[0], (int)o[1], (int)o[2], (int)o[3]);
  xai_error e;
  xai_error_clear(&e);
  int64_t cycles;
  if (read_cycles(ctx->custom_options, ctx->custom_options_size, &cycles, &e))
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "option 'cycles_max': %s",
                       e.message);
  if (cycles > INT32_MAX)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "option 'cycles_max' %lld is out of range",
                       (long long)cycles);
  cb_data *d = xai_sig_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->slots = o[1];
  d->depth = o[2] * o[3];
  d->cycles_max = cycles > 0 ? (int32_t)cycles : guessed_cycles(ctx);
  d->until_run = d->cycles_max;
  d->has_valid = ctx->output_count == 2;
  d->window = xai_sig_alloc(ctx, (size_t)d->slots * (size_t)d->depth);
  return d->window ? XAI_OK : XAI_ERR_NO_MEMORY;
}

static xai_status cb_eval(xai_op_ctx *ctx) {
  cb_data *d = ctx->data;
  const size_t depth = (size_t)d->depth, keep = (size_t)(d->slots - 1) * depth;
  memmove(d->window, d->window + depth, keep);
  memcpy(d->window + keep, xai_op_input(ctx, 0)->data, depth);
  memcpy(xai_op_output(ctx, 0)->data, d->window, keep + depth);
  const bool run = --d->until_run == 0;
  if (run) d->until_run = d->cycles_max;
  if (d->has_valid)
    *(bool *)xai_op_output(ctx, 1)->data = run;
  else if (!run)
    xai_op_end_invoke(ctx);
  /* a word-wise shift and copy: two bundles per 4 bytes moved, twice */
  xai_sig_cost(ctx, (uint64_t)(keep + depth) + 20);
  return XAI_OK;
}

const xai_op_registration xai_op_circular_buffer = {
    XAI_OP_CUSTOM, "CIRCULAR_BUFFER", cb_prepare, cb_eval, NULL};
