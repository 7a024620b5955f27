/* Moves constants larger than --xcore-load-externally-if-larger bytes to a
 * params file and feeds them back through XAI_load_weights ops
 * (docs/weights.md).
 *
 * Design: a moved constant keeps its tensor index, shape and quantization;
 * it only loses its buffer, which makes it an arena tensor that an
 * XAI_load_weights op placed right before its first consumer writes. All
 * the constants one op needs are loaded by one XAI_load_weights op with one
 * output per tensor, and they sit next to each other in the params file so
 * the device reads one contiguous range per layer. Keeping tensor indices
 * means an OfflineMemoryAllocation plan written earlier stays valid: the
 * moved tensors are marked -1 there and the runtime places them online. */
#include <stdlib.h>
#include <string.h>

#include "xformer_internal.h"
#include "xai/runtime.h"

#define LOAD_OP_NAME "XAI_load_weights"
#define OFFLINE_NAME "OfflineMemoryAllocation"

/* Ops whose runtime reads the constant inputs only in eval (through the
 * tensor's data pointer), so the input may live in the arena and be filled
 * by a load op. Ops that read a constant in prepare (RESHAPE's shape, MEAN's
 * axes, TRANSPOSE_CONV's output shape, ...) keep theirs. Every XAI_* op
 * re-derives its packed-weight pointers at each eval (docs/xcore_ops.md). */
static bool input_movable(xf_ctx *x, uint32_t op, uint32_t k) {
  const xai_operator *o = xf_op(x, op);
  const xai_opcode *oc = &x->m->opcodes[o->opcode_index];
  if (oc->builtin_code == XAI_OP_CUSTOM && xf_lce_op_name(oc->custom_code))
    return xf_lce_input_movable(oc->custom_code, k);
  if (oc->builtin_code == XAI_OP_CUSTOM)
    return oc->custom_code && strncmp(oc->custom_code, "XAI_", 4) == 0 &&
           strcmp(oc->custom_code, LOAD_OP_NAME) != 0;
  switch (oc->builtin_code) {
  case XAI_OP_CONV_2D:
  case XAI_OP_DEPTHWISE_CONV_2D:
  case XAI_OP_FULLY_CONNECTED:
    return k == 1 || k == 2;
  case XAI_OP_TRANSPOSE_CONV:
    return k == 1 || k == 3;
  case XAI_OP_ADD:
  case XAI_OP_SUB:
  case XAI_OP_MUL:
  case XAI_OP_CONCATENATION:
    return true;
  default:
    return false;
  }
}

static bool is_subgraph_io(xf_ctx *x, int32_t t) {
  const xai_subgraph *sg = &x->m->subgraphs[0];
  for (uint32_t i = 0; i < sg->input_count; i++)
    if (sg->inputs[i] == t) return true;
  return xf_is_graph_output(x, t);
}

/* -1 for "do not move", else the first op that reads tensor t. Every
 * reader must allow it to move (one load feeds them all). */
static int64_t first_consumer(xf_ctx *x, int32_t t) {
  const xai_subgraph *sg = &x->m->subgraphs[0];
  int64_t first = -1;
  for (uint32_t i = 0; i < sg->operator_count; i++) {
    const xai_operator *o = &sg->operators[i];
    for (uint32_t k = 0; k < o->output_count; k++)
      if (o->outputs[k] == t) return -1;
    for (uint32_t k = 0; k < o->intermediate_count; k++)
      if (o->intermediates[k] == t) return -1;
    for (uint32_t k = 0; k < o->input_count; k++) {
      if (o->inputs[k] != t) continue;
      if (!input_movable(x, i, k)) return -1;
      if (first < 0) first = i;
    }
  }
  return first;
}

static size_t align_up(size_t v, size_t a) { return (v + a - 1) / a * a; }

static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v) {
  put32(p, (uint32_t)v);
  put32(p + 4, (uint32_t)(v >> 32));
}

typedef struct {
  int32_t tensor;
  uint32_t op;      /* first consumer */
  size_t offset;    /* in the params file */
} moved;

static int by_op(const void *a, const void *b) {
  const moved *x = a, *y = b;
  if (x->op != y->op) return x->op < y->op ? -1 : 1;
  return x->tensor < y->tensor ? -1 : x->tensor > y->tensor;
}

/* Where the load ops stream from, for the cost when no source is given:
 * the placement's choice, else what --xcore-memory implies. */
static const char *params_memory(const xf_ctx *x) {
  if (x->placed) return xf_mem_name(x->placement.params);
  switch (x->opt->memory) {
  case XAI_XF_MEMORY_EXTERNAL: return "lpddr";
  case XAI_XF_MEMORY_INTERNAL: return "sram";
  default: return "flash";
  }
}

