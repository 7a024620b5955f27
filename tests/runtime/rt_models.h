/* Tiny models for runtime tests, built with the project's model builder,
 * plus test-only ops (custom codes "TEST_*") and a resolver holding them. */
#ifndef XAI_TESTS_RT_MODELS_H
#define XAI_TESTS_RT_MODELS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "xai/runtime.h"
#include "xai/tflite.h"

/* Adds a tensor; data != NULL makes it a constant with its own buffer. */
static inline int32_t rt_tensor(xai_model *m, uint32_t sg, const char *name,
                                int8_t type, const int32_t *shape,
                                uint32_t rank, const void *data,
                                size_t bytes) {
  uint32_t buf = 0;
  if (data) buf = (uint32_t)xai_model_add_buffer(m, data, bytes);
  return xai_model_add_tensor(m, sg, name, type, shape, rank, buf);
}

static inline void rt_quant(xai_model *m, uint32_t sg, int32_t t, float scale,
                            int64_t zp) {
  xai_model_set_quant(m, sg, (uint32_t)t, &scale, &zp, 1, 0);
}

static inline int32_t rt_op(xai_model *m, uint32_t sg, int32_t code,
                            const char *custom, const int32_t *ins,
                            uint32_t nin, const int32_t *outs, uint32_t nout,
                            const xai_options *opts) {
  int32_t oc = xai_model_opcode(m, code, custom, 1);
  return xai_model_add_operator(m, sg, -1, (uint32_t)oc, ins, nin, outs, nout,
                                opts, NULL, 0);
}

/* Writes the model; the caller frees *data with free(). */
static inline int rt_write(xai_model *m, uint8_t **data, size_t *size) {
  xai_error err;
  xai_error_clear(&err);
  if (xai_model_write(m, data, size, &err) != XAI_OK) {
    fprintf(stderr, "xai_model_write: %s\n", err.message);
    return 0;
  }
  return 1;
}

/* ---- test ops ---------------------------------------------------------- */

/* TEST_ADD1: int8 out = in + 1, through a scratch copy of the input; keeps
 * an eval counter in persistent memory. */
typedef struct {
  int32_t scratch;
  uint32_t evals;
} rt_add1_data;

static inline xai_status rt_add1_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in = xai_op_input(ctx, 0), *out = xai_op_output(ctx, 0);
  if (!in || !out || in->bytes != out->bytes)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "bad tensors");
  rt_add1_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "no persistent memory");
  d->evals = 0;
  ctx->data = d;
  return xai_op_request_scratch(ctx, in->bytes, &d->scratch);
}

static inline xai_status rt_add1_eval(xai_op_ctx *ctx) {
  rt_add1_data *d = ctx->data;
  const xai_rt_tensor *in = xai_op_input(ctx, 0);
  xai_rt_tensor *out = xai_op_output(ctx, 0);
  int8_t *s = xai_op_scratch(ctx, d->scratch);
  memcpy(s, in->data, in->bytes);
  for (size_t i = 0; i < out->bytes; i++)
    ((int8_t *)out->data)[i] = (int8_t)(s[i] + 1);
  d->evals++;
  return XAI_OK;
}

/* TEST_ACC: variable tensor (input 1) += input 0 (int8); output = variable. */
static inline xai_status rt_acc_eval(xai_op_ctx *ctx) {
  const xai_rt_tensor *in = xai_op_input(ctx, 0);
  xai_rt_tensor *var = xai_op_input(ctx, 1);
  xai_rt_tensor *out = xai_op_output(ctx, 0);
  for (size_t i = 0; i < in->bytes; i++) {
    int8_t *v = (int8_t *)var->data + i;
    *v = (int8_t)(*v + ((const int8_t *)in->data)[i]);
    ((int8_t *)out->data)[i] = *v;
  }
  return XAI_OK;
}

/* TEST_FAIL: prepare fails with a message. */
static inline xai_status rt_fail_prepare(xai_op_ctx *ctx) {
  return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "tensor %d is wrong",
                     (int)ctx->inputs[0]);
}

/* CALL (builtin): copies inputs into the callee's inputs, runs it, copies
 * its outputs out: enough to test xai_op_invoke_subgraph. */
