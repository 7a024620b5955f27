/* Prefetch of streamed weights (params_prefetch.c, docs/weights.md): with
 * a params file in flash, each XAI_load_weights op after the first compute
 * op moves one compute op earlier and is marked "pf": 1, so its transfer
 * runs under that op.
 *  - outputs are bit-identical with and without prefetch (person_detect
 *    and a synthetic chain of fully connected layers);
 *  - every "pf" load has exactly one compute op between it and the first
 *    reader of its weights, every other load none, and the compute ops
 *    keep their order;
 *  - the report's total with prefetch is at most the total without, and
 *    for the synthetic model equals the sum computed here by hand: each
 *    load streams its bytes at 50 MB/s (2 ticks per byte), and a "pf"
 *    load adds only max(0, load - ticks of the op after it);
 *  - with a --target-config whose SRAM holds exactly the model and the
 *    arena without prefetch, no hoist of the synthetic model fits (each
 *    would keep a second layer's weights live) and none happens; for
 *    person_detect whatever hoists happen keep model + arena inside it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_seeded.h"
#include "test_model_build.h"
#include "testlib.h"
#include "xai/flexbuf.h"
#include "xai/runtime.h"
#include "xai/xformer.h"

#define CFG_PATH "test_params_prefetch.cfg"

typedef struct {
  uint8_t *model, *params;
  size_t model_size, params_size;
  xai_xformer_report rep;
} compiled;

static void compiled_free(compiled *c) {
  free(c->model);
  free(c->params);
  xai_xformer_report_free(&c->rep);
  memset(c, 0, sizeof *c);
}

static xai_status compile(const uint8_t *in, size_t size, int no_prefetch,
                          const char *target_config, compiled *c,
                          xai_error *err) {
  memset(c, 0, sizeof *c);
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.quiet = 1;
  o.params_file = "unused.params"; /* xai_xformer_run writes no file */
  o.no_prefetch = no_prefetch;
  o.target_config = target_config;
  return xai_xformer_run(in, size, &o, &c->model, &c->model_size, &c->params,
                         &c->params_size, &c->rep, err);
}

/* Runs the model on a fixed pseudo-random input with its params streamed
 * from a flash-kind source; output 0 is returned (malloc'd). */
static xai_status run(const compiled *c, uint8_t **out, size_t *out_bytes,
                      xai_error *err) {
  xai_params_source src =
      xai_params_memory(c->params, c->params_size, XAI_PARAMS_FLASH);
  xai_interp_config cfg =
      xai_test_interp_config(c->model, c->model_size, NULL, 0);
  cfg.params = &src;
  return xai_test_run_seeded(&cfg, 4242, out, out_bytes, err);
}

/* ---- Reading the compiled model ----------------------------------------- */

static bool op_is_load(const xai_model *m, const xai_operator *o) {
  const xai_opcode *oc = &m->opcodes[o->opcode_index];
  return oc->custom_code && !strcmp(oc->custom_code, "XAI_load_weights");
}

static int load_pf(const xai_operator *o) {
  xai_flexbuf_ref map, v;
  xai_error e;
  uint64_t pf = 0;
  if (xai_flexbuf_root(o->custom_options, o->custom_options_size, &map, &e))
    return -1;
  if (xai_flexbuf_map_get(&map, "pf", &v, &e)) return 0; /* absent */
  if (xai_flexbuf_get_uint(&v, &pf, &e)) return -1;
  return (int)pf;
}

static bool reads(const xai_operator *o, int32_t t) {
  for (uint32_t k = 0; k < o->input_count; k++)
    if (o->inputs[k] == t) return true;
  return false;
}

/* Bytes of the load op's outputs (the packed blobs are 1-byte types). */
static uint64_t load_bytes(const xai_model *m, const xai_operator *o) {
  uint64_t total = 0;
  for (uint32_t k = 0; k < o->output_count; k++) {
    const xai_tensor *t = &m->subgraphs[0].tensors[o->outputs[k]];
    uint64_t n = 1;
    for (uint32_t d = 0; d < t->rank; d++) n *= (uint64_t)t->shape[d];
    total += n;
  }
  return total;
}

typedef struct {
  uint32_t loads, prefetched;
  char compute_outputs[512][64]; /* first output name of each compute op */
  uint32_t compute_count;
  bool ok;
} schedule;

