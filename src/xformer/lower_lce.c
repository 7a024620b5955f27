/* Binarized networks (Larq Compute Engine custom ops). The xformer keeps
 * LceQuantize, LceDequantize, LceBconv2d and LceBMaxPool2d as they are:
 * their filters are bitpacked int32 words (1 bit a parameter, in the model
 * and, when split off, in the params file) and the runtime runs them with
 * the LCE-exact kernels; their float batch-norm parameters are not a sign
 * of an unquantized model. */
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
