/* libFuzzer target: the whole xformer on mutated models. The first two
 * bytes pick the options (threads, params split and its threshold, weight
 * load budget, placement, semantics, names, prefetch, tiles, report); the
 * rest is the model. Every pass runs: the runtime's validation first, then
 * canonicalise, slice, lower, plan, place, split params, metadata,
 * prefetch, partition, shrink (and the report, which runs the result in
 * the runtime). What the xformer accepts must load and run in the runtime
 * with its params; what it refuses must come with a message. */
#define _POSIX_C_SOURCE 200809L /* mkstemp */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xai/runtime.h"
#include "xai/xformer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A small device (2 MiB of LPDDR beside the tile's SRAM): every placement
 * (SRAM, LPDDR, flash) is still reachable, but no mutated model makes an
 * exec size, clear and run tens of MiB of arena (docs/fuzzing.md). Written
 * once; the passes read it as --target-config. */
static char g_target[64];

static void remove_target(void) { remove(g_target); }

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  const char *dir = getenv("TMPDIR");
  snprintf(g_target, sizeof g_target, "%.40s/fuzz_xformer_XXXXXX",
           dir && *dir ? dir : "/tmp");
  int fd = mkstemp(g_target);
  if (fd < 0) abort();
  static const char text[] = "lpddr_mib = 2\n";
  if (write(fd, text, sizeof text - 1) != (ssize_t)(sizeof text - 1)) abort();
  close(fd);
  atexit(remove_target);
  return 0;
}

#define OPTION_BYTES 2u
/* Larger inputs only slow the fuzzer: the seeds are small models. */
#define MAX_MODEL_BYTES (256u * 1024u)

static void set_options(xai_xformer_options *o, uint8_t a, uint8_t b) {
  xai_xformer_options_init(o);
  o->quiet = 1;
  o->target_config = g_target;
  o->thread_count = 1u + (a & 7u) % 5u;
  if (a & 0x08) {
    o->params_file = "fuzz.params"; /* only marks the split: nothing is written */
    o->load_externally_if_larger = (b & 0x01) ? 16u : 256u;
    o->weight_load_budget = (size_t)((b >> 1) & 3u) * 512u;
    if (b & 0x08) o->memory = XAI_XF_MEMORY_FLASH;
    if (b & 0x10) o->no_prefetch = 1;
  }
  if (a & 0x10) o->litert_semantics = 1;
  if (a & 0x20) o->keep_names = 1;
  if (b & 0x20) o->clock_mhz = 600;
}

/* The compiled model loads with its params and runs once on zeros. */
static void run_output(const uint8_t *model, size_t size,
                       const uint8_t *params, size_t params_size,
                       const xai_xformer_options *o) {
  xai_params_source src = xai_params_memory(
      params, params_size,
      o->memory == XAI_XF_MEMORY_FLASH ? XAI_PARAMS_FLASH : XAI_PARAMS_RAM);
  xai_interp_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.model = model;
  cfg.model_size = size;
  cfg.clock_mhz = o->clock_mhz;
  cfg.params = params_size ? &src : NULL;
  xai_error err;
  size_t need = 0;
  if (xai_interp_arena_needed(&cfg, &need, &err) != XAI_OK) abort();
  /* calloc: zeroed pages the run does not touch cost nothing (glibc's
   * pointers are 16-byte aligned, as the runtime wants). */
  cfg.arena = calloc(1, need ? need : 16);
  cfg.arena_size = need;
  if (!cfg.arena || ((uintptr_t)cfg.arena & 15u)) abort();
  xai_interp *ip = NULL;
  if (xai_interp_init(&ip, &cfg, &err) != XAI_OK) abort();
  /* Invoke may fail cleanly (e.g. an op that checks its data); it must
   * not crash. */
  xai_interp_invoke(ip, &err);
  free(cfg.arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < OPTION_BYTES || size - OPTION_BYTES > MAX_MODEL_BYTES) return 0;
  xai_xformer_options o;
  set_options(&o, data[0], data[1]);
  const bool report = (data[0] & 0x40) != 0;
  const bool tiles = (data[0] & 0x80) != 0;
  if (tiles) o.tiles = 2;

  /* The reader wants the model 16-byte aligned, at its exact size so
   * ASan sees reads past the end. */
  size_t n = size - OPTION_BYTES;
  uint8_t *model = aligned_alloc(16, (n + 15) & ~(size_t)15);
  if (!model) return 0;
  memcpy(model, data + OPTION_BYTES, n);

  uint8_t *out = NULL, *params = NULL;
  size_t out_size = 0, params_size = 0;
  xai_xformer_report rep;
  xai_error err;
  xai_status st = xai_xformer_run(model, n, &o, &out, &out_size,
                                  o.params_file ? &params : NULL,
                                  o.params_file ? &params_size : NULL,
                                  report ? &rep : NULL, &err);
  if (st != XAI_OK) {
    if (!err.message[0] || memchr(err.message, '\0', sizeof err.message) == NULL)
      abort();
    /* The xformer's own check that its result loads: never fails on a
     * model it accepted. */
    /* A prefix test: a mutated tensor name quoted in a refusal may hold
     * the same words. */
    static const char k_no_load[] = "the optimised model does not load";
    if (strncmp(err.message, k_no_load, sizeof k_no_load - 1) == 0) {
      fprintf(stderr, "%s\n", err.message);
      abort();
    }
  } else {
    if (!out || out_size == 0) abort();
    /* A partitioned model's params are spread over tiles the report
     * knows; the one-tile case is loaded here. */
    if (!tiles) {
      uint8_t *copy = aligned_alloc(16, (out_size + 15) & ~(size_t)15);
      if (!copy) abort();
      memcpy(copy, out, out_size);
      run_output(copy, out_size, params, params_size, &o);
      free(copy);
    }
  }
  if (report) xai_xformer_report_free(&rep);
  free(out);
  free(params);
  free(model);
  return 0;
}
