/* Exact int8 requantization on the VPU, shared by the xcore CONV_2D,
 * DEPTHWISE_CONV_2D and FULLY_CONNECTED kernels.
 *
 * What it computes, per output channel c of a 16-channel group:
 *   out = clamp(MultiplyByQuantizedMultiplier(acc, M[c], shift[c]) + zp_out,
 *               act_min, act_max)
 * with TFLite's exact double rounding (xai_mbqm), for the 32-bit
 * accumulators acc held in vD:vR after a VLMACCR / VLMACC loop.
 *
 * Why it is exact (the proof the tests check exhaustively on ties):
 *  1. SaturatingRoundingDoublingHighMul(x, M) = floor((x*M + 2^30) / 2^31)
 *     for every sign (gemmlowp's negative nudge 1-2^30 followed by a
 *     truncating division is the same floor). So with rs = max(-shift, 0),
 *     ls = max(shift, 0):
 *       rs = 0:  y = floor((acc*M + 2^(30-ls)) / 2^(31-ls))
 *       rs >= 1: z = that with ls = 0, and RoundingDivideByPOT gives
 *                y = floor((z + 2^(rs-1) - [z<0]) / 2^rs)
 *                  = floor((acc*M + 2^30 + 2^(30+rs) - t*2^31) / 2^(31+rs))
 *     by floor(floor(u)/n + k) = floor((u + k*n)/n) (k integer), where
 *     t = [z<0] = [acc<0] because M >= 2^30 (for M = 2^30, acc = -1 gives
 *     y = 0 both ways). So y = floor(N / 2^S), N = acc*M + Bp + T*E with
 *     T = -t in {0,-1}: one floor of an exact 64-bit integer.
 *  2. N is built from 16-bit pieces with exact VLMACC (int16 mode):
 *     acc = P*2^16 + Q with P = rshr(acc,16) (VLSAT), Q = low half of the
 *     accumulator read as int16 (VSTR); M = Mh*2^16 + Ml, Ml in
 *     [-2^15, 2^15). The sum is carried up in three levels of 2^16:
 *       L0 = Q*Ml + K0                         c0 = floor(L0 / 2^16)
 *       L1 = P*Ml + Q*Mh + T*e1 + K1 + c0      c1 = floor(L1 / 2^16)
 *       L2 = P*Mh + T*e2 + K2 + c1             y  = floor(L2 / 2^(S-32))
 *     floors come from VLSAT (round half up) by folding -2^(s-1) into the
 *     constant. With |acc| <= 2^30 every level stays below 2^31 in
 *     magnitude, so no accumulator saturates.
 *  3. Channels with S < 32 (shift >= 0: scale >= 1/2) use P = sat16(acc)
 *     (VLSAT shift 0, Q unused) and the chain for N*2^16: saturating acc
 *     to +-32767 cannot change a clamped int8 output because such a scale
 *     already maps +-32767 beyond +-8191.
 *  4. y is saturated to int16 by the final VLSAT, the output zero point
 *     and the activation clamp are added with saturating VLADDs (monotone,
 *     so exact inside [act_min, act_max]), then the int16 -> int8 step
 *     (VLASHR by -8, VDEPTH8) and the documented -128 fix-up (VDEPTH1 mask
 *     + a masked store of 0x80).
 * Single rounding (LiteRT's FULLY_CONNECTED, xai_mbqm_single) is the
 * same chain with N = acc*M + 2^(S-1), S = 31 - shift, E = 0.
 *
 * Fast chain (xai_rq_pack_group_c, flag XAI_RQ_FAST; ~24 bundles to the
 * final VLSAT instead of ~35). The general chain spends 6 bundles per
 * carry (VLSAT, VSTR, VLDD, VLDR, VLDC, VLMACC ones) because a carry may
 * be negative and each level needs a full 32-bit constant. After a
 * VLSAT, vD = 0 and vR = c, so the accumulator holds c itself exactly
 * when 0 <= c <= 32767; a VLDD k then gives k*2^16 + c. If every carry is
 * provably in [0, 32767] a level costs VLSAT + VLDD, and the product
 * registers can stay in vC across levels:
 *   VSTR Q; [VSTD HI]; VLSAT 16 -> P; [VLADD d -> P' = P + d]; VSTR P';
 *   [VLASHR HI,0; VSIGN -> S = 2^14 + 2^15 T; VSTR S];
 *   VLDD/VLDR a0; VLDC Q; VLMACC Ml; VLSAT 16 -> c0;
 *   VLDD k1; VLMACC Mh (vC = Q); [VLDC S; VLMACC 1]; VLDC P'; VLMACC Ml;
 *   VLSAT 16 -> c1; VLDD k2; VLMACC Mh (vC = P'); final VLSAT.
 * Exactness: with U0 = a0 + Q*Ml + 2^15, c0 = floor(U0 / 2^16);
 * U1 = k1*2^16 + c0 + Q*Mh + S' + P'*Ml + 2^15, c1 = floor(U1 / 2^16);
 * V2 = k2*2^16 + c1 + P'*Mh; result floor((V2 + h) / 2^sh), h = 2^(sh-1)
 * (0 for sh = 0), where S' = S when the sign term is used. Applying
 * floor((floor(u/m) + b)/n) = floor((u + b*m)/(m*n)) twice gives
 *   result = floor((a0 + k1*2^32 + k2*2^48 + 2^15 + 2^31 + h*2^32
 *                   + Q*M + P'*2^16*M + 2^16*S') / 2^(32+sh)),
 * and with P' = P + d, acc = P*2^16 + Q, 2^16*S = 2^30 + T*2^31:
 *   = floor((acc*M + R' + d*2^16*M + [sign](2^30 + T*E)) / 2^S),
 * R' = a0 + k1*2^32 + k2*2^48 + 2^15 + 2^31 + h*2^32. The pack sets
 *   R = Bp + off*2^S - 2^15 - 2^31 - h*2^32 - d*2^16*M - [sign]*2^30,
 * a0 = R mod 2^32 (as int32), k1 and k2 the signed 16-bit digits of
 * (R - a0) / 2^32, so the result is floor((N + off*2^S) / 2^S) = y + off
 * exactly: the output offset off (the zero point, or the int8 stage's
 * offset) costs nothing. This holds provided no VLMACC saturates and both
 * VLSATs return carries in [0, 32767] (no int16 saturation, and the
 * accumulator reads c, not c + 2^16): the pack checks every partial sum
 * by interval arithmetic over Q in [-2^15, 2^15), P' in [P_min + d,
 * P_max + d] (P from the layer's accumulator bound), S in +-2^14, and the
 * resulting carry ranges, independently (a superset of what occurs).
 * The one free parameter is d (it moves a0 and k1 through R); the pack
 * tries d = 0, 1, -1, ... up to 2048 and keeps the general chain for the
 * group if some lane never fits (typically |Ml| or Mh within ~1000 of
 * 2^15: Q*Ml or Q*Mh alone then nearly fills the 2^31 window), or has
 * shift >= 0 or < -15, or the bound exceeds 2^30.
 * Sign term: for acc < 0, z = SRDHM(acc, M) <= 0, and the chain without
 * S (or T) gives y' = floor((z + 2^(rs-1)) / 2^rs) <= 0 where TFLite's
 * y <= y' (they differ only on ties). So when act_min >= zp_out
 * (ReLU-style clamps) both clamp to act_min and the pack leaves the term
 * out: exact, 6 bundles fewer on the fast chain (VSTD HI, VLASHR, VSIGN,
 * VSTR S, VLDC S, VLMACC 1), 7 on the general one (VSTD HI, VLASHR, VSTR
 * T, two VLDC T + VLMACC), whose compact record then has no T bits.
 * P offset in the bias: without S, a group's d can instead be added to
 * the accumulators' start (xai_rq_plan_fold_poff: bias + d*2^16 gives P'
 * from the first VLSAT and leaves Q unchanged), which drops the VLADD.
 * Output: monotone saturation keeps clamp(sat(w)) = clamp(w) for w =
 * y + off. Int16 stage (act_min = -128 or act_max < 127 with act_min <
 * 0): as step 4 without the zero-point VLADD. Int8 stage (xai_rq_consts
 * .out_i8): VSETC int8 first, so the final VLSAT yields int8 directly:
 * mode 1 (act_min in [-127, -1], act_max = 127) uses off = zp - lo - 127,
 * so sat8 maps [lo, lo + 254] one to one and clamps below lo, then VLADD
 * (lo + 127) stays in [lo, 127] (sat8 gives 127 above); mode 2 (lo >= 0)
 * uses off = zp - lo, VPOS, and then VLADD lo (hi = 127) or min with hi
 * as hi - max(hi - lo - v, 0) (VLSUB, VPOS, VLSUB), all inside [-127,
 * 127]. No -128 can occur, so the fix-up and its branch are skipped.
 * Groups the chain cannot represent (multiplier outside [2^30, 2^31), a
 * possible |acc| > 2^30, a left shift that would wrap acc in TFLite, or
 * shifts beyond +-30/31) are flagged at pack time and requantized by exact
 * scalar code, charged XAI_RQ_SCALAR_BUNDLES_PER_OUTPUT bundles per output.
 *
 * Memory layout written by the xformer (little-endian, 4-byte alignment
 * only: the VPU needs no more, XAI_XCORE_VPU_ALIGN). Pack time works on
 * full-size plans (xai_rq_plan per 16 output channels, xai_rq_consts_plan
 * per layer: xai_rq_pack_group_c / xai_rq_pack_consts); the blob holds
 * their compact encodings, which keep only what the run reads:
 *  - a group record (xai_rq_group): one info word (kind, flags, term
 *    mask), then the 32-byte vectors of its kind, in the order below.
 *    Fast: 7 vectors (8 with the P offset); the chain's duplicated
 *    coefficients (Ml twice, Mh twice) are stored once, the sign
 *    coefficient (1 on every lane) is a constant of the kernel library.
 *    General: split and final shifts, the level constants (level 0 only
 *    with the L0_Q term) and one vector per term in term_mask. Scalar:
 *    only the original multipliers and shifts.
 *  - the layer constants (xai_rq_consts): a 40-byte header (clamp, zero
 *    point, output stage) and only the vectors its groups read; vectors
 *    the same in every layer (ones, 16s, 127s, 0x80 bytes) are constants
 *    of the kernel library (firmware), not of the model.
 * Records vary in size, so a layer's blob finds group g through an
 * offset table (requant_internal.h, docs/xcore_ops.md). */
