/* Small hand-built models for the xformer tests (canon, plan, prefetch):
 * a tensor with one scale and zero point, an op, and a FULLY_CONNECTED
 * layer with given weights. */
#ifndef XAI_TESTS_XFORMER_TEST_MODEL_BUILD_H
#define XAI_TESTS_XFORMER_TEST_MODEL_BUILD_H

#include <string.h>

#include "xai/tflite.h"

/* data NULL = activation; scale <= 0 = unquantized. */
static inline int32_t mb_tensor(xai_model *m, const char *name, int8_t type,
                                const int32_t *shape, uint32_t rank,
                                float scale, int64_t zp, const void *data,
                                size_t size) {
  uint32_t buf = 0;
  if (data) buf = (uint32_t)xai_model_add_buffer(m, data, size);
  int32_t t = xai_model_add_tensor(m, 0, name, type, shape, rank, buf);
  if (scale > 0) xai_model_set_quant(m, 0, (uint32_t)t, &scale, &zp, 1, 0);
  return t;
}

/* Appends builtin op `code` with one output; o NULL = no options. */
static inline void mb_op(xai_model *m, int32_t code, const int32_t *in,
                         uint32_t nin, int32_t out, const xai_options *o) {
  xai_options none;
  memset(&none, 0, sizeof none);
  xai_model_add_operator(m, 0, -1,
                         (uint32_t)xai_model_opcode(m, code, NULL, 1), in, nin,
                         &out, 1, o ? o : &none, NULL, 0);
}

/* FULLY_CONNECTED [1,k] -> [1,n] with weights w (n*k, scale 0.01) and bias
 * b (n, scale 0.0005); returns the output tensor. */
static inline int32_t mb_fc(xai_model *m, int32_t in, uint32_t k, uint32_t n,
                            const char *name, const int8_t *w,
                            const int32_t *b, float out_scale,
                            int64_t out_zp) {
  int32_t ws[2] = {(int32_t)n, (int32_t)k}, bs[1] = {(int32_t)n};
  int32_t os[2] = {1, (int32_t)n};
  int32_t wt = mb_tensor(m, "w", XAI_TYPE_INT8, ws, 2, 0.01f, 0, w, n * k);
  int32_t bt = mb_tensor(m, "b", XAI_TYPE_INT32, bs, 1, 0.0005f, 0, b, n * 4);
  int32_t out = mb_tensor(m, name, XAI_TYPE_INT8, os, 2, out_scale, out_zp,
                          NULL, 0);
  xai_options o;
  memset(&o, 0, sizeof o);
  o.type = XAI_OPTS_FULLY_CONNECTED;
  int32_t ins[3] = {in, wt, bt};
  mb_op(m, XAI_OP_FULLY_CONNECTED, ins, 3, out, &o);
  return out;
}

#endif