/* Checks the load placement rule and records the compute op order. */
static void read_schedule(const compiled *c, schedule *s) {
  memset(s, 0, sizeof *s);
  xai_tfl_view view;
  xai_model m;
  xai_error err;
  if (xai_tfl_open(&view, c->model, c->model_size, &err) ||
      xai_model_from_view(&m, &view, 1, &err)) {
    CHECK(!"the compiled model reads back");
    return;
  }
  const xai_subgraph *sg = &m.subgraphs[0];
  s->ok = true;
  for (uint32_t i = 0; i < sg->operator_count; i++) {
    const xai_operator *o = &sg->operators[i];
    if (!op_is_load(&m, o)) {
      if (s->compute_count < 512 && o->output_count)
        snprintf(s->compute_outputs[s->compute_count++], 64, "%s",
                 sg->tensors[o->outputs[0]].name);
      continue;
    }
    s->loads++;
    int pf = load_pf(o);
    CHECK(pf == 0 || pf == 1);
    if (pf == 1) s->prefetched++;
    /* compute ops between the load and the first reader of output 0 */
    uint32_t between = 0, j = i + 1;
    for (; j < sg->operator_count && !reads(&sg->operators[j], o->outputs[0]);
         j++)
      if (!op_is_load(&m, &sg->operators[j])) between++;
    if (j == sg->operator_count || between != (uint32_t)(pf == 1)) {
      fprintf(stderr, "op %u: load with pf=%d has %u compute ops before its "
              "reader\n", i, pf, between);
      s->ok = false;
    }
  }
  xai_model_free(&m);
}

static void check_same_compute_order(const schedule *a, const schedule *b) {
  CHECK_EQ_INT(a->compute_count, b->compute_count);
  for (uint32_t i = 0; i < a->compute_count && i < b->compute_count; i++)
    CHECK(!strcmp(a->compute_outputs[i], b->compute_outputs[i]));
}

static void check_same_bits(const compiled *a, const compiled *b) {
  uint8_t *oa = NULL, *ob = NULL;
  size_t na = 0, nb = 0;
  xai_error err;
  xai_status st = run(a, &oa, &na, &err);
  if (st) fprintf(stderr, "run: %s\n", err.message);
  CHECK_EQ_INT(st, XAI_OK);
  st = run(b, &ob, &nb, &err);
  if (st) fprintf(stderr, "run: %s\n", err.message);
  CHECK_EQ_INT(st, XAI_OK);
  CHECK_EQ_INT(na, nb);
  CHECK(oa && ob && na == nb && memcmp(oa, ob, na) == 0);
  free(oa);
  free(ob);
}

/* A target whose SRAM (no firmware share) is the model plus the arena of
 * the compile without prefetch, rounded up to a KiB. */
static void write_tight_config(const compiled *c) {
  size_t need = c->model_size + c->rep.arena_bytes;
  FILE *f = fopen(CFG_PATH, "w");
  CHECK(f != NULL);
  if (!f) return;
  fprintf(f, "# model + arena without prefetch\nsram_kib = %zu\n"
          "firmware_kib = 0\n", (need + 1023) / 1024);
  fclose(f);
}

/* ---- Synthetic model ----------------------------------------------------- */

static int32_t add_fc(xai_model *m, int32_t in, uint32_t k, uint32_t n,
                      const char *name, uint64_t *rng) {
  static int8_t w[128 * 128];
  static int32_t b[128];
  for (uint32_t i = 0; i < n * k; i++)
    w[i] = (int8_t)((int)(xai_test_rand(rng) % 255u) - 127);
  for (uint32_t i = 0; i < n; i++)
    b[i] = (int32_t)(xai_test_rand(rng) % 2001u) - 1000;
  return mb_fc(m, in, k, n, name, w, b, 0.25f, 0);
}

/* in [1,64] -> FC 128 -> FC 128 -> FC 128 -> FC 32 -> out. Activations are
 * tiny and each layer's weights are 8-16 KiB, so hoisting any load keeps a
 * second layer's weights live and grows the arena. */