#ifndef XAI_KERNELS_XCORE_REQUANT_H
#define XAI_KERNELS_XCORE_REQUANT_H

#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"
#include "xai/vpu.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Coefficient slots of the level chain (term_mask bit i = slot i used). */
enum {
  XAI_RQ_L0_Q = 0, /* Q * Ml                                   */
  XAI_RQ_L1_T,     /* T * e1                                   */
  XAI_RQ_L1_Q,     /* Q * Mh                                   */
  XAI_RQ_L1_QE,    /* Q * 2^14 (second half of Mh = 2^15)      */
  XAI_RQ_L1_P,     /* P * Ml                                   */
  XAI_RQ_L2_P,     /* P * Mh                                   */
  XAI_RQ_L2_PE,    /* P * 2^14 (second half of Mh = 2^15)      */
  XAI_RQ_L2_T,     /* T * e2                                   */
  XAI_RQ_TERMS
};

/* Pack-time plan of one 16-channel group (lanes beyond the layer's
 * channels are zero); never stored as such. */
typedef struct {
  uint16_t split_shift[16];              /* VLSAT shift making P: 16 or 0 */
  uint16_t final_shift[16];              /* S - 32 or S - 16 */
  int16_t k_hi[3][16];                   /* level constants, vD halves */
  uint16_t k_lo[3][16];                  /* level constants, vR halves */
  int16_t coef[XAI_RQ_TERMS][16];
  int16_t p_offset[16];                  /* fast chain: d, P' = P + d */
  int32_t multiplier[16];                /* originals, for the scalar path */
  int32_t shift[16];
  uint32_t term_mask;                    /* slots used by some lane */
  uint32_t scalar;                       /* 1: exact scalar requantization */
  uint32_t single_rounding;              /* 1: xai_mbqm_single semantics */
  uint32_t fast;                         /* XAI_RQ_FAST_* flags, 0: chain */
  uint32_t compact;  /* 1: encode as a compact general record (below) */
} xai_rq_plan;

