/* Device cost of ops that have no VPU kernel: they run as scalar C on one
 * xcore thread. The numbers are ESTIMATES (no board to measure): one
 * bundle per int8 MAC (load, MACC, address arithmetic dual-issued) and
 * two bundles per output element moved or computed, at one thread (a
 * single thread issues every 5th cycle). */
#include <string.h>

#include "interp_internal.h"
#include "xai/vpu.h"
#include "xai/xcore_machine.h"

#define SCALAR_BUNDLES_PER_MAC 1u
#define SCALAR_BUNDLES_PER_ELEMENT 2u

static uint64_t op_macs(const xai_op_ctx *ctx) {
  const xai_rt_tensor *out = xai_op_output(ctx, 0);
  const xai_rt_tensor *w = xai_op_input(ctx, 1);
  if (!out || !w) return 0;
  size_t n_out = xai_rt_tensor_elements(out);
  switch (ctx->builtin_code) {
    case XAI_OP_CONV_2D:
    case XAI_OP_FULLY_CONNECTED:
    case XAI_OP_TRANSPOSE_CONV:
      /* each output sums one filter row: filter elements / output channels */
      if (w->rank == 0 || w->dims[0] == 0) return 0;
      return (uint64_t)n_out * (xai_rt_tensor_elements(w) / (size_t)w->dims[0]);
    case XAI_OP_DEPTHWISE_CONV_2D:
      if (w->rank < 4) return 0;
      return (uint64_t)n_out * (uint64_t)w->dims[1] * (uint64_t)w->dims[2];
    default:
      return 0;
  }
}

void xai_op_default_cost(xai_op_ctx *ctx) {
  uint64_t elements = 0;
  for (uint32_t i = 0; i < ctx->output_count; i++) {
    const xai_rt_tensor *t = xai_op_output(ctx, i);
    if (t) elements += xai_rt_tensor_elements(t);
  }
  uint64_t macs = op_macs(ctx);
  uint64_t bundles = macs * SCALAR_BUNDLES_PER_MAC +
                     elements * SCALAR_BUNDLES_PER_ELEMENT;
  xai_vpu_op_work work;
  memset(&work, 0, sizeof work);
  work.thread_bundles = &bundles;
  work.n_threads = 1;
  work.clock_mhz = ctx->clock_mhz;
  xai_vpu_op_time t;
  memset(ctx->cost, 0, sizeof *ctx->cost);
  if (xai_vpu_time_op(&work, &t, NULL) != XAI_OK) return;
  ctx->cost->macs = macs;
  ctx->cost->ticks = t.ticks;
  ctx->cost->cycles = t.cycles;
  ctx->cost->bundles_max = bundles;
  ctx->cost->threads = 1;
  ctx->cost->utilisation = 0;
  ctx->cost->kernel = NULL;
}
