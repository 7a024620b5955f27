/* CONV_2D and DEPTHWISE_CONV_2D lowering: XAI_conv2d / XAI_depthwise_conv2d
 * give the reference op's bits at 1, 2, 5 and 8 threads over strides,
 * SAME/VALID, dilation, odd channel counts, per-tensor and per-channel
 * weights, zero points at -128 and 127 and fused activations; ops the
 * kernels cannot do exactly stay builtins with a note. */
#include "test_lower_conv_util.h"
#include "xai/kernels_xcore/conv.h"

typedef struct {
  const char *label;
  int depthwise;
  int32_t n, h, w, ic, oc, kh, kw; /* dw: oc = ic * multiplier */
  int32_t sh, sw, dh, dw;
  int padding, act;
  int32_t zi, zo;
  int per_channel, bias;
  int grouped;   /* CONV_2D filter depth ic / 2 (must stay builtin) */
  int int16;     /* int16 activations (must stay builtin) */
  int big_bias;  /* bias - zp_in * sum(w) leaves int32 (must stay builtin) */
} conv_case;

/* Builds the model described by c. */
static void build(const conv_case *c, uint64_t *rng, uint8_t **model,
                  size_t *size, size_t *in_bytes, size_t *out_bytes) {
  tu_model tm;
  tu_begin(&tm);
  const int32_t fc = c->depthwise ? c->oc : (c->grouped ? c->ic / 2 : c->ic);
  const int32_t fshape[4] = {c->depthwise ? 1 : c->oc, c->kh, c->kw, fc};
  const size_t fn = (size_t)fshape[0] * c->kh * c->kw * fc;
  int8_t *f = malloc(fn);
  for (size_t i = 0; i < fn; i++)
    f[i] = (int8_t)tu_range(rng, c->big_bias ? 1 : -127, 127);
  const int32_t nq = c->per_channel ? c->oc : 1;
  float *fs = malloc((size_t)nq * sizeof *fs);
  int64_t *fz = calloc((size_t)nq, sizeof *fz);
  for (int32_t i = 0; i < nq; i++) fs[i] = tu_log_uniform(rng, 2e-4f, 2e-2f);
  const int32_t taps = c->kh * c->kw * (c->depthwise ? 1 : fc);
  tu_act_quant q;
  tu_act_quant_make(rng, c->int16, c->zi, c->zo, fs[0], taps, &q);
  int32_t ishape[4] = {c->n, c->h, c->w, c->ic};
  int32_t oh = xai_conv_out_size(c->padding, c->h, c->kh, c->sh, c->dh);
  int32_t ow = xai_conv_out_size(c->padding, c->w, c->kw, c->sw, c->dw);
  int32_t oshape[4] = {c->n, oh, ow, c->oc};
  int32_t in_t = tu_tensor(&tm, q.type, ishape, 4, NULL, 0, &q.in_scale,
                           &q.in_zp, 1, 0);
  int32_t f_t = tu_tensor(&tm, XAI_TYPE_INT8, fshape, 4, f, fn, fs, fz,
                          (uint32_t)nq, c->depthwise ? 3 : 0);
  int32_t b_t = c->bias ? tu_bias(&tm, rng, c->oc, c->int16, c->big_bias)
                        : -1;
  int32_t out_t = tu_tensor(&tm, q.type, oshape, 4, NULL, 0, &q.out_scale,
                            &q.out_zp, 1, 0);
  xai_options o;
  memset(&o, 0, sizeof o);
  if (c->depthwise) {
    o.type = XAI_OPTS_DEPTHWISE_CONV2D;
    o.u.depthwise_conv2d.padding = (int8_t)c->padding;
    o.u.depthwise_conv2d.stride_h = c->sh;
    o.u.depthwise_conv2d.stride_w = c->sw;
    o.u.depthwise_conv2d.dilation_h_factor = c->dh;
    o.u.depthwise_conv2d.dilation_w_factor = c->dw;
    o.u.depthwise_conv2d.depth_multiplier = c->oc / c->ic;
    o.u.depthwise_conv2d.fused_activation_function = (int8_t)c->act;
  } else {
    o.type = XAI_OPTS_CONV2D;
    o.u.conv2d.padding = (int8_t)c->padding;
    o.u.conv2d.stride_h = c->sh;
    o.u.conv2d.stride_w = c->sw;
    o.u.conv2d.dilation_h_factor = c->dh;
    o.u.conv2d.dilation_w_factor = c->dw;
    o.u.conv2d.fused_activation_function = (int8_t)c->act;
  }
  int32_t ins[3] = {in_t, f_t, b_t};
  tu_finish(&tm, c->depthwise ? XAI_OP_DEPTHWISE_CONV_2D : XAI_OP_CONV_2D,
            ins, 3, out_t, &o, model, size);
  *in_bytes = (size_t)c->n * c->h * c->w * c->ic * q.elem_bytes;
  *out_bytes = (size_t)c->n * oh * ow * c->oc * q.elem_bytes;
  free(f);
  free(fs);
  free(fz);
}

