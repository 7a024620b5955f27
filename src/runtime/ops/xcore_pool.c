/* XAI_maxpool2d and XAI_avgpool2d: int8 NHWC pooling (incl. global
 * average pooling) with the xcore kernels (xai/kernels_xcore/pool.h).
 *   XAI_maxpool2d: input; options {th, fh, fw, sh, sw, ph, pw, lo, hi}.
 *   XAI_avgpool2d: input, packed xai_avgpool_div[div_count]; same options.
 * Not in-place safe (windows read neighbouring rows). */

#include "xai/kernels_xcore/pool.h"
#include "xcore_misc_internal.h"

typedef struct {
  int avg;
  unsigned threads;
  xai_pool_params p;
  xai_dims4 in, out;
  size_t n_divs;
} pool_data;

static xai_status dims4(xai_op_ctx *ctx, const xai_rt_tensor *t,
                        const char *what, xai_dims4 *d) {
  if (t->rank != 4)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "%s has rank %u; pooling needs NHWC (rank 4)", what,
                       t->rank);
  d->n = t->dims[0];
  d->h = t->dims[1];
  d->w = t->dims[2];
  d->c = t->dims[3];
  return XAI_OK;
}

static xai_status prepare(xai_op_ctx *ctx, int avg) {
  xai_flexbuf_ref map;
  unsigned threads = 0;
  pool_data *d;
  xai_status st = xai_xcore_misc_begin(ctx, sizeof *d, (void **)&d, &map,
                                       &threads);
  if (st) return st;
  d->threads = threads;
  d->avg = avg;
  if ((st = xai_xcore_misc_check_io(ctx, avg ? 2u : 1u))) return st;
  xai_pool_params *p = &d->p;
  if ((st = xai_xcore_op_opt_int(ctx, &map, "fh", 1, 65535,
                                   &p->filter_h)) ||
      (st = xai_xcore_op_opt_int(ctx, &map, "fw", 1, 65535,
                                   &p->filter_w)) ||
      (st = xai_xcore_op_opt_int(ctx, &map, "sh", 1, 65535,
                                   &p->stride_h)) ||
      (st = xai_xcore_op_opt_int(ctx, &map, "sw", 1, 65535,
                                   &p->stride_w)) ||
      (st = xai_xcore_op_opt_int(ctx, &map, "ph", 0, 65535, &p->pad_h)) ||
      (st = xai_xcore_op_opt_int(ctx, &map, "pw", 0, 65535, &p->pad_w)) ||
      (st = xai_xcore_op_opt_int(ctx, &map, "lo", -128, 127,
                                   &p->act_min)) ||
      (st = xai_xcore_op_opt_int(ctx, &map, "hi", -128, 127,
                                   &p->act_max)))
    return st;
  if (p->act_min > p->act_max)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "clamp range [%d, %d] is empty",
                       (int)p->act_min, (int)p->act_max);
  xai_rt_tensor *in, *out;
  if ((st = xai_xcore_misc_check_s8(ctx, 0, 0, SIZE_MAX, &in)) ||
      (st = xai_xcore_misc_check_s8(ctx, 0, 1, SIZE_MAX, &out)) ||
      (st = dims4(ctx, in, "input", &d->in)) ||
      (st = dims4(ctx, out, "output", &d->out)))
    return st;
  if (d->out.n != d->in.n || d->out.c != d->in.c)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "output is %dx%dx%dx%d but the input %dx%dx%dx%d; "
                       "batch and channels must match",
                       (int)d->out.n, (int)d->out.h, (int)d->out.w,
                       (int)d->out.c, (int)d->in.n, (int)d->in.h,
                       (int)d->in.w, (int)d->in.c);
  if (!avg) return XAI_OK;
  d->n_divs = xai_avgpool2d_s8_xcore_div_count(p);
  return xai_xcore_misc_packed_check(ctx, 1,
                                     d->n_divs * sizeof(xai_avgpool_div));
}

static xai_status eval(xai_op_ctx *ctx) {
  const pool_data *d = ctx->data;
  const xai_avgpool_div *divs = NULL;
  if (d->avg && !(divs = xai_xcore_misc_packed(ctx, 1)))
    return XAI_ERR_FORMAT;
  xai_xcore_ew_report rep;
  xai_error e;
  xai_error_clear(&e);
  xai_status st = xai_pool2d_s8_xcore_run(
      &d->p, divs, d->n_divs, &d->in, xai_op_input(ctx, 0)->data, &d->out,
      xai_op_output(ctx, 0)->data, d->threads, &rep, &e);
  if (st) return xai_xcore_misc_kernel_failed(ctx, st, &e);
  return xai_xcore_misc_report_cost(ctx, &rep, d->avg,
                                    d->n_divs * sizeof(xai_avgpool_div),
                                    d->avg ? "avgpool" : "maxpool");
}

/* Thread 0's share is run (it is the largest: rows, or channel groups for
 * global pooling) and extrapolated to the others by output elements.
 * Writes thread 0's part of the output, as running the op would. */
static xai_status estimate(xai_op_ctx *ctx) {
  const pool_data *d = ctx->data;
  const xai_avgpool_div *divs = NULL;
  if (d->avg && !(divs = xai_xcore_misc_packed(ctx, 1)))
    return XAI_ERR_FORMAT;
  size_t items[XAI_XCORE_THREADS_PER_TILE];
  for (unsigned t = 0; t < d->threads; t++) {
    xai_pool_range r;
    xai_pool_s8_xcore_split(&d->out, d->threads, t, &r);
    items[t] = (size_t)(r.row_end - r.row_begin) *
               (size_t)(r.ch_end - r.ch_begin);
  }
  xai_pool_range r0;
  xai_pool_s8_xcore_split(&d->out, d->threads, 0, &r0);
  xai_vpu_ctx v;
  xai_vpu_init(&v, XAI_VPU_MODE_INT8);
  const int8_t *in = xai_op_input(ctx, 0)->data;
  int8_t *out = xai_op_output(ctx, 0)->data;
  xai_status st =
      d->avg ? xai_avgpool2d_s8_xcore(&v, &d->p, divs, d->n_divs, &d->in, in,
                                      &d->out, out, &r0)
             : xai_maxpool2d_s8_xcore(&v, &d->p, &d->in, in, &d->out, out,
                                      &r0);
  if (st)
    return xai_op_fail(ctx, st, "pool kernel rejected its arguments");
  uint64_t bundles[XAI_XCORE_THREADS_PER_TILE];
  xai_xcore_misc_extrapolate(v.bundles, items, d->threads, bundles);
  const uint64_t macs =
      d->avg && items[0] && d->out.w > 0
          ? (uint64_t)((double)v.macs *
                       (double)xai_rt_tensor_elements(xai_op_output(ctx, 0)) /
                       (double)items[0] / (double)d->out.w + 0.5)
          : 0;
  return xai_xcore_op_cost(ctx, bundles, d->threads, macs,
                             d->n_divs * sizeof(xai_avgpool_div),
                             d->avg ? "avgpool" : "maxpool");
}

static xai_status prepare_max(xai_op_ctx *ctx) { return prepare(ctx, 0); }
static xai_status prepare_avg(xai_op_ctx *ctx) { return prepare(ctx, 1); }

const xai_op_registration xai_op_xcore_maxpool2d = {
    XAI_OP_CUSTOM, "XAI_maxpool2d", prepare_max, eval, estimate};
const xai_op_registration xai_op_xcore_avgpool2d = {
    XAI_OP_CUSTOM, "XAI_avgpool2d", prepare_avg, eval, estimate};
