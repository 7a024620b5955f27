/* xcore-optimised int8 element-wise and data-movement kernels: ADD, MUL,
 * PAD, CONCATENATION, plus the thread-split helpers shared with the
 * lookup-table (lut.h) and pooling (pool.h) kernels.
 *
 * Every kernel computes a sub-range of its output on one hardware thread
 * (its own xai_vpu_ctx) and gives the same bytes as the reference kernel
 * (xai/kernels_ref/elementwise.h, shape.h). A `..._run` function splits a
 * whole op over 1..8 threads, checks each thread for VPU faults and reports
 * the per-thread bundles and the op time (xai_vpu_time_op).
 *
 * Memory: kernels never read outside the tensors they are given (tails
 * shorter than a vector are staged through a stack vector), so the arena
 * needs no slack. Tensors must be 4-byte aligned for the vector paths;
 * otherwise the kernels take their exact scalar path (charged per byte). */
#ifndef XAI_KERNELS_XCORE_ELEMENTWISE_H
#define XAI_KERNELS_XCORE_ELEMENTWISE_H

#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"
#include "xai/kernels_ref/elementwise.h"
#include "xai/kernels_ref/shape.h"
#include "xai/vpu.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Threads ------------------------------------------------------------- */

/* Part i of [0, total) split over n_threads contiguous parts whose
 * boundaries are multiples of granule (the last part takes the remainder);
 * parts may be empty. */
void xai_xcore_ew_split(size_t total, size_t granule, unsigned n_threads,
                        unsigned i, size_t *begin, size_t *end);

/* What an op's threads did: bundles per thread, MACs, and the op time from
 * the machine-constants formula (SRAM weights). */
typedef struct {
  unsigned n_threads;
  uint64_t bundles[XAI_XCORE_THREADS_PER_TILE];
  uint64_t macs;
  xai_vpu_op_time time;
} xai_xcore_ew_report;

/* Fills rep->time from rep->bundles / n_threads. */
xai_status xai_xcore_ew_report_time(xai_xcore_ew_report *rep,
                                    xai_error *err);

/* ---- Output requantization of ADD and MUL on the VPU --------------------
 * Both ops end in clamp(zp_out + MBQM(v, M, shift)) of one 32-bit value v
 * per element, with one multiplier and shift for the whole tensor. The
 * kernels put 16 such values in the accumulators (vD:vR, int16 layout) and
 * run the exact requantization of requant.h on them: one group record
 * whose 16 lanes are equal, and its layer constants. So the output is the
 * reference's to the bit; where the chain cannot represent the scale the
 * record is a scalar one (xai_rq_run's exact scalar path). Sized for the
 * largest record and constants. */
#define XAI_EW_RQ_GROUP_WORDS ((4u + 32u * 16u) / 4u)
#define XAI_EW_RQ_CONSTS_WORDS ((40u + 32u * 7u) / 4u)
typedef struct {
  uint32_t group[XAI_EW_RQ_GROUP_WORDS];   /* xai_rq_group */
  uint32_t consts[XAI_EW_RQ_CONSTS_WORDS]; /* xai_rq_consts */
} xai_ew_rq;

/* bound: the largest |v| the op can produce (the chain needs <= 2^30,
 * else the record is scalar). XAI_ERR_ARGUMENT for a clamp or zero point
 * outside int8. */
xai_status xai_ew_rq_pack(xai_ew_rq *rq, int32_t multiplier, int32_t shift,
                          int64_t bound, int32_t zp_out, int32_t act_min,
                          int32_t act_max, xai_error *err);
/* 1 when rq (from a model) holds a well-formed record and constants. */
int xai_ew_rq_valid(const xai_ew_rq *rq);

