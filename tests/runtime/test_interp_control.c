/* Control flow through the interpreter: WHILE (x < 5: x += 1), IF on a
 * boolean, CALL_ONCE running its init subgraph on the first invoke only. */
#include <stdlib.h>
#include <string.h>

#include "rt_models.h"
#include "interp_heap.h"

static _Alignas(16) uint8_t g_arena[16 * 1024];

/* TEST_LT5: bool out = int8 in[0] < 5. */
static xai_status lt5_eval(xai_op_ctx *ctx) {
  const xai_rt_tensor *in = xai_op_input(ctx, 0);
  *(uint8_t *)xai_op_output(ctx, 0)->data = ((const int8_t *)in->data)[0] < 5;
  return XAI_OK;
}
static const xai_op_registration op_lt5 = {XAI_OP_CUSTOM, "TEST_LT5", NULL,
                                           lt5_eval, NULL};

static const xai_op_resolver *resolver(void) {
  static const xai_op_registration *ops[8];
  static xai_op_resolver r;
  const xai_op_resolver *ref = xai_ref_resolver();
  size_t n = 0;
  ops[n++] = &rt_op_add1;
  ops[n++] = &op_lt5;
  ops[n++] = xai_resolver_find(ref, XAI_OP_WHILE, NULL);
  ops[n++] = xai_resolver_find(ref, XAI_OP_IF, NULL);
  ops[n++] = xai_resolver_find(ref, XAI_OP_CALL_ONCE, NULL);
  r.ops = ops;
  r.count = n;
  return &r;
}

static void add_subgraphs(xai_model *m, uint32_t total) {
  m->subgraphs = realloc(m->subgraphs, total * sizeof *m->subgraphs);
  for (uint32_t i = m->subgraph_count; i < total; i++)
    memset(&m->subgraphs[i], 0, sizeof m->subgraphs[i]);
  m->subgraph_count = m->subgraph_cap = total;
}

static int g_ops_run;
static void count(void *user, const xai_op_timing *t) {
  (void)user;
  (void)t;
  g_ops_run++;
}

static xai_interp *load(uint8_t *model, size_t size) {
  xai_interp_config c =
      xai_test_interp_config(model, size, g_arena, sizeof g_arena);
  c.resolver = resolver();
  c.hook = count;
  xai_interp *ip = NULL;
  xai_error err;
  if (xai_interp_init(&ip, &c, &err)) {
    fprintf(stderr, "init: %s\n", err.message);
    xai_test_failures++;
    return NULL;
  }
  return ip;
}

static void test_while(void) {
  xai_model m;
  xai_error err;
  xai_model_init(&m, &err);
  add_subgraphs(&m, 3);
  const int32_t s[] = {2}, one[] = {1};
  int32_t in = rt_tensor(&m, 0, "x", XAI_TYPE_INT8, s, 1, NULL, 0);
  int32_t out = rt_tensor(&m, 0, "y", XAI_TYPE_INT8, s, 1, NULL, 0);
  int32_t cx = rt_tensor(&m, 1, "cx", XAI_TYPE_INT8, s, 1, NULL, 0);
  int32_t cb = rt_tensor(&m, 1, "cb", XAI_TYPE_BOOL, one, 1, NULL, 0);
  int32_t bx = rt_tensor(&m, 2, "bx", XAI_TYPE_INT8, s, 1, NULL, 0);
  int32_t by = rt_tensor(&m, 2, "by", XAI_TYPE_INT8, s, 1, NULL, 0);
  xai_options o;
  memset(&o, 0, sizeof o);
  o.type = XAI_OPTS_WHILE;
  o.u.while_.cond_subgraph_index = 1;
  o.u.while_.body_subgraph_index = 2;
  rt_op(&m, 0, XAI_OP_WHILE, NULL, &in, 1, &out, 1, &o);
  rt_op(&m, 1, XAI_OP_CUSTOM, "TEST_LT5", &cx, 1, &cb, 1, NULL);
  rt_op(&m, 2, XAI_OP_CUSTOM, "TEST_ADD1", &bx, 1, &by, 1, NULL);
  xai_model_set_subgraph_io(&m, 0, &in, 1, &out, 1);
  xai_model_set_subgraph_io(&m, 1, &cx, 1, &cb, 1);
  xai_model_set_subgraph_io(&m, 2, &bx, 1, &by, 1);
  uint8_t *model;
  size_t size;
  CHECK(rt_write(&m, &model, &size));
  xai_model_free(&m);
  xai_interp *ip = load(model, size);
  if (ip) {
    const int8_t x[2] = {0, 10};
    xai_interp_set_input(ip, 0, x, 2, &err);
    CHECK_EQ_INT(xai_interp_invoke(ip, &err), XAI_OK);
    const int8_t *y = xai_interp_output(ip, 0)->data;
    CHECK_EQ_INT(y[0], 5); /* 0 -> 5 in five trips */
    CHECK_EQ_INT(y[1], 15);
    const int8_t x2[2] = {7, 0}; /* condition false at once */
    xai_interp_set_input(ip, 0, x2, 2, &err);
    CHECK_EQ_INT(xai_interp_invoke(ip, &err), XAI_OK);
    CHECK_EQ_INT(y[0], 7);
    CHECK_EQ_INT(y[1], 0);
  }
  free(model);
}

