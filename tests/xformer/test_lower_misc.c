/* Lowering of pooling, ADD/SUB/MUL, PAD/PADV2, CONCATENATION and the
 * lookup-table activations to XAI_* ops (docs/xcore_ops_misc.md). Each
 * single-op int8 model is compiled at 1, 2, 5 and 8 threads; the op must
 * become the expected XAI_* op, and the optimised model run by our runtime
 * must give exactly the bytes of the original run with the reference ops
 * (the oracle: bit-exact with LiteRT's reference kernels). Ops the xcore
 * kernels cannot reproduce must stay builtins with a note saying why. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "xai/runtime.h"
#include "xai/xformer.h"
#include "xformer_internal.h"

/* The oracle suite's model-building helpers (tests/oracle/gen_util.c). */
#include "gen_util.c"
#include "interp_heap.h"

#define ARENA_BYTES (4u * 1024u * 1024u)
static _Alignas(16) uint8_t g_arena[ARENA_BYTES];
static gen_ctx g_gen = {".", 0x5eed1234abcdULL, 0, 0};

/* Finishes a single-op model into memory (gen_finish writes files). */
static uint8_t *build(gen_model *gm, int32_t builtin, const xai_options *o,
                      size_t *size) {
  xai_error err = {0};
  uint8_t *bytes = NULL;
  int32_t code = xai_model_opcode(&gm->m, builtin, NULL, 1);
  int ok = code >= 0 &&
           xai_model_add_operator(&gm->m, 0, -1, (uint32_t)code, gm->op_inputs,
                                  gm->op_input_count, gm->outputs,
                                  gm->output_count, o, NULL, 0) >= 0 &&
           xai_model_set_subgraph_io(&gm->m, 0, gm->inputs, gm->input_count,
                                     gm->outputs, gm->output_count) == XAI_OK &&
           xai_model_write(&gm->m, &bytes, size, &err) == XAI_OK;
  xai_model_free(&gm->m);
  if (!ok) {
    fprintf(stderr, "build: %s\n", err.message);
    exit(1);
  }
  return bytes;
}

typedef struct {
  const xai_op_cost *cost;
  xai_op_cost copy;
  int seen;
} hook_state;

static void hook(void *user, const xai_op_timing *t) {
  hook_state *h = user;
  if (t->index == 0 && t->cost) {
    h->copy = *t->cost;
    h->seen = 1;
  }
}

/* Runs model with resolver on inputs derived from seed; out gets the
 * concatenated outputs. Returns bytes written or 0 on failure. */
static size_t run(const uint8_t *model, size_t size,
                  const xai_op_resolver *res, uint64_t seed, int pattern,
                  uint8_t *out, size_t cap, hook_state *h, int estimate) {
  xai_interp_config cfg =
      xai_test_interp_config(model, size, g_arena, ARENA_BYTES);
  cfg.resolver = res;
  if (h) {
    cfg.hook = hook;
    cfg.hook_user = h;
  }
  xai_interp *ip;
  xai_error err = {0};
  if (xai_interp_init(&ip, &cfg, &err) != XAI_OK) {
    fprintf(stderr, "init: %s\n", err.message);
    return 0;
  }
  if (estimate) {
    /* The op's own estimate, before any input is written. */
    xai_op_ctx *c = xai_interp_op(ip, 0);
    const xai_op_registration *r = xai_interp_op_registration(ip, 0);
    CHECK(c && r && r->estimate);
    if (c && r && r->estimate) {
      memset(c->cost, 0, sizeof *c->cost);
      CHECK_EQ_INT(r->estimate(c), XAI_OK);
      CHECK(c->cost->ticks > 0 && c->cost->kernel != NULL);
    }
  }
  gen_ctx g = {".", seed, 0, 0};
  for (uint32_t i = 0; i < xai_interp_input_count(ip); i++) {
    xai_rt_tensor *t = xai_interp_input(ip, i);
    uint8_t *d = t->data;
    for (size_t k = 0; k < t->bytes; k++)
      d[k] = pattern ? (uint8_t)(k * 7u + i * 3u) : (uint8_t)gen_rand(&g);
  }
  if (xai_interp_invoke(ip, &err) != XAI_OK) {
    fprintf(stderr, "invoke: %s\n", err.message);
    return 0;
  }
  size_t n = 0;
  for (uint32_t i = 0; i < xai_interp_output_count(ip); i++) {
    xai_rt_tensor *t = xai_interp_output(ip, i);
    if (n + t->bytes > cap) return 0;
    memcpy(out + n, t->data, t->bytes);
    n += t->bytes;
  }
  return n;
}