enum { S = XAI_PADDING_SAME, V = XAI_PADDING_VALID };
enum { NONE = XAI_ACT_NONE, RELU = XAI_ACT_RELU, RELU6 = XAI_ACT_RELU6 };

static const conv_case k_cases[] = {
    /* label            dw  n  h   w  ic  oc kh kw sh sw dh dw pad act  zi    zo  pc b */
    {"conv3x3 same 32ch", 0, 1, 8, 8, 32, 16, 3, 3, 1, 1, 1, 1, S, NONE, 3, -5, 1, 1, 0, 0, 0},
    {"conv3x3 s2 valid", 0, 1, 9, 11, 8, 20, 3, 3, 2, 2, 1, 1, V, RELU, -128, -128, 1, 1, 0, 0, 0},
    {"conv odd ch relu6", 0, 2, 7, 6, 3, 5, 3, 2, 1, 2, 1, 1, S, RELU6, 127, 127, 0, 1, 0, 0, 0},
    {"conv dilated", 0, 1, 10, 9, 16, 33, 3, 3, 1, 1, 2, 3, S, NONE, 10, 0, 1, 0, 0, 0, 0},
    {"conv 1x1 64ch", 0, 1, 5, 5, 64, 24, 1, 1, 1, 1, 1, 1, V, RELU, -1, -128, 0, 1, 0, 0, 0},
    {"conv 5x5 s3", 0, 1, 13, 12, 7, 17, 5, 5, 3, 2, 1, 1, S, NONE, -60, 40, 1, 1, 0, 0, 0},
    {"dw3x3 same", 1, 1, 8, 8, 32, 32, 3, 3, 1, 1, 1, 1, S, RELU6, -128, -128, 1, 1, 0, 0, 0},
    {"dw odd ch s2", 1, 2, 9, 7, 19, 19, 3, 3, 2, 2, 1, 1, V, NONE, 127, 5, 0, 1, 0, 0, 0},
    {"dw mult 3", 1, 1, 6, 7, 5, 15, 3, 3, 1, 1, 1, 1, S, RELU, 4, -128, 1, 0, 0, 0, 0},
    {"dw dilated", 1, 1, 11, 10, 16, 16, 3, 3, 1, 2, 2, 2, S, NONE, -3, 127, 1, 1, 0, 0, 0},
    {"dw 5x5 40ch", 1, 1, 7, 7, 40, 40, 5, 5, 2, 1, 1, 1, S, RELU, 0, -20, 0, 1, 0, 0, 0},
};

/* The runtime contract: a blob packed at one address and copied to
 * another that is only 4-byte aligned (as an arena tensor filled by
 * XAI_load_weights may be) binds and gives the reference bits; UBSan
 * checks that no struct in it needs more alignment. */
