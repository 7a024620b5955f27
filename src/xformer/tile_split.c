/* Channel split over tiles (docs/multitile.md, "Channel split", mode c):
 * with --xcore-tiles 2 or more, a wide
 * CONV_2D or FULLY_CONNECTED is split by output channels in two halves (the
 * weight-slicing split of slice_weights.c: each output channel comes from
 * its own filter row, bias and scale, so the halves give exactly the
 * unsplit op's bits) and the first half runs on tile 1 while tile 0
 * computes the second: latency becomes about max(half + link, half)
 * instead of the whole. Tile 1 receives the op's input and sends its half
 * of the output back over the inter-tile link.
 *
 * The choice, before lowering, is by an estimate: the op's MACs at the
 * tile's peak times a utilisation of 30% (ESTIMATE: the lowered 1x1 conv
 * and FC kernels reach 30-60% in bench_xformer), against the link time of
 * the bytes tile 1 must receive and send; the op is split when the link
 * costs less than a quarter of the estimated compute (the saving is half
 * the compute less the link); --xcore-tile-split takes every op of 32
 * channels or more. The report then shows the real costs, and the device
 * runs the half on the other tile's thread (tile_parallel.c).
 *
 * With a params file the half's weights are loaded on tile 0 (the flash
 * hangs off tile 0's ports) and go to tile 1 over the link with the
 * input: xf_tile_split_finish adds them to the half's recorded link bytes
 * and ticks, so the report and the device charge them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xai/flexbuf.h"
#include "xai/xcore_machine.h"
#include "xformer_internal.h"

#define GROUP 16u           /* output channels per VPU group */
#define MIN_CHANNELS 32u    /* two groups at least */
#define UTILISATION_EST 0.3 /* ESTIMATE, see above */

static size_t tensor_bytes(const xai_tensor *t) {
  size_t n = xai_tensor_type_size(t->type);
  for (uint32_t i = 0; i < t->rank; i++)
    n *= t->shape[i] > 0 ? (size_t)t->shape[i] : 1u;
  return n;
}

/* Estimated ticks (100 MHz) of an op of `macs` on one tile. */
static double compute_ticks(const xai_xformer_options *o, uint64_t macs) {
  double threads = o->thread_count < 5 ? o->thread_count : 5;
  /* each thread issues a bundle every 5 cycles with 5 or more threads */
  double macs_per_s = (double)o->clock_mhz * 1e6 / 5.0 * threads *
                      XAI_XCORE_PEAK_MACS_PER_BUNDLE * UTILISATION_EST;
  return (double)macs / macs_per_s * XAI_XCORE_REF_TIMER_HZ;
}

static xai_status remember(xf_ctx *x, const char *name, uint32_t link,
                           uint32_t bytes) {
  char **names = realloc(x->par_names, (x->par_count + 1) * sizeof *names);
  if (names) x->par_names = names;
  uint32_t *ticks =
      realloc(x->par_link_ticks, (x->par_count + 1) * sizeof *ticks);
  if (ticks) x->par_link_ticks = ticks;
  uint32_t *nb =
      realloc(x->par_link_bytes, (x->par_count + 1) * sizeof *nb);
  if (nb) x->par_link_bytes = nb;
  char *copy = names && ticks && nb ? malloc(strlen(name) + 1) : NULL;
  if (!copy) return XAI_ERR_NO_MEMORY;
  strcpy(copy, name);
  x->par_names[x->par_count] = copy;
  x->par_link_bytes[x->par_count] = bytes;
  x->par_link_ticks[x->par_count++] = link;
  return XAI_OK;
}

/* The op writing the tensor named `name`, or -1. */
static int64_t op_writing(xf_ctx *x, const char *name) {
  const xai_subgraph *sg = &x->m->subgraphs[0];
  for (uint32_t i = 0; i < sg->operator_count; i++) {
    const xai_operator *op = xf_op(x, i);
    const xai_tensor *t =
        op->output_count ? xf_tensor(x, op->outputs[0]) : NULL;
    if (t && t->name && !strcmp(t->name, name)) return i;
  }
  return -1;
}

