/* Private helpers shared by the xcore element-wise, lookup-table, pooling
 * and data-movement kernels (pool*.c, add*.c, mul*.c, pad*.c, concat*.c,
 * lut*.c, requantize_s8*.c). */
#ifndef XAI_KERNELS_XCORE_EW_INTERNAL_H
#define XAI_KERNELS_XCORE_EW_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "xai/kernels_ref/elementwise.h"
#include "xai/vpu.h"

/* A 32-byte, word-aligned vector in memory (VPU operands need 4-byte
 * alignment; 32 keeps a vector inside one cache-free SRAM burst). */
typedef struct {
  _Alignas(32) int8_t b[32];
} xai_ew_vec;

/* Broadcast constants. They are built in plain C; kernels build them once
 * per call and charge the scalar stores (8 words) with xai_ew_charge_fill. */
static inline void xai_ew_fill_s8(xai_ew_vec *v, int8_t x) {
  memset(v->b, (uint8_t)x, 32);
}
static inline void xai_ew_fill_s16(xai_ew_vec *v, int16_t x) {
  for (unsigned i = 0; i < 16; i++) memcpy(&v->b[2 * i], &x, 2);
}
static inline void xai_ew_fill_u16(xai_ew_vec *v, uint16_t x) {
  for (unsigned i = 0; i < 16; i++) memcpy(&v->b[2 * i], &x, 2);
}
/* One broadcast vector = 8 scalar word stores (the value is already in a
 * register). */
#define XAI_EW_FILL_BUNDLES 8u

/* Byte mask for the first n (<= 32) bytes of a vector. */
static inline uint32_t xai_ew_mask(size_t n) {
  return n >= 32 ? 0xFFFFFFFFu : ((1u << n) - 1u);
}

/* A VPU read takes 32 bytes. When the 32 bytes at p are not all inside
 * the readable extent [lo, hi) of the tensor, the readable part is first
 * copied (scalar, word by word: a load and a store per word) into `stage`
 * at the same offsets, so no instruction reads outside a tensor. Returns
 * the address to give the instruction. */
static inline const void *xai_ew_src(xai_vpu_ctx *ctx, const int8_t *p,
                                     const int8_t *lo, const int8_t *hi,
                                     xai_ew_vec *stage) {
  if (p >= lo && hi - p >= 32) return p;
  memset(stage->b, 0, 32);
  size_t copied = 0;
  for (unsigned i = 0; i < 32; i++)
    if (p + i >= lo && p + i < hi) {
      stage->b[i] = p[i];
      copied++;
    }
  xai_vpu_mem(ctx, 2u * ((copied + 3u) / 4u));
  return stage->b;
}

/* Charges n elements of a scalar element-wise loop of `per` bundles each:
 * two byte loads, one byte store and the loop branch are memory-lane, the
 * rest ALU. */
static inline void xai_ew_charge_scalar(xai_vpu_ctx *ctx, size_t n,
                                        unsigned per) {
  for (size_t i = 0; i < n; i++) {
    xai_vpu_mem(ctx, 3u);
    xai_vpu_scalar(ctx, per - 4u);
    xai_vpu_branch(ctx);
  }
}

/* Saturating add of a constant c (|c| may exceed the int16 range by up to
 * 255) to every int16 lane: one VLADD, or two when c does not fit. The
 * kernels use it only where the extra saturation is monotone and lands
 * beyond the clamp it implements (pool.h, lut.h explain why). */
typedef struct {
  xai_ew_vec v[2];
  unsigned n;
} xai_ew_add16;

static inline void xai_ew_add16_make(xai_ew_add16 *a, int32_t c) {
  int32_t c1 = c > 32767 ? 32767 : (c < -32767 ? -32767 : c);
  xai_ew_fill_s16(&a->v[0], (int16_t)c1);
  xai_ew_fill_s16(&a->v[1], (int16_t)(c - c1));
  a->n = c1 == c ? 1u : 2u;
}
static inline void xai_ew_add16_run(xai_vpu_ctx *ctx, const xai_ew_add16 *a) {
  for (unsigned i = 0; i < a->n; i++) xai_vpu_vladd(ctx, a->v[i].b);
}

/* The int16-mode clamp of q to [lo, hi] (lo >= -128, hi <= 127) by
 * saturation: min(q, hi) = sat(q + A) - A with A = 32767 - hi, and
 * max(., lo) = sat(. + B) - B with B = -32767 - lo. The hi part is skipped
 * for hi = 127 and the lo part for lo = -128: the narrowing to int8 (and
 * the -128 fix-up) already saturates there. */
typedef struct {
  xai_ew_add16 hi_in, hi_out, lo_in, lo_out;
  int do_hi, do_lo;
} xai_ew_clamp16;

static inline unsigned xai_ew_clamp16_make(xai_ew_clamp16 *c, int32_t lo,
                                           int32_t hi) {
  c->do_hi = hi < 127;
  c->do_lo = lo > -128;
  xai_ew_add16_make(&c->hi_in, 32767 - hi);
  xai_ew_add16_make(&c->hi_out, -(32767 - hi));
  xai_ew_add16_make(&c->lo_in, -32767 - lo);
  xai_ew_add16_make(&c->lo_out, 32767 + lo);
  return 8u * XAI_EW_FILL_BUNDLES; /* scalar cost of the vectors */
}
static inline void xai_ew_clamp16_run(xai_vpu_ctx *ctx,
                                      const xai_ew_clamp16 *c) {
  if (c->do_hi) {
    xai_ew_add16_run(ctx, &c->hi_in);
    xai_ew_add16_run(ctx, &c->hi_out);
  }
  if (c->do_lo) {
    xai_ew_add16_run(ctx, &c->lo_in);
    xai_ew_add16_run(ctx, &c->lo_out);
  }
}

static inline int xai_ew_aligned(const void *p) {
  return ((uintptr_t)p & (XAI_XCORE_VPU_ALIGN - 1u)) == 0;
}

/* Element offsets of output element i in the two inputs of a broadcast
 * plan (xai/kernels_ref/elementwise.h). Kernels charge an incremental walk
 * (XAI_EW_BCAST_BUNDLES per element); this recomputation is the host's
 * shortcut to the same offsets. */
static inline void xai_ew_bcast_offsets(const xai_bcast *bc, size_t i,
                                        size_t *o1, size_t *o2) {
  size_t a = 0, b = 0;
  for (int d = bc->rank - 1; d >= 0; d--) {
    size_t dim = (size_t)bc->dims[d];
    size_t k = dim ? i % dim : 0;
    i = dim ? i / dim : 0;
    a += k * (size_t)bc->stride1[d];
    b += k * (size_t)bc->stride2[d];
  }
  *o1 = a;
  *o2 = b;
}

/* True when neither input of the plan is stretched (same shapes): the
 * strides are then the row-major strides of the output. */
static inline int xai_ew_bcast_is_flat(const xai_bcast *bc) {
  size_t stride = 1;
  for (int d = bc->rank - 1; d >= 0; d--) {
    if (bc->dims[d] != 1 && ((size_t)bc->stride1[d] != stride ||
                             (size_t)bc->stride2[d] != stride))
      return 0;
    stride *= (size_t)bc->dims[d];
  }
  return 1;
}

#endif