static void check_moved_blob(uint64_t *rng) {
  xai_conv_params p = {1, 1, 1, 1, 1, 1, 5, -3, -128, 127};
  xai_dims4 in = {1, 5, 6, 7}, f = {20, 3, 3, 7}, out = {1, 5, 6, 20};
  int8_t x[5 * 6 * 7], w[20 * 3 * 3 * 7], want[5 * 6 * 20], got[5 * 6 * 20];
  int32_t bias[20], mult[20], shift[20];
  for (size_t i = 0; i < sizeof x; i++) x[i] = (int8_t)tu_rand(rng);
  for (size_t i = 0; i < sizeof w; i++) w[i] = (int8_t)tu_range(rng, -127, 127);
  for (int i = 0; i < 20; i++) {
    bias[i] = tu_range(rng, -500, 500);
    mult[i] = (1 << 30) + tu_range(rng, 0, 1 << 29);
    shift[i] = -tu_range(rng, 6, 10);
  }
  xai_per_channel_quant q = {.multiplier = mult, .shift = shift};
  CHECK_EQ_INT(xai_conv2d_s8_ref(&p, &q, &in, x, &f, w, bias, &out, want),
               XAI_OK);
  size_t size = xai_conv2d_s8_xcore_packed_size(&in, &f, &out);
  uint8_t *a = malloc(size + 16), *b = malloc(size + 16);
  xai_conv_xcore op;
  xai_error err = {0};
  CHECK_EQ_INT(xai_conv2d_s8_xcore_pack(&p, &q, &in, &f, w, bias, &out,
                                        a + 4, size, &op, &err),
               XAI_OK);
  size = xai_xcore_blob_bytes(op.weights, op.consts); /* the packed bytes */
  memcpy(b + 12, a + 4, size);
  memset(a, 0, size + 16); /* the old copy is gone */
  xai_conv_xcore bound;
  memset(&bound, 0, sizeof bound);
  bound.p = p;
  bound.in = in;
  bound.filter = f;
  bound.out = out;
  CHECK_EQ_INT(xai_conv2d_s8_xcore_bind(&bound, b + 12, size), XAI_OK);
  CHECK_EQ_INT(xai_conv2d_s8_xcore_bind(&bound, b + 13, size),
               XAI_ERR_ARGUMENT);
  CHECK_EQ_INT(xai_conv2d_s8_xcore_bind(&bound, b + 12, size - 1),
               XAI_ERR_ARGUMENT);
  CHECK_EQ_INT(xai_conv2d_s8_xcore_bind(&bound, b + 12, size), XAI_OK);
  size_t ss = xai_conv2d_s8_xcore_scratch_size(&bound);
  void *scratch = malloc(ss);
  xai_vpu_ctx v;
  xai_vpu_init(&v, XAI_VPU_MODE_INT8);
  CHECK_EQ_INT(xai_conv2d_s8_xcore(&v, &bound, x, got, 0, 5, scratch, ss),
               XAI_OK);
  CHECK_EQ_INT(v.fault_count, 0);
  CHECK(memcmp(got, want, sizeof want) == 0);
  free(scratch);
  free(a);
  free(b);
}

/* Options that disagree with the tensors fail prepare with a message
 * naming what mismatched. */
static void check_bad_options(const uint8_t *model, size_t size) {
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  uint8_t *opt = NULL;
  size_t opt_size = 0;
  xai_error err = {0};
  CHECK_EQ_INT(xai_xformer_run(model, size, &o, &opt, &opt_size, NULL, NULL,
                               NULL, &err),
               XAI_OK);
  xai_tfl_view v;
  xai_model m;
  if (!opt || xai_tfl_open(&v, opt, opt_size, &err) ||
      xai_model_from_view(&m, &v, 0, &err)) {
    CHECK(0);
    free(opt);
    return;
  }
  /* Same keys as the xformer wrote, but one more input channel. */
  xai_flexbuf_ref root, val;
  xai_operator *op = &m.subgraphs[0].operators[0];
  CHECK_EQ_INT(xai_flexbuf_root(op->custom_options, op->custom_options_size,
                                &root, &err), XAI_OK);
  xai_flexbuf_builder b;
  xai_flexbuf_builder_init(&b, NULL, 0);
  xai_flexbuf_map_begin(&b, NULL);
  size_t n = 0;
  xai_flexbuf_length(&root, &n, &err);
  for (size_t i = 0; i < n; i++) {
    const char *key;
    int64_t x = 0;
    xai_flexbuf_map_key_at(&root, i, &key, &err);
    xai_flexbuf_map_value_at(&root, i, &val, &err);
    xai_flexbuf_get_int(&val, &x, &err);
    xai_flexbuf_add_int(&b, key, strcmp(key, "ic") == 0 ? x + 1 : x);
  }
  xai_flexbuf_map_end(&b);
  const uint8_t *data;
  size_t data_size;
  CHECK_EQ_INT(xai_flexbuf_finish(&b, &data, &data_size, &err), XAI_OK);
  free(op->custom_options);
  op->custom_options = malloc(data_size);
  memcpy(op->custom_options, data, data_size);
  op->custom_options_size = (uint32_t)data_size;
  xai_flexbuf_builder_free(&b);
  uint8_t *bad = NULL;
  size_t bad_size = 0;
  CHECK_EQ_INT(xai_model_write(&m, &bad, &bad_size, &err), XAI_OK);
  xai_model_free(&m);
  xai_interp_config cfg = xai_test_interp_config(bad, bad_size, NULL, 0);
  static _Alignas(16) uint8_t arena[1 << 16];
  cfg.arena = arena;
  cfg.arena_size = sizeof arena;
  xai_interp *ip = NULL;
  memset(&err, 0, sizeof err);
  CHECK(xai_interp_init(&ip, &cfg, &err) != XAI_OK);
  CHECK(strstr(err.message, "XAI_conv2d") != NULL);
  CHECK(strstr(err.message, "input tensor") != NULL);
  CHECK(strstr(err.message, "options give") != NULL);
  printf("bad options: %s\n", err.message);
  free(bad);
  free(opt);
}

