/* Helpers for the convolution-family lowering tests (test_lower_conv*.c):
 * build a single-op int8 model, compile it with the xformer, run the
 * original with the reference resolver and the result with all ops, and
 * compare every output byte. The reference runtime is verified bit-exact
 * against LiteRT (tests/oracle), so it is the oracle here. */
#ifndef XAI_TEST_LOWER_CONV_UTIL_H
#define XAI_TEST_LOWER_CONV_UTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp_heap.h"
#include "testlib.h"
#include "xai/kernels_ref/conv.h"
#include "xai/runtime.h"
#include "xai/tflite.h"
#include "xai/xformer.h"
#include "xformer_internal.h"

static const unsigned k_threads[4] = {1, 2, 5, 8};

static inline uint32_t tu_rand(uint64_t *s) {
  return (uint32_t)(xai_test_rand(s) >> 32);
}
static inline int32_t tu_range(uint64_t *s, int32_t lo, int32_t hi) {
  return lo + (int32_t)(tu_rand(s) % (uint32_t)(hi - lo + 1));
}
static inline float tu_log_uniform(uint64_t *s, float lo, float hi) {
  double u = tu_rand(s) / 4294967296.0;
  return (float)exp(log(lo) + u * (log(hi) - log(lo)));
}

/* ---- Model building --------------------------------------------------- */
typedef struct {
  xai_model m;
} tu_model;

static inline void tu_begin(tu_model *tm) {
  xai_error err = {0};
  if (xai_model_init(&tm->m, &err) != XAI_OK) {
    fprintf(stderr, "model init: %s\n", err.message);
    exit(1);
  }
}

/* A tensor; data NULL = activation. scales NULL = unquantized. */
static inline int32_t tu_tensor(tu_model *tm, int8_t type,
                                const int32_t *shape, uint32_t rank,
                                const void *data, size_t bytes,
                                const float *scales, const int64_t *zps,
                                uint32_t nq, int32_t qdim) {
  uint32_t buf = 0;
  if (data) buf = (uint32_t)xai_model_add_buffer(&tm->m, data, bytes);
  char name[24];
  snprintf(name, sizeof name, "t%u", tm->m.subgraphs[0].tensor_count);
  int32_t t = xai_model_add_tensor(&tm->m, 0, name, type, shape, rank, buf);
  if (t < 0) exit(1);
  if (scales)
    xai_model_set_quant(&tm->m, 0, (uint32_t)t, scales, zps, nq, qdim);
  return t;
}

/* Activation types and quantization of a conv-family layer: random scales
 * with an output scale that keeps `taps` products of weight scale w_scale
 * in range; int16 activations have zero points 0. */
typedef struct {
  int8_t type;
  size_t elem_bytes;
  float in_scale, out_scale;
  int64_t in_zp, out_zp;
} tu_act_quant;

static inline void tu_act_quant_make(uint64_t *rng, int int16, int32_t zi,
                                     int32_t zo, float w_scale, int32_t taps,
                                     tu_act_quant *q) {
  q->type = int16 ? XAI_TYPE_INT16 : XAI_TYPE_INT8;
  q->elem_bytes = int16 ? 2 : 1;
  q->in_scale = tu_log_uniform(rng, 0.005f, 0.05f);
  q->in_zp = int16 ? 0 : zi;
  q->out_zp = int16 ? 0 : zo;
  q->out_scale = q->in_scale * w_scale * sqrtf((float)taps) * 127.0f *
                 tu_log_uniform(rng, 0.02f, 0.3f);
}

/* A bias of n values in [-3000, 3000], INT64 for int16 activations; `big`
 * (int8 only) makes every value INT32_MIN + 5 without drawing. */
static inline int32_t tu_bias(tu_model *tm, uint64_t *rng, int32_t n,
                              int int16, int big) {
  int32_t shape[1] = {n};
  if (int16) {
    int64_t *b = malloc((size_t)n * sizeof *b);
    for (int32_t i = 0; i < n; i++) b[i] = tu_range(rng, -3000, 3000);
    int32_t t = tu_tensor(tm, XAI_TYPE_INT64, shape, 1, b,
                          (size_t)n * sizeof *b, NULL, NULL, 0, 0);
    free(b);
    return t;
  }
  int32_t *b = malloc((size_t)n * sizeof *b);
  for (int32_t i = 0; i < n; i++)
    b[i] = big ? INT32_MIN + 5 : tu_range(rng, -3000, 3000);
  int32_t t = tu_tensor(tm, XAI_TYPE_INT32, shape, 1, b,
                        (size_t)n * sizeof *b, NULL, NULL, 0, 0);
  free(b);
  return t;
}

/* Adds the op (inputs[0] is the model input, outputs[0] the output) and
 * writes the model; *out is malloc'd. */
