/* FULLY_CONNECTED lowering: XAI_fc gives the reference op's bits (LiteRT's
 * single rounding, per-tensor float-product multiplier, per-channel) at 1,
 * 2, 5 and 8 threads, for batch > 1, keep_num_dims, odd depths and units,
 * zero points at -128 and 127 and fused activations; asymmetric weights
 * and int16 activations stay builtins with a note. */
#include "test_lower_conv_util.h"

typedef struct {
  const char *label;
  int32_t in_shape[4];
  uint32_t in_rank;
  int32_t units;
  int keep_dims, act;
  int32_t zi, zo, wzp;
  int per_channel, bias, int16;
} fc_case;

static void build(const fc_case *c, uint64_t *rng, uint8_t **model,
                  size_t *size, size_t *in_bytes, size_t *out_bytes) {
  tu_model tm;
  tu_begin(&tm);
  size_t elems = 1;
  for (uint32_t i = 0; i < c->in_rank; i++) elems *= (size_t)c->in_shape[i];
  const int32_t depth = c->in_shape[c->in_rank - 1];
  const int32_t batches = (int32_t)(elems / (size_t)depth);
  const size_t wn = (size_t)c->units * (size_t)depth;
  int8_t *w = malloc(wn);
  for (size_t i = 0; i < wn; i++) w[i] = (int8_t)tu_range(rng, -127, 127);
  const int32_t nq = c->per_channel ? c->units : 1;
  float *ws = malloc((size_t)nq * sizeof *ws);
  int64_t *wz = calloc((size_t)nq, sizeof *wz);
  for (int32_t i = 0; i < nq; i++) {
    ws[i] = tu_log_uniform(rng, 2e-4f, 2e-2f);
    wz[i] = c->wzp;
  }
  tu_act_quant q;
  tu_act_quant_make(rng, c->int16, c->zi, c->zo, ws[0], depth, &q);
  int32_t wshape[2] = {c->units, depth};
  int32_t in_t = tu_tensor(&tm, q.type, c->in_shape, c->in_rank, NULL, 0,
                           &q.in_scale, &q.in_zp, 1, 0);
  int32_t w_t = tu_tensor(&tm, XAI_TYPE_INT8, wshape, 2, w, wn, ws, wz,
                          (uint32_t)nq, 0);
  int32_t b_t = c->bias ? tu_bias(&tm, rng, c->units, c->int16, 0) : -1;
  int32_t oshape[4];
  uint32_t orank;
  if (c->keep_dims) {
    memcpy(oshape, c->in_shape, sizeof oshape);
    oshape[c->in_rank - 1] = c->units;
    orank = c->in_rank;
  } else {
    oshape[0] = batches;
    oshape[1] = c->units;
    orank = 2;
  }
  int32_t out_t = tu_tensor(&tm, q.type, oshape, orank, NULL, 0,
                            &q.out_scale, &q.out_zp, 1, 0);
  xai_options o;
  memset(&o, 0, sizeof o);
  o.type = XAI_OPTS_FULLY_CONNECTED;
  o.u.fully_connected.fused_activation_function = (int8_t)c->act;
  o.u.fully_connected.keep_num_dims = c->keep_dims != 0;
  int32_t ins[3] = {in_t, w_t, b_t};
  tu_finish(&tm, XAI_OP_FULLY_CONNECTED, ins, 3, out_t, &o, model, size);
  *in_bytes = elems * q.elem_bytes;
  *out_bytes = (size_t)batches * (size_t)c->units * q.elem_bytes;
  free(w);
  free(ws);
  free(wz);
}

enum { NONE = XAI_ACT_NONE, RELU = XAI_ACT_RELU, RELU6 = XAI_ACT_RELU6 };

static const fc_case k_cases[] = {
    /* label          in_shape         rank units keep act  zi    zo   wzp pc b */
    {"fc 64->10", {1, 64}, 2, 10, 0, NONE, 3, -5, 0, 0, 1, 0},
    {"fc batch 3", {3, 50}, 2, 33, 0, RELU, -128, -128, 0, 1, 1, 0},
    {"fc keep dims", {2, 3, 40}, 3, 17, 1, RELU6, 127, 127, 0, 0, 1, 0},
    {"fc flatten", {1, 4, 4, 8}, 4, 16, 0, NONE, 0, 127, 0, 1, 0, 0},
    {"fc 100 units", {1, 96}, 2, 100, 0, NONE, -7, 10, 0, 0, 1, 0},
    {"fc batch 11", {11, 7}, 2, 5, 0, RELU, 20, -128, 0, 1, 1, 0},
    {"fc keep 4d", {2, 2, 3, 9}, 4, 3, 1, NONE, -128, 0, 0, 1, 1, 0},
};

int main(void) {
  uint64_t rng = 0xFC0FFEEull;
  for (size_t i = 0; i < sizeof k_cases / sizeof k_cases[0]; i++) {
    uint8_t *model;
    size_t size, ib, ob;
    build(&k_cases[i], &rng, &model, &size, &ib, &ob);
    tu_check_lowered(k_cases[i].label, model, size, "XAI_fc", ib, ob, &rng);
    free(model);
  }
  for (int i = 0; i < 12; i++) {
    fc_case c;
    memset(&c, 0, sizeof c);
    char label[32];
    snprintf(label, sizeof label, "fc random %d", i);
    c.label = label;
    c.in_rank = 2;
    c.in_shape[0] = tu_range(&rng, 1, 4);
    c.in_shape[1] = tu_range(&rng, 1, 130);
    c.units = tu_range(&rng, 1, 70);
    c.act = tu_range(&rng, 0, 3);
    c.zi = tu_range(&rng, -128, 127);
    c.zo = tu_range(&rng, -128, 127);
    c.per_channel = tu_range(&rng, 0, 1);
    c.bias = tu_range(&rng, 0, 1);
    uint8_t *model;
    size_t size, ib, ob;
    build(&c, &rng, &model, &size, &ib, &ob);
    tu_check_lowered(label, model, size, "XAI_fc", ib, ob, &rng);
    free(model);
  }
  {
    uint8_t *model;
    size_t size, ib, ob;
    fc_case a = k_cases[0];
    a.wzp = 3;
    build(&a, &rng, &model, &size, &ib, &ob);
    tu_check_kept("asymmetric weights", model, size, "zero point");
    free(model);
    fc_case s = k_cases[1];
    s.int16 = 1;
    build(&s, &rng, &model, &size, &ib, &ob);
    tu_check_kept("int16 fc", model, size, "INT16");
    free(model);
  }
  return xai_test_finish("xformer_lower_conv_fc");
}
