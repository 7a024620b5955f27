/* CONCATENATION int8 on the xcore (elementwise.h): the output is a
 * sequence of chunks (one per outer index and input); a thread copies the
 * parts of the chunks inside its byte range with VPU copies. */
#include "ew_internal.h"
#include "xai/kernels_xcore/elementwise.h"

static xai_status concat_check(uint32_t count, const int8_t *const *inputs,
                               const int32_t *axis_sizes, int32_t outer,
                               int32_t inner, size_t *row) {
  if (count == 0 || !inputs || !axis_sizes || outer < 0 || inner < 0)
    return XAI_ERR_ARGUMENT;
  size_t r = 0;
  for (uint32_t i = 0; i < count; i++) {
    if (axis_sizes[i] < 0) return XAI_ERR_ARGUMENT;
    r += (size_t)axis_sizes[i] * (size_t)inner;
  }
  *row = r;
  return XAI_OK;
}

xai_status xai_concat_s8_xcore(xai_vpu_ctx *ctx, uint32_t count,
                               const int8_t *const *inputs,
                               const int32_t *axis_sizes, int32_t outer,
                               int32_t inner, int8_t *out, size_t begin,
                               size_t end) {
  size_t row;
  if (!ctx) return XAI_ERR_ARGUMENT;
  xai_status st = concat_check(count, inputs, axis_sizes, outer, inner, &row);
  if (st != XAI_OK) return st;
  if (begin > end || end > row * (size_t)outer) return XAI_ERR_ARGUMENT;
  if (begin == end) return XAI_OK;
  if (!out) return XAI_ERR_ARGUMENT;
  for (size_t o = begin / row; o < (size_t)outer && o * row < end; o++) {
    size_t dst = o * row;
    for (uint32_t i = 0; i < count; i++) {
      const size_t len = (size_t)axis_sizes[i] * (size_t)inner;
      const size_t lo = dst > begin ? dst : begin;
      const size_t hi = dst + len < end ? dst + len : end;
      xai_vpu_scalar(ctx, 2); /* chunk bounds */
      xai_vpu_branch(ctx);    /* input loop */
      if (lo < hi) {
        if (!inputs[i]) return XAI_ERR_ARGUMENT;
        const int8_t *src = inputs[i] + o * len;
        xai_xcore_copy_bytes(ctx, out + lo, src + (lo - dst), hi - lo,
                             inputs[i], inputs[i] + len * (size_t)outer);
      }
      dst += len;
    }
  }
  return XAI_OK;
}

xai_status xai_concat_s8_xcore_run(uint32_t count,
                                   const int8_t *const *inputs,
                                   const int32_t *axis_sizes, int32_t outer,
                                   int32_t inner, int8_t *out,
                                   unsigned n_threads,
                                   xai_xcore_ew_report *rep, xai_error *err) {
  size_t row;
  if (n_threads < 1 || n_threads > XAI_XCORE_THREADS_PER_TILE || !rep ||
      concat_check(count, inputs, axis_sizes, outer, inner, &row) != XAI_OK)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "xcore CONCATENATION: bad inputs, sizes or thread count "
                    "(%u; use 1..%u)",
                    n_threads, XAI_XCORE_THREADS_PER_TILE);
  memset(rep, 0, sizeof *rep);
  rep->n_threads = n_threads;
  for (unsigned t = 0; t < n_threads; t++) {
    xai_vpu_ctx ctx;
    xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
    size_t b, e;
    xai_xcore_ew_split(row * (size_t)outer, 32, n_threads, t, &b, &e);
    xai_status st = xai_concat_s8_xcore(&ctx, count, inputs, axis_sizes,
                                        outer, inner, out, b, e);
    if (st != XAI_OK)
      return xai_fail(err, st, "xcore CONCATENATION thread %u: bad arguments",
                      t);
    if ((st = xai_vpu_check(&ctx, "xcore CONCATENATION", err)) != XAI_OK)
      return st;
    rep->bundles[t] = ctx.bundles;
  }
  return xai_xcore_ew_report_time(rep, err);
}