static int fc_chain(uint8_t **data, size_t *size) {
  xai_model m;
  xai_error err;
  if (xai_model_init(&m, &err)) return 0;
  uint64_t rng = 77;
  int32_t s64[2] = {1, 64};
  int32_t in = mb_tensor(&m, "in", XAI_TYPE_INT8, s64, 2, 0.1f, 0, NULL, 0);
  int32_t t = add_fc(&m, in, 64, 128, "fc1", &rng);
  t = add_fc(&m, t, 128, 128, "fc2", &rng);
  t = add_fc(&m, t, 128, 128, "fc3", &rng);
  t = add_fc(&m, t, 128, 32, "fc4", &rng);
  int ok = xai_model_set_subgraph_io(&m, 0, &in, 1, &t, 1) == XAI_OK &&
           xai_model_write(&m, data, size, &err) == XAI_OK;
  xai_model_free(&m);
  return ok;
}

/* The report's total by hand: compute ops' ticks as reported, each load
 * 2 ticks per byte (50 MB/s against the 100 MHz reference timer), a "pf"
 * load only what the next op's ticks do not cover. */
static uint64_t hand_total(const compiled *c) {
  xai_tfl_view view;
  xai_model m;
  xai_error err;
  if (xai_tfl_open(&view, c->model, c->model_size, &err) ||
      xai_model_from_view(&m, &view, 1, &err))
    return 0;
  const xai_subgraph *sg = &m.subgraphs[0];
  CHECK_EQ_INT(sg->operator_count, c->rep.layer_count);
  uint64_t total = 0;
  for (uint32_t i = 0; i < sg->operator_count && i < c->rep.layer_count;
       i++) {
    const xai_operator *o = &sg->operators[i];
    if (!op_is_load(&m, o)) {
      total += c->rep.layers[i].ticks;
      continue;
    }
    uint64_t load = 2 * load_bytes(&m, o);
    if (load_pf(o) == 1 && i + 1 < sg->operator_count) {
      CHECK(!op_is_load(&m, &sg->operators[i + 1]));
      uint64_t next = c->rep.layers[i + 1].ticks;
      total += load > next ? load - next : 0;
    } else {
      total += load;
    }
  }
  xai_model_free(&m);
  return total;
}

static void check_synthetic(void) {
  uint8_t *in = NULL;
  size_t size = 0;
  CHECK(fc_chain(&in, &size));
  if (!in) return;
  xai_error err;
  compiled pf, sync, tight;
  xai_status st = compile(in, size, 0, NULL, &pf, &err);
  if (st) fprintf(stderr, "compile: %s\n", err.message);
  CHECK_EQ_INT(st, XAI_OK);
  st = compile(in, size, 1, NULL, &sync, &err);
  CHECK_EQ_INT(st, XAI_OK);

  schedule a, b;
  read_schedule(&pf, &a);
  read_schedule(&sync, &b);
  CHECK(a.ok && b.ok);
  CHECK_EQ_INT(a.loads, 4);
  CHECK_EQ_INT(b.loads, 4);
  CHECK_EQ_INT(a.prefetched, 3); /* all but the first layer's */
  CHECK_EQ_INT(b.prefetched, 0);
  CHECK_EQ_INT(pf.rep.params_prefetched, 3);
  check_same_compute_order(&a, &b);
  check_same_bits(&pf, &sync);

  uint64_t want_pf = hand_total(&pf), want_sync = hand_total(&sync);
  printf("synthetic: sync %llu ticks (hand %llu), prefetch %llu (hand %llu);"
         " arena %zu -> %zu bytes\n",
         (unsigned long long)sync.rep.ticks, (unsigned long long)want_sync,
         (unsigned long long)pf.rep.ticks, (unsigned long long)want_pf,
         sync.rep.arena_bytes, pf.rep.arena_bytes);
  CHECK_EQ_INT(sync.rep.ticks, want_sync);
  CHECK_EQ_INT(pf.rep.ticks, want_pf);
  CHECK(pf.rep.ticks <= sync.rep.ticks);
  CHECK_EQ_INT(pf.rep.ticks + pf.rep.load_hidden_ticks, sync.rep.ticks);
  CHECK(pf.rep.arena_bytes >= sync.rep.arena_bytes + 2048);

  write_tight_config(&sync);
  st = compile(in, size, 0, CFG_PATH, &tight, &err);
  if (st) fprintf(stderr, "tight compile: %s\n", err.message);
  CHECK_EQ_INT(st, XAI_OK);
  schedule t;
  read_schedule(&tight, &t);
  CHECK(t.ok);
  CHECK_EQ_INT(t.prefetched, 0);
  CHECK_EQ_INT(tight.rep.params_prefetched, 0);
  CHECK_EQ_INT(tight.rep.arena_bytes, sync.rep.arena_bytes);
  CHECK_EQ_INT(tight.rep.ticks, sync.rep.ticks);
  remove(CFG_PATH);
  compiled_free(&tight);
  compiled_free(&pf);
  compiled_free(&sync);
  free(in);
}