/* The custom code of op 0 of subgraph 0, or NULL for a builtin. */
static const char *op0_code(const uint8_t *model, size_t size,
                            uint32_t *op_count) {
  static char code[64];
  xai_tfl_view v;
  xai_error err = {0};
  if (xai_tfl_open(&v, model, size, &err) != XAI_OK) return "?";
  xai_tfl_subgraph sg;
  xai_tfl_get_subgraph(&v, 0, &sg);
  *op_count = sg.operator_count;
  xai_tfl_operator op;
  xai_tfl_get_operator(&v, 0, 0, &op);
  xai_tfl_opcode oc;
  xai_tfl_get_opcode(&v, op.opcode_index, &oc);
  if (!oc.custom_code) return NULL;
  snprintf(code, sizeof code, "%s", oc.custom_code);
  return code;
}

static int g_cases;

/* Compiles at 1, 2, 5, 8 threads; checks the op became `want` and the
 * optimised model matches the reference bit for bit. */
static void expect_lowered(const char *name, uint8_t *model, size_t size,
                           const char *want) {
  static uint8_t ref[1 << 16], got[1 << 16];
  static const unsigned threads[] = {1, 2, 5, 8};
  g_cases++;
  for (int ti = 0; ti < 4; ti++) {
    xai_xformer_options o;
    xai_xformer_options_init(&o);
    o.thread_count = threads[ti];
    o.quiet = 1;
    uint8_t *opt = NULL;
    size_t opt_size = 0;
    xai_error err = {0};
    xai_status st = xai_xformer_run(model, size, &o, &opt, &opt_size, NULL,
                                    NULL, NULL, &err);
    if (st != XAI_OK) {
      fprintf(stderr, "%s: xformer: %s\n", name, err.message);
      CHECK(0);
      continue;
    }
    uint32_t nops = 0;
    const char *code = op0_code(opt, opt_size, &nops);
    if (!code || strcmp(code, want) != 0 || nops != 1) {
      fprintf(stderr, "%s: op 0 is %s (%u ops); expected %s\n", name,
              code ? code : "a builtin", nops, want);
      CHECK(0);
    }
    for (int inv = 0; inv < 2; inv++) {
      const uint64_t seed = 0x1234567ULL * (uint64_t)(ti + 1) + (uint64_t)inv;
      hook_state h;
      memset(&h, 0, sizeof h);
      size_t nr = run(model, size, xai_ref_resolver(), seed, inv == 0, ref,
                      sizeof ref, NULL, 0);
      size_t ng = run(opt, opt_size, xai_all_ops_resolver(), seed, inv == 0,
                      got, sizeof got, &h, inv == 1);
      CHECK(nr > 0 && nr == ng);
      if (nr > 0 && nr == ng && memcmp(ref, got, nr) != 0) {
        size_t k = 0;
        while (ref[k] == got[k]) k++;
        fprintf(stderr,
                "%s: %u threads: byte %zu of %zu differs: ref %d, xcore %d\n",
                name, threads[ti], k, nr, (int8_t)ref[k], (int8_t)got[k]);
        CHECK(0);
      }
      CHECK(h.seen && h.copy.kernel != NULL && h.copy.ticks > 0 &&
            h.copy.threads == threads[ti]);
    }
    free(opt);
  }
  free(model);
}

/* Runs the lowerings directly; the op must stay a builtin and the note
 * must contain `why`. */
static void expect_kept(const char *name, uint8_t *model, size_t size,
                        const char *why) {
  g_cases++;
  xai_tfl_view v;
  xai_error err = {0};
  xai_model m;
  CHECK_EQ_INT(xai_tfl_open(&v, model, size, &err), XAI_OK);
  CHECK_EQ_INT(xai_model_from_view(&m, &v, 1, &err), XAI_OK);
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  xf_ctx x;
  memset(&x, 0, sizeof x);
  x.m = &m;
  x.opt = &o;
  CHECK_EQ_INT(xf_lower_all(&x, &err), XAI_OK);
  CHECK(xf_op_builtin(&x, 0) != XAI_OP_CUSTOM);
  int found = 0;
  for (uint32_t i = 0; i < x.note_count; i++)
    if (strstr(x.notes[i].text, why)) found = 1;
  if (!found)
    fprintf(stderr, "%s: no note containing '%s' (%u notes%s%s)\n", name, why,
            x.note_count, x.note_count ? ": " : "",
            x.note_count ? x.notes[0].text : "");
  CHECK(found);
  free(x.notes);
  xai_model_free(&m);
  free(model);
}

