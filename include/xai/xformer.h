/* xformer: compiles an int8 TFLite model for xcore.ai (SYSTEM.md section 5):
 * canonicalise, lower to XAI_* custom ops, split over threads, plan the
 * arena (OfflineMemoryAllocation), optionally move large constants to a
 * params file, and report per layer. Used by tools/xformer and the Python
 * module xmos_ai_xformer. */
#ifndef XAI_XFORMER_H
#define XAI_XFORMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "xai/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Version of the XAI_* op set and metadata the xformer writes (recorded
 * in the `xai` metadata entry; the runtime refuses newer versions). */
#define XAI_XFORMER_FORMAT_VERSION 1u
#define XAI_XFORMER_DEFAULT_THREADS 5u /* one tile's full compute */
#define XAI_XFORMER_DEFAULT_EXTERNAL_THRESHOLD 100u

/* Where model, arena and params live on the device (issue: placement). */
typedef enum {
  XAI_XF_MEMORY_AUTO = 0,
  XAI_XF_MEMORY_INTERNAL, /* everything in SRAM */
  XAI_XF_MEMORY_EXTERNAL, /* everything in LPDDR */
  XAI_XF_MEMORY_FLASH,    /* params in flash, model and arena in SRAM */
  XAI_XF_MEMORY_CUSTOM,   /* per region */
} xai_xf_memory;

typedef struct {
  unsigned thread_count;   /* 1..8 (--xcore-thread-count) */
  uint32_t clock_mhz;      /* device clock for estimates (--xcore-clock-mhz) */
  const char *params_file; /* --xcore-flash-image-file / --xcore-weights-file
                              / -params; NULL: weights stay in the model */
  size_t load_externally_if_larger; /* --xcore-load-externally-if-larger */
  xai_xf_memory memory;    /* --xcore-memory */
  const char *target_config; /* --target-config FILE, or NULL */
  int quiet;               /* no report on stdout */
  const char *report_json; /* --report-json FILE, or NULL */
  const char *report_html; /* --report-html FILE, or NULL */
  const char *output;      /* -o / --output FILE, or NULL */
  int help;                /* --help was given */
  size_t weight_load_budget; /* --xcore-weight-load-budget: with a params
                              file, ops whose weights exceed it load them in
                              output-channel slices; 0 = what fits under
                              the activations' peak */
  int keep_names;          /* --xcore-keep-names: keep every tensor's name
                              (default: only the graph inputs' and
                              outputs'; the rest go to save model bytes) */
  int no_prefetch;         /* --xcore-no-prefetch: every weight load waits
                              for its transfer (docs/weights.md) */
  const char *emit_c_dir;  /* --emit-c DIR: also write NAME.c / NAME.h */
  const char *emit_c_name; /* --emit-c-name NAME (default: from -o) */
  int litert_semantics;    /* --xcore-semantics litert: LiteRT's arithmetic
                              (default TFLite Micro's; docs/semantics.md) */
  uint32_t flash_entry;    /* --xcore-flash-entry: the flash image entry the
                              model goes to, recorded in xai_placement */
  unsigned tiles, chips;   /* --xcore-tiles / --xcore-chips; 0 = from
                              --target-config, else 1 tile on 1 chip
                              (docs/multitile.md) */
  int no_tile_split;       /* --xcore-no-tile-split (docs/multitile.md) */
  size_t arena_budget;     /* --xcore-arena-budget: the arena the model may
                              use (weight slices, prefetch); 0 = the memory
                              left after the firmware and the model */
  int tile_split;          /* --xcore-tile-split: every op that can be */
  size_t compact_requant_pixels; /* --xcore-compact-requant-pixels: layers
                              with at most this many output pixels pack
                              compact requantization records; 0 = 64 */
  int pipeline;            /* --xcore-pipeline: write the stage models */
} xai_xformer_options;

void xai_xformer_options_init(xai_xformer_options *o);

/* Sets one option by its command-line spelling without leading dashes
 * ("xcore-thread-count", "3"; "o" and "params" for the one-dash forms).
 * value is kept by pointer for string options and is NULL for flags
 * (quiet, help). An unknown name fails naming the closest valid option;
 * a bad value fails naming the option and the valid range. */
xai_status xai_xformer_set_option(xai_xformer_options *o, const char *name,
                                  const char *value, xai_error *err);

