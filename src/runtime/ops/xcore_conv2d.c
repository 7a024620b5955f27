/* XAI_conv2d and XAI_depthwise_conv2d (docs/xcore_ops.md): run the xcore
 * CONV_2D / DEPTHWISE_CONV_2D kernels over output pixels (or the pixel
 * blocks one vector computes) split across the emulated threads, so that
 * a small feature map still feeds every thread. Geometry comes from the options, decoded again at
 * every eval rather than kept in the arena (16 bytes an op stay, not 190:
 * the options are in the model, and decoding them costs microseconds
 * against a conv's milliseconds); the kernel's pointers are bound to the
 * packed tensor at every eval, because that tensor may be loaded into the
 * arena at run time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xai/kernels_xcore/conv.h"
#include "xcore_conv_internal.h"

/* What an op keeps in the arena tail. */
typedef struct {
  uint8_t depthwise;
  uint8_t th;
  int32_t scratch;
  uint32_t slice; /* scratch bytes per thread */
} xconv_data;

/* The op's geometry (pointers unbound) as prepare checked it. */
typedef struct {
  xai_conv_xcore op;
  uint64_t macs;
} xconv_geom;

static xai_status bind(const xconv_data *d, const xconv_geom *g,
                       xai_conv_xcore *op, const void *mem, size_t size) {
  *op = g->op;
  return d->depthwise ? xai_dwconv2d_s8_xcore_bind(op, mem, size)
                      : xai_conv2d_s8_xcore_bind(op, mem, size);
}

/* Runs work units [u0, u1) (conv.h: output pixels or pixel blocks). */
static xai_status run(const xconv_data *d, xai_vpu_ctx *v,
                      const xai_conv_xcore *op, const int8_t *in, int8_t *out,
                      int32_t u0, int32_t u1, void *scratch) {
  return d->depthwise ? xai_dwconv2d_s8_xcore_units(v, op, in, out, u0, u1,
                                                    scratch, d->slice)
                      : xai_conv2d_s8_xcore_units(v, op, in, out, u0, u1,
                                                  scratch, d->slice);
}

/* Work units of one output row of a bound op. */
static int32_t row_units(const xconv_data *d, const xai_conv_xcore *op) {
  return d->depthwise ? xai_dwconv2d_s8_xcore_row_units(op)
                      : xai_conv2d_s8_xcore_row_units(op);
}

static const char *kernel_name(const xconv_data *d, const xconv_geom *g) {
  return d->depthwise              ? "depthwise"
         : g->op.direct            ? "conv2d_direct"
         : g->op.window            ? "conv2d_window"
         : g->op.patch_contiguous ? "conv2d_in_place"
                                   : "conv2d_im2col";
}

/* Fails naming both shapes when tensor t's dims are not want. */
static xai_status check_shape(xai_op_ctx *ctx, const xai_rt_tensor *t,
                              const char *what, int32_t index,
                              const xai_dims4 *want) {
  if (t->rank == 4 && t->dims[0] == want->n && t->dims[1] == want->h &&
      t->dims[2] == want->w && t->dims[3] == want->c)
    return XAI_OK;
  char have[64] = "";
  size_t len = 0;
  for (uint32_t i = 0; i < t->rank && i < 4 && len < sizeof have; i++)
    len += (size_t)snprintf(have + len, sizeof have - len, "%s%d",
                            i ? ", " : "", (int)t->dims[i]);
  return xai_op_fail(ctx, XAI_ERR_FORMAT,
                     "%s tensor %d has shape [%s] (rank %u) but the options "
                     "give [%d, %d, %d, %d]; the model is inconsistent",
                     what, (int)index, have, t->rank, (int)want->n,
                     (int)want->h, (int)want->w, (int)want->c);
}

/* Decodes and checks the options against the tensors into *g; *th gets
 * the "th" option. Every failure names what is wrong (prepare reports it;
 * later calls repeat a decode that already passed). */