static inline xai_status rt_call_eval(xai_op_ctx *ctx) {
  uint32_t sg = ctx->options->u.call.subgraph;
  xai_interp *ip = ctx->interp;
  for (uint32_t i = 0; i < ctx->input_count; i++) {
    const xai_rt_tensor *a = xai_op_input(ctx, i);
    xai_rt_tensor *b = xai_interp_subgraph_tensor(ip, sg, i); /* by index */
    memcpy(b->data, a->data, a->bytes);
  }
  xai_status st = xai_op_invoke_subgraph(ctx, sg);
  if (st) return st;
  /* Test convention: callee inputs are tensors 0..n-1, outputs follow. */
  for (uint32_t i = 0; i < ctx->output_count; i++) {
    xai_rt_tensor *a = xai_op_output(ctx, i);
    const xai_rt_tensor *b =
        xai_interp_subgraph_tensor(ip, sg, ctx->input_count + i);
    memcpy(a->data, b->data, a->bytes);
  }
  return XAI_OK;
}

static const xai_op_registration rt_op_add1 = {
    XAI_OP_CUSTOM, "TEST_ADD1", rt_add1_prepare, rt_add1_eval, NULL};
static const xai_op_registration rt_op_acc = {XAI_OP_CUSTOM, "TEST_ACC", NULL,
                                              rt_acc_eval, NULL};
static const xai_op_registration rt_op_fail = {
    XAI_OP_CUSTOM, "TEST_FAIL", rt_fail_prepare, rt_acc_eval, NULL};
static const xai_op_registration rt_op_call = {XAI_OP_CALL, NULL, NULL,
                                               rt_call_eval, NULL};

static inline const xai_op_resolver *rt_test_resolver(void) {
  static const xai_op_registration *ops[8];
  static xai_op_resolver r;
  const xai_op_resolver *ref = xai_ref_resolver();
  size_t n = 0;
  ops[n++] = &rt_op_add1;
  ops[n++] = &rt_op_acc;
  ops[n++] = &rt_op_fail;
  ops[n++] = &rt_op_call;
  const xai_op_registration *reshape =
      xai_resolver_find(ref, XAI_OP_RESHAPE, NULL);
  if (reshape) ops[n++] = reshape;
  r.ops = ops;
  r.count = n;
  return &r;
}

/* input [1,4] int8 -> TEST_ADD1 -> TEST_ADD1 -> RESHAPE [4] -> output */
static inline int rt_chain_model(uint8_t **data, size_t *size) {
  xai_model m;
  xai_error err;
  if (xai_model_init(&m, &err)) return 0;
  const int32_t s14[] = {1, 4}, s4[] = {4};
  int32_t t0 = rt_tensor(&m, 0, "in", XAI_TYPE_INT8, s14, 2, NULL, 0);
  int32_t t1 = rt_tensor(&m, 0, "mid", XAI_TYPE_INT8, s14, 2, NULL, 0);
  int32_t t2 = rt_tensor(&m, 0, "mid2", XAI_TYPE_INT8, s14, 2, NULL, 0);
  const int32_t shape_val[] = {4};
  int32_t ts = rt_tensor(&m, 0, "shape", XAI_TYPE_INT32, (const int32_t[]){1},
                         1, shape_val, sizeof shape_val);
  int32_t t3 = rt_tensor(&m, 0, "out", XAI_TYPE_INT8, s4, 1, NULL, 0);
  rt_quant(&m, 0, t0, 0.5f, -3);
  rt_op(&m, 0, XAI_OP_CUSTOM, "TEST_ADD1", &t0, 1, &t1, 1, NULL);
  rt_op(&m, 0, XAI_OP_CUSTOM, "TEST_ADD1", &t1, 1, &t2, 1, NULL);
  int32_t rin[] = {t2, ts};
  xai_options ro;
  memset(&ro, 0, sizeof ro);
  ro.type = XAI_OPTS_RESHAPE;
  ro.u.reshape.new_shape.count = 1;
  ro.u.reshape.new_shape.values[0] = 4;
  rt_op(&m, 0, XAI_OP_RESHAPE, NULL, rin, 2, &t3, 1, &ro);
  xai_model_set_subgraph_io(&m, 0, &t0, 1, &t3, 1);
  int ok = rt_write(&m, data, size);
  xai_model_free(&m);
  return ok;
}

#endif
