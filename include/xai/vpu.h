/* A bit-exact C model of the xcore.ai (XS3) vector unit, plus the bundle
 * counter that drives the cycle model.
 *
 * Optimised kernels (src/kernels/xcore) are written ONLY against this API, one
 * call per instruction, so the same source maps 1:1 onto real VPU code. Each
 * call is one memory-lane bundle; kernels add their ALU-only bundles with
 * xai_vpu_scalar(), scalar loads/stores with xai_vpu_mem() and loop
 * branches with xai_vpu_branch(); FNOPs are added by the fetch model. docs/vpu.md lists the sources of every semantic below.
 *
 * Conventions used in the instruction comments:
 *   lanes      int8 mode: 32 x int8; int16: 16 x int16; int32: 8 x int32.
 *   acc[i]     accumulator i. int8/int16 modes: 16 accumulators of 32 bits,
 *              acc[i] = vD.s16[i] (high half) : vR.u16[i] (low half).
 *              int32 mode: 8 accumulators of 40 bits, acc[i] = vD.s32[i]
 *              (high bits, sign-extended) : vR.u32[i] (low 32 bits).
 *   mem        the 32 bytes at addr, read as lanes of the current mode.
 *   sat8/16/32 SYMMETRIC saturation to [-127,127] / [-32767,32767] /
 *              [-(2^31-1), 2^31-1]; sat40 to [-(2^39-1), 2^39-1]. The VPU
 *              never produces -128 / -32768 / -2^31 by saturation; see
 *              "Producing -128" at the end of this file.
 *   rshr(x,s)  rounding arithmetic right shift: floor(x / 2^s + 1/2), i.e.
 *              ties round towards +infinity ("round half up"); rshr(x,0) = x.
 *
 * Faults: every load/store address must be 4-byte aligned and non-NULL. A
 * bad address does not touch memory; it records the first fault in
 * ctx->fault / fault_op / fault_addr (sticky until xai_vpu_clear_fault),
 * counts it in fault_count and still costs its bundle. An instruction used
 * in a mode where it is undefined (e.g. VDEPTH16 outside int32 mode) records
 * XAI_VPU_FAULT_MODE and leaves the registers unchanged. Nothing aborts;
 * kernels turn a fault into an xai_status with xai_vpu_check().
 *
 * Memory is read and written little-endian, as on the xcore. */
#ifndef XAI_VPU_H
#define XAI_VPU_H

#include <stdint.h>
#include <string.h>

#include "xai/common.h"
#include "xai/xcore_machine.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the VPU model maps lanes onto host integers and needs a little-endian host"
#endif

/* One 256-bit register, viewable as lanes of any width. */
typedef union {
  uint8_t u8[32];
  int8_t s8[32];
  uint16_t u16[16];
  int16_t s16[16];
  uint32_t u32[8];
  int32_t s32[8];
} xai_vpu_vec;

/* Element mode; the values are the type field (bits 11..8) of the VSETC
 * control word (lib_xcore_math vpu_info.h VSETCTRL_TYPE_*). */
typedef enum {
  XAI_VPU_MODE_INT32 = 0,
  XAI_VPU_MODE_INT16 = 1,
  XAI_VPU_MODE_INT8 = 2,
} xai_vpu_mode;

typedef enum {
  XAI_VPU_FAULT_NONE = 0,
  XAI_VPU_FAULT_ALIGN, /* load/store address not a multiple of 4 */
  XAI_VPU_FAULT_NULL,  /* load/store address NULL */
  XAI_VPU_FAULT_MODE,  /* instruction undefined in the current mode, or a
                          VSETC word with an unknown type */
} xai_vpu_fault;

/* The VPU state and counters of one hardware thread. Plain data: kernels may
 * read the registers (e.g. in tests) but must change them only through the
 * instruction calls. */
