/* `xai run MODEL [--input FILE | --random SEED] [--output FILE] [--arena]
 *               [--repeat N] [--planner auto|greedy|offline]
 *               [--params FILE]`
 * Runs a model on the host (reference kernels, and the VPU model for the
 * xformer's XAI_* ops) and prints its outputs, per-op host time and the
 * modelled xcore.ai time of each op.
 *
 * --params FILE  the params file the xformer wrote for this model
 *                (--xcore-flash-image-file); checked against its hash.
 *
 * --input FILE   raw bytes of every input, concatenated in input order
 *                (each exactly the tensor's size; see the "inputs" lines).
 * --random SEED  fills inputs from xorshift64* (state = SEED ^
 *                0x9E3779B97F4A7C15, or that constant if the result is 0;
 *                x ^= x>>12, x ^= x<<25, x ^= x>>27, out = x*0x2545F4914F6CDD1D).
 *                Integer and bool inputs take the top byte of each output
 *                as their bytes, in order; FLOAT32 inputs take
 *                (out>>40) / 2^24 * 2 - 1, i.e. uniform in [-1, 1).
 *                Without --input or --random, inputs are all zero bytes.
 * --output FILE  writes every output's raw bytes, concatenated in order.
 * --arena        prints the arena bytes needed (head + tail) and the plan.
 * --repeat N     invokes N times; per-op times are the mean. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "xai/runtime.h"

typedef struct {
  uint32_t subgraph, index;
  const char *name;
  uint64_t ns, calls;
  uint64_t ticks; /* modelled device ticks, summed over calls */
  uint64_t overlap; /* of those, ticks that may run under the next op */
} op_time;

typedef struct {
  op_time *ops;
  size_t count, cap;
  int oom;
} timing_log;

static void on_op(void *user, const xai_op_timing *t) {
  timing_log *log = user;
  for (size_t i = 0; i < log->count; i++) {
    op_time *o = &log->ops[i];
    if (o->subgraph == t->subgraph && o->index == t->index) {
      o->ns += t->ns;
      o->calls++;
      o->ticks += t->cost ? t->cost->ticks : 0;
      o->overlap += t->cost ? t->cost->overlap_ticks : 0;
      return;
    }
  }
  if (log->count == log->cap) {
    size_t cap = log->cap ? 2 * log->cap : 64;
    op_time *p = realloc(log->ops, cap * sizeof *p);
    if (!p) {
      log->oom = 1;
      return;
    }
    log->ops = p;
    log->cap = cap;
  }
  log->ops[log->count++] =
      (op_time){t->subgraph, t->index, t->op_name, t->ns, 1,
                t->cost ? t->cost->ticks : 0,
                t->cost ? t->cost->overlap_ticks : 0};
}

/* Prefetched weight loads stream under the next op of subgraph 0 (the
 * log holds subgraph 0's ops in run order): keep in ticks only what each
 * op adds to the device time (docs/weights.md, "Prefetch"). */
static void hide_prefetched(timing_log *log) {
  size_t n = 0;
  for (size_t i = 0; i < log->count; i++) n += log->ops[i].subgraph == 0;
  uint64_t *ticks = malloc(sizeof *ticks * (n ? n : 1));
  uint64_t *overlap = malloc(sizeof *overlap * (n ? n : 1));
  if (ticks && overlap && n <= UINT32_MAX) {
    size_t k = 0;
    for (size_t i = 0; i < log->count; i++)
      if (log->ops[i].subgraph == 0) {
        ticks[k] = log->ops[i].ticks;
        overlap[k++] = log->ops[i].overlap;
      }
    xai_params_overlap_ticks(ticks, overlap, (uint32_t)n, ticks);
    k = 0;
    for (size_t i = 0; i < log->count; i++)
      if (log->ops[i].subgraph == 0) log->ops[i].ticks = ticks[k++];
  }
  free(ticks);
  free(overlap);
}

static void usage(FILE *out) {
  fprintf(out,
          "usage: xai run MODEL [--input FILE | --random SEED] [--output "
          "FILE]\n"
          "               [--arena] [--repeat N] [--planner "
          "auto|greedy|offline] [--quiet]\n"
          "               [--params FILE] [--semantics tflm|litert]\n"
          "Runs MODEL on the host; prints outputs, per-op host time and "
          "modelled xcore.ai time.\n"
          "  --input FILE   raw bytes of all inputs, concatenated in order\n"
          "  --random SEED  deterministic inputs (xorshift64*; FLOAT32 "
          "uniform in [-1,1))\n"
          "  --output FILE  write all outputs' raw bytes, concatenated\n"
          "  --arena        print arena bytes needed and the memory plan\n"
          "  --repeat N     invoke N times; times are means\n"
          "  --params FILE  params file written by xformer "
          "--xcore-flash-image-file\n"
          "  --semantics S  arithmetic of the builtin ops: tflm (TFLite "
          "Micro) or litert\n"
          "                 (LiteRT's reference kernels); default: what the "
          "model records,\n"
          "                 else tflm\n"
          "  --quiet        print nothing but errors (for scripts)\n");
}