static void check_person_detect(const char *dir) {
  char path[1024];
  snprintf(path, sizeof path, "%s/tflm/person_detect.tflite", dir);
  uint8_t *in;
  size_t size;
  xai_error err;
  if (xai_file_read(path, &in, &size, &err)) {
    printf("skip person_detect: %s\n", err.message);
    return;
  }
  compiled pf, sync, tight;
  CHECK_EQ_INT(compile(in, size, 0, NULL, &pf, &err), XAI_OK);
  CHECK_EQ_INT(compile(in, size, 1, NULL, &sync, &err), XAI_OK);
  schedule a, b;
  read_schedule(&pf, &a);
  read_schedule(&sync, &b);
  CHECK(a.ok && b.ok);
  CHECK_EQ_INT(a.loads, b.loads);
  CHECK(a.prefetched > 0);
  CHECK(a.prefetched < a.loads); /* the first layer's load cannot move */
  CHECK_EQ_INT(b.prefetched, 0);
  CHECK_EQ_INT(pf.rep.params_prefetched, a.prefetched);
  check_same_compute_order(&a, &b);
  check_same_bits(&pf, &sync);
  CHECK(pf.rep.ticks < sync.rep.ticks);
  CHECK_EQ_INT(pf.rep.ticks + pf.rep.load_hidden_ticks, sync.rep.ticks);
  printf("person_detect: %u of %u loads prefetched; %.3f ms -> %.3f ms; "
         "arena %zu -> %zu bytes\n", a.prefetched, a.loads, sync.rep.ms,
         pf.rep.ms, sync.rep.arena_bytes, pf.rep.arena_bytes);

  write_tight_config(&sync);
  CHECK_EQ_INT(compile(in, size, 0, CFG_PATH, &tight, &err), XAI_OK);
  schedule t;
  read_schedule(&tight, &t);
  CHECK(t.ok);
  size_t budget = (sync.model_size + sync.rep.arena_bytes + 1023) / 1024 *
                  1024;
  CHECK(tight.model_size + tight.rep.arena_bytes <= budget);
  CHECK(tight.rep.ticks <= sync.rep.ticks);
  check_same_bits(&tight, &sync);
  printf("person_detect in %zu bytes of SRAM: %u loads prefetched, arena "
         "%zu bytes\n", budget, t.prefetched, tight.rep.arena_bytes);
  remove(CFG_PATH);
  compiled_free(&tight);
  compiled_free(&pf);
  compiled_free(&sync);
  free(in);
}

/* The overlap rule on its own, by hand. */
static void check_overlap_rule(void) {
  /* load(pf) 50 under compute 30; load(pf) 10 + load(pf) 15 share compute
   * 20; sync load 7; compute 5; trailing pf load 9 has nothing after it */
  uint64_t ticks[] = {50, 30, 10, 15, 20, 7, 5, 9};
  uint64_t over[] = {50, 0, 10, 15, 0, 0, 0, 9};
  uint64_t exp[8];
  uint64_t hidden = xai_params_overlap_ticks(ticks, over, 8, exp);
  uint64_t want[] = {20, 30, 0, 5, 20, 7, 5, 9};
  CHECK_EQ_INT(hidden, 30 + 10 + 10);
  for (int i = 0; i < 8; i++) CHECK_EQ_INT(exp[i], want[i]);
  /* in place */
  CHECK_EQ_INT(xai_params_overlap_ticks(ticks, over, 8, ticks), 50);
  for (int i = 0; i < 8; i++) CHECK_EQ_INT(ticks[i], want[i]);
}

int main(void) {
  check_overlap_rule();
  check_synthetic();
  const char *dir = xai_test_models_dir();
  if (dir) check_person_detect(dir);
  return xai_test_finish("test_params_prefetch");
}
