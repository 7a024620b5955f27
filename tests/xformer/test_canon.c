/* Canonicalisation (canon*.c): each rewrite removes an op and the model
 * still gives the original's bytes with the reference kernels; rewrites
 * that would not be exact are not done. */
#include <stdlib.h>
#include <string.h>

#include "test_model_build.h"
#include "testlib.h"
#include "xai/runtime.h"
#include "xformer_internal.h"
#include "interp_heap.h"

static _Alignas(16) uint8_t g_arena[512 * 1024];
/* The folding counts of the last check(), and its model before the passes. */
static uint32_t g_folded;
static size_t g_fold_added, g_fold_removed;
static uint8_t *g_orig;
static size_t g_orig_size;

/* Input [1,8,8,4] (scale 0.05, zp -3). */
static const int32_t k_in_shape[4] = {1, 8, 8, 4};

static int32_t add_input(xai_model *m) {
  return mb_tensor(m, "in", XAI_TYPE_INT8, k_in_shape, 4, 0.05f, -3, NULL, 0);
}

/* PAD (or PADV2 with `value`) by [top,bottom,left,right] keeping quant. */
static int32_t add_pad(xai_model *m, int32_t in, const int32_t p[4],
                       int padv2, int8_t value) {
  int32_t pads[8] = {0, 0, p[0], p[1], p[2], p[3], 0, 0};
  int32_t ps[2] = {4, 2};
  int32_t pt = mb_tensor(m, "pads", XAI_TYPE_INT32, ps, 2, 0, 0, pads,
                         sizeof pads);
  int32_t os[4] = {1, 8 + p[0] + p[1], 8 + p[2] + p[3], 4};
  int32_t out =
      mb_tensor(m, "padded", XAI_TYPE_INT8, os, 4, 0.05f, -3, NULL, 0);
  if (padv2) {
    int32_t one[1] = {1};
    int32_t vt =
        mb_tensor(m, "value", XAI_TYPE_INT8, one, 1, 0.05f, -3, &value, 1);
    int32_t ins[3] = {in, pt, vt};
    mb_op(m, XAI_OP_PADV2, ins, 3, out, NULL);
  } else {
    int32_t ins[2] = {in, pt};
    mb_op(m, XAI_OP_PAD, ins, 2, out, NULL);
  }
  return out;
}

/* CONV_2D 3x3 (or depthwise) over [1,h,w,4] with stride s. */
static int32_t add_conv(xai_model *m, int32_t in, int32_t h, int32_t w,
                        int32_t s, int padding, int depthwise, int act,
                        int32_t oh, int32_t ow) {
  static int8_t wt[8 * 3 * 3 * 4];
  int32_t bias[8];
  for (int i = 0; i < 8 * 9 * 4; i++) wt[i] = (int8_t)((i * 53) % 251 - 125);
  for (int i = 0; i < 8; i++) bias[i] = i * 97 - 300;
  int32_t oc = depthwise ? 4 : 8;
  int32_t fs[4] = {depthwise ? 1 : 8, 3, 3, 4}, bs[1] = {oc};
  int32_t ft = mb_tensor(m, "filter", XAI_TYPE_INT8, fs, 4, 0.02f, 0, wt,
                      (size_t)fs[0] * 36);
  int32_t bt = mb_tensor(m, "bias", XAI_TYPE_INT32, bs, 1, 0.001f, 0, bias,
                      (size_t)oc * 4);
  int32_t os[4] = {1, oh, ow, oc};
  int32_t out = mb_tensor(m, "conv", XAI_TYPE_INT8, os, 4, 0.1f, 5, NULL, 0);
  (void)h;
  (void)w;
  xai_options o;
  memset(&o, 0, sizeof o);
  if (depthwise) {
    o.type = XAI_OPTS_DEPTHWISE_CONV2D;
    o.u.depthwise_conv2d = (xai_depthwise_conv2d_options){
        (int8_t)padding, s, s, 1, (int8_t)act, 1, 1};
  } else {
    o.type = XAI_OPTS_CONV2D;
    o.u.conv2d = (xai_conv2d_options){(int8_t)padding, s, s, (int8_t)act,
                                      1, 1, 0};
  }
  int32_t ins[3] = {in, ft, bt};
  mb_op(m, depthwise ? XAI_OP_DEPTHWISE_CONV_2D : XAI_OP_CONV_2D, ins, 3, out,
     &o);
  return out;
}