typedef struct {
  xai_vpu_vec vR, vD, vC;
  xai_vpu_mode mode;
  uint32_t ctrl;        /* last VSETC word (headroom bits are not modelled) */
  uint64_t bundles;     /* issue slots: VPU, scalar and FNOP bundles */
  uint64_t vpu_ops;     /* VPU instructions alone */
  uint64_t macs;        /* multiply-accumulates done by VLMACC* */
  uint64_t fnops;       /* fetch no-ops (included in bundles) */
  uint32_t ibuf;        /* bytes left in the instruction buffer */
  uint32_t alu_pending; /* deferred ALU-only bundles (xai_vpu_defer) */
  xai_vpu_fault fault;  /* first fault since init/clear, or NONE */
  const char *fault_op; /* instruction name of that fault, e.g. "VLDR" */
  uintptr_t fault_addr; /* its address (0 for mode faults) */
  uint32_t fault_count; /* all faults since init/clear */
} xai_vpu_ctx;

/* ---- Set-up, counters, faults (not instructions: no bundles) ------------ */

/* Zeroes registers and counters and sets the mode. */
void xai_vpu_init(xai_vpu_ctx *ctx, xai_vpu_mode mode);

/* The fetch-buffer model (include/xai/xcore_machine.h, docs/vpu.md "Cycle
 * model"): a bundle needs its 4 bytes in the buffer; if they are not there
 * the thread first issues an FNOP, which fetches one line. */
static inline void xai_vpu_fetch(xai_vpu_ctx *ctx) {
  if (ctx->alu_pending && ctx->ibuf == XAI_XCORE_BUNDLE_BYTES) {
    /* A deferred ALU bundle goes in the last buffered slot: it refills the
     * buffer, so this bundle needs no FNOP (see xai_vpu_defer). */
    ctx->alu_pending--;
    ctx->bundles++;
    ctx->ibuf = XAI_XCORE_IBUF_BYTES;
  }
  if (ctx->ibuf < XAI_XCORE_BUNDLE_BYTES) {
    ctx->bundles++;
    ctx->fnops++;
    ctx->ibuf += XAI_XCORE_FETCH_BYTES;
  }
  ctx->ibuf -= XAI_XCORE_BUNDLE_BYTES;
}

/* Adds n ALU-lane-only bundles: arithmetic, compares, address arithmetic
 * that found no memory-lane instruction to pair with. They leave the memory
 * port free, so each refills the instruction buffer. Call at loop
 * granularity. */
static inline void xai_vpu_scalar(xai_vpu_ctx *ctx, uint64_t n) {
  if (n == 0) return;
  xai_vpu_fetch(ctx);
  ctx->bundles += n;
  ctx->ibuf = XAI_XCORE_IBUF_BYTES;
}

/* n ALU-only bundles the schedule may place anywhere before the next
 * xai_vpu_flush (address and bound arithmetic for the next tap, group or
 * pixel, software-pipelined as hand-written XS3 loops do): each goes where
 * the buffer is down to its last bundle, so it refills the buffer in the
 * slot an FNOP would have taken. */
static inline void xai_vpu_defer(xai_vpu_ctx *ctx, uint32_t n) {
  ctx->alu_pending += n;
}

/* Issues the deferred ALU bundles that found no slot. */
static inline void xai_vpu_flush(xai_vpu_ctx *ctx) {
  uint32_t n = ctx->alu_pending;
  ctx->alu_pending = 0;
  xai_vpu_scalar(ctx, n);
}

/* Adds n scalar memory-lane bundles (LDW/STW/LD8U/ST8..., untaken branches;
 * each may carry one ALU instruction). No refill: after the buffer runs dry
 * every 4th costs an FNOP. Closed form of n xai_vpu_fetch calls. */
static inline void xai_vpu_mem(xai_vpu_ctx *ctx, uint64_t n) {
  for (; n && ctx->alu_pending; n--) { /* deferred ALU bundles first */
    xai_vpu_fetch(ctx);
    ctx->bundles++;
  }
  const uint64_t need = n * XAI_XCORE_BUNDLE_BYTES;
  uint64_t f = 0;
  if (need > ctx->ibuf)
    f = (need - ctx->ibuf + XAI_XCORE_FETCH_BYTES - 1u) / XAI_XCORE_FETCH_BYTES;
  ctx->fnops += f;
  ctx->bundles += n + f;
  ctx->ibuf = (uint32_t)(ctx->ibuf + f * XAI_XCORE_FETCH_BYTES - need);
}