static xai_status geometry(xai_op_ctx *ctx, int depthwise, xconv_geom *g,
                           int32_t *th) {
  xai_rt_tensor *in, *packed, *out;
  xai_status st = xai_xconv_tensors(ctx, &in, &packed, &out);
  if (st) return st;
  xai_flexbuf_ref map;
  st = xai_xconv_options(ctx, &map);
  if (st) return st;
  int32_t ih, iw, ic, oh, ow, oc, kh, kw, sh, sw, dh, dw, ph, pw, zi;
  const int32_t big = 1 << 20;
  struct {
    const char *key;
    int32_t lo, hi, *v;
  } keys[] = {{"th", 1, 8, th},        {"ih", 1, big, &ih},
              {"iw", 1, big, &iw},     {"ic", 1, big, &ic},
              {"oh", 1, big, &oh},     {"ow", 1, big, &ow},
              {"oc", 1, big, &oc},     {"kh", 1, big, &kh},
              {"kw", 1, big, &kw},     {"sh", 1, big, &sh},
              {"sw", 1, big, &sw},     {"dh", 1, big, &dh},
              {"dw", 1, big, &dw},     {"ph", -big, big, &ph},
              {"pw", -big, big, &pw},  {"zi", -128, 127, &zi}};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0] && !st; i++)
    st = xai_xconv_opt_int(ctx, &map, keys[i].key, keys[i].lo, keys[i].hi,
                           keys[i].v);
  if (st) return st;
  if (in->rank != 4 || out->rank != 4 || in->dims[0] < 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input tensor %d and output tensor %d must be rank 4 "
                       "(NHWC) with at least one batch", (int)ctx->inputs[0],
                       (int)ctx->outputs[0]);
  memset(g, 0, sizeof *g);
  xai_conv_xcore *op = &g->op;
  op->in = (xai_dims4){in->dims[0], ih, iw, ic};
  op->out = (xai_dims4){in->dims[0], oh, ow, oc};
  op->filter = depthwise ? (xai_dims4){1, kh, kw, oc}
                         : (xai_dims4){oc, kh, kw, ic};
  st = check_shape(ctx, in, "input", ctx->inputs[0], &op->in);
  if (!st) st = check_shape(ctx, out, "output", ctx->outputs[0], &op->out);
  if (st) return st;
  if (depthwise && oc % ic != 0)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "%d output channels are not a multiple of %d input "
                       "channels", (int)oc, (int)ic);
  op->p.stride_h = sh;
  op->p.stride_w = sw;
  op->p.dilation_h = dh;
  op->p.dilation_w = dw;
  op->p.pad_h = ph;
  op->p.pad_w = pw;
  op->p.input_offset = -zi;
  /* Output zero point and clamp live in the blob (xai_rq_consts). */
  op->p.act_min = -128;
  op->p.act_max = 127;
  g->macs = (uint64_t)xai_rt_tensor_elements(out) * (uint64_t)kh *
            (uint64_t)kw * (uint64_t)(depthwise ? 1 : ic);
  size_t need = depthwise
                    ? xai_dwconv2d_s8_xcore_packed_size(&op->in, &op->filter,
                                                        &op->out)
                    : xai_conv2d_s8_xcore_packed_size_p(&op->p, &op->in,
                                                        &op->filter, &op->out);
  char geom[96];
  snprintf(geom, sizeof geom, "a %dx%d filter from %d to %d channels",
           (int)kh, (int)kw, (int)ic, (int)oc);
  st = xai_xconv_check_packed(ctx, packed, need, geom);
  if (st) return st;
  xai_status bs = depthwise ? xai_dwconv2d_s8_xcore_bind(op, NULL, 0)
                            : xai_conv2d_s8_xcore_bind(op, NULL, 0);
  if (bs != XAI_OK)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "the options give an inconsistent geometry (%s)", geom);
  return XAI_OK;
}

static xai_status prepare(xai_op_ctx *ctx, int depthwise) {
  xconv_geom g;
  int32_t th = 1;
  xai_status st = geometry(ctx, depthwise, &g, &th);
  if (st) return st;
  xconv_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(d, 0, sizeof *d);
  ctx->data = d;
  d->depthwise = (uint8_t)depthwise;
  const xai_rt_tensor *packed = xai_op_input(ctx, 1);
  /* A model constant is checked once here; a blob loaded at run time is
   * checked by the bind of each eval. */
  if (packed->mem == XAI_MEM_CONST && packed->data) {
    xai_conv_xcore probe;
    if (bind(d, &g, &probe, packed->data, packed->bytes) != XAI_OK)
      return xai_xconv_blob_invalid(ctx, packed);
  }
  const xai_conv_xcore *op = &g.op;
  size_t per = depthwise ? xai_dwconv2d_s8_xcore_scratch_size(op)
                         : xai_conv2d_s8_xcore_scratch_size(op);
  d->th = (uint8_t)xai_xconv_threads(
      (uint32_t)th, (int64_t)op->out.n * op->out.h * op->out.w);
  size_t slice = 0;
  st = xai_xconv_request_scratch(ctx, per, d->th, &slice, &d->scratch);
  if (!st && slice > UINT32_MAX)
    return xai_op_fail(ctx, XAI_ERR_RANGE, "scratch of %zu bytes", slice);
  d->slice = (uint32_t)slice;
  return st;
}