/* Runs the model on a fixed input pattern with the reference ops. */
static size_t run_ref(const uint8_t *model, size_t size, int8_t *out,
                      size_t cap) {
  xai_interp_config c =
      xai_test_interp_config(model, size, g_arena, sizeof g_arena);
  c.resolver = xai_ref_resolver();
  xai_interp *ip;
  xai_error err;
  if (xai_interp_init(&ip, &c, &err)) {
    fprintf(stderr, "init: %s\n", err.message);
    return 0;
  }
  int8_t in[8 * 8 * 4];
  for (int i = 0; i < 256; i++) in[i] = (int8_t)(i * 73 + 11);
  if (xai_interp_set_input(ip, 0, in, sizeof in, &err) ||
      xai_interp_invoke(ip, &err)) {
    fprintf(stderr, "run: %s\n", err.message);
    return 0;
  }
  const xai_rt_tensor *o = xai_interp_output(ip, 0);
  size_t n = o->bytes < cap ? o->bytes : cap;
  memcpy(out, o->data, n);
  return n;
}

/* Finishes m (input in, output out), canonicalises a copy and checks the
 * op count goes from `ops` to `ops_after` with the same output bytes. */
static void check(const char *what, xai_model *m, int32_t in, int32_t out,
                  uint32_t ops_after) {
  xai_error err;
  uint8_t *orig = NULL, *canon = NULL;
  size_t orig_size = 0, canon_size = 0;
  CHECK_EQ_INT(xai_model_set_subgraph_io(m, 0, &in, 1, &out, 1), XAI_OK);
  CHECK_EQ_INT(xai_model_write(m, &orig, &orig_size, &err), XAI_OK);
  xai_xformer_options opt;
  xai_xformer_options_init(&opt);
  xf_ctx x;
  memset(&x, 0, sizeof x);
  x.m = m;
  x.opt = &opt;
  CHECK_EQ_INT(xf_canonicalise(&x, &err), XAI_OK);
  CHECK_EQ_INT(xf_remove_dead_tensors(&x, &err), XAI_OK);
  free(x.notes);
  g_folded = x.canon_consts_folded;
  g_fold_added = x.canon_fold_bytes_added;
  g_fold_removed = x.canon_fold_bytes_removed;
  uint32_t ops = m->subgraphs[0].operator_count;
  if (ops != ops_after)
    fprintf(stderr, "%s: %u ops after canonicalise, expected %u\n", what, ops,
            ops_after);
  CHECK_EQ_INT(ops, ops_after);
  CHECK_EQ_INT(xai_model_write(m, &canon, &canon_size, &err), XAI_OK);
  static int8_t a[1024], b[1024];
  size_t na = run_ref(orig, orig_size, a, sizeof a);
  size_t nb = run_ref(canon, canon_size, b, sizeof b);
  CHECK(na > 0);
  CHECK_EQ_INT(na, nb);
  if (na != nb || memcmp(a, b, na) != 0) {
    fprintf(stderr, "%s: outputs differ\n", what);
    xai_test_failures++;
  }
  free(g_orig);
  g_orig = orig;
  g_orig_size = orig_size;
  free(canon);
  xai_model_free(m);
}

static void pad_conv(const char *what, const int32_t p[4], int32_t stride,
                     int depthwise, int padv2, int8_t value,
                     uint32_t ops_after) {
  xai_model m;
  xai_error err;
  if (xai_model_init(&m, &err)) return;
  int32_t in = add_input(&m);
  int32_t t = add_pad(&m, in, p, padv2, value);
  int32_t h = 8 + p[0] + p[1], w = 8 + p[2] + p[3];
  int32_t oh = (h - 3) / stride + 1, ow = (w - 3) / stride + 1;
  int32_t out = add_conv(&m, t, h, w, stride, XAI_PADDING_VALID, depthwise,
                         XAI_ACT_NONE, oh, ow);
  check(what, &m, in, out, ops_after);
}

