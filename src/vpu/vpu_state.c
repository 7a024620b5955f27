/* VPU context set-up, VSETC, and fault bookkeeping. */
#include <string.h>

#include "vpu_internal.h"
#include "xai/vpu.h"

void xai_vpu_init(xai_vpu_ctx *ctx, xai_vpu_mode mode) {
  memset(ctx, 0, sizeof *ctx);
  ctx->mode = mode;
  ctx->ctrl = (uint32_t)mode << 8;
  /* Entered by a call, whose target fetch filled the buffer. */
  ctx->ibuf = XAI_XCORE_FETCH_BYTES;
}

void xai_vpu_vsetc(xai_vpu_ctx *ctx, uint32_t ctrl) {
  xai_vpu_issue(ctx);
  uint32_t type = (ctrl >> 8) & 0xFu;
  if (type > (uint32_t)XAI_VPU_MODE_INT8) {
    xai_vpu_fault_record(ctx, XAI_VPU_FAULT_MODE, "VSETC", NULL);
    return;
  }
  ctx->ctrl = ctrl;
  ctx->mode = (xai_vpu_mode)type;
}

void xai_vpu_fault_record(xai_vpu_ctx *ctx, xai_vpu_fault fault,
                          const char *op, const void *addr) {
  ctx->fault_count++;
  if (ctx->fault != XAI_VPU_FAULT_NONE) return;
  ctx->fault = fault;
  ctx->fault_op = op;
  ctx->fault_addr = (uintptr_t)addr;
}

void xai_vpu_clear_fault(xai_vpu_ctx *ctx) {
  ctx->fault = XAI_VPU_FAULT_NONE;
  ctx->fault_op = NULL;
  ctx->fault_addr = 0;
  ctx->fault_count = 0;
}

const char *xai_vpu_fault_name(xai_vpu_fault fault) {
  switch (fault) {
    case XAI_VPU_FAULT_NONE: return "none";
    case XAI_VPU_FAULT_ALIGN: return "misaligned address";
    case XAI_VPU_FAULT_NULL: return "NULL address";
    case XAI_VPU_FAULT_MODE: return "instruction undefined in this mode";
  }
  return "unknown fault";
}

static const char *mode_name(xai_vpu_mode mode) {
  switch (mode) {
    case XAI_VPU_MODE_INT8: return "int8";
    case XAI_VPU_MODE_INT16: return "int16";
    case XAI_VPU_MODE_INT32: return "int32";
  }
  return "unknown";
}

xai_status xai_vpu_check(const xai_vpu_ctx *ctx, const char *where,
                         xai_error *err) {
  if (ctx->fault == XAI_VPU_FAULT_NONE) return XAI_OK;
  const char *w = where ? where : "VPU";
  const char *op = ctx->fault_op ? ctx->fault_op : "?";
  switch (ctx->fault) {
    case XAI_VPU_FAULT_ALIGN:
      return xai_fail(err, XAI_ERR_STATE,
                      "%s: %s at address 0x%llx is not 4-byte aligned (%u "
                      "fault(s)); VPU loads and stores need word-aligned "
                      "buffers: align the tensor or scratch buffer to 4 bytes",
                      w, op, (unsigned long long)ctx->fault_addr,
                      (unsigned)ctx->fault_count);
    case XAI_VPU_FAULT_NULL:
      return xai_fail(err, XAI_ERR_STATE,
                      "%s: %s with a NULL address (%u fault(s)); a buffer "
                      "was not set up before the kernel ran",
                      w, op, (unsigned)ctx->fault_count);
    case XAI_VPU_FAULT_MODE:
      return xai_fail(err, XAI_ERR_STATE,
                      "%s: %s is undefined in %s mode (%u fault(s)); issue "
                      "VSETC with a mode the instruction supports first",
                      w, op, mode_name(ctx->mode), (unsigned)ctx->fault_count);
    case XAI_VPU_FAULT_NONE:
      break;
  }
  return xai_fail(err, XAI_ERR_STATE, "%s: unknown VPU fault %d", w,
                  (int)ctx->fault);
}

int64_t xai_vpu_acc(const xai_vpu_ctx *ctx, unsigned i) {
  if (ctx->mode == XAI_VPU_MODE_INT32)
    return i < 8 ? xai_vpu_acc40_get(ctx, i) : 0;
  return i < 16 ? xai_vpu_acc32_get(ctx, i) : 0;
}