static xai_status load_options(xf_ctx *x, const moved *mv, uint32_t n,
                               xai_flexbuf_builder *b, const uint8_t **data,
                               size_t *size, xai_error *err) {
  int64_t off[64];
  xai_flexbuf_builder_init(b, NULL, 0);
  xai_flexbuf_map_begin(b, NULL);
  xai_flexbuf_add_uint(b, "h", x->params_hash);
  xai_flexbuf_add_string(b, "mem", params_memory(x));
  for (uint32_t i = 0; i < n; i++) off[i] = (int64_t)mv[i].offset;
  xai_flexbuf_add_int64_vector(b, "off", off, n);
  xai_flexbuf_add_uint(b, "th", 1);
  xai_flexbuf_map_end(b);
  return xai_flexbuf_finish(b, data, size, err);
}

/* The moved tensors become online-planned (-1) in an existing plan. */
static bool unplan_offline(xf_ctx *x, const moved *mv, uint32_t n) {
  for (uint32_t i = 0; i < x->m->metadata_count; i++) {
    const xai_metadata *md = &x->m->metadata[i];
    if (!md->name || strcmp(md->name, OFFLINE_NAME) != 0 ||
        md->buffer >= x->m->buffer_count)
      continue;
    xai_buffer *buf = &x->m->buffers[md->buffer];
    if (!buf->data) continue;
    if (buf->borrowed) { /* points into the caller's input: copy first */
      uint8_t *copy = malloc(buf->size);
      if (!copy) return false;
      memcpy(copy, buf->data, buf->size);
      buf->data = copy;
      buf->borrowed = false;
    }
    /* Subgraph 0's tensors come first in the across-subgraph numbering. */
    for (uint32_t k = 0; k < n; k++) {
      size_t at = 12 + 4 * (size_t)mv[k].tensor;
      if (at + 4 <= buf->size) put32(buf->data + at, 0xFFFFFFFFu);
    }
  }
  return true;
}

static xai_status write_metadata(xf_ctx *x, size_t file_bytes,
                                 xai_error *err) {
  xai_flexbuf_builder b;
  xai_flexbuf_builder_init(&b, NULL, 0);
  xai_flexbuf_map_begin(&b, NULL);
  xai_flexbuf_add_uint(&b, "bytes", file_bytes);
  xai_flexbuf_add_uint(&b, "hash", x->params_hash);
  xai_flexbuf_add_string(&b, "mem", params_memory(x));
  xai_flexbuf_add_uint(&b, "tensors", x->params_tensors_moved);
  xai_flexbuf_add_uint(&b, "threshold", x->opt->load_externally_if_larger);
  xai_flexbuf_add_uint(&b, "version", XAI_PARAMS_VERSION);
  xai_flexbuf_map_end(&b);
  const uint8_t *data;
  size_t size;
  xai_status st = xai_flexbuf_finish(&b, &data, &size, err);
  if (!st && xai_model_set_metadata(x->m, "xai_params", data, size))
    st = xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  xai_flexbuf_builder_free(&b);
  return st;
}

/* Inserts the load ops, last group first so earlier indices stay put. */
static xai_status insert_loads(xf_ctx *x, moved *mv, uint32_t n,
                               xai_error *err) {
  int32_t oc = xai_model_opcode(x->m, XAI_OP_CUSTOM, LOAD_OP_NAME, 1);
  if (oc < 0) return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  xai_options none;
  memset(&none, 0, sizeof none);
  int32_t outs[64];
  for (uint32_t end = n; end > 0;) {
    uint32_t start = end - 1;
    while (start > 0 && mv[start - 1].op == mv[end - 1].op &&
           end - start < 64)
      start--;
    uint32_t k = end - start;
    for (uint32_t i = 0; i < k; i++) outs[i] = mv[start + i].tensor;
    xai_flexbuf_builder b;
    const uint8_t *opts;
    size_t opts_size;
    xai_status st = load_options(x, mv + start, k, &b, &opts, &opts_size, err);
    if (!st && xai_model_add_operator(x->m, 0, (int32_t)mv[start].op,
                                      (uint32_t)oc, NULL, 0, outs, k, &none,
                                      opts, (uint32_t)opts_size) < 0)
      st = xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
    xai_flexbuf_builder_free(&b);
    if (st) return st;
    x->params_load_ops++;
    end = start;
  }
  return XAI_OK;
}

/* A shape with a zero dimension: the runtime gives such a tensor no arena
 * bytes, so a load could not replace it, whatever its buffer holds (a
 * fuzzed model had 1,600 bytes behind an [8,67108867,0,16] shape). */