/* A taken branch (the loop branch of one iteration, with its counter
 * update paired in the ALU lane): a memory-lane bundle that fetches its
 * target line. Loops generated unrolled charge none. */
static inline void xai_vpu_branch(xai_vpu_ctx *ctx) {
  xai_vpu_fetch(ctx);
  ctx->bundles++;
  ctx->ibuf = XAI_XCORE_FETCH_BYTES;
}

/* Spill reloads per iteration of a loop that keeps `live` values in
 * registers: one stack LDW per value beyond XS3's 12 general registers. */
static inline uint64_t xai_vpu_spills(unsigned live) {
  return live > XAI_XCORE_GENERAL_REGS ? live - XAI_XCORE_GENERAL_REGS : 0u;
}

void xai_vpu_clear_fault(xai_vpu_ctx *ctx);

/* XAI_OK if no fault was recorded; otherwise XAI_ERR_STATE with a message
 * naming `where` (e.g. "op 3 XAI_CONV2D thread 2"), the instruction, the
 * address and what to fix. */
xai_status xai_vpu_check(const xai_vpu_ctx *ctx, const char *where,
                         xai_error *err);

const char *xai_vpu_fault_name(xai_vpu_fault fault);

/* Host-side inspection of accumulator i in the current mode (i < 16 in
 * int8/int16 mode, i < 8 in int32 mode; other i return 0). Not an
 * instruction: for tests and debugging, never for kernel results. */
int64_t xai_vpu_acc(const xai_vpu_ctx *ctx, unsigned i);

/* Internal: records a fault (first one wins) and counts it. */
void xai_vpu_fault_record(xai_vpu_ctx *ctx, xai_vpu_fault fault,
                          const char *op, const void *addr);

/* Internal: one bundle issued by a VPU instruction. */
static inline void xai_vpu_issue(xai_vpu_ctx *ctx) {
  xai_vpu_fetch(ctx);
  ctx->bundles++;
  ctx->vpu_ops++;
}

/* Internal: alignment/NULL check shared by every memory operand; one
 * branch on the good path. */
static inline int xai_vpu_addr_ok(xai_vpu_ctx *ctx, const void *addr,
                                  const char *op) {
  uintptr_t a = (uintptr_t)addr;
  if (((a & (XAI_XCORE_VPU_ALIGN - 1u)) | (uintptr_t)(a == 0)) == 0) return 1;
  xai_vpu_fault_record(ctx, a == 0 ? XAI_VPU_FAULT_NULL : XAI_VPU_FAULT_ALIGN,
                       op, addr);
  return 0;
}

/* ---- Control ----------------------------------------------------------- */

/* VSETC: writes the control word; bits 11..8 select the mode (0 int32,
 * 1 int16, 2 int8). Another type value is a MODE fault (mode unchanged). */
void xai_vpu_vsetc(xai_vpu_ctx *ctx, uint32_t ctrl);

/* VSETC with just a mode: the word (mode << 8). */
static inline void xai_vpu_set_mode(xai_vpu_ctx *ctx, xai_vpu_mode mode) {
  xai_vpu_vsetc(ctx, (uint32_t)mode << 8);
}

/* VCLRDR: vD = vR = 0 (clears all accumulators). */
static inline void xai_vpu_vclrdr(xai_vpu_ctx *ctx) {
  xai_vpu_issue(ctx);
  memset(&ctx->vR, 0, sizeof ctx->vR);
  memset(&ctx->vD, 0, sizeof ctx->vD);
}

/* ---- Loads and stores (32 bytes, addr 4-byte aligned) -------------------- */