/* conv (act NONE) -> activation `code` with output quant (scale, zp). */
static void conv_act(const char *what, int32_t code, float scale, int64_t zp,
                     uint32_t ops_after) {
  xai_model m;
  xai_error err;
  if (xai_model_init(&m, &err)) return;
  int32_t in = add_input(&m);
  int32_t c = add_conv(&m, in, 8, 8, 1, XAI_PADDING_SAME, 0, XAI_ACT_NONE, 8,
                       8);
  int32_t os[4] = {1, 8, 8, 8};
  int32_t out = mb_tensor(&m, "act", XAI_TYPE_INT8, os, 4, scale, zp, NULL, 0);
  mb_op(&m, code, &c, 1, out, NULL);
  check(what, &m, in, out, ops_after);
}

/* conv -> RESHAPE to the same shape (or QUANTIZE with the same params),
 * optionally followed by a RELU so the no-op is not the graph output. */
static void conv_noop(const char *what, int32_t code, int then_relu,
                      uint32_t ops_after) {
  xai_model m;
  xai_error err;
  if (xai_model_init(&m, &err)) return;
  int32_t in = add_input(&m);
  int32_t c = add_conv(&m, in, 8, 8, 1, XAI_PADDING_SAME, 0, XAI_ACT_RELU, 8,
                       8);
  int32_t os[4] = {1, 8, 8, 8};
  int32_t out = mb_tensor(&m, "same", XAI_TYPE_INT8, os, 4, 0.1f, 5, NULL, 0);
  xai_options ro;
  memset(&ro, 0, sizeof ro);
  if (code == XAI_OP_RESHAPE) {
    int32_t one[1] = {4};
    int32_t st = mb_tensor(&m, "shape", XAI_TYPE_INT32, one, 1, 0, 0, os,
                        sizeof os);
    int32_t ins[2] = {c, st};
    ro.type = XAI_OPTS_RESHAPE;
    ro.u.reshape.new_shape.count = 4;
    memcpy(ro.u.reshape.new_shape.values, os, sizeof os);
    mb_op(&m, code, ins, 2, out, &ro);
  } else {
    mb_op(&m, code, &c, 1, out, NULL);
  }
  if (then_relu) {
    int32_t r = mb_tensor(&m, "relu", XAI_TYPE_INT8, os, 4, 0.1f, 5, NULL, 0);
    mb_op(&m, XAI_OP_RELU6, &out, 1, r, NULL);
    out = r;
  }
  check(what, &m, in, out, ops_after);
}

/* RESHAPE(in, SHAPE(in)) -> conv: SHAPE of the static input folds to a
 * constant, then the RESHAPE to the same shape is a no-op: only the conv
 * is left, with the same bytes. */
static void shape_fold(void) {
  xai_model m;
  xai_error err;
  if (xai_model_init(&m, &err)) return;
  int32_t in = add_input(&m);
  int32_t four[1] = {4};
  int32_t st = mb_tensor(&m, "shape", XAI_TYPE_INT32, four, 1, 0, 0, NULL, 0);
  mb_op(&m, XAI_OP_SHAPE, &in, 1, st, NULL);
  int32_t r = mb_tensor(&m, "reshaped", XAI_TYPE_INT8, k_in_shape, 4, 0.05f,
                        -3, NULL, 0);
  int32_t ins[2] = {in, st};
  mb_op(&m, XAI_OP_RESHAPE, ins, 2, r, NULL);
  int32_t out = add_conv(&m, r, 8, 8, 1, XAI_PADDING_SAME, 0, XAI_ACT_NONE,
                         8, 8);
  check("shape fold", &m, in, out, 1);
}

/* What a static SHAPE feeds folds too (canon_fold_const.c): SHAPE ->
 * STRIDED_SLICE [1:3] -> CONCATENATION with constants -> MUL by ones ->
 * RESHAPE's new shape, all constants at compile time: the conv is left. */