/* What the report says of one split. */
typedef struct {
  uint32_t half, channels;
  uint64_t link, bytes;
  double whole;
} split_note;

/* The link from tile 0 to tile 1; *bps 0 for a one-tile target. */
static xai_status tile1_link(const xai_xformer_options *o, uint64_t *bps,
                             uint32_t *latency, xai_error *err) {
  xf_target t;
  xf_target_default(&t);
  xai_status st = XAI_OK;
  *bps = 0;
  *latency = 0;
  if (o->target_config) st = xf_target_load(&t, o->target_config, err);
  if (!st) st = xf_target_tiles(o, &t, err);
  if (!st && t.tiles >= 2) xf_tile_link(&t, 1, bps, latency);
  return st;
}

xai_status xf_tile_split(xf_ctx *x, xai_error *err) {
  const xai_xformer_options *o = x->opt;
  if (o->no_tile_split || x->m->subgraph_count < 1)
    return XAI_OK;
  uint64_t bps = 0;
  uint32_t latency = 0;
  xai_status st = tile1_link(o, &bps, &latency, err);
  if (st || !bps) return st;
  uint32_t no = x->m->subgraphs[0].operator_count;
  uint32_t first = x->par_count;
  split_note *notes = malloc(no * sizeof *notes);
  if (!notes) return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  /* Backwards, so the indices of ops still to visit do not move. */
  for (uint32_t i = no; !st && i-- > 0;) {
    uint32_t channels = 0;
    size_t weights = 0;
    if (!xf_sliceable(x, i, &channels, &weights) || channels < MIN_CHANNELS)
      continue;
    const xai_operator *op = xf_op(x, i);
    const xai_tensor *in = xf_tensor(x, op->inputs[0]);
    const xai_tensor *f = xf_tensor(x, op->inputs[1]);
    const xai_tensor *out = xf_tensor(x, op->outputs[0]);
    uint64_t per_row = tensor_bytes(f) / channels;
    uint64_t macs = (uint64_t)(tensor_bytes(out) / channels) * channels *
                    per_row;
    uint32_t half = (channels / 2 + GROUP - 1) / GROUP * GROUP;
    /* tile 1 computes channels [0, half): it gets the input and sends
     * those channels of the output back */
    uint64_t bytes = tensor_bytes(in) + tensor_bytes(out) / channels * half;
    /* its weights too when they go to the params file (finish records
     * the lowered ones) */
    uint64_t weights_half =
        o->params_file && tensor_bytes(f) > o->load_externally_if_larger
            ? per_row * half : 0;
    uint64_t link = 2u * latency +
                    ((bytes + weights_half) * XAI_XCORE_REF_TIMER_HZ + bps -
                     1) / bps;
    double whole = compute_ticks(o, macs);
    if ((!o->tile_split && (double)link * 4.0 >= whole) ||
        link > UINT32_MAX || bytes > UINT32_MAX)
      continue;
    st = xf_split_output_channels(x, i, channels, half, 2, err);
    /* Found again after lowering and reordering by a name of its own. */
    char name[48];
    snprintf(name, sizeof name, "xai_tile1/%u", x->par_count);
    xai_tensor *b = st ? NULL : xf_tensor(x, xf_op(x, i)->outputs[0]);
    char *copy = b ? malloc(strlen(name) + 1) : NULL;
    if (copy) {
      strcpy(copy, name);
      free(b->name);
      b->name = copy;
    }
    if (!st && (!copy || remember(x, name, (uint32_t)link, (uint32_t)bytes)))
      st = xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
    if (!st)
      notes[x->par_count - 1 - first] =
          (split_note){half, channels, link, bytes, whole};
  }
  /* Noted once every split is made: each one moves the ops after it. */
  for (uint32_t k = first; !st && k < x->par_count; k++) {
    int64_t op = op_writing(x, x->par_names[k]);
    const split_note *n = &notes[k - first];
    if (op >= 0)
      xf_keep(x, (uint32_t)op, "output channels 0..%u on tile 1 at the same "
              "time as %u..%u on tile 0 (link %llu ticks for %llu bytes, "
              "estimated compute %.0f%s)", n->half - 1, n->half,
              n->channels - 1, (unsigned long long)n->link,
              (unsigned long long)n->bytes, n->whole,
              x->opt->tile_split ? ", --xcore-tile-split" : "");
  }
  free(notes);
  return st;
}