/* xai_rq_plan.fast: the group uses the fast chain (see above), with the
 * sign vector S (double rounding), with the P offset (VLADD p_offset),
 * and its constants carry the offset of the int8 output mode
 * (xai_rq_consts_plan.out_i8) rather than the zero point. */
enum {
  XAI_RQ_FAST = 1u,
  XAI_RQ_FAST_SIGN = 2u,
  XAI_RQ_FAST_POFF = 4u,
  XAI_RQ_FAST_I8 = 8u
};

/* Pack-time plan of a layer's output stage. */
typedef struct {
  int32_t act_min, act_max, zp_out;
  uint32_t do_min, do_max, fix128;
  /* >= 2: the layer has C <= 8 channels, one group, and lane l holds
   * channel l % C for l < replicas * C (replicas = 16 / C), so one vector
   * computes `replicas` adjacent output pixels (set by the depthwise pack,
   * see conv.h); 0 or 1: lane l is channel 16 g + l. */
  uint32_t replicas;
  /* 0: int16 output stage. 1: int8, lo in [-127, -1], hi = 127: VLADD
   * i8_a (lo + 127, skipped when 0). 2: int8, lo >= 0: VPOS, then for
   * hi < 127 VLSUB i8_b (hi - lo), VPOS, VLSUB i8_c (hi), else VLADD i8_a
   * (lo, skipped when 0). */
  uint32_t out_i8;
  int32_t i8_offset;            /* added to y by fast groups in modes 1, 2 */
} xai_rq_consts_plan;