/* ---- Pooling ----------------------------------------------------------- */

static void pool_case(const char *name, int avg, const int32_t in[4],
                      int fh, int fw, int sh, int sw, int padding, int act,
                      int32_t zp) {
  gen_model gm;
  gen_begin(&gm);
  const float s = 0.05f;
  gen_input(&gm, XAI_TYPE_INT8, in, 4, s, zp);
  int32_t oh = padding == XAI_PADDING_SAME ? (in[1] + sh - 1) / sh
                                           : (in[1] - fh + sh) / sh;
  int32_t ow = padding == XAI_PADDING_SAME ? (in[2] + sw - 1) / sw
                                           : (in[2] - fw + sw) / sw;
  const int32_t out[4] = {in[0], oh, ow, in[3]};
  gen_output(&gm, XAI_TYPE_INT8, out, 4, s, zp);
  xai_options o = {.type = XAI_OPTS_POOL2D};
  o.u.pool2d.padding = (int8_t)padding;
  o.u.pool2d.stride_h = sh;
  o.u.pool2d.stride_w = sw;
  o.u.pool2d.filter_height = fh;
  o.u.pool2d.filter_width = fw;
  o.u.pool2d.fused_activation_function = (int8_t)act;
  size_t size;
  uint8_t *m = build(&gm, avg ? XAI_OP_AVERAGE_POOL_2D : XAI_OP_MAX_POOL_2D,
                     &o, &size);
  expect_lowered(name, m, size, avg ? "XAI_avgpool2d" : "XAI_maxpool2d");
}

static void test_pool(void) {
  const int S = XAI_PADDING_SAME, V = XAI_PADDING_VALID;
  pool_case("max 3x3 s2 SAME odd C", 0, (int32_t[]){1, 7, 9, 5}, 3, 3, 2, 2,
            S, XAI_ACT_NONE, -128);
  pool_case("max 2x2 s2 VALID C32 relu6", 0, (int32_t[]){2, 8, 8, 32}, 2, 2,
            2, 2, V, XAI_ACT_RELU6, 127);
  pool_case("max 1x1 image, C48", 0, (int32_t[]){1, 1, 1, 48}, 1, 1, 1, 1, V,
            XAI_ACT_RELU, 3);
  pool_case("max 3x2 s1x3 SAME C20", 0, (int32_t[]){1, 9, 10, 20}, 3, 2, 1, 3,
            S, XAI_ACT_RELU_N1_TO_1, -7);
  pool_case("avg 3x2 s1 SAME C20 relu", 1, (int32_t[]){1, 9, 7, 20}, 3, 2, 1,
            1, S, XAI_ACT_RELU, -5);
  pool_case("avg 3x3 s2 SAME odd C", 1, (int32_t[]){1, 6, 11, 7}, 3, 3, 2, 2,
            S, XAI_ACT_NONE, 127);
  pool_case("avg global 7x7 C64", 1, (int32_t[]){1, 7, 7, 64}, 7, 7, 1, 1, V,
            XAI_ACT_NONE, -128);
  pool_case("avg global 5x3 C3", 1, (int32_t[]){1, 5, 3, 3}, 5, 3, 1, 1, V,
            XAI_ACT_NONE, 0);
  pool_case("avg global 20x20 C16 (window > table)", 1,
            (int32_t[]){1, 20, 20, 16}, 20, 20, 1, 1, V, XAI_ACT_RELU6, -128);
  pool_case("avg 2x2 s2 VALID batch 2 C36", 1, (int32_t[]){2, 6, 6, 36}, 2, 2,
            2, 2, V, XAI_ACT_NONE, 127);
}

/* ---- ADD / SUB / MUL ------------------------------------------------------ */

