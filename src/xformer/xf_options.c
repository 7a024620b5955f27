/* xformer options: the seed's spellings (XMOS ai_tools xformer), parsed
 * from `--opt value` or `--opt=value`, with a "did you mean" for typos. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xai/xcore_machine.h"
#include "xformer_internal.h"

typedef enum {
  OPT_UINT, OPT_SIZE, OPT_STRING, OPT_MEMORY, OPT_FLAG, OPT_SEMANTICS
} opt_kind;

typedef enum {
  ID_THREADS, ID_PARAMS, ID_EXTERNAL, ID_MEMORY, ID_TARGET, ID_CLOCK,
  ID_REPORT, ID_REPORT_HTML, ID_OUTPUT, ID_QUIET, ID_HELP, ID_NO_PREFETCH,
  ID_EMIT_C, ID_EMIT_C_NAME, ID_SEMANTICS, ID_LOAD_BUDGET, ID_KEEP_NAMES,
  ID_FLASH_ENTRY,
  ID_TILES, ID_CHIPS,
  ID_NO_TILE_SPLIT,
  ID_ARENA_BUDGET,
  ID_TILE_SPLIT,
  ID_COMPACT_PIXELS,
  ID_PIPELINE,
} opt_id;

typedef struct {
  const char *name;   /* without dashes */
  const char *dashes; /* how it is spelled on the command line */
  opt_id id;
  opt_kind kind;
  unsigned min, max;  /* OPT_UINT range */
  const char *arg;    /* metavariable for --help */
  const char *help;
} opt_desc;