/* ---- Encoded forms (what the blob holds and xai_rq_run reads) ---------- */

/* xai_rq_group.info: bits 0..7 term_mask, 8..11 the fast flags, then: */
#define XAI_RQ_INFO_FAST_SHIFT 8u
#define XAI_RQ_INFO_SCALAR (1u << 12)
#define XAI_RQ_INFO_SINGLE (1u << 13)
/* A compact general record: the general chain with term mask
 * XAI_RQ_COMPACT_MASK whose shared vectors (split shift 16, the level
 * constants -2^15, -2^14 and 0, the T coefficients -2^15 and 1: what every
 * lane with a right shift of 2 or more and double rounding gets) are
 * constants of the kernel library; the record holds only the final shift,
 * Ml (the L0_Q and L1_P coefficient) and Mh (L1_Q and L2_P): 100 bytes
 * per 16 channels instead of 452 (general) or 260 (fast), for ~11 more
 * bundles per requantized vector than the fast chain. */
#define XAI_RQ_INFO_COMPACT (1u << 14)
#define XAI_RQ_COMPACT_MASK                                                \
  ((1u << XAI_RQ_L0_Q) | (1u << XAI_RQ_L1_T) | (1u << XAI_RQ_L1_Q) |       \
   (1u << XAI_RQ_L1_P) | (1u << XAI_RQ_L2_P) | (1u << XAI_RQ_L2_T))
/* The sign term's slots; a compact record without them (a clamp that
 * hides the term, "Sign term") runs the chain without T. */
#define XAI_RQ_T_MASK ((1u << XAI_RQ_L1_T) | (1u << XAI_RQ_L2_T))

/* Vector order of a fast record: final shift, a0 (vD half, vR half), k1,
 * k2, Ml, Mh, and with XAI_RQ_FAST_POFF the P offset d. */
enum {
  XAI_RQF_SHIFT = 0, XAI_RQF_A0_HI, XAI_RQF_A0_LO, XAI_RQF_K1, XAI_RQF_K2,
  XAI_RQF_ML, XAI_RQF_MH, XAI_RQF_POFF
};

/* One group record: info, then xai_rq_group_vectors(info) vectors of 32
 * bytes (int16 lanes; a scalar record holds int32 multiplier[16] then
 * int32 shift[16] in its 4). 4-byte aligned. */
typedef struct {
  uint32_t info;
  int16_t v[][16];
} xai_rq_group;

/* Vectors a record of this info word holds (fast 7 or 8, scalar 4,
 * general 2 + 2 per level constant + 1 per term). */
uint32_t xai_rq_group_vectors(uint32_t info);
/* Record bytes: 4 + 32 * vectors. */
static inline size_t xai_rq_group_bytes(uint32_t info) {
  return 4u + 32u * (size_t)xai_rq_group_vectors(info);
}
/* 1 when the first n lanes of g (packed for the general chain) are
 * exactly what a compact record and the library's shared vectors give. */
