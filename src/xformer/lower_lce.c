/* Binarized networks (Larq Compute Engine custom ops). The xformer keeps
 * LceQuantize, LceDequantize, LceBconv2d and LceBMaxPool2d as they are:
 * their filters are bitpacked int32 words (1 bit a parameter, in the model
 * and, when split off, in the params file) and the runtime runs them with
 * the LCE-exact kernels; their float batch-norm parameters are not a sign
 * of an unquantized model. */
#include <stdio.h>
#include <string.h>

#include "xformer_internal.h"

bool xf_lce_op_name(const char *custom_code) {
  static const char *const names[] = {"LceQuantize", "LceDequantize",
                                      "LceBconv2d", "LceBMaxPool2d"};
  if (!custom_code) return false;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(custom_code, names[i]) == 0) return true;
  return false;
}

bool xf_lce_input_movable(const char *custom_code, uint32_t k) {
  return strcmp(custom_code, "LceBconv2d") == 0 && (k == 1 || k == 4);
}

void xf_lce_layer_note(const xai_op_cost *cost, char *note, size_t size) {
  uint64_t bundles = cost->bundles_max * (cost->threads ? cost->threads : 1);
  double util = bundles ? (double)cost->macs /
                              (XAI_XCORE_PEAK_BINARY_MACS_PER_BUNDLE *
                               (double)bundles)
                        : 0.0;
  snprintf(note, size, "binary MACs; %.1f%% of the 1-bit peak (VLMACCR1)",
           100.0 * util);
}

bool xf_lce_binary_op(const char *op_name) {
  return strcmp(op_name, "LceBconv2d") == 0 ||
         strcmp(op_name, "XAI_bconv2d") == 0;
}