static const opt_desc k_options[] = {
    {"xcore-thread-count", "--", ID_THREADS, OPT_UINT, 1,
     XAI_XCORE_THREADS_PER_TILE, "N",
     "threads each op is split over, 1 to 8 (default 5: one tile's compute)"},
    {"xcore-flash-image-file", "--", ID_PARAMS, OPT_STRING, 0, 0, "FILE",
     "write constants larger than the threshold to FILE (params for flash)"},
    {"xcore-weights-file", "--", ID_PARAMS, OPT_STRING, 0, 0, "FILE",
     "same as --xcore-flash-image-file"},
    {"params", "-", ID_PARAMS, OPT_STRING, 0, 0, "FILE",
     "same as --xcore-flash-image-file"},
    {"xcore-load-externally-if-larger", "--", ID_EXTERNAL, OPT_SIZE, 0, 0, "N",
     "bytes above which a constant goes to the params file (default 100)"},
    {"xcore-weight-load-budget", "--", ID_LOAD_BUDGET, OPT_SIZE, 0, 0, "N",
     "with a params file, load weights larger than N bytes in output-channel "
     "slices (default 0: what fits under the activations' peak)"},
    {"xcore-memory", "--", ID_MEMORY, OPT_MEMORY, 0, 0,
     "auto|internal|external|flash|custom",
     "where model, arena and params live on the device (default auto)"},
    {"xcore-flash-entry", "--", ID_FLASH_ENTRY, OPT_UINT, 0, 65535, "N",
     "flash image entry the model and params go to (build_flash_file's "
     "order; default 0), recorded for xmos_send_model"},
    {"target-config", "--", ID_TARGET, OPT_STRING, 0, 0, "FILE",
     "device description (memories and sizes) for --xcore-memory custom"},
    {"xcore-clock-mhz", "--", ID_CLOCK, OPT_UINT, 100, 1000, "N",
     "core clock for the time estimates, 100 to 1000 (default 800)"},
    {"xcore-tiles", "--", ID_TILES, OPT_UINT, 1, 2 * XAI_XCORE_CHIPS_MAX, "N",
     "tiles the model may spread over, 1 to 8 (default 1, or 2 per chip "
     "with --xcore-chips); weights of a model too big for one tile are "
     "held on the others (needs --xcore-flash-image-file)"},
    {"xcore-chips", "--", ID_CHIPS, OPT_UINT, 1, XAI_XCORE_CHIPS_MAX, "N",
     "xcore.ai chips linked by xLINK that form the device, 1 to 4 (default "
     "1)"},
    {"report-json", "--", ID_REPORT, OPT_STRING, 0, 0, "FILE",
     "also write the per-layer report as JSON to FILE"},
    {"report-html", "--", ID_REPORT_HTML, OPT_STRING, 0, 0, "FILE",
     "also write the report as one self-contained HTML page to FILE"},
    {"o", "-", ID_OUTPUT, OPT_STRING, 0, 0, "FILE",
     "the optimised model (written atomically)"},
    {"output", "--", ID_OUTPUT, OPT_STRING, 0, 0, "FILE", "same as -o"},
    {"xcore-no-prefetch", "--", ID_NO_PREFETCH, OPT_FLAG, 0, 0, NULL,
     "load each layer's streamed weights only when it runs (default: one "
     "layer early, where the arena has room)"},
    {"emit-c", "--", ID_EMIT_C, OPT_STRING, 0, 0, "DIR",
     "also write the model as C source, DIR/NAME.c and NAME.h (docs/firmware.md)"},
    {"emit-c-name", "--", ID_EMIT_C_NAME, OPT_STRING, 0, 0, "NAME",
     "C name prefix for --emit-c (default: the output file's base name)"},
    {"xcore-semantics", "--", ID_SEMANTICS, OPT_SEMANTICS, 0, 0,
     "tflm|litert",
     "arithmetic where TFLite Micro and LiteRT differ (default tflm; "
     "recorded in the model)"},
    {"xcore-keep-names", "--", ID_KEEP_NAMES, OPT_FLAG, 0, 0, NULL,
     "keep every tensor's name in the optimised model (default: only the "
     "graph inputs' and outputs')"},
    {"quiet", "--", ID_QUIET, OPT_FLAG, 0, 0, NULL,
     "do not print the report"},
    {"help", "--", ID_HELP, OPT_FLAG, 0, 0, NULL, "print this help"},
    {"xcore-no-tile-split", "--", ID_NO_TILE_SPLIT, OPT_FLAG, 0, 0, NULL,
     "with --xcore-tiles 2 or more, never split a wide op by output "
     "channels over two tiles (docs/multitile.md)"},
    {"xcore-arena-budget", "--", ID_ARENA_BUDGET, OPT_SIZE, 0, 0, "BYTES",
     "arena the model may use: weight slices and prefetch stay within it, "
     "and the report names the layer that holds the arena if it cannot be "
     "met (default 0: the memory left after the firmware and the model)"},
    {"xcore-tile-split", "--", ID_TILE_SPLIT, OPT_FLAG, 0, 0, NULL,
     "with --xcore-tiles 2 or more, split every op of 32 output channels "
     "or more over two tiles, whatever the cost model says"},
    {"xcore-compact-requant-pixels", "--", ID_COMPACT_PIXELS, OPT_SIZE, 0, 0,
     "N", "layers with at most N output pixels get compact requantization "
     "records: fewer model bytes, more cycles (default 0: 64; a large N: "
     "every layer, the smallest model)"},
    {"xcore-pipeline", "--", ID_PIPELINE, OPT_FLAG, 0, 0, NULL,
     "with --xcore-tiles N (or --xcore-chips), write the model as N layer "
     "pipeline stages OUT.stage0.tflite ... for a stream of inputs, one per "
     "tile (docs/multitile.md)"},
};
#define OPTION_COUNT (sizeof k_options / sizeof k_options[0])

static const char *const k_memory_names[] = {"auto", "internal", "external",
                                             "flash", "custom"};

void xai_xformer_options_init(xai_xformer_options *o) {
  memset(o, 0, sizeof *o);
  o->thread_count = XAI_XFORMER_DEFAULT_THREADS;
  o->clock_mhz = XAI_XCORE_CLOCK_MHZ_DEFAULT;
  o->load_externally_if_larger = XAI_XFORMER_DEFAULT_EXTERNAL_THRESHOLD;
}

static const opt_desc *find_option(const char *name) {
  for (size_t i = 0; i < OPTION_COUNT; i++)
    if (!strcmp(k_options[i].name, name)) return &k_options[i];
  return NULL;
}

/* Levenshtein distance with one rolling row; option names are short. */
static size_t edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 64 || lb > 64) return (size_t)-1;
  size_t row[65];
  for (size_t j = 0; j <= lb; j++) row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t up = row[j];
      size_t best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[lb];
}