/* VLDR / VLDD / VLDC: register = the 32 bytes at addr. */
static inline void xai_vpu_vldr(xai_vpu_ctx *ctx, const void *addr) {
  xai_vpu_issue(ctx);
  if (xai_vpu_addr_ok(ctx, addr, "VLDR")) memcpy(&ctx->vR, addr, 32);
}
static inline void xai_vpu_vldd(xai_vpu_ctx *ctx, const void *addr) {
  xai_vpu_issue(ctx);
  if (xai_vpu_addr_ok(ctx, addr, "VLDD")) memcpy(&ctx->vD, addr, 32);
}
static inline void xai_vpu_vldc(xai_vpu_ctx *ctx, const void *addr) {
  xai_vpu_issue(ctx);
  if (xai_vpu_addr_ok(ctx, addr, "VLDC")) memcpy(&ctx->vC, addr, 32);
}

/* VSTR / VSTD / VSTC: the 32 bytes at addr = register. */
static inline void xai_vpu_vstr(xai_vpu_ctx *ctx, void *addr) {
  xai_vpu_issue(ctx);
  if (xai_vpu_addr_ok(ctx, addr, "VSTR")) memcpy(addr, &ctx->vR, 32);
}
static inline void xai_vpu_vstd(xai_vpu_ctx *ctx, void *addr) {
  xai_vpu_issue(ctx);
  if (xai_vpu_addr_ok(ctx, addr, "VSTD")) memcpy(addr, &ctx->vD, 32);
}
static inline void xai_vpu_vstc(xai_vpu_ctx *ctx, void *addr) {
  xai_vpu_issue(ctx);
  if (xai_vpu_addr_ok(ctx, addr, "VSTC")) memcpy(addr, &ctx->vC, 32);
}

/* VSTRPV: for each bit i (0..31) set in byte_mask, byte addr[i] = vR.u8[i];
 * other bytes of memory are untouched. Writes partial vectors (tails) and
 * the -128 fix-up. addr must still be 4-byte aligned. */
static inline void xai_vpu_vstrpv(xai_vpu_ctx *ctx, void *addr,
                                  uint32_t byte_mask) {
  xai_vpu_issue(ctx);
  if (!xai_vpu_addr_ok(ctx, addr, "VSTRPV")) return;
  uint8_t *dst = (uint8_t *)addr;
  if (byte_mask == 0xFFFFFFFFu) {
    memcpy(dst, &ctx->vR, 32);
    return;
  }
  if ((byte_mask & (byte_mask + 1u)) == 0) { /* the first n bytes */
    unsigned n = 0;
    while (byte_mask >> n) n++;
    memcpy(dst, &ctx->vR, n);
    return;
  }
  for (unsigned i = 0; i < 32; i++)
    if (byte_mask & (1u << i)) dst[i] = ctx->vR.u8[i];
}

/* ---- Multiply-accumulate --------------------------------------------------
 * Accumulator arithmetic is exact until the single final saturation of each
 * instruction (sat32 in int8/int16 mode, sat40 in int32 mode). */

/* VLMACC: element-wise MAC into every accumulator.
 *   int8:  acc[i] = sat32(acc[i] + vC.s8[i] * mem.s8[i]),   i < 16
 *   int16: acc[i] = sat32(acc[i] + vC.s16[i] * mem.s16[i]), i < 16
 *   int32: acc[i] = sat40(acc[i] + rshr(vC.s32[i] * mem.s32[i], 30)), i < 8
 * (int8 mode uses only bytes 0..15 of vC and of mem.) */
void xai_vpu_vlmacc(xai_vpu_ctx *ctx, const void *addr);

/* VLMACCR: dot product into the top accumulator, then rotate.
 *   top = acc[N-1] + sum over all lanes j of vC[j] * mem[j]
 *         (int32 mode: each product is rshr(vC[j] * mem[j], 30))
 *   acc[i] = acc[i-1] for i = N-1 .. 1;  acc[0] = sat(top)
 * N = 16 (sat32) in int8/int16 mode, 8 (sat40) in int32 mode. So after N
 * VLMACCRs with weight rows w0..w(N-1), acc[N-1-k] holds row k's sum: the
 * first row issued ends at the top. int8 mode: 32 MACs per bundle. */