/* Parses command-line arguments (argv[0..argc), no program name): options
 * as `--opt value` or `--opt=value`, and at most one positional argument,
 * the input model, stored in *input (pass input NULL to refuse positional
 * arguments). Strings are kept by pointer into argv. */
xai_status xai_xformer_parse_args(xai_xformer_options *o, int argc,
                                  const char *const *argv,
                                  const char **input, xai_error *err);

/* Prints the usage line and every option with its default. */
void xai_xformer_print_help(FILE *f, const char *program);

/* One layer of the optimised model. */
typedef struct {
  uint32_t index;
  char op[40];          /* op name, e.g. XAI_conv2d or SOFTMAX */
  char kernel[40];      /* kernel chosen, "ref" for builtins */
  uint64_t macs;
  uint64_t ticks;       /* estimated 100 MHz ticks at clock and threads */
  double ms;
  double utilisation;   /* macs / (32 x bundles) */
  uint32_t threads;
  size_t arena_in_use;  /* planned bytes live while this layer runs */
  char note[160];       /* why an op stayed a builtin, or "" */
} xai_xformer_layer;

/* One tile of a partitioned model: what it holds and, for the tiles that
 * serve weights, what their link carries per inference. */
typedef struct {
  uint32_t tile, chip;
  size_t model_bytes, arena_bytes, weights_bytes; /* held on this tile */
  uint64_t compute_ticks;    /* computing on this tile per inference */
  uint64_t link_bytes;       /* sent to the computing tile per inference */
  uint64_t link_ticks;       /* time those bytes take on the link */
  uint32_t link_mbps;        /* the link's bandwidth (0: the computing tile) */
} xai_xformer_tile;

typedef struct {
  xai_xformer_layer *layers; /* malloc'd */
  uint32_t layer_count;
  unsigned thread_count;
  uint32_t clock_mhz;
  size_t model_bytes;        /* optimised model */
  size_t params_bytes;       /* moved to the params file */
  size_t arena_bytes;        /* planned arena (head + tail) */
  size_t greedy_arena_bytes; /* the greedy baseline, for comparison */
  uint64_t macs, ticks;
  double ms;
  double mac_efficiency;     /* total macs / (32 x total bundles) */
  /* What the passes did (canonicalise, params split, placement). */
  uint32_t pads_folded, activations_fused, ops_dropped;
  uint32_t params_tensors_moved, params_load_ops;
  char placement[64];        /* "model=sram arena=sram params=flash", or "" */
  /* Prefetch (docs/weights.md): loads marked "pf" and the load ticks they
   * hide under the next op. `ticks` above is the device time with them
   * hidden; ticks + load_hidden_ticks is the time without prefetch. */
  uint32_t params_prefetched;
  uint64_t load_hidden_ticks;
  /* Multi-tile (docs/multitile.md): one entry per tile the model uses,
   * tile 0 computing; empty for a one-tile model. */
  uint32_t tile_count;
  xai_xformer_tile tiles[8];
  char partition[200];       /* one line: the mode chosen and why */
  /* Layer pipeline (mode b, docs/multitile.md): for a stream of inputs,
   * the layers cut into stages, one per tile, activations passed over the
   * inter-tile link; empty for one tile. A stage's ticks include
   * receiving its input and sending its output. */
  uint32_t pipe_stages;
  uint32_t pipe_first[8];          /* first layer of each stage */
  uint64_t pipe_ticks[8];
  uint64_t pipe_link_bytes[8];     /* activations into the stage */
  size_t pipe_weight_bytes[8];     /* constants the stage's layers read */
  double pipe_per_s;               /* inferences per second in the pipe */
  /* Constant folding: ops computed at compile time, the constant bytes
   * their results added and the constant inputs' bytes no op reads now. */
  uint32_t consts_folded;
  size_t fold_bytes_added, fold_bytes_removed;
  size_t arena_budget;       /* --xcore-arena-budget, 0 if not given */
} xai_xformer_report;

/* The layer whose planned bytes in use are the largest (the one that
 * holds the arena), or -1 for a report without layers. */
int32_t xai_xformer_report_peak_layer(const xai_xformer_report *r);

void xai_xformer_report_free(xai_xformer_report *r);

/* The layer pipeline made runnable (docs/multitile.md, mode b): the model
 * cut into `count` stages of consecutive ops, each compiled on its own
 * (one tile, weights in the model) to run on engine k of the device;
 * stage k's outputs are stage k + 1's inputs, in order. */