int xai_rq_plan_compactable(const xai_rq_plan *g, int n);
/* The info word of a plan. */
uint32_t xai_rq_plan_info(const xai_rq_plan *g);
/* Writes the record of g to dst (4-byte aligned; NULL: size only);
 * returns its bytes. */
size_t xai_rq_encode_group(const xai_rq_plan *g, void *dst);

/* Layer constants vectors (xai_rq_consts.off indices). */
enum {
  XAI_RQC_ZP = 0,  /* int16 zero point (general groups)            */
  XAI_RQC_ACT_HI,  /* int16 act_max: min(x, hi) = hi - max(hi - x, 0) */
  XAI_RQC_NEG_LO,  /* int16 -act_min: max(x, lo) = max(x - lo, 0) + lo */
  XAI_RQC_ACT_LO,  /* int16 act_min                                */
  XAI_RQC_I8_A,    /* int8 output stage vectors (see out_i8)       */
  XAI_RQC_I8_B,
  XAI_RQC_I8_C,
  XAI_RQC_VECTORS
};

/* Encoded layer constants: this header, then the vectors its groups read
 * at byte offsets off[] from its start (0: absent; an absent vector is
 * never read, and offset 0 would still read inside the header). */
typedef struct {
  int32_t act_min, act_max, zp_out, i8_offset;
  uint32_t bytes;                  /* header + vectors */
  uint8_t do_min, do_max, fix128, out_i8;
  uint16_t replicas;               /* as xai_rq_consts_plan.replicas */
  uint16_t off[XAI_RQC_VECTORS];
} xai_rq_consts;

_Static_assert(sizeof(xai_rq_consts) == 40 && sizeof(xai_rq_consts) >= 32,
               "xai_rq_consts: a 32-byte read at offset 0 stays inside");

/* Which consts vectors groups of this info word read (XAI_RQ_NEEDS_*),
 * OR-ed over a layer's groups for xai_rq_encode_consts. */
enum {
  XAI_RQ_NEEDS_ZP = 1u,    /* general chain: adds the zero point     */
  XAI_RQ_NEEDS_OUT16 = 2u, /* int16 output stage (clamp vectors)     */
  XAI_RQ_NEEDS_I8 = 4u     /* int8 output stage (fast groups, out_i8) */
};
uint32_t xai_rq_consts_needs(uint32_t info);
/* Writes the constants with the vectors `needs` requires (dst NULL: size
 * only); returns the bytes (xai_rq_consts.bytes). */
size_t xai_rq_encode_consts(const xai_rq_consts_plan *c, uint32_t needs,
                            void *dst);
/* 1 when c (at a 4-byte aligned address with `avail` readable bytes) is a
 * well-formed encoding: bytes within avail, every vector inside, 4-byte
 * aligned offsets. */
int xai_rq_consts_valid(const xai_rq_consts *c, size_t avail);

/* ---- Where the records are in a conv / fc blob (conv.h, fc.h) ----------
 * The offsets of the group records from the blob's start (n_groups + 1
 * entries, the last one the constants') follow the bias (32 int16 per
 * group). The kernels' op structs keep no pointer to them, nor the blob's
 * size, because every XAI_* op holds such a struct in its arena data. */
static inline const uint32_t *xai_xcore_rq_index(const int16_t *bias,
                                                 int32_t n_groups) {
  return (const uint32_t *)(const void *)(bias + 32 * n_groups);
}
/* Bytes of the blob pack wrote or bind checked (the constants end it). */
static inline size_t xai_xcore_blob_bytes(const int8_t *weights,
                                          const xai_rq_consts *consts) {
  return (size_t)((const int8_t *)(const void *)consts - weights) +
         consts->bytes;
}

/* Scalar bundles charged per output of a scalar-requantized group
 * (ESTIMATE: xcore MACCS 32x32->64 plus rounding, shift, clamp, store). */
#define XAI_RQ_SCALAR_BUNDLES_PER_OUTPUT 12u
/* Of those, memory-lane bundles: 4 loads, 1 store, 1 loop branch. */
#define XAI_RQ_SCALAR_MEM_PER_OUTPUT 6u

