/* VPU loads, stores, VSTRPV masks, VCLRDR, VSETC, alignment faults and
 * bundle counting. Expected values follow from the instruction definitions
 * in include/xai/vpu.h. */
#include <string.h>

#include "testlib.h"
#include "vpu_test_helpers.h"
#include "xai/vpu.h"

static void test_init(void) {
  xai_vpu_ctx ctx;
  memset(&ctx, 0xAB, sizeof ctx);
  xai_vpu_init(&ctx, XAI_VPU_MODE_INT16);
  CHECK_EQ_INT(ctx.mode, XAI_VPU_MODE_INT16);
  CHECK_EQ_INT(ctx.bundles, 0);
  CHECK_EQ_INT(ctx.vpu_ops, 0);
  CHECK_EQ_INT(ctx.macs, 0);
  CHECK_EQ_INT(ctx.fault, XAI_VPU_FAULT_NONE);
  for (int i = 0; i < 32; i++) {
    CHECK_EQ_INT(ctx.vR.u8[i], 0);
    CHECK_EQ_INT(ctx.vD.u8[i], 0);
    CHECK_EQ_INT(ctx.vC.u8[i], 0);
  }
}

static void test_load_store(void) {
  xai_vpu_ctx ctx;
  xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
  _Alignas(32) uint8_t a[32], b[32], c[32], out[32];
  for (int i = 0; i < 32; i++) {
    a[i] = (uint8_t)i;
    b[i] = (uint8_t)(0x80 + i);
    c[i] = (uint8_t)(0xFF - i);
  }
  xai_vpu_vldr(&ctx, a);
  xai_vpu_vldd(&ctx, b);
  xai_vpu_vldc(&ctx, c);
  CHECK_EQ_INT(ctx.vR.u8[5], 5);
  CHECK_EQ_INT(ctx.vD.u8[31], 0x9F);
  CHECK_EQ_INT(ctx.vC.u8[0], 0xFF);
  /* little-endian lanes: bytes 0x00,0x01 make int16 lane 0 = 0x0100 */
  CHECK_EQ_INT(ctx.vR.s16[0], 0x0100);
  xai_vpu_vstr(&ctx, out);
  CHECK(memcmp(out, a, 32) == 0);
  xai_vpu_vstd(&ctx, out);
  CHECK(memcmp(out, b, 32) == 0);
  xai_vpu_vstc(&ctx, out);
  CHECK(memcmp(out, c, 32) == 0);
  /* 6 memory-lane bundles from a full 16-byte buffer: the 5th waits for an
   * FNOP (xcore_machine.h fetch model) */
  CHECK_EQ_INT(ctx.bundles, 7);
  CHECK_EQ_INT(ctx.fnops, 1);
  CHECK_EQ_INT(ctx.vpu_ops, 6);

  /* VCLRDR clears vR and vD only. */
  xai_vpu_vclrdr(&ctx);
  for (int i = 0; i < 32; i++) {
    CHECK_EQ_INT(ctx.vR.u8[i], 0);
    CHECK_EQ_INT(ctx.vD.u8[i], 0);
  }
  CHECK_EQ_INT(ctx.vC.u8[3], 0xFC);
  CHECK_EQ_INT(ctx.bundles, 8);

  /* 4-byte alignment is enough: no 32-byte alignment needed. */
  _Alignas(32) uint8_t big[40];
  for (int i = 0; i < 40; i++) big[i] = (uint8_t)(100 + i);
  xai_vpu_vldr(&ctx, big + 4);
  CHECK_EQ_INT(ctx.vR.u8[0], 104);
  CHECK_EQ_INT(ctx.vR.u8[31], 135);
  CHECK_EQ_INT(ctx.fault, XAI_VPU_FAULT_NONE);
}

static void test_vstrpv(void) {
  xai_vpu_ctx ctx;
  xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
  _Alignas(32) uint8_t src[32], out[32];
  for (int i = 0; i < 32; i++) src[i] = (uint8_t)(i + 1);
  xai_vpu_vldr(&ctx, src);

  memset(out, 0xEE, 32);
  xai_vpu_vstrpv(&ctx, out, 0x00000005u); /* bytes 0 and 2 */
  for (int i = 0; i < 32; i++)
    CHECK_EQ_INT(out[i], i == 0 ? 1 : i == 2 ? 3 : 0xEE);

  memset(out, 0xEE, 32);
  xai_vpu_vstrpv(&ctx, out, 0); /* nothing */
  for (int i = 0; i < 32; i++) CHECK_EQ_INT(out[i], 0xEE);

  memset(out, 0xEE, 32);
  xai_vpu_vstrpv(&ctx, out, 0x80000000u); /* byte 31 only */
  for (int i = 0; i < 32; i++) CHECK_EQ_INT(out[i], i == 31 ? 32 : 0xEE);

  memset(out, 0xEE, 32);
  xai_vpu_vstrpv(&ctx, out, 0xFFFFFFFFu);
  CHECK(memcmp(out, src, 32) == 0);

  /* a tail of 7 int8 elements: mask (1 << 7) - 1 */
  memset(out, 0xEE, 32);
  xai_vpu_vstrpv(&ctx, out, 0x7Fu);
  for (int i = 0; i < 32; i++) CHECK_EQ_INT(out[i], i < 7 ? i + 1 : 0xEE);

  /* a tail of 3 int16 elements = 6 bytes: mask 0x3F */
  memset(out, 0xEE, 32);
  xai_vpu_vstrpv(&ctx, out, 0x3Fu);
  for (int i = 0; i < 32; i++) CHECK_EQ_INT(out[i], i < 6 ? i + 1 : 0xEE);
  CHECK_EQ_INT(ctx.bundles, 8);
}