int main(void) {
  uint64_t rng = 0x5EEDC0DEull;
  check_moved_blob(&rng);
  for (size_t i = 0; i < sizeof k_cases / sizeof k_cases[0]; i++) {
    const conv_case *c = &k_cases[i];
    uint8_t *model;
    size_t size, ib, ob;
    build(c, &rng, &model, &size, &ib, &ob);
    tu_check_lowered(c->label, model, size,
                     c->depthwise ? "XAI_depthwise_conv2d" : "XAI_conv2d",
                     ib, ob, &rng);
    if (i == 0) check_bad_options(model, size);
    free(model);
  }
  /* A random sweep over the same space. */
  for (int i = 0; i < 24; i++) {
    conv_case c;
    memset(&c, 0, sizeof c);
    char label[40];
    snprintf(label, sizeof label, "random %d", i);
    c.label = label;
    c.depthwise = i % 3 == 2;
    c.n = tu_range(&rng, 1, 2);
    c.h = tu_range(&rng, 1, 9);
    c.w = tu_range(&rng, 1, 9);
    c.ic = tu_range(&rng, 1, 40);
    c.oc = c.depthwise ? c.ic * tu_range(&rng, 1, 2) : tu_range(&rng, 1, 40);
    c.kh = tu_range(&rng, 1, 4);
    c.kw = tu_range(&rng, 1, 4);
    c.sh = tu_range(&rng, 1, 3);
    c.sw = tu_range(&rng, 1, 3);
    c.dh = tu_range(&rng, 1, 2);
    c.dw = tu_range(&rng, 1, 2);
    c.padding = tu_range(&rng, 0, 1);
    if (c.padding == V && (c.h < (c.kh - 1) * c.dh + 1 ||
                           c.w < (c.kw - 1) * c.dw + 1))
      c.padding = S;
    c.act = tu_range(&rng, 0, 3);
    c.zi = tu_range(&rng, 0, 3) == 0 ? -128 : tu_range(&rng, -128, 127);
    c.zo = tu_range(&rng, 0, 3) == 0 ? 127 : tu_range(&rng, -128, 127);
    c.per_channel = tu_range(&rng, 0, 1);
    c.bias = tu_range(&rng, 0, 3) != 0;
    uint8_t *model;
    size_t size, ib, ob;
    build(&c, &rng, &model, &size, &ib, &ob);
    /* A depthwise layer of one input channel (and at most 16 outputs) is
     * lowered as the CONV_2D it equals (src/xformer/lower_conv2d.c). */
    bool dw_op = c.depthwise && !(c.ic == 1 && c.oc <= 16);
    tu_check_lowered(label, model, size,
                     dw_op ? "XAI_depthwise_conv2d" : "XAI_conv2d", ib, ob,
                     &rng);
    free(model);
  }
  /* Cases that must stay builtins, with the reason in the report. */
  {
    conv_case g = k_cases[0];
    g.grouped = 1;
    uint8_t *model;
    size_t size, ib, ob;
    build(&g, &rng, &model, &size, &ib, &ob);
    tu_check_kept("grouped", model, size, "grouped");
    free(model);
    conv_case s = k_cases[0];
    s.int16 = 1;
    build(&s, &rng, &model, &size, &ib, &ob);
    tu_check_kept("int16 conv", model, size, "INT16");
    free(model);
    conv_case d = k_cases[6];
    d.int16 = 1;
    build(&d, &rng, &model, &size, &ib, &ob);
    tu_check_kept("int16 depthwise", model, size, "INT16");
    free(model);
    conv_case o = k_cases[0];
    o.big_bias = 1;
    o.zi = 127;
    build(&o, &rng, &model, &size, &ib, &ob);
    tu_check_kept("folded bias overflow", model, size, "leaves int32");
    free(model);
  }
  return xai_test_finish("xformer_lower_conv");
}