void xai_vpu_vlmaccr_wide(xai_vpu_ctx *ctx, const void *addr);
static inline void xai_vpu_vlmaccr(xai_vpu_ctx *ctx, const void *addr) {
  if (ctx->mode != XAI_VPU_MODE_INT8) {
    xai_vpu_vlmaccr_wide(ctx, addr);
    return;
  }
  xai_vpu_issue(ctx);
  if (!xai_vpu_addr_ok(ctx, addr, "VLMACCR")) return;
  int8_t m[32];
  memcpy(m, addr, 32);
  int32_t dot = 0; /* |dot| <= 32 * 128 * 128 = 2^19: no overflow */
  for (unsigned j = 0; j < 32; j++) dot += (int32_t)ctx->vC.s8[j] * m[j];
  int64_t top = (int64_t)(int32_t)(((uint32_t)ctx->vD.u16[15] << 16) |
                                   ctx->vR.u16[15]) + dot;
  if (top > INT32_MAX) top = INT32_MAX;
  if (top < -INT32_MAX) top = -INT32_MAX;
  memmove(&ctx->vD.u16[1], &ctx->vD.u16[0], 30);
  memmove(&ctx->vR.u16[1], &ctx->vR.u16[0], 30);
  ctx->vD.u16[0] = (uint16_t)((uint32_t)top >> 16);
  ctx->vR.u16[0] = (uint16_t)(uint32_t)top;
  ctx->macs += 32;
}

/* Sixteen VLMACCRs of rows[0..15] in order, in int8 mode: registers,
 * counters and faults exactly as the sixteen calls leave them, computed in
 * one pass (the host-speed form of a 16-channel group block). */
void xai_vpu_vlmaccr16(xai_vpu_ctx *ctx, const int8_t *const rows[16]);
/* The same for 16 rows stored back to back (rows + 32 k). */
void xai_vpu_vlmaccr16_block(xai_vpu_ctx *ctx, const int8_t *rows);

/* n pairs (VLDC c[k]; VLMACC m[k]) in int8 mode, with the registers,
 * counters and faults of the 2n calls, in one pass (host speed). */
void xai_vpu_vlmacc8_pairs(xai_vpu_ctx *ctx, const void *const *c,
                           const void *const *m, unsigned n);
/* The arithmetic of those n pairs (registers, MAC count, faults) without
 * their bundles, for a kernel that charges each instruction in its place
 * (xai_vpu_charge_vpu) and computes the block afterwards. */
void xai_vpu_vlmacc8_sum(xai_vpu_ctx *ctx, const void *const *c,
                         const void *const *m, unsigned n);
/* Charges n VPU instructions' bundles (what each call would), for the
 * instructions of a block computed by a step form afterwards. */
static inline void xai_vpu_charge_vpu(xai_vpu_ctx *ctx, unsigned n) {
  /* n xai_vpu_issue calls: VPU and scalar memory-lane bundles are alike
   * to the fetch model, so this is xai_vpu_mem's closed form
   * (test_vpu_step_forms checks it against the calls). */
  xai_vpu_mem(ctx, n);
  ctx->vpu_ops += n;
}

/* VLMACCR1: binary (1-bit) dot product of all 256 bits of vC and mem into
 * the top accumulator, then rotate as VLMACCR:
 *   top = acc[15] + popcount(~(vC XOR mem)) - 128   (over 256 bits)
 * so equal bits count +1/2 and unequal -1/2 in units where +-1 weights give
 * +-1: with bits b = (value < 0), top gains (sum of +-1 products) / 2.
 * Uses the 16 x 32-bit accumulators; only defined in int8/int16 mode
 * (int32 mode is a MODE fault). 256 MACs per bundle. */
void xai_vpu_vlmaccr1(xai_vpu_ctx *ctx, const void *addr);

