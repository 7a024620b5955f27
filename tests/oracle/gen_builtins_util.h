/* Helpers for the TFLite Micro builtin suite (gen_builtins*.c): tensors of
 * any type, quantized only when a scale is given, and model names that
 * tell oracle_tflm_ops.py how to draw inputs:
 *   __pos  non-negative real values     __nz  a non-zero second input
 *   __f    float edge values mixed in (0, +-0.5, +-1.5, 2.5, ...)
 *   __edge integer limits and zero points mixed in */
#ifndef XAI_TESTS_ORACLE_GEN_BUILTINS_UTIL_H
#define XAI_TESTS_ORACLE_GEN_BUILTINS_UTIL_H

#include "gen_util.h"

/* scale 0: not quantized. */
int32_t bt_input(gen_model *gm, int8_t type, const int32_t *shape,
                 uint32_t rank, float scale, int32_t zp);
int32_t bt_output(gen_model *gm, int8_t type, const int32_t *shape,
                  uint32_t rank, float scale, int32_t zp);
/* A constant op input of raw bytes. */
int32_t bt_const(gen_model *gm, int8_t type, const int32_t *shape,
                 uint32_t rank, const void *data, float scale, int32_t zp);
/* "int8", "float32", ... for model names. */
const char *bt_type_name(int8_t type);
/* A typical scale / zero point for quantized type t (0, 0 otherwise). */
void bt_quant(gen_ctx *g, int8_t type, float *scale, int32_t *zp);

void gen_builtins_unary(gen_ctx *g);
void gen_builtins_binary(gen_ctx *g);
void gen_builtins_shape(gen_ctx *g);
void gen_builtins_misc(gen_ctx *g);
void gen_builtins_nn(gen_ctx *g);
void gen_builtins_variables(gen_ctx *g);
void gen_builtins_float(gen_ctx *g);
void gen_builtins_log_softmax(gen_ctx *g);
void gen_builtins_call_once(gen_ctx *g);
void gen_builtins_int16(gen_ctx *g);

#endif