static void binary_case(const char *name, int32_t op, uint32_t rank,
                        const int32_t *a, const int32_t *b, float s1,
                        int32_t z1, float s2, int32_t z2, float so,
                        int32_t zo, int act) {
  gen_model gm;
  gen_begin(&gm);
  gen_input(&gm, XAI_TYPE_INT8, a, rank, s1, z1);
  gen_input(&gm, XAI_TYPE_INT8, b, rank, s2, z2);
  int32_t o[6];
  for (uint32_t i = 0; i < rank; i++) o[i] = a[i] > b[i] ? a[i] : b[i];
  gen_output(&gm, XAI_TYPE_INT8, o, rank, so, zo);
  xai_options opts = {.type = op == XAI_OP_MUL   ? XAI_OPTS_MUL
                              : op == XAI_OP_SUB ? XAI_OPTS_SUB
                                                 : XAI_OPTS_ADD};
  if (op == XAI_OP_MUL) {
    opts.u.mul.fused_activation_function = (int8_t)act;
  } else {
    opts.u.add.fused_activation_function = (int8_t)act;
    opts.u.add.pot_scale_int16 = true;
  }
  size_t size;
  uint8_t *m = build(&gm, op, &opts, &size);
  expect_lowered(name, m, size, op == XAI_OP_MUL ? "XAI_mul" : "XAI_add");
}

static void test_binary(void) {
  binary_case("add same shape", XAI_OP_ADD, 4, (int32_t[]){1, 5, 7, 3},
              (int32_t[]){1, 5, 7, 3}, 0.02f, -128, 0.05f, 127, 0.06f, 0,
              XAI_ACT_NONE);
  binary_case("add bcast channels relu", XAI_OP_ADD, 4,
              (int32_t[]){1, 4, 5, 3}, (int32_t[]){1, 1, 1, 3}, 0.1f, 5,
              0.03f, -128, 0.12f, 127, XAI_ACT_RELU);
  binary_case("add bcast first operand", XAI_OP_ADD, 4,
              (int32_t[]){1, 1, 5, 1}, (int32_t[]){2, 3, 5, 4}, 0.01f, 127,
              0.02f, 3, 0.025f, -128, XAI_ACT_RELU6);
  binary_case("sub 3-D both stretched", XAI_OP_SUB, 3,
              (int32_t[]){3, 1, 17}, (int32_t[]){3, 8, 1}, 0.04f, -3, 0.02f,
              9, 0.05f, -128, XAI_ACT_NONE);
  binary_case("mul same shape odd", XAI_OP_MUL, 2, (int32_t[]){13, 37},
              (int32_t[]){13, 37}, 0.02f, -128, 0.03f, 127, 0.002f, 4,
              XAI_ACT_NONE);
  binary_case("mul bcast relu_n1", XAI_OP_MUL, 4, (int32_t[]){1, 6, 5, 7},
              (int32_t[]){1, 6, 1, 7}, 0.05f, 0, 0.04f, -9, 0.01f, -128,
              XAI_ACT_RELU_N1_TO_1);
  binary_case("mul scale > 1", XAI_OP_MUL, 1, (int32_t[]){33},
              (int32_t[]){1}, 0.5f, 10, 0.7f, -20, 0.05f, 127, XAI_ACT_NONE);
}

/* ---- PAD / PADV2 / CONCATENATION ------------------------------------------ */

static void pad_case(const char *name, int v2, uint32_t rank,
                     const int32_t *in, const int32_t *pads, int32_t zp,
                     int cv_value) {
  gen_model gm;
  gen_begin(&gm);
  gen_input(&gm, XAI_TYPE_INT8, in, rank, 0.1f, zp);
  const int32_t pshape[2] = {(int32_t)rank, 2};
  gen_const_i32(&gm, pads, 2 * rank, pshape, 2);
  if (v2) {
    const int8_t v = (int8_t)cv_value;
    const float s = 0.1f;
    const int64_t z = zp;
    gen_const(&gm, XAI_TYPE_INT8, NULL, 0, &v, &s, &z, 1, 0);
  }
  int32_t out[6];
  for (uint32_t i = 0; i < rank; i++)
    out[i] = in[i] + pads[2 * i] + pads[2 * i + 1];
  gen_output(&gm, XAI_TYPE_INT8, out, rank, 0.1f, zp);
  xai_options o = {.type = v2 ? XAI_OPTS_PADV2 : XAI_OPTS_PAD};
  size_t size;
  uint8_t *m = build(&gm, v2 ? XAI_OP_PADV2 : XAI_OP_PAD, &o, &size);
  expect_lowered(name, m, size, "XAI_pad");
}

