/* LceBconv2d -> XAI_bconv2d (src/runtime/ops/xcore_bconv.c): the binary
 * convolution with its thread count chosen like the int8 convolutions',
 * LCE's output transform fused at compile time (so every input is read
 * only in eval and may move to the params file), and, where LCE's
 * converter would make the pair (its pattern rewrites Quantize(MaxPool2D)
 * into LceBMaxPool2d(Quantize) and a Quantize after a bconv into the
 * bconv's bitpacked output), the LceBMaxPool2d that alone reads the
 * conv's bitpacked output fused in: the conv output never exists. A pool
 * whose windows overlap stays separate (fused, it would recompute conv
 * pixels). Anything this lowering does not recognise stays an LceBconv2d,
 * which the runtime checks and runs (or refuses in one line). The filter
 * is the model's own bitpacked OHWI tensor: 1 bit a parameter. */
#include <stdlib.h>
#include <string.h>

#include "lower_conv_internal.h"
#include "xai/flexbuf.h"
#include "xai/kernels_ref/lce.h"

typedef struct {
  int32_t sh, sw, dh, dw, padding, pad_values, cin, act;
} lce_opts;

static bool custom_map(xai_operator *o, xai_flexbuf_ref *map) {
  xai_error e = {0};
  return o->custom_options && o->custom_options_size &&
         !xai_flexbuf_verify(o->custom_options, o->custom_options_size, &e) &&
         !xai_flexbuf_root(o->custom_options, o->custom_options_size, map,
                           &e) &&
         map->type == XAI_FLEXBUF_MAP;
}

static bool get(const xai_flexbuf_ref *m, const char *key, int64_t lo,
                int64_t hi, int32_t *v) {
  xai_error e = {0};
  int64_t x = 0;
  if (xai_flexbuf_map_get_int(m, key, &x, &e) || x < lo || x > hi)
    return false;
  *v = (int32_t)x;
  return true;
}

static bool bconv_opts(xai_operator *o, lce_opts *l) {
  xai_flexbuf_ref m;
  return custom_map(o, &m) && get(&m, "stride_height", 1, 65535, &l->sh) &&
         get(&m, "stride_width", 1, 65535, &l->sw) &&
         get(&m, "dilation_height_factor", 1, 65535, &l->dh) &&
         get(&m, "dilation_width_factor", 1, 65535, &l->dw) &&
         get(&m, "padding", 0, 1, &l->padding) &&
         get(&m, "pad_values", 0, 1, &l->pad_values) &&
         get(&m, "channels_in", 1, 1 << 20, &l->cin) &&
         get(&m, "fused_activation_function", 0, XAI_ACT_RELU6, &l->act);
}

static bool is_custom(xf_ctx *x, uint32_t op, const char *code) {
  const xai_operator *o = xf_op(x, op);
  const char *c = x->m->opcodes[o->opcode_index].custom_code;
  return xf_op_builtin(x, op) == XAI_OP_CUSTOM && c && strcmp(c, code) == 0;
}

static bool dims4(xf_ctx *x, int32_t t, int8_t type, xai_dims4 *d) {
  const xai_tensor *tt = xf_tensor(x, t);
  if (!tt || tt->type != type || tt->rank != 4) return false;
  *d = (xai_dims4){tt->shape[0], tt->shape[1], tt->shape[2], tt->shape[3]};
  return true;
}

/* A constant vector of n elements of `type` (4-byte), copied. */
static bool const_vec(xf_ctx *x, int32_t t, int8_t type, int32_t n,
                      void *dst) {
  const xai_tensor *tt = xf_tensor(x, t);
  size_t size = 0;
  const uint8_t *d = xf_const_data(x, t, &size);
  if (!tt || tt->type != type || tt->rank != 1 || tt->shape[0] != n || !d ||
      size != 4u * (size_t)n)
    return false;
  memcpy(dst, d, size);
  return true;
}

/* The pool reading `t` alone, fusable: pool index, options and output. */
typedef struct {
  uint32_t op;
  int32_t out_t;
  xai_bmaxpool_params p;
} fused_pool;

