/* TFLite Micro's signal library ops (SignalWindow, SignalRfft, ...) stay
 * custom ops: the runtime runs them with the TFLM-exact reference kernels
 * (scalar code, no VPU kernel yet), and the report says so. */
#include <string.h>

#include "xformer_internal.h"

void xf_keep_if_signal(xf_ctx *x, uint32_t op) {
  const xai_operator *o = xf_op(x, op);
  const char *name = o->opcode_index < x->m->opcode_count
                         ? x->m->opcodes[o->opcode_index].custom_code
                         : NULL;
  if (name && strncmp(name, "Signal", 6) == 0)
    xf_keep(x, op, "TFLM signal op: kept as a custom op, TFLM-exact "
                   "reference kernel on one thread");
}