/* VLSAT: shift every accumulator right with rounding, saturate, into vR.
 *   int8:  vR.s8[i]  = sat8(rshr(acc[i], sh.u16[i])),  i < 16;
 *          vR bytes 16..31 = 0
 *   int16: vR.s16[i] = sat16(rshr(acc[i], sh.u16[i])), i < 16
 *   int32: vR.s32[i] = sat32(rshr(vD.s32[i]:vR.u32[i], sh.u32[i])), i < 8
 *          (the full 64 bits of vD:vR are shifted)
 * then vD = 0. `shifts` is a 32-byte vector in memory: 16 x uint16 (int8,
 * int16) or 8 x uint32 (int32). Shift 0 leaves acc unchanged before
 * saturation. XS3 stops rounding once the shift reaches the accumulator
 * width: in int8/int16 mode a shift >= 32 gives 0 (acc >= 0) or -1. Shifts
 * above 62 act as 62. */
void xai_vpu_vlsat(xai_vpu_ctx *ctx, const void *shifts);

/* VADDDR: horizontal sum of all accumulators into acc[0]:
 *   acc[0] = sat(acc[0] + acc[1] + ... + acc[N-1]); acc[1..N-1] = 0
 * (sat32 / N=16 in int8/int16 mode, sat40 / N=8 in int32 mode). */
void xai_vpu_vadddr(xai_vpu_ctx *ctx);

/* ---- Element-wise on vR (lanes of the current mode) --------------------- */

/* VLASHR: vR[i] = shift of mem[i] by the scalar shr, saturated:
 *   shr >= 0: sat(mem[i] >> shr)  arithmetic, truncating (floor); a shift of
 *             the lane width or more gives 0 or -1;
 *   shr <  0: sat(mem[i] * 2^-shr) (a left shift by >= width-1 saturates
 *             every non-zero lane).
 * Note sat(-128 >> 0) = -127: VLASHR never passes -128 through. */
void xai_vpu_vlashr(xai_vpu_ctx *ctx, const void *addr, int32_t shr);

/* VLADD: vR[i] = sat(vR[i] + mem[i]). */
void xai_vpu_vladd(xai_vpu_ctx *ctx, const void *addr);

/* VLSUB: vR[i] = sat(mem[i] - vR[i]) (memory minus register). XS3 quirk when
 * vR[i] is the most negative value MIN (-128 / -32768 / -2^31): in int8 and
 * int16 mode mem 0 gives MIN itself (the one way VLSUB yields -128/-32768),
 * other mem give sat(mem - MIN); in int32 mode -MIN wraps to MIN, giving
 * sat(mem + MIN). */
void xai_vpu_vlsub(xai_vpu_ctx *ctx, const void *addr);

/* VLMUL: vR[i] = sat(rshr(vR[i] * mem[i], q)), q = 6 / 14 / 30 in int8 /
 * int16 / int32 mode (Q1.6, Q1.14, Q1.30 fixed point: 0x40 * x = x). */
void xai_vpu_vlmul(xai_vpu_ctx *ctx, const void *addr);

/* VPOS: vR[i] = max(vR[i], 0). */
void xai_vpu_vpos(xai_vpu_ctx *ctx);

/* VSIGN: vR[i] = vR[i] >= 0 ? +1 : -1 in the VLMUL Q format, i.e. +-0x40 /
 * +-0x4000 / +-0x40000000 (zero counts as positive). */
void xai_vpu_vsign(xai_vpu_ctx *ctx);

/* VDEPTH1: bit i of vR.u32[0] = (vR[i] < 0) for every lane i; the rest of
 * vR = 0. */
void xai_vpu_vdepth1(xai_vpu_ctx *ctx);

/* VDEPTH8: narrow each lane to int8 with rounding: vR.s8[i] =
 * sat8(rshr(vR[i], 8)) in int16 mode (16 results) or sat8(rshr(vR[i], 24))
 * in int32 mode (8 results); remaining bytes of vR = 0. int8 mode: MODE
 * fault. */
void xai_vpu_vdepth8(xai_vpu_ctx *ctx);