static bool find_pool(xf_ctx *x, int32_t t, const xai_dims4 *conv_words,
                      fused_pool *fp) {
  xai_subgraph *sg = &x->m->subgraphs[0];
  if (xf_consumer_count(x, t) != 1 || xf_is_graph_output(x, t)) return false;
  for (uint32_t i = 0; i < sg->operator_count; i++) {
    xai_operator *o = &sg->operators[i];
    if (o->input_count != 1 || o->inputs[0] != t || o->output_count != 1 ||
        !is_custom(x, i, "LceBMaxPool2d"))
      continue;
    xai_flexbuf_ref m;
    int32_t padding;
    xai_bmaxpool_params *p = &fp->p;
    xai_dims4 out;
    if (!custom_map(o, &m) || !get(&m, "filter_height", 1, 65535, &p->filter_h) ||
        !get(&m, "filter_width", 1, 65535, &p->filter_w) ||
        !get(&m, "stride_height", 1, 65535, &p->stride_h) ||
        !get(&m, "stride_width", 1, 65535, &p->stride_w) ||
        !get(&m, "padding", 0, 1, &padding) ||
        !dims4(x, o->outputs[0], XAI_TYPE_INT32, &out))
      return false;
    if (p->stride_h < p->filter_h || p->stride_w < p->filter_w) {
      xf_keep(x, i, "binary max pool %dx%d with stride %dx%d: overlapping "
              "windows, not fused into the binary convolution",
              (int)p->filter_h, (int)p->filter_w, (int)p->stride_h,
              (int)p->stride_w);
      return false;
    }
    int32_t oh = xai_conv_out_size(padding, conv_words->h, p->filter_h,
                                   p->stride_h, 1);
    int32_t ow = xai_conv_out_size(padding, conv_words->w, p->filter_w,
                                   p->stride_w, 1);
    if (oh < 1 || ow < 1 || out.n != conv_words->n || out.h != oh ||
        out.w != ow || out.c != conv_words->c)
      return false;
    p->pad_h = xai_conv_pad(conv_words->h, p->filter_h, p->stride_h, 1, oh);
    p->pad_w = xai_conv_pad(conv_words->w, p->filter_w, p->stride_w, 1, ow);
    fp->op = i;
    fp->out_t = o->outputs[0];
    return true;
  }
  return false;
}

typedef struct {
  lce_opts l;
  int32_t in_t, filter_t, out_t, groups, cout, pad_h, pad_w, k_depth;
  xai_dims4 in, filter, out;
  int8_t out_type;
} bconv_geom;

/* Checks the op as the runtime's LceBconv2d would accept it; false keeps
 * it (with a note when the reason is ours, not a malformed op). */
static bool geometry(xf_ctx *x, uint32_t op, bconv_geom *g) {
  xai_operator *o = xf_op(x, op);
  if (o->input_count != 5 || o->output_count != 1 || !bconv_opts(o, &g->l))
    return false;
  g->in_t = o->inputs[0];
  g->filter_t = o->inputs[1];
  g->out_t = o->outputs[0];
  const xai_tensor *ot = xf_tensor(x, g->out_t);
  size_t fsize = 0;
  if (!ot || !dims4(x, g->in_t, XAI_TYPE_INT32, &g->in) ||
      !dims4(x, g->filter_t, XAI_TYPE_INT32, &g->filter) ||
      !xf_const_data(x, g->filter_t, &fsize))
    return false;
  g->out_type = ot->type;
  const int32_t cin = g->l.cin, words = xai_lce_words(cin);
  g->cout = g->filter.n;
  if (g->in.c != words || g->filter.c < 1 || words % g->filter.c != 0 ||
      g->filter.h < 1 || g->filter.w < 1 || g->cout < 1 ||
      g->filter.h * g->filter.w > 256 ||
      fsize != 4u * (size_t)g->cout * g->filter.h * g->filter.w * g->filter.c)
    return false;
  g->groups = words / g->filter.c;
  if (g->groups > 1 && ((cin / g->groups) % 32 != 0 || cin % g->groups != 0 ||
                        g->cout % g->groups != 0))
    return false;
  if (g->l.padding == XAI_PADDING_SAME && g->l.pad_values == 0 && cin % 2)
    return false;
  int32_t oh = xai_conv_out_size(g->l.padding, g->in.h, g->filter.h, g->l.sh,
                                 g->l.dh);
  int32_t ow = xai_conv_out_size(g->l.padding, g->in.w, g->filter.w, g->l.sw,
                                 g->l.dw);
  int32_t want_c = g->out_type == XAI_TYPE_INT32 ? xai_lce_words(g->cout)
                                                 : g->cout;
  if (oh < 1 || ow < 1 || !dims4(x, g->out_t, g->out_type, &g->out) ||
      g->out.n != g->in.n || g->out.h != oh || g->out.w != ow ||
      g->out.c != want_c)
    return false;
  g->pad_h = xai_conv_pad(g->in.h, g->filter.h, g->l.sh, g->l.dh, oh);
  g->pad_w = xai_conv_pad(g->in.w, g->filter.w, g->l.sw, g->l.dw, ow);
  g->k_depth = g->filter.h * g->filter.w * (cin / g->groups);
  return true;
}

