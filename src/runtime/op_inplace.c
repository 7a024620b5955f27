/* Ops whose kernels may write their output over an input of the same byte
 * size: each output element depends only on the input element at the same
 * index (and on other inputs), and every kernel reads element i before it
 * writes element i and never reads an earlier element again. Checked per
 * kernel: the reference loops (add_sub.c, mul.c, activations.c,
 * leaky_relu.c, hard_swish.c, quantize.c: `out[i] = f(in[i])` in index
 * order) and the xcore element-wise kernels (add.c, mul.c, lut.c: vectors
 * loaded before they are stored, threads on disjoint ascending ranges).
 * An offline plan may only alias buffers for these ops (interp_plan.c). */
#include <string.h>

#include "xai/runtime.h"

static const int32_t k_builtins[] = {
    XAI_OP_ADD,      XAI_OP_SUB,        XAI_OP_MUL,        XAI_OP_LOGISTIC,
    XAI_OP_TANH,     XAI_OP_RELU,       XAI_OP_RELU6,      XAI_OP_RELU_N1_TO_1,
    XAI_OP_LEAKY_RELU, XAI_OP_HARD_SWISH, XAI_OP_QUANTIZE,
};

static const char *const k_customs[] = {"XAI_add", "XAI_mul", "XAI_lut"};

bool xai_op_inplace_safe(int32_t builtin_code, const char *custom_name) {
  if (builtin_code == XAI_OP_CUSTOM) {
    if (!custom_name) return false;
    for (size_t i = 0; i < sizeof k_customs / sizeof k_customs[0]; i++)
      if (strcmp(custom_name, k_customs[i]) == 0) return true;
    return false;
  }
  for (size_t i = 0; i < sizeof k_builtins / sizeof k_builtins[0]; i++)
    if (k_builtins[i] == builtin_code) return true;
  return false;
}

bool xai_op_is_view(int32_t builtin_code, const char *custom_name) {
  (void)custom_name;
  return builtin_code == XAI_OP_RESHAPE || builtin_code == XAI_OP_SQUEEZE ||
         builtin_code == XAI_OP_EXPAND_DIMS;
}