/* VDEPTH16: int32 mode only: vR.s16[i] = sat16(rshr(vR.s32[i], 16)), i < 8;
 * vR.s16[8..15] = 0. Other modes: MODE fault. */
void xai_vpu_vdepth16(xai_vpu_ctx *ctx);

/* ---- Cycle model ---------------------------------------------------------- */

/* Where an op's streamed weights come from (SRAM weights cost nothing
 * extra: their loads are already VPU bundles). */
typedef enum {
  XAI_WEIGHTS_SRAM = 0,
  XAI_WEIGHTS_LPDDR,
  XAI_WEIGHTS_FLASH,
} xai_weight_source;

/* One op's work, as counted by its threads' contexts. */
typedef struct {
  const uint64_t *thread_bundles; /* bundles of each thread (ctx.bundles) */
  unsigned n_threads;             /* 1..8 threads the op was split over */
  uint32_t clock_mhz;             /* core clock; 0 = 800 */
  uint64_t weight_bytes;          /* bytes streamed from weight_source */
  xai_weight_source weight_source;
  uint32_t flash_bytes_per_s;     /* 0 = XAI_XCORE_FLASH_BYTES_PER_S_DEFAULT */
  int weight_load_overlapped;     /* nonzero: loads run under the compute */
} xai_vpu_op_work;

typedef struct {
  uint64_t compute_cycles;  /* max bundles x max(5, n) */
  uint64_t overhead_cycles; /* dispatch + fork/join */
  uint64_t load_cycles;     /* weight streaming (0 for SRAM) */
  uint64_t cycles;          /* total core cycles */
  uint64_t ticks;           /* 100 MHz reference ticks, rounded to nearest */
  double ns;
  double ms;
} xai_vpu_op_time;

/* Time of one op on n threads:
 *   compute  = max over threads of bundles x max(5, n)
 *   overhead = DISPATCH x 5 (+ (FORK_BASE + FORK_PER_THREAD x (n-1)) x
 *              max(5, n) when n > 1)
 *   load     = ceil(weight_bytes x f / bandwidth)
 *   cycles   = overhead + (overlapped ? max(compute, load) : compute + load)
 * Assumes the op's threads are the only ones active on the tile.
 * XAI_ERR_ARGUMENT for n outside 1..8, a NULL bundle array or an unknown
 * source; XAI_ERR_RANGE if weight_bytes exceeds 2^40. */
xai_status xai_vpu_time_op(const xai_vpu_op_work *work, xai_vpu_op_time *out,
                           xai_error *err);

/* Core cycles -> 100 MHz reference ticks, rounded to nearest (ties up). */
uint64_t xai_vpu_cycles_to_ticks(uint64_t cycles, uint32_t clock_mhz);

/* MACs / (32 x bundles): fraction of the VPU's int8 peak; 0 if bundles is 0. */
double xai_vpu_utilisation(uint64_t macs, uint64_t bundles);

/* ---- Producing -128 --------------------------------------------------------
 * Saturation is symmetric, so VLSAT / VLADD / VLASHR never yield -128, yet
 * TFLite int8 outputs can be -128. A kernel fixes this up after writing the
 * saturated bytes, with one more masked store:
 *   1. keep a 16-bit copy of the result whose lanes are exact or saturated
 *      far from -128 (e.g. VLSAT in int16 mode, or add the output offset in
 *      int16 mode), and subtract a constant so that "should be -128" becomes
 *      "is negative": VLADD a vector of +127 (int16) gives x + 127 < 0
 *      exactly for x <= -128;
 *   2. VDEPTH1 turns those signs into a bit mask m (bit i = lane i);
 *   3. store the normal int8 result with VSTRPV(out, tail_mask);
 *   4. VLDR a vector of 0x80 bytes and VSTRPV(out, m & tail_mask).
 * Lane i of an int16-mode vector maps to byte i of the int8 output after
 * VDEPTH8 or VLSAT, so the same mask indexes both. tests/vpu checks this
 * recipe by hand. */

#ifdef __cplusplus
}
#endif

#endif
