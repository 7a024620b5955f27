/* A layer pipeline over engines (docs/multitile.md, mode b): the stage
 * models of `xformer --xcore-pipeline` on engines first..first+N-1, stage
 * k's outputs linked to stage k + 1's inputs on the device (LINK_INPUT)
 * and every stage run at once (INVOKE_TILES), so that N inputs of a
 * stream are in flight. The host only writes stage 0's inputs and reads
 * the last stage's outputs. */
#include <stdlib.h>
#include <string.h>

#include "xai/host.h"

#define MAX_LAYERS 4096u

static xai_status stage_specs(xai_host_device *dev, uint32_t first,
                              uint32_t stages, xai_host_spec *spec,
                              xai_error *err) {
  if (stages < 2 || stages > XAI_HOST_PIPELINE_MAX_STAGES ||
      first + stages > 32)
    return xai_fail(err, XAI_ERR_ARGUMENT, "a pipeline has 2 to %u stages on "
                    "engines 0..31 (got %u from engine %u)",
                    XAI_HOST_PIPELINE_MAX_STAGES, stages, first);
  for (uint32_t k = 0; k < stages; k++) {
    xai_status st = xai_host_read_spec(dev, (uint8_t)(first + k), &spec[k],
                                       err);
    if (st)
      return xai_fail(err, st, "pipeline stage %u (engine %u): %s (load the "
                      "stages in order: xmos_send_model OUT.stage*.tflite)",
                      k, first + k, err->message);
  }
  for (uint32_t k = 0; k + 1 < stages; k++) {
    const xai_host_spec *a = &spec[k], *b = &spec[k + 1];
    if (a->output_count != b->input_count)
      return xai_fail(err, XAI_ERR_ARGUMENT, "pipeline stage %u (engine %u) "
                      "has %u outputs but stage %u takes %u inputs: these "
                      "engines do not hold one pipeline's stages in order",
                      k, first + k, a->output_count, k + 1, b->input_count);
    for (uint32_t j = 0; j < a->output_count; j++) {
      const xai_proto_tensor_info *o = xai_host_spec_output(a, j);
      const xai_proto_tensor_info *i = xai_host_spec_input(b, j);
      if (o->bytes != i->bytes || o->dtype != i->dtype)
        return xai_fail(err, XAI_ERR_ARGUMENT, "pipeline stage %u's output "
                        "%u '%s' (%u bytes) is not stage %u's input %u '%s' "
                        "(%u bytes): these engines do not hold one "
                        "pipeline's stages in order", k, j, o->name,
                        (unsigned)o->bytes, k + 1, j, i->name,
                        (unsigned)i->bytes);
    }
  }
  return XAI_OK;
}

static size_t record_bytes(const xai_host_spec *s, bool inputs) {
  size_t n = 0;
  uint32_t count = inputs ? s->input_count : s->output_count;
  for (uint32_t i = 0; i < count; i++)
    n += (inputs ? xai_host_spec_input(s, i) : xai_host_spec_output(s, i))
             ->bytes;
  return n;
}

xai_status xai_host_pipeline_check(xai_host_device *dev, uint32_t first,
                                   uint32_t stages, size_t *in_record,
                                   size_t *out_record, xai_error *err) {
  xai_error_clear(err);
  xai_host_spec spec[XAI_HOST_PIPELINE_MAX_STAGES];
  xai_status st = stage_specs(dev, first, stages, spec, err);
  if (st) return st;
  *in_record = record_bytes(&spec[0], true);
  *out_record = record_bytes(&spec[stages - 1], false);
  return XAI_OK;
}

/* Stage e's last invoke: its compute, and the activations other tiles
 * sent it (GET_TILE_TIMINGS counts them on the sender). */
static xai_status stage_times(xai_host_device *dev, uint8_t e,
                              xai_proto_layer_timing *lt,
                              xai_proto_layer_tile *ltile, uint64_t *compute,
                              uint64_t *in_bytes, uint64_t *in_ticks,
                              xai_error *err) {
  uint32_t n = 0;
  xai_status st = xai_host_read_times(dev, e, lt, MAX_LAYERS, &n, err);
  *compute = 0;
  for (uint32_t i = 0; !st && i < n; i++) *compute += lt[i].ticks;
  xai_proto_tile_timings tt;
  if (!st) st = xai_host_read_tile_times(dev, e, &tt, ltile, MAX_LAYERS, err);
  *in_bytes = *in_ticks = 0;
  for (uint32_t t = 0; !st && t < tt.tiles; t++)
    if (t != tt.compute_tile) {
      *in_bytes += tt.tile[t].link_bytes;
      *in_ticks += tt.tile[t].link_ticks;
    }
  return st;
}