typedef enum { OP_VLDR, OP_VLDD, OP_VLDC, OP_VSTR, OP_VSTD, OP_VSTC,
               OP_VSTRPV, OP_VLMACC, OP_VLMACCR8, OP_VLMACCR16, OP_VLMACCR1,
               OP_VLSAT, OP_VLASHR, OP_VLADD, OP_VLSUB, OP_VLMUL, OP_COUNT } op_id;

static const char *run_op(xai_vpu_ctx *ctx, op_id op, void *addr) {
  switch (op) {
    case OP_VLDR: xai_vpu_vldr(ctx, addr); return "VLDR";
    case OP_VLDD: xai_vpu_vldd(ctx, addr); return "VLDD";
    case OP_VLDC: xai_vpu_vldc(ctx, addr); return "VLDC";
    case OP_VSTR: xai_vpu_vstr(ctx, addr); return "VSTR";
    case OP_VSTD: xai_vpu_vstd(ctx, addr); return "VSTD";
    case OP_VSTC: xai_vpu_vstc(ctx, addr); return "VSTC";
    case OP_VSTRPV: xai_vpu_vstrpv(ctx, addr, 0xFFFFFFFFu); return "VSTRPV";
    case OP_VLMACC: xai_vpu_vlmacc(ctx, addr); return "VLMACC";
    case OP_VLMACCR8:
      ctx->mode = XAI_VPU_MODE_INT8;
      xai_vpu_vlmaccr(ctx, addr);
      return "VLMACCR";
    case OP_VLMACCR16:
      ctx->mode = XAI_VPU_MODE_INT16;
      xai_vpu_vlmaccr(ctx, addr);
      ctx->mode = XAI_VPU_MODE_INT8;
      return "VLMACCR";
    case OP_VLMACCR1: xai_vpu_vlmaccr1(ctx, addr); return "VLMACCR1";
    case OP_VLSAT: xai_vpu_vlsat(ctx, addr); return "VLSAT";
    case OP_VLASHR: xai_vpu_vlashr(ctx, addr, 1); return "VLASHR";
    case OP_VLADD: xai_vpu_vladd(ctx, addr); return "VLADD";
    case OP_VLSUB: xai_vpu_vlsub(ctx, addr); return "VLSUB";
    case OP_VLMUL: xai_vpu_vlmul(ctx, addr); return "VLMUL";
    case OP_COUNT: break;
  }
  return "?";
}

static void test_alignment_faults(void) {
  _Alignas(32) uint8_t buf[64];
  for (int off = 1; off < 4; off++) {
    for (int op = 0; op < OP_COUNT; op++) {
      xai_vpu_ctx ctx;
      xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
      memset(buf, 0x5A, sizeof buf);
      /* distinctive register contents that a faulting op must not change */
      memset(&ctx.vR, 0x11, 32);
      memset(&ctx.vD, 0x22, 32);
      const char *name = run_op(&ctx, (op_id)op, buf + off);
      CHECK_EQ_INT(ctx.fault, XAI_VPU_FAULT_ALIGN);
      CHECK(ctx.fault_op && strcmp(ctx.fault_op, name) == 0);
      CHECK(ctx.fault_addr == (uintptr_t)(buf + off));
      CHECK_EQ_INT(ctx.fault_count, 1);
      CHECK_EQ_INT(ctx.bundles, 1); /* a faulting instruction still issued */
      for (int i = 0; i < 64; i++) CHECK_EQ_INT(buf[i], 0x5A);
      for (int i = 0; i < 32; i++) {
        CHECK_EQ_INT(ctx.vR.u8[i], 0x11);
        CHECK_EQ_INT(ctx.vD.u8[i], 0x22);
      }
    }
  }

  /* The first fault is kept; later ones are counted. */
  xai_vpu_ctx ctx;
  xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
  xai_vpu_vldr(&ctx, buf + 2);
  xai_vpu_vstr(&ctx, buf + 1);
  xai_vpu_vldc(&ctx, NULL);
  CHECK_EQ_INT(ctx.fault, XAI_VPU_FAULT_ALIGN);
  CHECK(strcmp(ctx.fault_op, "VLDR") == 0);
  CHECK(ctx.fault_addr == (uintptr_t)(buf + 2));
  CHECK_EQ_INT(ctx.fault_count, 3);

  xai_error err;
  xai_error_clear(&err);
  CHECK_EQ_INT(xai_vpu_check(&ctx, "op 3 XAI_CONV2D thread 1", &err), XAI_ERR_STATE);
  CHECK(strstr(err.message, "VLDR") != NULL);
  CHECK(strstr(err.message, "op 3 XAI_CONV2D thread 1") != NULL);
  CHECK(strstr(err.message, "aligned") != NULL);

  xai_vpu_clear_fault(&ctx);
  CHECK_EQ_INT(ctx.fault, XAI_VPU_FAULT_NONE);
  CHECK_EQ_INT(xai_vpu_check(&ctx, "x", &err), XAI_OK);

  /* NULL is its own fault. */
  xai_vpu_vldc(&ctx, NULL);
  CHECK_EQ_INT(ctx.fault, XAI_VPU_FAULT_NULL);
  CHECK(strcmp(ctx.fault_op, "VLDC") == 0);
  xai_error_clear(&err);
  CHECK_EQ_INT(xai_vpu_check(&ctx, "x", &err), XAI_ERR_STATE);
  CHECK(strstr(err.message, "NULL") != NULL);
}

