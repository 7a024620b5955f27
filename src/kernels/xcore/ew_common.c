/* Thread split, op timing, and VPU byte copies/fills shared by the xcore
 * element-wise, pooling and data-movement kernels. */
#include <string.h>

#include "ew_internal.h"
#include "xai/kernels_xcore/elementwise.h"

void xai_xcore_ew_split(size_t total, size_t granule, unsigned n_threads,
                        unsigned i, size_t *begin, size_t *end) {
  if (granule == 0) granule = 1;
  if (n_threads == 0) n_threads = 1;
  size_t chunk = (total + n_threads - 1) / n_threads;
  chunk = (chunk + granule - 1) / granule * granule;
  size_t b = (size_t)i * chunk;
  if (b > total) b = total;
  size_t e = b + chunk;
  if (e > total || i + 1 == n_threads) e = total;
  *begin = b;
  *end = e;
}

int xai_xcore_ew_bcast_is_flat(const xai_bcast *bc) {
  return xai_ew_bcast_is_flat(bc);
}

xai_status xai_xcore_ew_report_time(xai_xcore_ew_report *rep,
                                    xai_error *err) {
  xai_vpu_op_work w;
  memset(&w, 0, sizeof w);
  w.thread_bundles = rep->bundles;
  w.n_threads = rep->n_threads;
  w.weight_source = XAI_WEIGHTS_SRAM;
  return xai_vpu_time_op(&w, &rep->time, err);
}

void xai_xcore_copy_bytes(xai_vpu_ctx *ctx, int8_t *dst, const int8_t *src,
                          size_t n, const int8_t *src_lo,
                          const int8_t *src_hi) {
  if (n == 0) return;
  if ((((uintptr_t)dst ^ (uintptr_t)src) & (XAI_XCORE_VPU_ALIGN - 1u)) != 0) {
    /* Different alignment mod 4: no vector form; ld8u + st8 per byte. */
    memcpy(dst, src, n);
    xai_vpu_mem(ctx, 2u * n);
    for (size_t i = 0; i < n; i += 4) xai_vpu_branch(ctx); /* unrolled by 4 */
    return;
  }
  const size_t head = (uintptr_t)dst & (XAI_XCORE_VPU_ALIGN - 1u);
  int8_t *d = dst - head;
  const int8_t *s = src - head;
  xai_ew_vec stage;
  for (size_t off = 0; off < head + n; off += 32) {
    size_t first = off < head ? head - off : 0;
    size_t last = head + n - off < 32 ? head + n - off : 32;
    uint32_t mask = xai_ew_mask(last) & ~xai_ew_mask(first);
    xai_vpu_vldr(ctx, xai_ew_src(ctx, s + off, src_lo, src_hi, &stage));
    xai_vpu_vstrpv(ctx, d + off, mask);
    xai_vpu_branch(ctx);
  }
}

void xai_xcore_fill_bytes(xai_vpu_ctx *ctx, int8_t *dst, size_t n,
                          int8_t value) {
  if (n == 0) return;
  xai_ew_vec v;
  xai_ew_fill_s8(&v, value);
  xai_vpu_mem(ctx, XAI_EW_FILL_BUNDLES);
  xai_vpu_vldr(ctx, v.b);
  const size_t head = (uintptr_t)dst & (XAI_XCORE_VPU_ALIGN - 1u);
  int8_t *d = dst - head;
  for (size_t off = 0; off < head + n; off += 32) {
    size_t first = off < head ? head - off : 0;
    size_t last = head + n - off < 32 ? head + n - off : 32;
    xai_vpu_vstrpv(ctx, d + off, xai_ew_mask(last) & ~xai_ew_mask(first));
    xai_vpu_branch(ctx);
  }
}