/* The closest option, if it is close enough to be a typo. */
static const opt_desc *closest_option(const char *name) {
  const opt_desc *best = NULL;
  size_t best_d = (size_t)-1;
  for (size_t i = 0; i < OPTION_COUNT; i++) {
    size_t d = edit_distance(name, k_options[i].name);
    if (d < best_d) {
      best_d = d;
      best = &k_options[i];
    }
  }
  size_t limit = strlen(name) / 3;
  if (limit < 2) limit = 2;
  return best_d <= limit ? best : NULL;
}

static xai_status unknown_option(const char *spelled, const char *name,
                                 xai_error *err) {
  const opt_desc *d = closest_option(name);
  if (d)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "unknown option '%.80s'; did you mean '%s%s'?", spelled,
                    d->dashes, d->name);
  return xai_fail(err, XAI_ERR_ARGUMENT,
                  "unknown option '%.80s'; see --help for the options",
                  spelled);
}

/* Decimal digits only: strtoul alone would accept "-1" and " 5". */
static int parse_uint(const char *s, unsigned long long *out) {
  if (!s || !*s) return 0;
  for (const char *p = s; *p; p++)
    if (*p < '0' || *p > '9') return 0;
  errno = 0;
  *out = strtoull(s, NULL, 10);
  return errno == 0;
}

static xai_status set_known(xai_xformer_options *o, const opt_desc *d,
                            const char *value, xai_error *err) {
  if (d->kind == OPT_FLAG) {
    if (value)
      return xai_fail(err, XAI_ERR_ARGUMENT, "%s%s takes no value (got '%.40s')",
                      d->dashes, d->name, value);
    if (d->id == ID_QUIET) o->quiet = 1;
    if (d->id == ID_HELP) o->help = 1;
    if (d->id == ID_NO_PREFETCH) o->no_prefetch = 1;
    if (d->id == ID_KEEP_NAMES) o->keep_names = 1;
    if (d->id == ID_NO_TILE_SPLIT) o->no_tile_split = 1;
    if (d->id == ID_TILE_SPLIT) o->tile_split = 1;
    if (d->id == ID_PIPELINE) o->pipeline = 1;
    return XAI_OK;
  }
  if (!value)
    return xai_fail(err, XAI_ERR_ARGUMENT, "%s%s needs a value (%s)",
                    d->dashes, d->name, d->arg);
  unsigned long long v = 0;
  switch (d->kind) {
    case OPT_UINT:
      if (!parse_uint(value, &v) || v < d->min || v > d->max)
        return xai_fail(err, XAI_ERR_ARGUMENT,
                        "%s%s '%.40s': must be a whole number from %u to %u",
                        d->dashes, d->name, value, d->min, d->max);
      if (d->id == ID_THREADS) o->thread_count = (unsigned)v;
      if (d->id == ID_CLOCK) o->clock_mhz = (uint32_t)v;
      if (d->id == ID_FLASH_ENTRY) o->flash_entry = (uint32_t)v;
      if (d->id == ID_TILES) o->tiles = (unsigned)v;
      if (d->id == ID_CHIPS) o->chips = (unsigned)v;
      return XAI_OK;
    case OPT_SIZE:
      if (!parse_uint(value, &v) || v > SIZE_MAX)
        return xai_fail(err, XAI_ERR_ARGUMENT,
                        "%s%s '%.40s': must be a whole number of bytes (0 or "
                        "more)", d->dashes, d->name, value);
      if (d->id == ID_EXTERNAL) o->load_externally_if_larger = (size_t)v;
      if (d->id == ID_LOAD_BUDGET) o->weight_load_budget = (size_t)v;
      if (d->id == ID_ARENA_BUDGET) o->arena_budget = (size_t)v;
      if (d->id == ID_COMPACT_PIXELS) o->compact_requant_pixels = (size_t)v;
      return XAI_OK;
    case OPT_MEMORY:
      for (size_t i = 0; i < sizeof k_memory_names / sizeof *k_memory_names;
           i++)
        if (!strcmp(value, k_memory_names[i])) {
          o->memory = (xai_xf_memory)i;
          return XAI_OK;
        }
      return xai_fail(err, XAI_ERR_ARGUMENT,
                      "%s%s '%.40s': must be one of auto, internal, external, "
                      "flash, custom", d->dashes, d->name, value);
    case OPT_SEMANTICS:
      if (strcmp(value, "tflm") && strcmp(value, "litert"))
        return xai_fail(err, XAI_ERR_ARGUMENT,
                        "%s%s '%.40s': must be tflm or litert", d->dashes,
                        d->name, value);
      o->litert_semantics = !strcmp(value, "litert");
      return XAI_OK;
    case OPT_STRING:
      if (!*value)
        return xai_fail(err, XAI_ERR_ARGUMENT, "%s%s: empty file name",
                        d->dashes, d->name);
      if (d->id == ID_PARAMS) o->params_file = value;
      if (d->id == ID_TARGET) o->target_config = value;
      if (d->id == ID_REPORT) o->report_json = value;
      if (d->id == ID_REPORT_HTML) o->report_html = value;
      if (d->id == ID_OUTPUT) o->output = value;
      if (d->id == ID_EMIT_C) o->emit_c_dir = value;
      if (d->id == ID_EMIT_C_NAME) o->emit_c_name = value;
      return XAI_OK;
    case OPT_FLAG:
      break;
  }
  return XAI_OK;
}