static void concat_case(const char *name, uint32_t count, uint32_t rank,
                        const int32_t *shape, int32_t axis,
                        const int32_t *sizes, int32_t zp) {
  gen_model gm;
  gen_begin(&gm);
  int32_t s[6], out[6];
  const int32_t ax = axis < 0 ? axis + (int32_t)rank : axis;
  memcpy(out, shape, rank * sizeof *out);
  out[ax] = 0;
  for (uint32_t i = 0; i < count; i++) {
    memcpy(s, shape, rank * sizeof *s);
    s[ax] = sizes[i];
    out[ax] += sizes[i];
    gen_input(&gm, XAI_TYPE_INT8, s, rank, 0.07f, zp);
  }
  gen_output(&gm, XAI_TYPE_INT8, out, rank, 0.07f, zp);
  xai_options o = {.type = XAI_OPTS_CONCATENATION};
  o.u.concatenation.axis = axis;
  size_t size;
  uint8_t *m = build(&gm, XAI_OP_CONCATENATION, &o, &size);
  expect_lowered(name, m, size, "XAI_concat");
}

static void test_shape(void) {
  pad_case("pad HW", 0, 4, (int32_t[]){1, 5, 6, 3},
           (int32_t[]){0, 0, 1, 2, 2, 1, 0, 0}, -128, 0);
  pad_case("pad channels odd", 0, 4, (int32_t[]){1, 3, 4, 5},
           (int32_t[]){0, 0, 0, 0, 0, 0, 0, 3}, 127, 0);
  pad_case("pad 2-D all sides", 0, 2, (int32_t[]){7, 9},
           (int32_t[]){3, 1, 2, 5}, 17, 0);
  pad_case("padv2 constant", 1, 4, (int32_t[]){1, 4, 4, 8},
           (int32_t[]){0, 1, 1, 0, 1, 1, 0, 0}, -5, -100);
  pad_case("pad 5-D batch", 0, 5, (int32_t[]){2, 1, 3, 2, 3},
           (int32_t[]){1, 0, 0, 1, 1, 0, 0, 2, 1, 1}, 0, 0);
  concat_case("concat channels 3+5", 2, 4, (int32_t[]){1, 4, 5, 0}, 3,
              (int32_t[]){3, 5}, -128);
  concat_case("concat rows x3", 3, 4, (int32_t[]){1, 0, 6, 16}, 1,
              (int32_t[]){2, 3, 1}, 127);
  concat_case("concat axis -1 odd", 4, 2, (int32_t[]){9, 0}, -1,
              (int32_t[]){1, 7, 33, 2}, 4);
}

/* ---- Lookup tables --------------------------------------------------------- */

static void lut_case(const char *name, int32_t op, uint8_t opts_type,
                     float si, int32_t zi, float so, int32_t zo,
                     float alpha) {
  gen_model gm;
  gen_begin(&gm);
  const int32_t shape[3] = {1, 17, 19}; /* 323 elements, odd */
  gen_input(&gm, XAI_TYPE_INT8, shape, 3, si, zi);
  gen_output(&gm, XAI_TYPE_INT8, shape, 3, so, zo);
  xai_options o = {.type = opts_type};
  if (op == XAI_OP_LEAKY_RELU) o.u.leaky_relu.alpha = alpha;
  size_t size;
  uint8_t *m = build(&gm, op, &o, &size);
  expect_lowered(name, m, size, "XAI_lut");
}

static void test_lut(void) {
  lut_case("relu same scale", XAI_OP_RELU, 0, 0.1f, -128, 0.1f, -128, 0);
  lut_case("relu rescale", XAI_OP_RELU, 0, 0.1f, 3, 0.05f, -128, 0);
  lut_case("relu6", XAI_OP_RELU6, 0, 0.05f, 127, 0.03f, -128, 0);
  lut_case("relu_n1_to_1", XAI_OP_RELU_N1_TO_1, 0, 0.02f, 0, 0.01f, 0, 0);
  lut_case("leaky_relu", XAI_OP_LEAKY_RELU, XAI_OPTS_LEAKY_RELU, 0.1f, -3,
           0.08f, 10, 0.1f);
  lut_case("hard_swish", XAI_OP_HARD_SWISH, 0, 0.05f, -20, 0.03f, -100, 0);
  lut_case("logistic", XAI_OP_LOGISTIC, 0, 0.08f, 5, 1.0f / 256, -128, 0);
  lut_case("tanh", XAI_OP_TANH, 0, 0.03f, -128, 1.0f / 128, 0, 0);
  lut_case("quantize int8->int8", XAI_OP_QUANTIZE, 0, 0.05f, 7, 0.11f, -128,
           0);
  lut_case("quantize zp shift", XAI_OP_QUANTIZE, 0, 0.05f, 127, 0.05f, -128,
           0);
}