static void shape_chain_fold(void) {
  xai_model m;
  xai_error err;
  if (xai_model_init(&m, &err)) return;
  int32_t in = add_input(&m);
  int32_t four[1] = {4}, one[1] = {1}, two[1] = {2};
  int32_t st = mb_tensor(&m, "shape", XAI_TYPE_INT32, four, 1, 0, 0, NULL, 0);
  mb_op(&m, XAI_OP_SHAPE, &in, 1, st, NULL);
  const int32_t b[1] = {1}, e[1] = {3}, k1[1] = {1}, k4[1] = {4};
  int32_t bt = mb_tensor(&m, "begin", XAI_TYPE_INT32, one, 1, 0, 0, b, 4);
  int32_t et = mb_tensor(&m, "end", XAI_TYPE_INT32, one, 1, 0, 0, e, 4);
  int32_t kt = mb_tensor(&m, "strides", XAI_TYPE_INT32, one, 1, 0, 0, k1, 4);
  int32_t hw = mb_tensor(&m, "hw", XAI_TYPE_INT32, two, 1, 0, 0, NULL, 0);
  xai_options so;
  memset(&so, 0, sizeof so);
  so.type = XAI_OPTS_STRIDED_SLICE;
  int32_t sl[4] = {st, bt, et, kt};
  mb_op(&m, XAI_OP_STRIDED_SLICE, sl, 4, hw, &so);
  int32_t lead = mb_tensor(&m, "lead", XAI_TYPE_INT32, one, 1, 0, 0, k1, 4);
  int32_t tail = mb_tensor(&m, "tail", XAI_TYPE_INT32, one, 1, 0, 0, k4, 4);
  int32_t cat = mb_tensor(&m, "cat", XAI_TYPE_INT32, four, 1, 0, 0, NULL, 0);
  xai_options co;
  memset(&co, 0, sizeof co);
  co.type = XAI_OPTS_CONCATENATION;
  int32_t ci[3] = {lead, hw, tail};
  mb_op(&m, XAI_OP_CONCATENATION, ci, 3, cat, &co);
  const int32_t ones[4] = {1, 1, 1, 1};
  int32_t ot = mb_tensor(&m, "ones", XAI_TYPE_INT32, four, 1, 0, 0, ones, 16);
  int32_t ns = mb_tensor(&m, "new_shape", XAI_TYPE_INT32, four, 1, 0, 0,
                         NULL, 0);
  xai_options mo;
  memset(&mo, 0, sizeof mo);
  mo.type = XAI_OPTS_MUL;
  int32_t mi[2] = {cat, ot};
  mb_op(&m, XAI_OP_MUL, mi, 2, ns, &mo);
  int32_t r = mb_tensor(&m, "reshaped", XAI_TYPE_INT8, k_in_shape, 4, 0.05f,
                        -3, NULL, 0);
  int32_t ins[2] = {in, ns};
  mb_op(&m, XAI_OP_RESHAPE, ins, 2, r, NULL);
  int32_t out = add_conv(&m, r, 8, 8, 1, XAI_PADDING_SAME, 0, XAI_ACT_NONE,
                         8, 8);
  check("shape chain fold", &m, in, out, 1);
}

/* The report states the folding: SHAPE, STRIDED_SLICE, CONCATENATION and
 * MUL become constants. Added: the shape (16 bytes), the slice (8), the
 * concatenation (16) and the product (16); no longer read: the slice's
 * shape, begin, end and strides (28), the concatenation's inputs (16) and
 * the product's inputs (32). */