static xai_status eval(xai_op_ctx *ctx) {
  const xconv_data *d = ctx->data;
  const xai_rt_tensor *in = xai_op_input(ctx, 0);
  const xai_rt_tensor *packed = xai_op_input(ctx, 1);
  xai_rt_tensor *out = xai_op_output(ctx, 0);
  xconv_geom g;
  int32_t th;
  xai_status gs = geometry(ctx, d->depthwise, &g, &th);
  if (gs) return gs;
  xai_conv_xcore op;
  if (bind(d, &g, &op, packed->data, packed->bytes) != XAI_OK)
    return xai_xconv_blob_invalid(ctx, packed);
  uint8_t *scratch = xai_op_scratch(ctx, d->scratch);
  const int32_t units = op.out.n * op.out.h * row_units(d, &op);
  uint64_t bundles[8] = {0};
  for (uint32_t t = 0; t < d->th; t++) {
    int32_t r0, r1;
    xai_xcore_split(units, d->th, t, &r0, &r1);
    xai_vpu_ctx v;
    xai_vpu_init(&v, XAI_VPU_MODE_INT8);
    xai_status st = run(d, &v, &op, in->data, out->data, r0, r1,
                        xai_xconv_thread_scratch(scratch, d->slice, t));
    if (st)
      return xai_op_fail(ctx, st, "the xcore kernel refused units %d..%d; "
                         "this is an xai bug, please report it", (int)r0,
                         (int)r1);
    st = xai_xconv_check_fault(ctx, &v, t);
    if (st) return st;
    bundles[t] = v.bundles;
  }
  return xai_xconv_fill_cost(ctx, bundles, d->th, g.macs, packed->bytes,
                             kernel_name(d, &g));
}

/* ---- Estimate ---------------------------------------------------------------
 * A row's bundles depend only on which filter rows fall inside the input,
 * the word alignment of its output row (the requant store) and, for
 * depthwise and CONV_2D windows, the alignment of the input rows it
 * reads and whether it reaches the last 32 bytes of the input (in-place
 * vector reads); for a
 * CONV_2D patch read in place, how many of its pixels stage their last
 * chunk near the end of the input. So the
 * kernel runs once per distinct row signature, on a zero input, and each
 * thread's count is  setup + sum over its rows of (row bundles - setup),
 * with setup measured by an empty run; a thread's range starts or ends
 * inside a row when the split is by pixels: those partial rows (at most
 * two a thread) run as they are. Exact except for the data-dependent
 * -128 fix-up in requantization (two bundles per 16 outputs that hold
 * -128), which a zero input does not trigger. */
static uint64_t mix(uint64_t h, uint64_t v) {
  return (h ^ v) * 1099511628211ull; /* FNV-1a step */
}

static uint64_t row_signature(const xconv_data *d, const xconv_geom *g,
                              int32_t row) {
  const xai_conv_xcore *op = &g->op;
  const int32_t b = row / op->out.h, oy = row % op->out.h;
  const uint64_t in_row = (uint64_t)op->in.w * (uint64_t)op->in.c;
  const uint64_t in_bytes = (uint64_t)op->in.n * op->in.h * in_row;
  uint64_t h = 1469598103934665603ull;
  h = mix(h, ((uint64_t)(b * op->out.h + oy) * (uint64_t)op->out.w *
              (uint64_t)op->out.c) & 3u);
  for (int32_t fy = 0; fy < op->filter.h; fy++) {
    int32_t iy = oy * op->p.stride_h - op->p.pad_h + fy * op->p.dilation_h;
    if (iy < 0 || iy >= op->in.h) continue;
    h = mix(h, (uint64_t)fy + 1u);
    if (!d->depthwise && !op->direct && fy == 0) {
      /* A patch read in place stages its last chunk when that would pass
       * the end of the input (conv2d.c): count such pixels. */
      const int64_t c = op->in.c, total = (int64_t)in_bytes;
      uint64_t staged = 0;
      for (int32_t ox = 0; ox < op->out.w; ox++) {
        int64_t off = (((int64_t)b * op->in.h + iy) * op->in.w +
                       (int64_t)ox * op->p.stride_w - op->p.pad_w) * c;
        staged += off + op->k_pad > total;
      }
      h = mix(h, staged);
    }
    if (d->depthwise || op->window) {
      uint64_t start = (uint64_t)(b * op->in.h + iy) * in_row;
      h = mix(h, start & 3u);
      /* Near the end a row's in-place reads depend on the exact distance. */
      if (start + in_row + 32u > in_bytes) h = mix(h, (in_bytes - start) << 2);
    }
  }
  return h;
}