static inline void tu_finish(tu_model *tm, int32_t builtin,
                             const int32_t *inputs, uint32_t n_in,
                             int32_t out, const xai_options *opts,
                             uint8_t **bytes, size_t *size) {
  int32_t oc = xai_model_opcode(&tm->m, builtin, NULL, 1);
  int32_t outs[1] = {out};
  if (xai_model_add_operator(&tm->m, 0, -1, (uint32_t)oc, inputs, n_in,
                             outs, 1, opts, NULL, 0) < 0)
    exit(1);
  xai_error err = {0};
  if (xai_model_set_subgraph_io(&tm->m, 0, inputs, 1, outs, 1) ||
      xai_model_write(&tm->m, bytes, size, &err)) {
    fprintf(stderr, "model write: %s\n", err.message);
    exit(1);
  }
  xai_model_free(&tm->m);
}

/* ---- Running ---------------------------------------------------------- */
typedef struct {
  xai_op_cost cost; /* of op 0 */
  int seen;
} tu_hook_data;

static inline void tu_hook(void *user, const xai_op_timing *t) {
  tu_hook_data *h = user;
  if (t->subgraph == 0 && t->index == 0 && t->cost) {
    h->cost = *t->cost;
    h->seen = 1;
  }
}

/* Runs model on input; writes output 0 to out (out_bytes). est (may be
 * NULL) gets op 0's estimate when its registration has one. */
static inline xai_status tu_run(const uint8_t *model, size_t size,
                                const xai_op_resolver *r, const void *in,
                                size_t in_bytes, void *out, size_t out_bytes,
                                tu_hook_data *hook, xai_op_cost *est) {
  xai_interp_config cfg = xai_test_interp_config(model, size, NULL, 0);
  cfg.resolver = r;
  cfg.hook = hook ? tu_hook : NULL;
  cfg.hook_user = hook;
  xai_error err = {0};
  xai_test_heap_interp h;
  xai_status st = xai_test_heap_interp_init(&h, &cfg, &err);
  xai_interp *ip = h.ip;
  if (!st && est) {
    const xai_op_registration *reg = xai_interp_op_registration(ip, 0);
    xai_op_ctx *ctx = xai_interp_op(ip, 0);
    memset(est, 0, sizeof *est);
    if (reg && reg->estimate && ctx) {
      memset(ctx->cost, 0, sizeof *ctx->cost);
      st = reg->estimate(ctx);
      *est = *ctx->cost;
    }
  }
  if (!st) st = xai_interp_set_input(ip, 0, in, in_bytes, &err);
  if (!st) st = xai_interp_invoke(ip, &err);
  if (!st) {
    xai_rt_tensor *o = xai_interp_output(ip, 0);
    if (o->bytes != out_bytes) {
      fprintf(stderr, "output has %zu bytes, expected %zu\n", (size_t)o->bytes,
              out_bytes);
      st = XAI_ERR_FORMAT;
    } else {
      memcpy(out, o->data, out_bytes);
    }
  }
  if (st) fprintf(stderr, "run: %s\n", err.message);
  xai_test_heap_interp_free(&h);
  return st;
}

/* Custom code of op 0 of a compiled model ("" for a builtin). */
static inline void tu_op0_code(const uint8_t *model, size_t size, char *code,
                               size_t cap) {
  xai_tfl_view v;
  xai_error err = {0};
  code[0] = 0;
  if (xai_tfl_open(&v, model, size, &err)) return;
  xai_tfl_operator op;
  xai_tfl_get_operator(&v, 0, 0, &op);
  xai_tfl_opcode oc;
  xai_tfl_get_opcode(&v, op.opcode_index, &oc);
  if (oc.custom_code) snprintf(code, cap, "%s", oc.custom_code);
}

/* Lowers model and returns the note of op 0 ("" when none). */
static inline void tu_note(const uint8_t *model, size_t size, char *note,
                           size_t cap) {
  note[0] = 0;
  xai_tfl_view v;
  xai_error err = {0};
  xai_model m;
  if (xai_tfl_open(&v, model, size, &err) ||
      xai_model_from_view(&m, &v, 0, &err))
    return;
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  xf_ctx x;
  memset(&x, 0, sizeof x);
  x.m = &m;
  x.opt = &o;
  if (xf_lower_all(&x, &err) == XAI_OK && x.note_count > 0)
    snprintf(note, cap, "%s", x.notes[0].text);
  free(x.notes);
  xai_model_free(&m);
}

/* Compiles model at each thread count in k_threads, checks op 0 became
 * `code`, runs both on `trials` random inputs and compares every byte.
 * Returns the number of mismatching bytes. */
