/* Loading shared models and running them directly with the runtime: the
 * reference the server's answers are compared with. */
#ifndef XAI_TESTS_AISRV_MODEL_UTIL_H
#define XAI_TESTS_AISRV_MODEL_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "xai/runtime.h"

typedef struct {
  uint8_t *bytes;
  size_t size;
} test_model;

/* Reads models/<rel>; returns 0 when the shared models are absent. */
int test_model_load(test_model *m, const char *rel);
void test_model_free(test_model *m);

/* Runs the model on the host with input bytes inputs[i] (sizes checked);
 * copies output o into out (out_cap bytes). Returns the output's bytes. */
size_t test_model_run(const test_model *m, const uint8_t *const *inputs,
                      uint32_t output, uint8_t *out, size_t out_cap);

/* Deterministic input bytes for tensor sizes. */
void test_fill(uint8_t *p, size_t n, uint64_t seed);

#endif
