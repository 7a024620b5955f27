/* The xformer's pass interface. Passes edit an xai_model in place
 * (include/xai/tflite.h). Lowerings are listed per op family in X-macro
 * files (lower_conv.def, lower_misc.def) so families develop separately.
 *
 * Contract for a lowering (docs/xcore_ops.md describes every XAI_* op):
 *  - it sees op `op` of subgraph 0 whose builtin code it registered for;
 *  - if it can compute exactly the same bits as the reference kernel with
 *    an xcore kernel, it replaces the op IN PLACE (same index) with an
 *    XAI_* custom op through xf_replace_custom(), adding new constant
 *    tensors (packed weights) with xf_add_const(); old tensors that become
 *    unused are removed by the driver afterwards;
 *  - otherwise it leaves the model untouched and calls xf_keep() with the
 *    reason (shown in the report), and returns XAI_OK;
 *  - it returns an error only for real failures (allocation, corrupt
 *    model), which abort the compile. */
#ifndef XAI_XFORMER_INTERNAL_H
#define XAI_XFORMER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"
#include "xai/flexbuf.h"
#include "xai/tflite.h"
#include "xai/xformer.h"

typedef struct {
  uint32_t op;     /* operator index at the time of the note */
  char text[160];
} xf_note;

typedef struct {
  xai_model *m;                 /* the model being compiled */
  const xai_xformer_options *opt;
  xf_note *notes;               /* why ops stayed builtins (malloc'd) */
  uint32_t note_count, note_cap;
} xf_ctx;

typedef xai_status (*xf_lower_fn)(xf_ctx *x, uint32_t op, bool *done,
                                  xai_error *err);

/* ---- Model queries (subgraph 0) ----------------------------------------- */
xai_tensor *xf_tensor(xf_ctx *x, int32_t index);     /* NULL for -1 */
xai_operator *xf_op(xf_ctx *x, uint32_t op);
int32_t xf_op_builtin(xf_ctx *x, uint32_t op);        /* builtin code */
/* Constant data of a tensor (its buffer), or NULL if it has none. */
const uint8_t *xf_const_data(xf_ctx *x, int32_t tensor, size_t *size);
/* Number of operators reading tensor t, and whether it is a subgraph
 * output (then it must keep its name and index). */
uint32_t xf_consumer_count(xf_ctx *x, int32_t t);
bool xf_is_graph_output(xf_ctx *x, int32_t t);
/* Scale and zero point of channel 0 (per-tensor); false if unquantized. */
bool xf_quant(xf_ctx *x, int32_t t, float *scale, int32_t *zero_point);

/* ---- Editing -------------------------------------------------------------- */
/* A new constant tensor with its own buffer holding a copy of data;
 * returns the tensor index or -1 (allocation failure). */
int32_t xf_add_const(xf_ctx *x, const char *name, int8_t type,
                     const int32_t *shape, uint32_t rank, const void *data,
                     size_t size);
/* Replaces operator `op` by the custom op `code` (e.g. "XAI_conv2d") with
 * the given tensors and flexbuffer options, at the same index. */
xai_status xf_replace_custom(xf_ctx *x, uint32_t op, const char *code,
                             const int32_t *inputs, uint32_t input_count,
                             const int32_t *outputs, uint32_t output_count,
                             const uint8_t *options, size_t options_size,
                             xai_error *err);
/* Records why op stays as it is (printf-style, one line). */
void xf_keep(xf_ctx *x, uint32_t op, const char *fmt, ...) XAI_PRINTF(3, 4);

/* Removes tensors no operator, subgraph io or signature uses, then unused
 * buffers. */
xai_status xf_remove_dead_tensors(xf_ctx *x, xai_error *err);

/* ---- Passes (the driver, xformer.c, runs them in this order) ---------- */
/* Tries every registered lowering on each op (lower.c). */
xai_status xf_lower_all(xf_ctx *x, xai_error *err);

#endif