/* ---- ADD (int8) ---------------------------------------------------------
 * TFLite's int8 ADD is three requantizations: each input x becomes
 * t_k(x) = MBQM_<1((x - zp_k) << 20, M_k, s_k), and the output is
 * clamp(zp_out + MBQM_<1(t_1(a) + t_2(b), M_out, s_out)). t_k depends on
 * one int8 value only, so the pack step tabulates both (exact by
 * construction: the reference arithmetic on all 256 inputs). Per element
 * the kernel looks both up and writes the sum's halves for the VPU
 * (scalar: ld8u a, ld8u b, ldw t1[a], ldw t2[b], add, st16 low half, ashr
 * 16, st16 high half: 6 memory-lane and 2 ALU bundles, loop unrolled by
 * 4); per 16 elements VLDD/VLDR of the halves and the VPU requantization
 * (xai_ew_rq). SUB is the same kernel with input 2's multiplier negated
 * (as TFLite). The scalar form charged before was
 * XAI_ADD_S8_XCORE_SCALAR_BUNDLES per element (bench_xcore_elementwise
 * prints both). */
#define XAI_ADD_S8_XCORE_SCALAR_BUNDLES 17u

typedef struct {
  int32_t table1[256]; /* t_1 indexed by (uint8_t)a */
  int32_t table2[256]; /* t_2 indexed by (uint8_t)b */
  int32_t output_multiplier, output_shift, output_offset;
  int32_t act_min, act_max;
  xai_ew_rq rq; /* the output requantization */
} xai_add_s8_xcore_params;

/* From the reference parameters (xai_add_params_make with left shift 20). */
xai_status xai_add_s8_xcore_pack(const xai_add_params *p,
                                 xai_add_s8_xcore_params *out,
                                 xai_error *err);

/* Output elements [begin, end) of the plan bc (same shapes or broadcast;
 * a broadcast charges its index walk, XAI_EW_BCAST_BUNDLES per element).
 * begin must be a multiple of 16 unless begin == end. */
xai_status xai_add_s8_xcore(xai_vpu_ctx *ctx, const xai_add_s8_xcore_params *p,
                            const xai_bcast *bc, const int8_t *in1,
                            const int8_t *in2, int8_t *out, size_t begin,
                            size_t end);
xai_status xai_add_s8_xcore_run(const xai_add_s8_xcore_params *p,
                                const xai_bcast *bc, const int8_t *in1,
                                const int8_t *in2, int8_t *out,
                                unsigned n_threads, xai_xcore_ew_report *rep,
                                xai_error *err);

/* True when the plan stretches neither input (the kernels then take their
 * flat path, without the broadcast walk's XAI_EW_BCAST_BUNDLES). */
int xai_xcore_ew_bcast_is_flat(const xai_bcast *bc);

/* Index walk of the broadcast fallback: per element an increment, a
 * compare-and-branch per dimension wrap on average, two address adds. */
#define XAI_EW_BCAST_BUNDLES 4u

/* ---- MUL (int8) ----------------------------------------------------------
 * out = clamp(zp_out + MBQM((a - zp1) * (b - zp2), M, s)) with the
 * reference parameters (xai_mul_params_make). The product is formed in
 * the accumulators in int8 mode, 16 elements at a time, as
 *   acc = z1*z2 (VLDD, VLDR) + a*b (VLDC a, VLMACC b) + z2*a (VLMACC z2)
 *       + z1*b (VLDC b, VLMACC z1),   z = -zp in [-127, 128]
 * (a z of 128 is two VLMACCs of 64; a z of 0 none), then requantized by
 * xai_ew_rq. Same shapes with 4-byte aligned inputs read the tensors
 * directly; a broadcast (or unaligned input) first gathers both inputs'
 * bytes into two vectors (ld8u + st8 each, plus the index walk). The scalar
 * form charged before was XAI_MUL_S8_XCORE_SCALAR_BUNDLES per element. */
#define XAI_MUL_S8_XCORE_SCALAR_BUNDLES 16u