static uint64_t rng_next(uint64_t *x) {
  *x ^= *x >> 12;
  *x ^= *x << 25;
  *x ^= *x >> 27;
  return *x * 0x2545F4914F6CDD1DULL;
}

static void fill_random(xai_rt_tensor *t, uint64_t *state) {
  if (t->type == XAI_TYPE_FLOAT32) {
    float *f = t->data;
    for (size_t i = 0; i < t->bytes / 4; i++)
      f[i] = (float)((double)(rng_next(state) >> 40) / 16777216.0 * 2.0 - 1.0);
    return;
  }
  uint8_t *b = t->data;
  for (size_t i = 0; i < t->bytes; i++) b[i] = (uint8_t)(rng_next(state) >> 56);
}

static void print_dims(const xai_rt_tensor *t) {
  printf("[");
  for (uint32_t d = 0; d < t->rank; d++)
    printf("%s%" PRId32, d ? "," : "", t->dims[d]);
  printf("]");
}

static void print_value(const xai_rt_tensor *t, size_t i) {
  const void *p = t->data;
  switch (t->type) {
    case XAI_TYPE_INT8: printf("%d", ((const int8_t *)p)[i]); break;
    case XAI_TYPE_UINT8: printf("%u", ((const uint8_t *)p)[i]); break;
    case XAI_TYPE_BOOL: printf("%u", ((const uint8_t *)p)[i]); break;
    case XAI_TYPE_INT16: printf("%d", ((const int16_t *)p)[i]); break;
    case XAI_TYPE_UINT16: printf("%u", ((const uint16_t *)p)[i]); break;
    case XAI_TYPE_INT32: printf("%" PRId32, ((const int32_t *)p)[i]); break;
    case XAI_TYPE_UINT32: printf("%" PRIu32, ((const uint32_t *)p)[i]); break;
    case XAI_TYPE_INT64: printf("%" PRId64, ((const int64_t *)p)[i]); break;
    case XAI_TYPE_FLOAT32: printf("%g", (double)((const float *)p)[i]); break;
    default: printf("0x%02x", ((const uint8_t *)p)[i]); break;
  }
}

/* Converters join names with ';' into very long strings: keep the end. */
static const char *short_name(const char *name, size_t max) {
  size_t n = name ? strlen(name) : 0;
  return n > max ? name + (n - max) : (name ? name : "");
}

static void print_tensor(const xai_interp *ip, const char *what, uint32_t i,
                         const xai_rt_tensor *t, int values) {
  printf("%s %u '%s': %s ", what, i,
         short_name(xai_interp_tensor_name(ip, t), 60),
         xai_tensor_type_name(t->type));
  print_dims(t);
  printf(" %u bytes", t->bytes);
  if (t->quant_count)
    printf(" scale %g zero_point %d", (double)t->scale, (int)t->zero_point);
  printf("\n");
  if (!values || !t->data) return;
  size_t esize = xai_tensor_type_size(t->type);
  size_t n = esize ? t->bytes / esize : t->bytes;
  size_t show = n < 16 ? n : 16;
  printf("  ");
  for (size_t k = 0; k < show; k++) {
    if (k) printf(" ");
    print_value(t, k);
  }
  if (show < n) printf(" ... (%zu values)", n);
  printf("\n");
}

static void print_plan(xai_interp *ip) {
  size_t used = xai_interp_arena_used(ip), head = xai_interp_arena_head(ip);
  printf("arena: %zu bytes needed (%zu planned head + %zu persistent tail)\n",
         used, head, used - head);
  printf("plan (steps: op i of subgraph 0 is step i; called subgraphs run in "
         "the steps after their op):\n");
  printf("  %-4s %-8s %-32s %10s %10s %5s %5s\n", "sg", "tensor", "name",
         "offset", "size", "first", "last");
  for (uint32_t i = 0; i < xai_interp_plan_count(ip); i++) {
    xai_plan_entry e;
    xai_interp_plan_entry(ip, i, &e);
    char id[16], name[64];
    if (e.tensor == UINT32_MAX) {
      snprintf(id, sizeof id, "scratch");
      snprintf(name, sizeof name, "(op %u)", e.op);
    } else {
      snprintf(id, sizeof id, "%u", e.tensor);
      const xai_rt_tensor *t =
          xai_interp_subgraph_tensor(ip, e.subgraph, e.tensor);
      snprintf(name, sizeof name, "%s",
               short_name(t ? xai_interp_tensor_name(ip, t) : NULL, 32));
    }
    printf("  %-4u %-8s %-32s %10zu %10zu %5u %5u\n", e.subgraph, id, name,
           e.offset, e.size, e.first_op, e.last_op);
  }
}