static void test_if_and_call_once(void) {
  xai_model m;
  xai_error err;
  xai_model_init(&m, &err);
  add_subgraphs(&m, 4);
  const int32_t s[] = {1}, one[] = {1};
  int32_t c = rt_tensor(&m, 0, "c", XAI_TYPE_BOOL, one, 1, NULL, 0);
  int32_t x = rt_tensor(&m, 0, "x", XAI_TYPE_INT8, s, 1, NULL, 0);
  int32_t y = rt_tensor(&m, 0, "y", XAI_TYPE_INT8, s, 1, NULL, 0);
  /* then: add1 twice; else: add1 once. */
  int32_t t0 = rt_tensor(&m, 1, "t0", XAI_TYPE_INT8, s, 1, NULL, 0);
  int32_t t1 = rt_tensor(&m, 1, "t1", XAI_TYPE_INT8, s, 1, NULL, 0);
  int32_t t2 = rt_tensor(&m, 1, "t2", XAI_TYPE_INT8, s, 1, NULL, 0);
  int32_t e0 = rt_tensor(&m, 2, "e0", XAI_TYPE_INT8, s, 1, NULL, 0);
  int32_t e1 = rt_tensor(&m, 2, "e1", XAI_TYPE_INT8, s, 1, NULL, 0);
  int32_t i0 = rt_tensor(&m, 3, "i0", XAI_TYPE_INT8, s, 1, NULL, 0);
  int32_t i1 = rt_tensor(&m, 3, "i1", XAI_TYPE_INT8, s, 1, NULL, 0);
  xai_options once;
  memset(&once, 0, sizeof once);
  once.type = XAI_OPTS_CALL_ONCE;
  once.u.call_once.init_subgraph_index = 3;
  rt_op(&m, 0, XAI_OP_CALL_ONCE, NULL, &c, 0, &c, 0, &once);
  xai_options o;
  memset(&o, 0, sizeof o);
  o.type = XAI_OPTS_IF;
  o.u.if_.then_subgraph_index = 1;
  o.u.if_.else_subgraph_index = 2;
  int32_t ins[] = {c, x};
  rt_op(&m, 0, XAI_OP_IF, NULL, ins, 2, &y, 1, &o);
  rt_op(&m, 1, XAI_OP_CUSTOM, "TEST_ADD1", &t0, 1, &t1, 1, NULL);
  rt_op(&m, 1, XAI_OP_CUSTOM, "TEST_ADD1", &t1, 1, &t2, 1, NULL);
  rt_op(&m, 2, XAI_OP_CUSTOM, "TEST_ADD1", &e0, 1, &e1, 1, NULL);
  rt_op(&m, 3, XAI_OP_CUSTOM, "TEST_ADD1", &i0, 1, &i1, 1, NULL);
  xai_model_set_subgraph_io(&m, 0, ins, 2, &y, 1);
  xai_model_set_subgraph_io(&m, 1, &t0, 1, &t2, 1);
  xai_model_set_subgraph_io(&m, 2, &e0, 1, &e1, 1);
  xai_model_set_subgraph_io(&m, 3, NULL, 0, NULL, 0);
  uint8_t *model;
  size_t size;
  CHECK(rt_write(&m, &model, &size));
  xai_model_free(&m);
  xai_interp *ip = load(model, size);
  if (ip) {
    const uint8_t yes = 1, no = 0;
    const int8_t v = 40;
    xai_interp_set_input(ip, 0, &yes, 1, &err);
    xai_interp_set_input(ip, 1, &v, 1, &err);
    CHECK_EQ_INT(xai_interp_op_count(ip), 2);
    g_ops_run = 0;
    CHECK_EQ_INT(xai_interp_invoke(ip, &err), XAI_OK);
    CHECK_EQ_INT(*(int8_t *)xai_interp_output(ip, 0)->data, 42);
    /* CALL_ONCE + its init op + IF + two ops of the then branch. */
    CHECK_EQ_INT(g_ops_run, 5);
    g_ops_run = 0;
    xai_interp_set_input(ip, 0, &no, 1, &err);
    xai_interp_set_input(ip, 1, &v, 1, &err);
    CHECK_EQ_INT(xai_interp_invoke(ip, &err), XAI_OK);
    CHECK_EQ_INT(*(int8_t *)xai_interp_output(ip, 0)->data, 41);
    /* CALL_ONCE (now a no-op) + IF + the else branch's op. */
    CHECK_EQ_INT(g_ops_run, 3);
  }
  free(model);
}

int main(void) {
  test_while();
  test_if_and_call_once();
  return xai_test_finish("runtime_interp_control");
}
