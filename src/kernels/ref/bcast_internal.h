/* Private: the odometer walk over a broadcast plan, shared by the binary
 * element-wise kernels. */
#ifndef XAI_KERNELS_REF_BCAST_INTERNAL_H
#define XAI_KERNELS_REF_BCAST_INTERNAL_H

#include "xai/kernels_ref/elementwise.h"

typedef struct {
  int32_t idx[XAI_BCAST_MAX_RANK];
  size_t off1, off2;
} xai_bcast_cursor;

static inline void xai_bcast_cursor_init(xai_bcast_cursor *c) {
  for (int d = 0; d < XAI_BCAST_MAX_RANK; d++) c->idx[d] = 0;
  c->off1 = 0;
  c->off2 = 0;
}

/* Moves to the next output element (row-major, last dimension fastest). */
static inline void xai_bcast_cursor_next(const xai_bcast *bc,
                                         xai_bcast_cursor *c) {
  for (int d = bc->rank - 1; d >= 0; d--) {
    c->idx[d]++;
    c->off1 += (size_t)bc->stride1[d];
    c->off2 += (size_t)bc->stride2[d];
    if (c->idx[d] < bc->dims[d]) return;
    c->off1 -= (size_t)bc->stride1[d] * (size_t)bc->dims[d];
    c->off2 -= (size_t)bc->stride2[d] * (size_t)bc->dims[d];
    c->idx[d] = 0;
  }
}

/* A broadcast plan split into rows: the innermost run of the plan after
 * dropping size-1 dimensions and merging neighbours that are contiguous
 * in both inputs (outer stride == inner stride * inner size), plus the
 * plan that walks the rows. A same-shape operation becomes one row; a
 * per-channel or scalar operand gets a row stride of 0. The kernels then
 * run a plain loop per row instead of the odometer per element. */
typedef struct {
  xai_bcast outer; /* walk with xai_bcast_cursor_next, once per row */
  size_t row_len;  /* >= 1 */
  size_t row_stride1, row_stride2;
} xai_bcast_rows;

static inline void xai_bcast_rows_init(const xai_bcast *bc,
                                       xai_bcast_rows *r) {
  xai_bcast m;
  m.rank = 0;
  for (int32_t d = 0; d < bc->rank; d++) {
    if (bc->dims[d] == 1) continue;
    const int32_t last = m.rank - 1;
    if (last >= 0 &&
        (int64_t)m.stride1[last] == (int64_t)bc->stride1[d] * bc->dims[d] &&
        (int64_t)m.stride2[last] == (int64_t)bc->stride2[d] * bc->dims[d]) {
      m.dims[last] *= bc->dims[d];
      m.stride1[last] = bc->stride1[d];
      m.stride2[last] = bc->stride2[d];
      continue;
    }
    m.dims[m.rank] = bc->dims[d];
    m.stride1[m.rank] = bc->stride1[d];
    m.stride2[m.rank] = bc->stride2[d];
    m.rank++;
  }
  if (m.rank == 0) { /* a single element */
    m.dims[0] = 1;
    m.stride1[0] = 0;
    m.stride2[0] = 0;
    m.rank = 1;
  }
  const int32_t last = m.rank - 1;
  r->row_len = m.dims[last] > 0 ? (size_t)m.dims[last] : 1;
  r->row_stride1 = (size_t)m.stride1[last];
  r->row_stride2 = (size_t)m.stride2[last];
  r->outer = m;
  r->outer.rank = last;
  r->outer.count = bc->count / r->row_len;
}

#endif