static int fail(const char *msg) {
  fprintf(stderr, "xai run: %s\n", msg);
  return 1;
}

typedef struct {
  const char *model, *input, *output, *planner, *params;
  int have_seed, arena, quiet;
  uint64_t seed;
  long repeat;
  const char *semantics;
} run_args;

static int parse(int argc, char **argv, run_args *a) {
  memset(a, 0, sizeof *a);
  a->repeat = 1;
  for (int i = 1; i < argc; i++) {
    const char *s = argv[i];
    int has_next = i + 1 < argc;
    if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
      usage(stdout);
      return 0;
    } else if (!strcmp(s, "--input") && has_next) {
      a->input = argv[++i];
    } else if (!strcmp(s, "--output") && has_next) {
      a->output = argv[++i];
    } else if (!strcmp(s, "--params") && has_next) {
      a->params = argv[++i];
    } else if (!strcmp(s, "--planner") && has_next) {
      a->planner = argv[++i];
    } else if (!strcmp(s, "--semantics") && has_next) {
      a->semantics = argv[++i];
    } else if (!strcmp(s, "--random") && has_next) {
      /* strtoull alone takes "", " 5" and "-1" (as 2^64-1). */
      const char *v = argv[++i];
      char *end;
      errno = 0;
      a->seed = strtoull(v, &end, 0);
      if (!isdigit((unsigned char)v[0]) || *end || errno) {
        fprintf(stderr, "xai run: --random needs a whole number from 0 to "
                "2^64-1 (decimal or 0x hex), got '%s'\n", v);
        return 2;
      }
      a->have_seed = 1;
    } else if (!strcmp(s, "--repeat") && has_next) {
      const char *v = argv[++i];
      char *end;
      errno = 0;
      a->repeat = strtol(v, &end, 10);
      if (!isdigit((unsigned char)v[0]) || *end || errno || a->repeat < 1 ||
          a->repeat > 1000000) {
        fprintf(stderr, "xai run: --repeat needs a count from 1 to 1000000, "
                "got '%s'\n", v);
        return 2;
      }
    } else if (!strcmp(s, "--arena")) {
      a->arena = 1;
    } else if (!strcmp(s, "--quiet")) {
      a->quiet = 1;
    } else if (s[0] == '-' && s[1]) {
      fprintf(stderr, "xai run: unknown or incomplete option '%s'\n", s);
      usage(stderr);
      return 2;
    } else if (!a->model) {
      a->model = s;
    } else {
      fprintf(stderr, "xai run: unexpected argument '%s'\n", s);
      return 2;
    }
  }
  if (!a->model) {
    usage(stderr);
    return 2;
  }
  if (a->input && a->have_seed) {
    fprintf(stderr, "xai run: give --input or --random, not both\n");
    return 2;
  }
  return -1;
}

static int set_inputs(xai_interp *ip, const run_args *a) {
  uint32_t n = xai_interp_input_count(ip);
  char msg[XAI_ERROR_MESSAGE_BYTES + 64];
  xai_error err;
  xai_error_clear(&err);
  if (a->input) {
    uint8_t *data;
    size_t size;
    if (xai_file_read(a->input, &data, &size, &err)) return fail(err.message);
    size_t want = 0;
    for (uint32_t i = 0; i < n; i++) want += xai_interp_input(ip, i)->bytes;
    if (size != want) {
      snprintf(msg, sizeof msg,
               "%s has %zu bytes but the model's %u input(s) take %zu "
               "(raw bytes of each input, concatenated in order)",
               a->input, size, n, want);
      xai_file_free(data);
      return fail(msg);
    }
    size_t off = 0;
    for (uint32_t i = 0; i < n; i++) {
      xai_rt_tensor *t = xai_interp_input(ip, i);
      if (xai_interp_set_input(ip, i, data + off, t->bytes, &err)) {
        xai_file_free(data);
        return fail(err.message);
      }
      off += t->bytes;
    }
    xai_file_free(data);
    return 0;
  }
  uint64_t state = a->seed ^ 0x9E3779B97F4A7C15ULL;
  if (!state) state = 0x9E3779B97F4A7C15ULL;
  for (uint32_t i = 0; i < n; i++) {
    xai_rt_tensor *t = xai_interp_input(ip, i);
    if (!t->data) continue;
    if (a->have_seed)
      fill_random(t, &state);
    else
      memset(t->data, 0, t->bytes);
  }
  return 0;
}