/* ---- Ops that must stay builtins -------------------------------------------- */

static void test_kept(void) {
  { /* mixed quantization concat: the reference refuses to rescale */
    gen_model gm;
    gen_begin(&gm);
    const int32_t a[2] = {3, 4};
    gen_input(&gm, XAI_TYPE_INT8, a, 2, 0.1f, 0);
    gen_input(&gm, XAI_TYPE_INT8, a, 2, 0.2f, 0);
    const int32_t o[2] = {3, 8};
    gen_output(&gm, XAI_TYPE_INT8, o, 2, 0.1f, 0);
    xai_options opts = {.type = XAI_OPTS_CONCATENATION};
    opts.u.concatenation.axis = 1;
    size_t size;
    uint8_t *m = build(&gm, XAI_OP_CONCATENATION, &opts, &size);
    expect_kept("concat mixed quant", m, size, "quantized differently");
  }
  { /* LOGISTIC with an output scale TFLite refuses */
    gen_model gm;
    gen_begin(&gm);
    const int32_t a[1] = {10};
    gen_input(&gm, XAI_TYPE_INT8, a, 1, 0.1f, 0);
    gen_output(&gm, XAI_TYPE_INT8, a, 1, 1.0f / 128, 0);
    xai_options opts = {0};
    size_t size;
    uint8_t *m = build(&gm, XAI_OP_LOGISTIC, &opts, &size);
    expect_kept("logistic scale", m, size, "1/256");
  }
  { /* int16 ADD */
    gen_model gm;
    gen_begin(&gm);
    const int32_t a[1] = {10};
    gen_input(&gm, XAI_TYPE_INT16, a, 1, 0.1f, 0);
    gen_input(&gm, XAI_TYPE_INT16, a, 1, 0.1f, 0);
    gen_output(&gm, XAI_TYPE_INT16, a, 1, 0.2f, 0);
    xai_options opts = {.type = XAI_OPTS_ADD};
    size_t size;
    uint8_t *m = build(&gm, XAI_OP_ADD, &opts, &size);
    expect_kept("add int16", m, size, "not int8");
  }
  { /* PAD with paddings that are a model input */
    gen_model gm;
    gen_begin(&gm);
    const int32_t a[2] = {3, 4}, ps[2] = {2, 2};
    gen_input(&gm, XAI_TYPE_INT8, a, 2, 0.1f, 0);
    int64_t zp = 0;
    (void)zp;
    gm.inputs[gm.input_count++] = xai_model_add_tensor(&gm.m, 0, "pads",
                                                       XAI_TYPE_INT32, ps, 2,
                                                       0);
    gm.op_inputs[gm.op_input_count++] = gm.inputs[gm.input_count - 1];
    const int32_t o[2] = {5, 6};
    gen_output(&gm, XAI_TYPE_INT8, o, 2, 0.1f, 0);
    xai_options opts = {.type = XAI_OPTS_PAD};
    size_t size;
    uint8_t *m = build(&gm, XAI_OP_PAD, &opts, &size);
    expect_kept("pad dynamic", m, size, "not a constant");
  }
  { /* QUANTIZE from float stays a builtin */
    gen_model gm;
    gen_begin(&gm);
    const int32_t a[1] = {10};
    gen_input(&gm, XAI_TYPE_FLOAT32, a, 1, 0, 0);
    gen_output(&gm, XAI_TYPE_INT8, a, 1, 0.1f, 0);
    xai_options opts = {0};
    size_t size;
    uint8_t *m = build(&gm, XAI_OP_QUANTIZE, &opts, &size);
    expect_kept("quantize float", m, size, "not int8");
  }
}

int main(void) {
  (void)g_gen;
  test_pool();
  test_binary();
  test_shape();
  test_lut();
  test_kept();
  printf("%d cases\n", g_cases);
  return xai_test_finish("xformer_lower_misc");
}
