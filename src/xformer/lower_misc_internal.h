/* Helpers shared by the pooling, element-wise, pad, concat and LUT
 * lowerings (lower_misc_*.c; docs/xcore_ops_misc.md). */
#ifndef XAI_XFORMER_LOWER_MISC_INTERNAL_H
#define XAI_XFORMER_LOWER_MISC_INTERNAL_H

#include "xformer_internal.h"

/* Quantization of an activation tensor as the runtime reads it: scale
 * and zero point of channel 0, (0, 0) when absent. */
typedef struct {
  bool present; /* at least one scale */
  float scale;
  int32_t zero_point;
} xf_misc_quant;

/* True when tensor t exists and is INT8 (constants too: the XAI ops read
 * them where they lie); *q gets its quantization. */
bool xf_misc_s8(xf_ctx *x, int32_t t, xf_misc_quant *q);
/* True when the quantization is usable by a quantized reference op:
 * present with a finite scale > 0. */
bool xf_misc_quant_ok(const xf_misc_quant *q);
/* True when tensors a and b have the same rank and dims. */
bool xf_misc_same_shape(xf_ctx *x, int32_t a, int32_t b);

/* Starts the options map with "th" (the compile's thread count). */
void xf_misc_options_begin(xf_ctx *x, xai_flexbuf_builder *b);

/* Ends the options map and replaces op by `code` with activation inputs
 * `inputs` followed, when packed_size > 0, by a new UINT8 constant
 * holding the packed blob; outputs stay the op's. Frees b. */
xai_status xf_misc_replace(xf_ctx *x, uint32_t op, const char *code,
                           const int32_t *inputs, uint32_t input_count,
                           const void *packed, size_t packed_size,
                           xai_flexbuf_builder *b, xai_error *err);

#endif
