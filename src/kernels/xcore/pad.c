/* PAD / PADV2 int8 on the xcore (elementwise.h): each output row (the last
 * dimension) is a fill, or a fill + a VPU copy of the input row + a fill. */
#include "ew_internal.h"
#include "xai/kernels_xcore/elementwise.h"

static xai_status pad_check(const xai_shape *s, const int32_t *before,
                            const int32_t *after, size_t *rows,
                            size_t *out_row, size_t *out_total) {
  if (!s || s->rank < 0 || s->rank > XAI_SHAPE_MAX_RANK ||
      (s->rank > 0 && (!before || !after)))
    return XAI_ERR_ARGUMENT;
  size_t r = 1, total = 1;
  for (int32_t d = 0; d < s->rank; d++) {
    if (s->dims[d] < 0 || before[d] < 0 || after[d] < 0)
      return XAI_ERR_ARGUMENT;
    size_t od = (size_t)s->dims[d] + (size_t)before[d] + (size_t)after[d];
    total *= od;
    if (d + 1 < s->rank) r *= od;
  }
  *rows = r;
  *out_total = total;
  *out_row = s->rank ? (size_t)s->dims[s->rank - 1] +
                           (size_t)before[s->rank - 1] +
                           (size_t)after[s->rank - 1]
                     : 1;
  return XAI_OK;
}

xai_status xai_pad_s8_xcore(xai_vpu_ctx *ctx, const xai_shape *in_shape,
                            const int32_t *before, const int32_t *after,
                            const int8_t *in, int8_t pad_value, int8_t *out,
                            size_t row_begin, size_t row_end) {
  size_t rows, out_row, out_total;
  if (!ctx) return XAI_ERR_ARGUMENT;
  xai_status st =
      pad_check(in_shape, before, after, &rows, &out_row, &out_total);
  if (st != XAI_OK) return st;
  if (row_begin > row_end || row_end > rows) return XAI_ERR_ARGUMENT;
  if (row_begin == row_end || out_total == 0) return XAI_OK;
  const size_t in_total = xai_shape_elements(in_shape);
  if (!out || (in_total && !in)) return XAI_ERR_ARGUMENT;
  const int32_t rank = in_shape->rank;
  if (rank == 0) { /* a scalar: nothing to pad */
    xai_xcore_copy_bytes(ctx, out, in, 1, in, in + 1);
    return XAI_OK;
  }
  const int32_t last = rank - 1;
  const size_t in_row = (size_t)in_shape->dims[last];
  for (size_t row = row_begin; row < row_end; row++) {
    /* Output coordinates of the row -> input row, or "all padding". */
    size_t rem = row, in_index = 0, in_stride = 1;
    int inside = 1;
    for (int32_t d = last - 1; d >= 0; d--) {
      const size_t od = (size_t)in_shape->dims[d] + (size_t)before[d] +
                        (size_t)after[d];
      const size_t k = rem % od;
      rem /= od;
      if (k < (size_t)before[d] ||
          k >= (size_t)before[d] + (size_t)in_shape->dims[d])
        inside = 0;
      else
        in_index += (k - (size_t)before[d]) * in_stride;
      in_stride *= (size_t)in_shape->dims[d];
    }
    xai_vpu_scalar(ctx, 2u + 3u * (uint64_t)last); /* div/mod walk */
    xai_vpu_branch(ctx);                            /* row loop */
    int8_t *dst = out + row * out_row;
    if (!inside || in_row == 0) {
      xai_xcore_fill_bytes(ctx, dst, out_row, pad_value);
      continue;
    }
    const int8_t *src = in + in_index * in_row;
    xai_xcore_fill_bytes(ctx, dst, (size_t)before[last], pad_value);
    xai_xcore_copy_bytes(ctx, dst + before[last], src, in_row, in,
                         in + in_total);
    xai_xcore_fill_bytes(ctx, dst + before[last] + in_row,
                         (size_t)after[last], pad_value);
  }
  return XAI_OK;
}

xai_status xai_pad_s8_xcore_run(const xai_shape *in_shape,
                                const int32_t *before, const int32_t *after,
                                const int8_t *in, int8_t pad_value,
                                int8_t *out, unsigned n_threads,
                                xai_xcore_ew_report *rep, xai_error *err) {
  size_t rows, out_row, out_total;
  if (n_threads < 1 || n_threads > XAI_XCORE_THREADS_PER_TILE || !rep ||
      pad_check(in_shape, before, after, &rows, &out_row, &out_total) !=
          XAI_OK)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "xcore PAD: bad shape, paddings or thread count (%u; "
                    "use 1..%u)",
                    n_threads, XAI_XCORE_THREADS_PER_TILE);
  memset(rep, 0, sizeof *rep);
  rep->n_threads = n_threads;
  for (unsigned t = 0; t < n_threads; t++) {
    xai_vpu_ctx ctx;
    xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
    size_t b, e;
    xai_xcore_ew_split(rows, 1, n_threads, t, &b, &e);
    xai_status st =
        xai_pad_s8_xcore(&ctx, in_shape, before, after, in, pad_value, out,
                         b, e);
    if (st != XAI_OK)
      return xai_fail(err, st, "xcore PAD thread %u: bad arguments", t);
    if ((st = xai_vpu_check(&ctx, "xcore PAD", err)) != XAI_OK) return st;
    rep->bundles[t] = ctx.bundles;
  }
  return xai_xcore_ew_report_time(rep, err);
}
