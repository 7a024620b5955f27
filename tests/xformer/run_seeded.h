/* One run of a model on seeded random input, for the tests that compare
 * the outputs of one model compiled or placed in different ways. */
#ifndef XAI_TESTS_XFORMER_RUN_SEEDED_H
#define XAI_TESTS_XFORMER_RUN_SEEDED_H

#include "interp_heap.h"
#include "testlib.h"

/* Runs cfg's model once with input 0 filled from xai_test_rand(seed);
 * *out gets a malloc'd copy of output 0. */
static inline xai_status xai_test_run_seeded(xai_interp_config *cfg,
                                             uint64_t seed, uint8_t **out,
                                             size_t *out_bytes,
                                             xai_error *err) {
  xai_test_heap_interp h;
  xai_status st = xai_test_heap_interp_init(&h, cfg, err);
  if (st) return st;
  xai_rt_tensor *in = xai_interp_input(h.ip, 0);
  for (size_t i = 0; i < in->bytes; i++)
    ((uint8_t *)in->data)[i] = (uint8_t)xai_test_rand(&seed);
  st = xai_interp_invoke(h.ip, err);
  if (!st) {
    xai_rt_tensor *o = xai_interp_output(h.ip, 0);
    *out = malloc(o->bytes);
    memcpy(*out, o->data, o->bytes);
    *out_bytes = o->bytes;
  }
  xai_test_heap_interp_free(&h);
  return st;
}

#endif