/* Input 2 of XAI_bconv2d: thresholds, or LCE's fused transform. */
static int32_t transform_input(xf_ctx *x, uint32_t op, const bconv_geom *g,
                               int32_t *cmin, int32_t *cmax, bool *oom) {
  const xai_operator *o = xf_op(x, op);
  const int32_t n = g->cout;
  *cmin = *cmax = 0;
  if (g->out_type == XAI_TYPE_INT32) {
    /* the model's thresholds as they are */
    const xai_tensor *t = xf_tensor(x, o->inputs[4]);
    size_t size = 0;
    return t && t->type == XAI_TYPE_INT32 && t->rank == 1 &&
                   t->shape[0] == n && xf_const_data(x, o->inputs[4], &size) &&
                   size == 4u * (size_t)n
               ? o->inputs[4]
               : -1;
  }
  double scale = 1.0, zp = 0.0;
  if (g->out_type == XAI_TYPE_INT8) {
    float s;
    int32_t z;
    if (!xf_quant(x, g->out_t, &s, &z) || !(s > 0.0f)) return -1;
    scale = s, zp = z;
  } else if (g->out_type != XAI_TYPE_FLOAT32) {
    return -1;
  }
  char name[200];
  snprintf(name, sizeof name, "%s/xai_bconv_transform",
           xf_tensor(x, g->out_t)->name ? xf_tensor(x, g->out_t)->name : "?");
  float *buf = malloc(16u * (size_t)n);
  int32_t t = -1, shape[1] = {2 * n};
  if (!buf) {
    *oom = true;
    return -1;
  }
  float *pm = buf + 2 * n, *pb = buf + 3 * n;
  if (const_vec(x, o->inputs[2], XAI_TYPE_FLOAT32, n, pm) &&
      const_vec(x, o->inputs[3], XAI_TYPE_FLOAT32, n, pb)) {
    xai_bconv2d_transform_make(pm, pb, n, g->k_depth, g->l.act, scale, zp,
                               buf, buf + n, cmin, cmax);
    t = xf_add_const(x, name, XAI_TYPE_FLOAT32, shape, 1, buf,
                     8u * (size_t)n);
    if (t < 0) *oom = true;
  }
  free(buf);
  return t;
}

/* Bundles of one output (pooled) pixel, the unit split over threads: an
 * estimate of the kernel's loops (per 16-channel block 17 a chunk and the
 * stores; the gather, 2 a word), times the pool window when fused. */
static uint64_t pixel_bundles(const bconv_geom *g, const fused_pool *fp) {
  uint64_t words = (uint64_t)g->filter.h * g->filter.w * g->filter.c;
  uint64_t chunks = (words + 7) / 8;
  uint64_t blocks = (uint64_t)g->groups *
                    (uint64_t)((g->cout / g->groups + 15) / 16);
  uint64_t store = g->out_type == XAI_TYPE_INT32 ? 3u : 8u;
  uint64_t px = blocks * (17u * chunks + 4u + 16u * store) +
                (uint64_t)g->groups * 2u * words;
  return fp ? px * (uint64_t)fp->p.filter_h * (uint64_t)fp->p.filter_w : px;
}

