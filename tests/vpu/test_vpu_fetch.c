/* The issue-lane and fetch-buffer rules of the cycle model
 * (include/xai/xcore_machine.h, docs/vpu.md "Cycle model"): expected
 * counts worked out by hand from a 16-byte buffer, 16-byte fetches and
 * 4-byte bundles. */
#include <string.h>

#include "testlib.h"
#include "xai/vpu.h"

/* n memory-lane bundles one at a time (the reference for xai_vpu_mem). */
static void mem_one_by_one(xai_vpu_ctx *ctx, unsigned n) {
  for (unsigned i = 0; i < n; i++) {
    xai_vpu_fetch(ctx);
    ctx->bundles++;
  }
}

static void test_mem_closed_form(void) {
  for (unsigned start = 0; start <= XAI_XCORE_IBUF_BYTES; start += 4)
    for (unsigned n = 0; n < 40; n++) {
      xai_vpu_ctx a, b;
      xai_vpu_init(&a, XAI_VPU_MODE_INT8);
      xai_vpu_init(&b, XAI_VPU_MODE_INT8);
      a.ibuf = b.ibuf = start;
      mem_one_by_one(&a, n);
      xai_vpu_mem(&b, n);
      CHECK_EQ_INT(a.bundles, b.bundles);
      CHECK_EQ_INT(a.fnops, b.fnops);
      CHECK_EQ_INT(a.ibuf, b.ibuf);
    }
}

static void test_runs(void) {
  _Alignas(32) int8_t w[32] = {0};
  xai_vpu_ctx ctx;
  /* A run of 16 VLMACCRs after a taken branch: the branch fetched one
   * line (4 bundles); every further 4 cost an FNOP: 16 + 3. */
  xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
  xai_vpu_branch(&ctx);
  CHECK_EQ_INT(ctx.bundles, 1);
  for (int k = 0; k < 16; k++) xai_vpu_vlmaccr(&ctx, w);
  CHECK_EQ_INT(ctx.bundles, 1 + 16 + 3);
  CHECK_EQ_INT(ctx.fnops, 3);
  /* The buffer is empty now, so even an ALU-only bundle first waits for an
   * FNOP; it then refills the buffer: 4 more VPU bundles are free... */
  xai_vpu_scalar(&ctx, 1);
  CHECK_EQ_INT(ctx.fnops, 4);
  uint64_t before = ctx.bundles;
  for (int k = 0; k < 4; k++) xai_vpu_vlmaccr(&ctx, w);
  CHECK_EQ_INT(ctx.bundles - before, 4);
  CHECK_EQ_INT(ctx.fnops, 4);
  /* ...and the 5th memory-lane bundle (a scalar load) waits. */
  xai_vpu_mem(&ctx, 1);
  CHECK_EQ_INT(ctx.fnops, 5);
  /* One ALU bundle per 3 memory bundles fetches as much code as the four
   * use: it never stalls. One per 4 uses 20 bytes per 16 fetched. */
  xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
  for (int i = 0; i < 10; i++) {
    xai_vpu_scalar(&ctx, 1);
    xai_vpu_mem(&ctx, 3);
  }
  CHECK_EQ_INT(ctx.fnops, 0);
  CHECK_EQ_INT(ctx.bundles, 40);
  for (int i = 0; i < 10; i++) {
    xai_vpu_scalar(&ctx, 1);
    xai_vpu_mem(&ctx, 4);
  }
  CHECK_EQ_INT(ctx.fnops, 9); /* all but the first period stall once */
}

static void test_defer(void) {
  _Alignas(32) int8_t w[32] = {0};
  xai_vpu_ctx ctx;
  /* Two deferred ALU bundles in a run of 16 VLMACCRs from a full buffer:
   * each takes the last buffered slot before a stall and refills, so 2 of
   * the 4 FNOPs become useful bundles; nothing is left to flush. */
  xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
  xai_vpu_defer(&ctx, 2);
  for (int k = 0; k < 16; k++) xai_vpu_vlmaccr(&ctx, w);
  CHECK_EQ_INT(ctx.fnops, 2);
  CHECK_EQ_INT(ctx.bundles, 16 + 2 + 2);
  xai_vpu_flush(&ctx);
  CHECK_EQ_INT(ctx.bundles, 20);
  /* Deferred work that finds no slot is issued by the flush. */
  xai_vpu_init(&ctx, XAI_VPU_MODE_INT8);
  xai_vpu_defer(&ctx, 3);
  xai_vpu_flush(&ctx);
  CHECK_EQ_INT(ctx.bundles, 3);
  CHECK_EQ_INT(ctx.alu_pending, 0);
}

static void test_spills(void) {
  CHECK_EQ_INT(xai_vpu_spills(12), 0);
  CHECK_EQ_INT(xai_vpu_spills(3), 0);
  CHECK_EQ_INT(xai_vpu_spills(14), 2);
}

int main(void) {
  test_mem_closed_form();
  test_runs();
  test_defer();
  test_spills();
  return xai_test_finish("test_vpu_fetch");
}