/* Fills one group from up to 16 channels (n <= 16) of per-channel
 * multipliers and shifts (TFLite: real = M * 2^(shift-31)), the rounding
 * (0: xai_mbqm, 1: xai_mbqm_single) and the
 * largest |accumulator| the layer can produce on any of those channels
 * (acc_bound[i]; see xai_rq_acc_bound). Never fails: groups it cannot
 * represent are marked scalar. */
void xai_rq_pack_group(xai_rq_plan *g, const int32_t *multiplier,
                       const int32_t *shift, const int64_t *acc_bound,
                       int n, int single_rounding);

/* The same, and the group takes the fast chain when every lane fits it
 * (the output offset of c is folded into its constants, so the group may
 * only be run with c). The kernels' packs use this one. */
void xai_rq_pack_group_c(xai_rq_plan *g, const int32_t *multiplier,
                         const int32_t *shift, const int64_t *acc_bound,
                         int n, int single_rounding,
                         const xai_rq_consts_plan *c);

/* xai_rq_pack_group for a layer clamped by c: leaves the sign term T out
 * when c's clamp hides it ("Sign term" above; a compact record then has
 * no T bits in its mask). */
void xai_rq_pack_group_clamped(xai_rq_plan *g, const int32_t *multiplier,
                               const int32_t *shift,
                               const int64_t *acc_bound, int n,
                               int single_rounding,
                               const xai_rq_consts_plan *c);

/* A fast group with the P offset and no sign term: moves d to d_out
 * (lane i's accumulators must then start d_out[i] * 2^16 higher, which the
 * kernels' bias does) and clears the offset, so the run skips its VLADD.
 * Returns 0 and changes nothing for other groups. */
int xai_rq_plan_fold_poff(xai_rq_plan *g, int16_t d_out[16]);

/* Layer constants. XAI_ERR_ARGUMENT unless -128 <= act_min <= act_max
 * <= 127 and -128 <= zp_out <= 127. */
xai_status xai_rq_pack_consts(xai_rq_consts_plan *c, int32_t zp_out,
                              int32_t act_min, int32_t act_max,
                              xai_error *err);

/* Largest |bias + sum_k w_k * (x_k - zp_in)| over int8 x_k: the pack-time
 * accumulator bound (|x - zp_in| <= 255 only at the extremes). */
int64_t xai_rq_acc_bound(const int8_t *w, size_t n, size_t stride,
                         int32_t zp_in, int64_t bias);

/* Scratch the requantization needs per call (word aligned). */
#define XAI_RQ_SCRATCH_BYTES (4u * 32u)

/* Requantizes the 16 accumulators in vD:vR (int8 or int16 mode on entry;
 * int8 mode on return) with an encoded group g and the layer's encoded
 * constants c, and writes the first n (1..16) int8 results to out.
 * scratch: XAI_RQ_SCRATCH_BYTES, 4-byte aligned. out may be unaligned
 * (then the bytes go through scratch, charged as scalar stores). */
void xai_rq_run(xai_vpu_ctx *ctx, const xai_rq_group *g,
                const xai_rq_consts *c, int8_t *out, int n, void *scratch);

/* The same as the device's instruction sequence, one emulated instruction
 * at a time: the spec of xai_rq_run, which computes the lanes directly and
 * charges the sequence's bundles in one step (same outputs, registers and
 * counters; xai_rq_run leaves the scratch slots unwritten). */
void xai_rq_run_vpu(xai_vpu_ctx *ctx, const xai_rq_group *g,
                    const xai_rq_consts *c, int8_t *out, int n,
                    void *scratch);
/* on != 0: xai_rq_run issues the sequence itself (xai_rq_run_vpu), so a
 * test can compare whole models both ways. Process-wide; set it only
 * while no model runs. */
void xai_rq_set_vpu_sequence(int on);
/* Layers with at most this many output pixels (FULLY_CONNECTED: batch
 * rows) pack compact records where their groups allow (0: the default,
 * 64): a size/time trade-off (docs/memory.md). Returns the previous
 * threshold. Process-wide; the xformer sets it for one run
 * (--xcore-compact-requant-pixels). */
size_t xai_rq_set_compact_max_pixels(size_t pixels);

#ifdef __cplusplus
}
#endif

#endif