typedef struct {
  uint32_t count;
  uint8_t *model[8];          /* malloc'd compiled stage models */
  size_t size[8];
  uint32_t first_op[8];       /* in the input model */
  uint64_t ticks[8];          /* the stage's compiled report */
  size_t arena_bytes[8];
  uint64_t in_bytes[8];       /* activations the stage receives */
  uint64_t link_in_ticks[8];  /* their time on the link */
  uint64_t step_ticks;        /* slowest stage, receiving and sending */
  uint64_t latency_ticks;     /* one input through every stage, in step */
  double per_s;               /* inferences per second in the pipe */
} xai_xformer_stages;

/* Cuts and compiles `model` into `stages` (2..8) pipeline stages with the
 * options o (tiles/params ignored: each stage is one tile's model). */
xai_status xai_xformer_pipeline(const uint8_t *model, size_t size,
                                const xai_xformer_options *o,
                                uint32_t stages, xai_xformer_stages *out,
                                xai_error *err);
void xai_xformer_stages_free(xai_xformer_stages *s);
/* xformer --xcore-pipeline: cuts the model at in_path into one stage per
 * tile (--xcore-tiles / --xcore-chips / --target-config) and writes stage k
 * to xai_xformer_stage_path(o->output, k). out may be NULL. */
xai_status xai_xformer_pipeline_file(const char *in_path,
                                     const xai_xformer_options *o,
                                     xai_xformer_stages *out, xai_error *err);
/* "OUT.stageK.tflite" for "OUT.tflite" (else OUT.stageK). */
xai_status xai_xformer_stage_path(const char *output, uint32_t k, char *buf,
                                  size_t cap, xai_error *err);
void xai_xformer_stages_print(const xai_xformer_stages *s,
                              const char *output, FILE *f);
/* Ops [first, end) of a one-subgraph model as a model of their own: its
 * inputs the activations they read and do not make, its outputs those
 * they make that later ops or the graph read (in tensor order). */
xai_status xai_xformer_cut_model(const uint8_t *model, size_t size,
                                 uint32_t first, uint32_t end, uint8_t **out,
                                 size_t *out_size, xai_error *err);
void xai_xformer_report_print(const xai_xformer_report *r, FILE *f);
xai_status xai_xformer_report_write_json(const xai_xformer_report *r,
                                         const char *path, xai_error *err);

/* The report as one self-contained HTML page (per-layer time bars with
 * utilisation, arena over the schedule, memory map, weight loads); title
 * names the model. */
xai_status xai_xformer_report_write_html(const xai_xformer_report *r,
                                         const char *title, const char *path,
                                         xai_error *err);

/* The report of a model the xformer already optimised (`xai report`), from
 * the runtime's costs: params (NULL if none) is its params file, streamed
 * from flash in the cost model. Only clock_mhz of o is used; the pass
 * statistics and placement are not known and stay 0 / "". */
xai_status xai_xformer_report_model(const uint8_t *model, size_t size,
                                    const uint8_t *params, size_t params_size,
                                    const xai_xformer_options *o,
                                    xai_xformer_report *rep, xai_error *err);

/* Compiles model[0..size). *out (and *params when o->params_file is set)
 * are malloc'd; rep may be NULL. A float model fails with a message on how
 * to quantize it. */
xai_status xai_xformer_run(const uint8_t *model, size_t size,
                           const xai_xformer_options *o, uint8_t **out,
                           size_t *out_size, uint8_t **params,
                           size_t *params_size, xai_xformer_report *rep,
                           xai_error *err);

/* Writes out (to o->output) and params (to o->params_file, when both are
 * set) through a temporary file and a rename each. */
xai_status xai_xformer_write_outputs(const xai_xformer_options *o,
                                     const uint8_t *out, size_t out_size,
                                     const uint8_t *params, size_t params_size,
                                     xai_error *err);

/* File to file; outputs are written to a temporary file and renamed, so a
 * failure never leaves a partial file. out_path NULL uses o->output. */
xai_status xai_xformer_file(const char *in_path, const char *out_path,
                            const xai_xformer_options *o,
                            xai_xformer_report *rep, xai_error *err);

/* Whether the xformer has an xcore lowering for the builtin (int8
 * activations; the report names the ops it keeps and why). */
bool xai_xformer_lowers(int32_t builtin_code);

#ifdef __cplusplus
}
#endif

#endif