static bool has_no_elements(const xai_tensor *t) {
  for (uint32_t d = 0; d < t->rank; d++)
    if (t->shape[d] <= 0) return true;
  return false;
}

/* The constants to move (mv[0..*n), sorted by first consumer, with their
 * offsets in the file) and the file size; with count_kept, moved and kept
 * bytes are added to x's report counters. */
static size_t select_moves(xf_ctx *x, moved *mv, uint32_t *count,
                           bool count_kept) {
  xai_subgraph *sg = &x->m->subgraphs[0];
  uint32_t n = 0;
  for (uint32_t t = 0; t < sg->tensor_count; t++) {
    size_t bytes = 0;
    if (!xf_const_data(x, (int32_t)t, &bytes)) continue;
    int64_t op = -1;
    if (bytes > x->opt->load_externally_if_larger &&
        !sg->tensors[t].is_variable && !is_subgraph_io(x, (int32_t)t) &&
        !has_no_elements(&sg->tensors[t]))
      op = first_consumer(x, (int32_t)t);
    if (op < 0) {
      if (count_kept) {
        x->params_bytes_kept += bytes;
        x->params_tensors_kept++;
      }
      continue;
    }
    mv[n].tensor = (int32_t)t;
    mv[n].op = (uint32_t)op;
    n++;
  }
  *count = n;
  if (n == 0) return 0;
  /* Layer order in the file: the device then streams it front to back. */
  qsort(mv, n, sizeof *mv, by_op);
  size_t end = XAI_PARAMS_HEADER_BYTES;
  for (uint32_t i = 0; i < n; i++) {
    size_t bytes = 0;
    xf_const_data(x, mv[i].tensor, &bytes);
    mv[i].offset = align_up(end, XAI_PARAMS_ALIGN);
    end = mv[i].offset + bytes;
    if (count_kept) x->params_bytes_moved += bytes;
  }
  return align_up(end, XAI_PARAMS_ALIGN);
}

size_t xf_params_movable_bytes(xf_ctx *x) {
  xai_subgraph *sg = &x->m->subgraphs[0];
  moved *mv = calloc(sg->tensor_count ? sg->tensor_count : 1, sizeof *mv);
  if (!mv) return 0;
  uint32_t n;
  size_t end = select_moves(x, mv, &n, false);
  free(mv);
  return end;
}

xai_status xf_split_params(xf_ctx *x, uint8_t **params, size_t *params_size,
                           xai_error *err) {
  *params = NULL;
  *params_size = 0;
  if (!x->opt->params_file || (x->placed && !x->placement.split))
    return XAI_OK;
  xai_subgraph *sg = &x->m->subgraphs[0];
  moved *mv = calloc(sg->tensor_count ? sg->tensor_count : 1, sizeof *mv);
  if (!mv) return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  uint32_t n = 0;
  size_t end = select_moves(x, mv, &n, true);
  if (n == 0) { /* nothing large enough: no params file, no load ops */
    free(mv);
    return XAI_OK;
  }
  if (end > UINT32_MAX) {
    free(mv);
    return xai_fail(err, XAI_ERR_RANGE,
                    "params file would be %zu bytes; the device addresses at "
                    "most 4 GiB", end);
  }
  uint8_t *file = calloc(1, end);
  if (!file) {
    free(mv);
    return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory (%zu bytes)", end);
  }
  for (uint32_t i = 0; i < n; i++) {
    size_t bytes = 0;
    const uint8_t *d = xf_const_data(x, mv[i].tensor, &bytes);
    memcpy(file + mv[i].offset, d, bytes);
  }
  size_t data_bytes = end - XAI_PARAMS_HEADER_BYTES;
  x->params_hash = xai_params_hash(file + XAI_PARAMS_HEADER_BYTES, data_bytes);
  x->params_tensors_moved = n;
  memcpy(file, XAI_PARAMS_MAGIC, 4);
  put32(file + 4, XAI_PARAMS_VERSION);
  put32(file + 8, XAI_PARAMS_HEADER_BYTES);
  put32(file + 12, 0);
  put64(file + 16, data_bytes);
  put64(file + 24, x->params_hash);

  xai_status st = insert_loads(x, mv, n, err);
  if (!st) {
    for (uint32_t i = 0; i < n; i++) sg->tensors[mv[i].tensor].buffer = 0;
    if (!unplan_offline(x, mv, n))
      st = xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
    xai_model_remove_unused_buffers(x->m);
    if (!st) st = write_metadata(x, end, err);
  }
  free(mv);
  if (st) {
    free(file);
    return st;
  }
  *params = file;
  *params_size = end;
  return XAI_OK;
}