static bool reads(const xai_operator *op, int32_t t) {
  for (uint32_t k = 0; k < op->input_count; k++)
    if (op->inputs[k] == t) return true;
  return false;
}

/* With a params file the half's weights are loaded on tile 0 (the flash
 * hangs off tile 0): tile 1 gets them over the link too. These are the
 * constants xf_split_params (run next) moves out, by its threshold. */
static uint64_t loaded_weight_bytes(xf_ctx *x, uint32_t op) {
  const xai_operator *half = xf_op(x, op);
  uint64_t sum = 0;
  for (uint32_t k = 0; k < half->input_count; k++) {
    size_t bytes = 0;
    if (half->inputs[k] >= 0 && xf_const_data(x, half->inputs[k], &bytes) &&
        bytes > x->opt->load_externally_if_larger)
      sum += bytes;
  }
  return sum;
}

xai_status xf_tile_split_finish(xf_ctx *x, xai_error *err) {
  if (!x->par_count) return XAI_OK;
  uint64_t bps = 0;
  uint32_t latency = 0;
  xai_status st = tile1_link(x->opt, &bps, &latency, err);
  if (st) return st;
  int64_t ops[32], link[32], bytes[32];
  uint32_t n = 0;
  const xai_subgraph *sg = &x->m->subgraphs[0];
  for (uint32_t i = 0; i < x->par_count && n < 32; i++) {
    int64_t op = op_writing(x, x->par_names[i]);
    /* The half runs beside the op after it, which must not need it. */
    if (op < 0 || (uint32_t)op + 1 >= sg->operator_count ||
        reads(xf_op(x, (uint32_t)op + 1), xf_op(x, (uint32_t)op)->outputs[0]))
      continue;
    uint64_t w = x->opt->params_file ? loaded_weight_bytes(x, (uint32_t)op)
                                     : 0;
    ops[n] = op;
    bytes[n] = (int64_t)(x->par_link_bytes[i] + w);
    link[n++] = (int64_t)(x->par_link_ticks[i] +
                          (w * XAI_XCORE_REF_TIMER_HZ + bps - 1) / bps);
  }
  if (!n) return XAI_OK;
  xai_flexbuf_builder b;
  xai_flexbuf_builder_init(&b, NULL, 0);
  xai_flexbuf_map_begin(&b, NULL);
  xai_flexbuf_add_int64_vector(&b, "link_bytes", bytes, n);
  xai_flexbuf_add_int64_vector(&b, "link_ticks", link, n);
  xai_flexbuf_add_int64_vector(&b, "ops", ops, n);
  xai_flexbuf_map_end(&b);
  const uint8_t *data;
  size_t size;
  st = xai_flexbuf_finish(&b, &data, &size, err);
  if (!st && xai_model_set_metadata(x->m, "xai_par", data, size))
    st = xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  xai_flexbuf_builder_free(&b);
  return st;
}

void xf_tile_split_free(xf_ctx *x) {
  for (uint32_t i = 0; i < x->par_count; i++) free(x->par_names[i]);
  free(x->par_names);
  free(x->par_link_ticks);
  free(x->par_link_bytes);
  x->par_names = NULL;
  x->par_link_ticks = NULL;
  x->par_link_bytes = NULL;
  x->par_count = 0;
}