static inline long tu_check_lowered(const char *label, const uint8_t *model,
                                    size_t size, const char *code,
                                    size_t in_bytes, size_t out_bytes,
                                    uint64_t *rng) {
  long bad = 0;
  int8_t *in = malloc(in_bytes), *want = malloc(out_bytes);
  int8_t *got = malloc(out_bytes);
  for (size_t i = 0; i < in_bytes; i++) in[i] = (int8_t)tu_rand(rng);
  if (tu_run(model, size, xai_ref_resolver(), in, in_bytes, want, out_bytes,
             NULL, NULL) != XAI_OK) {
    fprintf(stderr, "%s: reference run failed\n", label);
    xai_test_failures++;
    goto done;
  }
  {
    /* Outputs that are all one value test little (fine for a clamp case
     * such as RELU with output zero point 127, worth a note otherwise). */
    int seen[256] = {0}, distinct = 0;
    for (size_t i = 0; i < out_bytes; i++)
      if (!seen[(uint8_t)want[i]]++) distinct++;
    if (out_bytes >= 64 && distinct < 4)
      printf("%s: note: only %d distinct output values\n", label, distinct);
  }
  for (unsigned t = 0; t < 4; t++) {
    xai_xformer_options o;
    xai_xformer_options_init(&o);
    o.thread_count = k_threads[t];
    o.quiet = 1;
    uint8_t *opt = NULL;
    size_t opt_size = 0;
    xai_error err = {0};
    xai_status st = xai_xformer_run(model, size, &o, &opt, &opt_size, NULL,
                                    NULL, NULL, &err);
    if (st) {
      fprintf(stderr, "%s: xformer: %s\n", label, err.message);
      xai_test_failures++;
      continue;
    }
    char have[64];
    tu_op0_code(opt, opt_size, have, sizeof have);
    if (strcmp(have, code) != 0) {
      char note[200];
      tu_note(model, size, note, sizeof note);
      fprintf(stderr, "%s: op 0 is '%s', expected %s (note: %s)\n", label,
              have, code, note);
      xai_test_failures++;
      free(opt);
      continue;
    }
    tu_hook_data hook = {0};
    xai_op_cost est;
    memset(got, 0x5A, out_bytes);
    st = tu_run(opt, opt_size, xai_all_ops_resolver(), in, in_bytes, got,
                out_bytes, &hook, &est);
    CHECK_EQ_INT(st, XAI_OK);
    long diff = 0;
    size_t first = 0;
    for (size_t i = 0; i < out_bytes; i++)
      if (got[i] != want[i] && diff++ == 0) first = i;
    if (diff) {
      fprintf(stderr, "%s threads %u: %ld bytes differ, first at %zu (got "
              "%d want %d)\n", label, k_threads[t], diff, first, got[first],
              want[first]);
      xai_test_failures++;
    }
    bad += diff;
    if (t == 3)
      printf("%-22s -> %s: %zu bytes equal at 1/2/5/8 threads (%s, %llu "
             "bundles at 8 threads, estimate %llu)\n", label, code,
             out_bytes, hook.cost.kernel ? hook.cost.kernel : "?",
             (unsigned long long)hook.cost.bundles_max,
             (unsigned long long)est.bundles_max);
    /* The op costs itself from its threads; the estimate agrees. */
    CHECK(hook.seen && hook.cost.ticks > 0 && hook.cost.kernel != NULL);
    /* At most the requested threads: an op never uses more threads than
     * it has work items (rows, channel groups). */
    CHECK(hook.cost.threads >= 1 && hook.cost.threads <= k_threads[t]);
    CHECK(est.ticks > 0 && est.kernel && hook.cost.kernel &&
          strcmp(est.kernel, hook.cost.kernel) == 0);
    if (est.bundles_max > 0 && hook.cost.bundles_max > 0) {
      double r = (double)est.bundles_max / (double)hook.cost.bundles_max;
      if (r < 0.9 || r > 1.1) { /* -128 fix-ups are data-dependent */
        fprintf(stderr, "%s threads %u: estimate %llu bundles, run %llu\n",
                label, k_threads[t], (unsigned long long)est.bundles_max,
                (unsigned long long)hook.cost.bundles_max);
        xai_test_failures++;
      }
    }
    free(opt);
  }
done:
  free(in);
  free(want);
  free(got);
  return bad;
}

/* Compiles model and checks op 0 stayed a builtin with a note containing
 * `why`. */
static inline void tu_check_kept(const char *label, const uint8_t *model,
                                 size_t size, const char *why) {
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.quiet = 1;
  uint8_t *opt = NULL;
  size_t opt_size = 0;
  xai_error err = {0};
  xai_status st = xai_xformer_run(model, size, &o, &opt, &opt_size, NULL,
                                  NULL, NULL, &err);
  CHECK_EQ_INT(st, XAI_OK);
  if (st) {
    fprintf(stderr, "%s: %s\n", label, err.message);
    return;
  }
  char have[64];
  tu_op0_code(opt, opt_size, have, sizeof have);
  if (have[0]) {
    fprintf(stderr, "%s: lowered to %s; expected a builtin\n", label, have);
    xai_test_failures++;
  }
  char note[200];
  tu_note(model, size, note, sizeof note);
  if (!strstr(note, why)) {
    fprintf(stderr, "%s: note '%s' lacks '%s'\n", label, note, why);
    xai_test_failures++;
  }
  free(opt);
}

#endif