typedef struct {
  xai_mul_params p;
  int8_t z1[32], z2[32];   /* VLMACC coefficients: z, or 64 when z = 128 */
  int16_t zz_hi[16];       /* z1*z2: high halves (vD) */
  uint16_t zz_lo[16];      /* low halves (vR) */
  int32_t n1, n2;          /* VLMACCs of z1 (of b) and z2 (of a): 0..2 */
  xai_ew_rq rq;
} xai_mul_s8_xcore_params;

xai_status xai_mul_s8_xcore_pack(const xai_mul_params *p,
                                 xai_mul_s8_xcore_params *out,
                                 xai_error *err);
/* As xai_add_s8_xcore. */
xai_status xai_mul_s8_xcore(xai_vpu_ctx *ctx, const xai_mul_s8_xcore_params *p,
                            const xai_bcast *bc, const int8_t *in1,
                            const int8_t *in2, int8_t *out, size_t begin,
                            size_t end);
xai_status xai_mul_s8_xcore_run(const xai_mul_s8_xcore_params *p,
                                const xai_bcast *bc, const int8_t *in1,
                                const int8_t *in2, int8_t *out,
                                unsigned n_threads, xai_xcore_ew_report *rep,
                                xai_error *err);

/* ---- Byte copies and fills on the VPU ------------------------------------
 * The building blocks of PAD and CONCATENATION (and usable by any
 * data-movement op). dst and src are byte addresses in tensors; [src_lo,
 * src_hi) is the readable extent of the source tensor. When dst and src
 * have the same address mod 4, the copy is vector loads and masked stores
 * (VLDR + VSTRPV per 32 bytes); otherwise it is a scalar byte loop charged
 * at 2 bundles per byte (ld8u + st8). A fill is VSTRPV of a broadcast
 * vector per 32 bytes (one VLDR first). */
void xai_xcore_copy_bytes(xai_vpu_ctx *ctx, int8_t *dst, const int8_t *src,
                          size_t n, const int8_t *src_lo,
                          const int8_t *src_hi);
void xai_xcore_fill_bytes(xai_vpu_ctx *ctx, int8_t *dst, size_t n,
                          int8_t value);

/* ---- PAD / PADV2 (int8) --------------------------------------------------
 * Same contract as xai_pad_ref for 1-byte elements (rank <= 8): output
 * rows (all dimensions but the last) [row_begin, row_end) are written;
 * pad_value is the output zero point for PAD. */
xai_status xai_pad_s8_xcore(xai_vpu_ctx *ctx, const xai_shape *in_shape,
                            const int32_t *before, const int32_t *after,
                            const int8_t *in, int8_t pad_value, int8_t *out,
                            size_t row_begin, size_t row_end);
xai_status xai_pad_s8_xcore_run(const xai_shape *in_shape,
                                const int32_t *before, const int32_t *after,
                                const int8_t *in, int8_t pad_value,
                                int8_t *out, unsigned n_threads,
                                xai_xcore_ew_report *rep, xai_error *err);

/* ---- CONCATENATION (int8, inputs share the output quantization) ---------
 * Same contract as xai_concat_ref with elem_size 1: input i is
 * [outer][axis_sizes[i]][inner], the output [outer][sum][inner]. Output
 * bytes [begin, end) are written, so any axis splits evenly over threads. */
xai_status xai_concat_s8_xcore(xai_vpu_ctx *ctx, uint32_t count,
                               const int8_t *const *inputs,
                               const int32_t *axis_sizes, int32_t outer,
                               int32_t inner, int8_t *out, size_t begin,
                               size_t end);
xai_status xai_concat_s8_xcore_run(uint32_t count,
                                   const int8_t *const *inputs,
                                   const int32_t *axis_sizes, int32_t outer,
                                   int32_t inner, int8_t *out,
                                   unsigned n_threads,
                                   xai_xcore_ew_report *rep, xai_error *err);

#ifdef __cplusplus
}
#endif

#endif