xai_status xai_xformer_set_option(xai_xformer_options *o, const char *name,
                                  const char *value, xai_error *err) {
  xai_error_clear(err);
  if (!name) return xai_fail(err, XAI_ERR_ARGUMENT, "option name is NULL");
  const opt_desc *d = find_option(name);
  if (!d) {
    char spelled[96];
    snprintf(spelled, sizeof spelled, "--%.80s", name);
    return unknown_option(spelled, name, err);
  }
  return set_known(o, d, value, err);
}

xai_status xai_xformer_parse_args(xai_xformer_options *o, int argc,
                                  const char *const *argv,
                                  const char **input, xai_error *err) {
  xai_error_clear(err);
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] != '-' || a[1] == '\0') {
      if (!input)
        return xai_fail(err, XAI_ERR_ARGUMENT,
                        "unexpected argument '%.80s'", a);
      if (*input)
        return xai_fail(err, XAI_ERR_ARGUMENT,
                        "more than one input model ('%.80s' and '%.80s')",
                        *input, a);
      *input = a;
      continue;
    }
    /* one or two dashes for every option: the seed mixes both */
    const char *body = a + (a[1] == '-' ? 2 : 1);
    char name[96];
    const char *eq = strchr(body, '=');
    size_t n = eq ? (size_t)(eq - body) : strlen(body);
    if (n >= sizeof name) n = sizeof name - 1;
    memcpy(name, body, n);
    name[n] = '\0';
    const opt_desc *d = find_option(name);
    if (!d) {
      char spelled[96];
      snprintf(spelled, sizeof spelled, "%.*s", (int)(body - a + n), a);
      return unknown_option(spelled, name, err);
    }
    const char *value = eq ? eq + 1 : NULL;
    if (!eq && d->kind != OPT_FLAG) {
      if (i + 1 >= argc)
        return xai_fail(err, XAI_ERR_ARGUMENT, "%s%s needs a value (%s)",
                        d->dashes, d->name, d->arg);
      value = argv[++i];
    }
    xai_status st = set_known(o, d, value, err);
    if (st) return st;
  }
  return XAI_OK;
}

void xai_xformer_print_help(FILE *f, const char *program) {
  fprintf(f,
          "usage: %s MODEL.tflite -o OUT.tflite [options]\n"
          "Compiles an int8 TFLite model for xcore.ai: lowers ops to XAI_* "
          "kernels,\nsplits them over threads, plans the arena and prints a "
          "per-layer report.\n\noptions (--opt VALUE or --opt=VALUE):\n",
          program);
  for (size_t i = 0; i < OPTION_COUNT; i++) {
    const opt_desc *d = &k_options[i];
    char left[96];
    snprintf(left, sizeof left, "%s%s%s%s", d->dashes, d->name,
             d->arg ? " " : "", d->arg ? d->arg : "");
    if (strlen(left) > 34)
      fprintf(f, "  %s\n  %-34s %s\n", left, "", d->help);
    else
      fprintf(f, "  %-34s %s\n", left, d->help);
  }
}