typedef struct {
  uint64_t sig, bundles;
} sig_entry;

static xai_status estimate(xai_op_ctx *ctx) {
  const xconv_data *d = ctx->data;
  const xai_rt_tensor *in = xai_op_input(ctx, 0);
  const xai_rt_tensor *packed = xai_op_input(ctx, 1);
  xai_rt_tensor *out = xai_op_output(ctx, 0);
  xconv_geom g;
  int32_t th;
  xai_status gs = geometry(ctx, d->depthwise, &g, &th);
  if (gs) return gs;
  void *owned = NULL;
  const void *blob = xai_xconv_estimate_blob(packed, &owned);
  int8_t *x = calloc(1, in->bytes ? in->bytes : 1);
  int8_t *y = malloc(out->bytes ? out->bytes : 1);
  void *scratch = malloc(d->slice ? d->slice : 16);
  int32_t rows = g.op.out.n * g.op.out.h;
  sig_entry *sigs = malloc((size_t)rows * sizeof *sigs);
  xai_status st = XAI_OK;
  if (!blob || !x || !y || !scratch || !sigs) {
    st = xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "out of memory for estimate");
    goto done;
  }
  if (owned) {
    xai_status ps = d->depthwise
                        ? xai_dwconv2d_s8_xcore_placeholder(&g.op, owned,
                                                            packed->bytes)
                        : xai_conv2d_s8_xcore_placeholder(&g.op, owned,
                                                          packed->bytes);
    (void)ps; /* a refused placeholder fails the bind below */
  }
  xai_conv_xcore op;
  if (bind(d, &g, &op, blob, packed->bytes) != XAI_OK) {
    st = xai_op_fail(ctx, XAI_ERR_ARGUMENT, "packed tensor does not bind");
    goto done;
  }
  xai_vpu_ctx v;
  xai_vpu_init(&v, XAI_VPU_MODE_INT8);
  st = run(d, &v, &op, x, y, 0, 0, scratch);
  const uint64_t setup = v.bundles;
  uint32_t n_sigs = 0;
  uint64_t bundles[8] = {0};
  const int32_t nb = st ? 1 : row_units(d, &op);
  for (uint32_t t = 0; t < d->th && !st; t++) {
    int32_t u0, u1;
    xai_xcore_split(rows * nb, d->th, t, &u0, &u1);
    bundles[t] = setup;
    for (int32_t u = u0; u < u1 && !st;) {
      const int32_t r = u / nb, row_end = (r + 1) * nb;
      if (u != r * nb || row_end > u1) {
        int32_t seg_end = row_end < u1 ? row_end : u1;
        xai_vpu_init(&v, XAI_VPU_MODE_INT8);
        st = run(d, &v, &op, x, y, u, seg_end, scratch);
        bundles[t] += v.bundles - setup;
        u = seg_end;
        continue;
      }
      u = row_end;
      uint64_t sig = row_signature(d, &g, r);
      uint32_t k = 0;
      while (k < n_sigs && sigs[k].sig != sig) k++;
      if (k == n_sigs) {
        xai_vpu_init(&v, XAI_VPU_MODE_INT8);
        st = run(d, &v, &op, x, y, r * nb, row_end, scratch);
        sigs[n_sigs].sig = sig;
        sigs[n_sigs++].bundles = v.bundles - setup;
      }
      bundles[t] += sigs[k].bundles;
    }
  }
  if (st) {
    st = xai_op_fail(ctx, st, "the xcore kernel refused the estimate run");
    goto done;
  }
  st = xai_xconv_fill_cost(ctx, bundles, d->th, g.macs, packed->bytes,
                           kernel_name(d, &g));
done:
  free(owned);
  free(x);
  free(y);
  free(scratch);
  free(sigs);
  return st;
}

static xai_status prepare_conv(xai_op_ctx *ctx) { return prepare(ctx, 0); }
static xai_status prepare_dw(xai_op_ctx *ctx) { return prepare(ctx, 1); }

const xai_op_registration xai_op_xai_conv2d = {
    XAI_OP_CUSTOM, "XAI_conv2d", prepare_conv, eval, estimate};
const xai_op_registration xai_op_xai_depthwise_conv2d = {
    XAI_OP_CUSTOM, "XAI_depthwise_conv2d", prepare_dw, eval, estimate};