/* One step: stage k works on input s - k. */
static xai_status step(xai_host_device *dev, uint32_t first, uint32_t stages,
                       const xai_host_spec *spec, const uint8_t *inputs,
                       uint32_t count, uint32_t s, uint32_t *mask,
                       xai_error *err) {
  xai_status st = XAI_OK;
  *mask = 0;
  /* Later stages take their inputs before stage k - 1 runs again. */
  for (uint32_t k = stages; !st && k-- > 0;) {
    if (s < k || s - k >= count) continue;
    *mask |= 1u << (first + k);
    uint8_t e = (uint8_t)(first + k);
    if (k) {
      for (uint32_t j = 0; !st && j < spec[k].input_count; j++)
        st = xai_host_link_input(dev, e, (uint16_t)j, (uint8_t)(e - 1),
                                 (uint8_t)j, err);
      continue;
    }
    const uint8_t *rec = inputs + (size_t)s * record_bytes(&spec[0], true);
    for (uint32_t j = 0; !st && j < spec[0].input_count; j++) {
      const xai_proto_tensor_info *t = xai_host_spec_input(&spec[0], j);
      st = xai_host_write_input(dev, e, (uint16_t)j, rec, t->bytes, err);
      rec += t->bytes;
    }
  }
  if (!st) st = xai_host_invoke_tiles(dev, *mask, err);
  return st;
}

static xai_status read_record(xai_host_device *dev, uint8_t e,
                              const xai_host_spec *spec, uint8_t *dst,
                              xai_error *err) {
  for (uint32_t j = 0; j < spec->output_count; j++) {
    const xai_proto_tensor_info *t = xai_host_spec_output(spec, j);
    size_t got = 0;
    xai_status st =
        xai_host_read_output(dev, e, (uint16_t)j, dst, t->bytes, &got, err);
    if (st) return st;
    dst += t->bytes;
  }
  return XAI_OK;
}

xai_status xai_host_pipeline_run(xai_host_device *dev, uint32_t first,
                                 uint32_t stages, const void *inputs,
                                 uint32_t count, void *outputs,
                                 xai_host_pipeline_stats *stats,
                                 xai_error *err) {
  xai_error_clear(err);
  memset(stats, 0, sizeof *stats);
  if (!count || !inputs || !outputs)
    return xai_fail(err, XAI_ERR_ARGUMENT, "pipeline: no inputs");
  xai_host_spec spec[XAI_HOST_PIPELINE_MAX_STAGES];
  xai_status st = stage_specs(dev, first, stages, spec, err);
  if (st) return st;
  xai_proto_layer_timing *lt = malloc(MAX_LAYERS * sizeof *lt);
  xai_proto_layer_tile *ltile = malloc(MAX_LAYERS * sizeof *ltile);
  if (!lt || !ltile) {
    free(lt);
    free(ltile);
    return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  }
  stats->stages = stages;
  stats->first_engine = first;
  uint64_t compute[XAI_HOST_PIPELINE_MAX_STAGES] = {0};
  uint64_t in_ticks[XAI_HOST_PIPELINE_MAX_STAGES] = {0};
  size_t out_record = record_bytes(&spec[stages - 1], false);
  uint8_t *out = outputs;
  for (uint32_t s = 0; !st && s < count + stages - 1; s++) {
    uint32_t mask = 0;
    st = step(dev, first, stages, spec, inputs, count, s, &mask, err);
    uint64_t c[XAI_HOST_PIPELINE_MAX_STAGES] = {0};
    uint64_t it[XAI_HOST_PIPELINE_MAX_STAGES + 1] = {0};
    for (uint32_t k = 0; !st && k < stages; k++) {
      if (!(mask & (1u << (first + k)))) continue;
      uint64_t ib = 0;
      st = stage_times(dev, (uint8_t)(first + k), lt, ltile, &c[k], &ib,
                       &it[k], err);
      compute[k] += c[k];
      in_ticks[k] += it[k];
      stats->in_bytes[k] += ib;
    }
    /* A stage is busy for its compute, receiving its input and sending
     * its output (what the next stage receives). */
    uint64_t slowest = 0;
    for (uint32_t k = 0; !st && k < stages; k++) {
      if (!(mask & (1u << (first + k)))) continue;
      uint64_t t = c[k] + it[k] + it[k + 1];
      if (t > slowest) slowest = t;
    }
    stats->stream_ticks += slowest;
    if (!st && s >= stages - 1) {
      st = read_record(dev, (uint8_t)(first + stages - 1), &spec[stages - 1],
                       out, err);
      out += out_record;
      stats->inferences++;
    }
  }
  free(lt);
  free(ltile);
  if (st) return st;
  for (uint32_t k = 0; k < stages; k++) {
    stats->compute_ticks[k] = compute[k] / count;
    stats->in_ticks[k] = in_ticks[k] / count;
    stats->in_bytes[k] /= count;
  }
  for (uint32_t k = 0; k < stages; k++) {
    uint64_t t = stats->compute_ticks[k] + stats->in_ticks[k] +
                 (k + 1 < stages ? stats->in_ticks[k + 1] : 0);
    if (t > stats->step_ticks) {
      stats->step_ticks = t;
      stats->slowest_stage = k;
    }
  }
  stats->latency_ticks = stats->step_ticks * stages;
  return XAI_OK;
}
