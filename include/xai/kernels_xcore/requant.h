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
 * Memory layout written by the xformer (little-endian; every array 4-byte
 * aligned, 32-byte vectors): one xai_rq_group per 16 output channels plus
 * one xai_rq_consts per layer, both produced by xai_rq_pack_group /
 * xai_rq_pack_consts. The structs need only 4-byte alignment (the VPU's
 * XAI_XCORE_VPU_ALIGN): a packed blob may sit at any word-aligned address
 * (model buffers and the arena guarantee 16), so they carry no _Alignas;
 * their sizes stay multiples of 32 by explicit padding, so a blob keeps
 * every later vector at the same offset modulo 32. */
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

/* Per 16-channel group (lanes beyond the layer's channels are zero). */
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
  uint32_t reserved[4];                  /* size a multiple of 32 (704) */
} xai_rq_group;

/* xai_rq_group.fast: the group uses the fast chain (see above), with the
 * sign vector S (double rounding), with the P offset (VLADD p_offset),
 * and its constants carry the offset of the int8 output mode
 * (xai_rq_consts.out_i8) rather than the zero point. */
enum {
  XAI_RQ_FAST = 1u,
  XAI_RQ_FAST_SIGN = 2u,
  XAI_RQ_FAST_POFF = 4u,
  XAI_RQ_FAST_I8 = 8u
};

/* Per layer: output zero point, clamp and helper constant vectors. */
typedef struct {
  int16_t zp[16];
  int16_t ones[16];
  uint16_t shift16[16];
  int16_t act_hi[16];           /* min(x, hi) = hi - max(hi - x, 0) */
  int16_t neg_lo[16], act_lo[16]; /* max(x, lo) = max(x - lo, 0) + lo */
  int16_t plus127[16];          /* x + 127 < 0  <=>  x <= -128 */
  int8_t b80[32];               /* 0x80 bytes for the -128 fix-up */
  /* int8 output mode (fast groups, out_i8 != 0): the clamp in int8 after
   * an int8 VLSAT of w = y + i8_offset; see xai_rq_pack_consts. */
  int8_t i8_a[32], i8_b[32], i8_c[32];
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
  uint32_t reserved[7];         /* size a multiple of 32 (416) */
} xai_rq_consts;

_Static_assert(sizeof(xai_rq_group) % 32 == 0,
               "xai_rq_group must stay a whole number of 32-byte vectors");
_Static_assert(sizeof(xai_rq_consts) % 32 == 0,
               "xai_rq_consts must stay a whole number of 32-byte vectors");

/* Scalar bundles charged per output of a scalar-requantized group
 * (ESTIMATE: xcore MACCS 32x32->64 plus rounding, shift, clamp, store). */
#define XAI_RQ_SCALAR_BUNDLES_PER_OUTPUT 12u

/* Fills one group from up to 16 channels (n <= 16) of per-channel
 * multipliers and shifts (TFLite: real = M * 2^(shift-31)), the rounding
 * (0: xai_mbqm, 1: xai_mbqm_single) and the
 * largest |accumulator| the layer can produce on any of those channels
 * (acc_bound[i]; see xai_rq_acc_bound). Never fails: groups it cannot
 * represent are marked scalar. */
void xai_rq_pack_group(xai_rq_group *g, const int32_t *multiplier,
                       const int32_t *shift, const int64_t *acc_bound,
                       int n, int single_rounding);

/* The same, and the group takes the fast chain when every lane fits it
 * (the output offset of c is folded into its constants, so the group may
 * only be run with c). The kernels' packs use this one. */
void xai_rq_pack_group_c(xai_rq_group *g, const int32_t *multiplier,
                         const int32_t *shift, const int64_t *acc_bound,
                         int n, int single_rounding, const xai_rq_consts *c);

/* Layer constants. XAI_ERR_ARGUMENT unless -128 <= act_min <= act_max
 * <= 127 and -128 <= zp_out <= 127. */
xai_status xai_rq_pack_consts(xai_rq_consts *c, int32_t zp_out,
                              int32_t act_min, int32_t act_max,
                              xai_error *err);

/* Largest |bias + sum_k w_k * (x_k - zp_in)| over int8 x_k: the pack-time
 * accumulator bound (|x - zp_in| <= 255 only at the extremes). */
int64_t xai_rq_acc_bound(const int8_t *w, size_t n, size_t stride,
                         int32_t zp_in, int64_t bias);

/* Scratch the requantization needs per call (word aligned). */
#define XAI_RQ_SCRATCH_BYTES (4u * 32u)

/* Requantizes the 16 accumulators in vD:vR (int8 or int16 mode on entry;
 * int8 mode on return) and writes the first n (1..16) int8 results to out.
 * scratch: XAI_RQ_SCRATCH_BYTES, 4-byte aligned. out may be unaligned
 * (then the bytes go through scratch, charged as scalar stores). */
void xai_rq_run(xai_vpu_ctx *ctx, const xai_rq_group *g,
                const xai_rq_consts *c, int8_t *out, int n, void *scratch);

#ifdef __cplusplus
}
#endif

#endif