static xai_status emit(xf_ctx *x, uint32_t op, const bconv_geom *g,
                       const fused_pool *fp, int32_t tin, int32_t cmin,
                       int32_t cmax, xai_error *err) {
  xai_flexbuf_builder b;
  xai_flexbuf_builder_init(&b, NULL, 0);
  xai_flexbuf_map_begin(&b, NULL);
  int64_t pixels = fp ? (int64_t)g->out.n *
                            xf_tensor(x, fp->out_t)->shape[1] *
                            xf_tensor(x, fp->out_t)->shape[2]
                      : (int64_t)g->out.n * g->out.h * g->out.w;
  xai_flexbuf_add_int(&b, "th", xf_conv_threads(x, pixels,
                                                pixel_bundles(g, fp)));
  const struct {
    const char *k;
    int32_t v;
  } kv[] = {{"cin", g->l.cin}, {"g", g->groups}, {"oc", g->cout},
            {"oh", g->out.h}, {"ow", g->out.w}, {"sh", g->l.sh},
            {"sw", g->l.sw}, {"dh", g->l.dh}, {"dw", g->l.dw},
            {"ph", g->pad_h}, {"pw", g->pad_w},
            {"zp", g->l.padding == XAI_PADDING_SAME && g->l.pad_values == 0},
            {"cmin", cmin}, {"cmax", cmax}, {"pool", fp != NULL}};
  for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
    xai_flexbuf_add_int(&b, kv[i].k, kv[i].v);
  if (fp) {
    xai_flexbuf_add_int(&b, "pfh", fp->p.filter_h);
    xai_flexbuf_add_int(&b, "pfw", fp->p.filter_w);
    xai_flexbuf_add_int(&b, "psh", fp->p.stride_h);
    xai_flexbuf_add_int(&b, "psw", fp->p.stride_w);
    xai_flexbuf_add_int(&b, "pph", fp->p.pad_h);
    xai_flexbuf_add_int(&b, "ppw", fp->p.pad_w);
  }
  xai_flexbuf_map_end(&b);
  const uint8_t *opts = NULL;
  size_t size = 0;
  xai_status st = xai_flexbuf_finish(&b, &opts, &size, err);
  if (!st) {
    int32_t ins[3] = {g->in_t, g->filter_t, tin};
    int32_t outs[1] = {fp ? fp->out_t : g->out_t};
    st = xf_replace_custom(x, op, "XAI_bconv2d", ins, 3, outs, 1, opts, size,
                           err);
  }
  xai_flexbuf_builder_free(&b);
  /* the pool comes after the conv (it reads its output) */
  if (!st && fp) st = xai_model_remove_operator(x->m, 0, fp->op);
  return st;
}

xai_status xf_lower_lce_bconv(xf_ctx *x, uint32_t op, xai_error *err) {
  bconv_geom g;
  if (!geometry(x, op, &g)) {
    xf_keep(x, op, "binary convolution kept as LceBconv2d (options or "
            "tensors the XAI_bconv2d lowering does not take)");
    return XAI_OK;
  }
  bool oom = false;
  int32_t cmin, cmax;
  int32_t tin = transform_input(x, op, &g, &cmin, &cmax, &oom);
  if (oom) return xai_fail(err, XAI_ERR_NO_MEMORY, "xformer: out of memory");
  if (tin < 0) {
    xf_keep(x, op, "binary convolution kept as LceBconv2d (its multiplier, "
            "bias or thresholds are not constants)");
    return XAI_OK;
  }
  fused_pool fp;
  xai_dims4 conv_words = g.out;
  bool pooled = g.out_type == XAI_TYPE_INT32 &&
                find_pool(x, g.out_t, &conv_words, &fp);
  return emit(x, op, &g, pooled ? &fp : NULL, tin, cmin, cmax, err);
}