static void fold_report(void) {
  CHECK_EQ_INT(g_folded, 4);
  CHECK_EQ_INT(g_fold_added, 56);
  CHECK_EQ_INT(g_fold_removed, 76);
  xai_xformer_options opt;
  xai_xformer_options_init(&opt);
  xai_xformer_report rep;
  memset(&rep, 0, sizeof rep);
  uint8_t *out = NULL;
  size_t out_size = 0;
  xai_error err;
  CHECK_EQ_INT(xai_xformer_run(g_orig, g_orig_size, &opt, &out, &out_size,
                               NULL, NULL, &rep, &err),
               XAI_OK);
  CHECK_EQ_INT(rep.consts_folded, 4);
  CHECK_EQ_INT(rep.fold_bytes_added, 56);
  CHECK_EQ_INT(rep.fold_bytes_removed, 76);
  CHECK_EQ_INT(rep.ops_dropped, 1); /* the RESHAPE to the same shape */
  char text[4096] = "";
  FILE *f = tmpfile();
  CHECK(f != NULL);
  if (f) {
    xai_xformer_report_print(&rep, f);
    rewind(f);
    text[fread(text, 1, sizeof text - 1, f)] = 0;
    fclose(f);
  }
  CHECK(strstr(text, "4 constant ops folded (constants +56 -76 bytes)"));
  const char *json = "/tmp/xai_test_canon_report.json";
  CHECK_EQ_INT(xai_xformer_report_write_json(&rep, json, &err), XAI_OK);
  char buf[8192] = "";
  FILE *j = fopen(json, "r");
  if (j) {
    buf[fread(buf, 1, sizeof buf - 1, j)] = 0;
    fclose(j);
  }
  remove(json);
  CHECK(strstr(buf, "\"consts_folded\": 4, \"fold_bytes_added\": 56, "
                    "\"fold_bytes_removed\": 76"));
  xai_xformer_report_free(&rep);
  free(out);
}

int main(void) {
  /* Keras ZeroPadding2D(1) + VALID 3x3 stride 1 is SAME: folded. */
  pad_conv("pad 1 conv s1", (const int32_t[]){1, 1, 1, 1}, 1, 0, 0, 0, 1);
  pad_conv("pad 1 dw s1", (const int32_t[]){1, 1, 1, 1}, 1, 1, 0, 0, 1);
  /* Stride 2 on 8 rows: SAME pads 0 on top, 1 at the bottom. */
  pad_conv("pad 0,1 conv s2", (const int32_t[]){0, 1, 0, 1}, 2, 0, 0, 0, 1);
  /* Symmetric 1,1 at stride 2 is not SAME (top would be 0): kept. */
  pad_conv("pad 1 conv s2", (const int32_t[]){1, 1, 1, 1}, 2, 0, 0, 0, 2);
  /* Uneven pads that SAME never makes: kept. */
  pad_conv("pad 2,0", (const int32_t[]){2, 0, 1, 1}, 1, 0, 0, 0, 2);
  /* PADV2 with the zero point folds; with another value it is kept. */
  pad_conv("padv2 zp", (const int32_t[]){1, 1, 1, 1}, 1, 1, 1, -3, 1);
  pad_conv("padv2 7", (const int32_t[]){1, 1, 1, 1}, 1, 1, 1, 7, 2);

  /* RELU/RELU6/RELU_N1_TO_1 with the conv output's quantization fuse. */
  conv_act("relu", XAI_OP_RELU, 0.1f, 5, 1);
  conv_act("relu6", XAI_OP_RELU6, 0.1f, 5, 1);
  conv_act("relu1", XAI_OP_RELU_N1_TO_1, 0.1f, 5, 1);
  /* A requantizing RELU is not a clamp: kept. */
  conv_act("relu requant", XAI_OP_RELU, 0.05f, 5, 2);

  /* No-op RESHAPE/QUANTIZE go, as graph output or in the middle. */
  shape_fold();
  shape_chain_fold();
  fold_report();
  conv_noop("reshape out", XAI_OP_RESHAPE, 0, 1);
  conv_noop("quantize out", XAI_OP_QUANTIZE, 0, 1);
  /* Middle: dropped; then RELU6 (same quant) fuses into the conv? The conv
   * already has RELU fused, so it stays: 2 ops. */
  conv_noop("reshape mid", XAI_OP_RESHAPE, 1, 2);
  conv_noop("quantize mid", XAI_OP_QUANTIZE, 1, 2);
  free(g_orig);
  return xai_test_finish("xformer_canon");
}