static void test_vsetc_and_counts(void) {
  xai_vpu_ctx ctx;
  xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
  xai_vpu_set_mode(&ctx, XAI_VPU_MODE_INT16);
  CHECK_EQ_INT(ctx.mode, XAI_VPU_MODE_INT16);
  CHECK_EQ_INT(ctx.ctrl, 0x100);
  xai_vpu_vsetc(&ctx, 0x0000);
  CHECK_EQ_INT(ctx.mode, XAI_VPU_MODE_INT32);
  xai_vpu_vsetc(&ctx, 0x0200);
  CHECK_EQ_INT(ctx.mode, XAI_VPU_MODE_INT8);
  /* type 3 does not exist: fault, mode unchanged */
  xai_vpu_vsetc(&ctx, 0x0300);
  CHECK_EQ_INT(ctx.mode, XAI_VPU_MODE_INT8);
  CHECK_EQ_INT(ctx.fault, XAI_VPU_FAULT_MODE);
  CHECK(strcmp(ctx.fault_op, "VSETC") == 0);
  CHECK_EQ_INT(ctx.bundles, 4);
  CHECK_EQ_INT(ctx.vpu_ops, 4);

  /* ALU-only bundles count as bundles, not VPU ops; the buffer ran dry
   * after 4 memory-lane bundles, so the first waits for an FNOP */
  xai_vpu_scalar(&ctx, 10);
  CHECK_EQ_INT(ctx.bundles, 15);
  CHECK_EQ_INT(ctx.vpu_ops, 4);

  /* A 16-channel int8 dot-product block: VCLRDR, VLDC, 16 VLMACCR, VLSAT,
   * VSTRPV, plus 5 ALU bundles = 1 + 1 + 16 + 1 + 1 + 5 = 25 bundles, and
   * FNOPs: the 20 memory-lane bundles need 80 bytes of code, the buffer
   * holds 16 on entry, so 4 FNOPs, and a 5th before the ALU bundles find
   * the buffer empty: 30. 16 x 32 = 512 MACs. */
  xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
  _Alignas(32) int8_t x[32], w[16][32], out[32];
  _Alignas(32) uint16_t sh[16];
  memset(x, 1, sizeof x);
  memset(w, 1, sizeof w);
  memset(sh, 0, sizeof sh);
  xai_vpu_vclrdr(&ctx);
  xai_vpu_vldc(&ctx, x);
  for (int k = 0; k < 16; k++) xai_vpu_vlmaccr(&ctx, w[k]);
  xai_vpu_vlsat(&ctx, sh);
  xai_vpu_vstrpv(&ctx, out, 0xFFFFu);
  xai_vpu_scalar(&ctx, 5);
  CHECK_EQ_INT(ctx.bundles, 30);
  CHECK_EQ_INT(ctx.fnops, 5);
  CHECK_EQ_INT(ctx.vpu_ops, 20);
  CHECK_EQ_INT(ctx.macs, 512);
  for (int k = 0; k < 16; k++) CHECK_EQ_INT(out[k], 32);
  CHECK_EQ_INT(ctx.fault, XAI_VPU_FAULT_NONE);
}

int main(void) {
  test_init();
  test_load_store();
  test_vstrpv();
  test_alignment_faults();
  test_vsetc_and_counts();
  return xai_test_finish("test_vpu_memory");
}