static int write_outputs(xai_interp *ip, const char *path) {
  size_t total = 0;
  uint32_t n = xai_interp_output_count(ip);
  for (uint32_t i = 0; i < n; i++) total += xai_interp_output(ip, i)->bytes;
  uint8_t *buf = malloc(total ? total : 1);
  if (!buf) return fail("out of memory collecting outputs");
  size_t off = 0;
  for (uint32_t i = 0; i < n; i++) {
    const xai_rt_tensor *t = xai_interp_output(ip, i);
    if (t->bytes) memcpy(buf + off, t->data, t->bytes);
    off += t->bytes;
  }
  xai_error err;
  xai_error_clear(&err);
  xai_status st = xai_file_write_atomic(path, buf, total, &err);
  free(buf);
  return st ? fail(err.message) : 0;
}

static int run(const run_args *a, const uint8_t *model, size_t model_size,
               const xai_params_source *params) {
  xai_interp_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.model = model;
  cfg.model_size = model_size;
  cfg.params = params;
  if (a->planner) {
    if (!strcmp(a->planner, "greedy"))
      cfg.planner = XAI_PLANNER_GREEDY;
    else if (!strcmp(a->planner, "offline"))
      cfg.planner = XAI_PLANNER_OFFLINE;
    else if (strcmp(a->planner, "auto"))
      return fail("--planner takes auto, greedy or offline");
  }
  if (a->semantics && !xai_semantics_parse(a->semantics, &cfg.semantics))
    return fail("--semantics takes tflm or litert");
  xai_error err;
  xai_error_clear(&err);
  size_t needed;
  if (xai_interp_arena_needed(&cfg, &needed, &err)) return fail(err.message);
  void *arena = aligned_alloc(16, (needed + 15) & ~(size_t)15);
  if (!arena) return fail("out of memory allocating the arena");
  timing_log log = {0};
  cfg.arena = arena;
  cfg.arena_size = needed;
  cfg.hook = on_op;
  cfg.hook_user = &log;
  xai_interp *ip;
  int rc = 0;
  if (xai_interp_init(&ip, &cfg, &err)) {
    rc = fail(err.message);
    goto done;
  }
  if (a->arena) print_plan(ip);
  for (uint32_t i = 0; i < xai_interp_input_count(ip) && !a->quiet; i++)
    print_tensor(ip, "input", i, xai_interp_input(ip, i), 0);
  for (long r = 0; r < a->repeat && !rc; r++) {
    /* Inputs share planned memory with later activations: set each time. */
    if ((rc = set_inputs(ip, a))) break;
    if (xai_interp_invoke(ip, &err)) rc = fail(err.message);
  }
  if (rc) goto done;
  if (a->quiet) {
    if (a->output) rc = write_outputs(ip, a->output);
    goto done;
  }
  for (uint32_t i = 0; i < xai_interp_output_count(ip); i++)
    print_tensor(ip, "output", i, xai_interp_output(ip, i), 1);
  printf("per-op host time (mean of %ld run%s):\n", a->repeat,
         a->repeat > 1 ? "s" : "");
  printf("  %-4s %-5s %-32s %12s %14s\n", "sg", "op", "type", "host us",
         "xcore.ai ms");
  double total = 0, device_ms = 0;
  hide_prefetched(&log);
  for (size_t i = 0; i < log.count; i++) {
    const op_time *o = &log.ops[i];
    double us = (double)o->ns / 1000.0 / (double)a->repeat;
    /* 100 MHz reference ticks: 1e5 per ms; a prefetched weight load shows
     * only the part of its transfer its next op's compute does not hide */
    double ms = (double)o->ticks / 1e5 / (double)a->repeat;
    if (o->subgraph == 0) {
      total += us;
      device_ms += ms;
    }
    printf("  %-4u %-5u %-32s %12.1f %14.3f\n", o->subgraph, o->index,
           o->name, us, ms);
  }
  printf("  total %.1f us on the host; %.3f ms modelled on xcore.ai\n", total,
         device_ms);
  if (a->output) rc = write_outputs(ip, a->output);
done:
  free(log.ops);
  free(arena);
  return rc;
}

int xai_cmd_run(int argc, char **argv) {
  run_args a;
  int rc = parse(argc, argv, &a);
  if (rc >= 0) return rc;
  uint8_t *model;
  size_t size;
  xai_error err;
  xai_error_clear(&err);
  if (xai_file_read(a.model, &model, &size, &err)) return fail(err.message);
  uint8_t *params = NULL;
  size_t params_size = 0;
  xai_params_source src;
  if (a.params) {
    if (xai_file_read(a.params, &params, &params_size, &err)) {
      xai_file_free(model);
      return fail(err.message);
    }
    src = xai_params_memory(params, params_size, XAI_PARAMS_RAM);
  }
  rc = run(&a, model, size, a.params ? &src : NULL);
  xai_file_free(params);
  xai_file_free(model);
  return rc;
}
