/* The report as a table for people and as JSON for scripts. */
#include <inttypes.h>
#include <string.h>

#include "xformer_internal.h"

int32_t xai_xformer_report_peak_layer(const xai_xformer_report *r) {
  int32_t best = -1;
  for (uint32_t i = 0; i < r->layer_count; i++)
    if (best < 0 || r->layers[i].arena_in_use >
                        r->layers[best].arena_in_use)
      best = (int32_t)i;
  return best;
}

void xai_xformer_report_print(const xai_xformer_report *r, FILE *f) {
  fprintf(f,
          "%4s  %-22s %-20s %12s %10s %9s %5s %3s %9s  %s\n", "#", "op",
          "kernel", "MACs", "ticks", "ms", "util", "thr", "arena", "note");
  for (uint32_t i = 0; i < r->layer_count; i++) {
    const xai_xformer_layer *l = &r->layers[i];
    fprintf(f, "%4" PRIu32 "  %-22.22s %-20.20s %12" PRIu64 " %10" PRIu64
            " %9.3f %4.0f%% %3" PRIu32 " %9zu  %s\n",
            l->index, l->op, l->kernel, l->macs, l->ticks, l->ms,
            100.0 * l->utilisation, l->threads, l->arena_in_use, l->note);
  }
  fprintf(f,
          "total: %" PRIu32 " layers, %" PRIu64 " MACs, %" PRIu64
          " ticks, %.3f ms at %" PRIu32 " MHz on %u threads, MAC efficiency "
          "%.1f%%\n"
          "memory: model %zu bytes, params %zu bytes, arena %zu bytes "
          "(greedy plan: %zu bytes)\n",
          r->layer_count, r->macs, r->ticks, r->ms, r->clock_mhz,
          r->thread_count, 100.0 * r->mac_efficiency, r->model_bytes,
          r->params_bytes, r->arena_bytes, r->greedy_arena_bytes);
  int32_t peak = xai_xformer_report_peak_layer(r);
  if (r->arena_budget && r->arena_bytes > r->arena_budget && peak >= 0)
    fprintf(f,
            "arena budget %zu bytes not met: the smallest arena reached is "
            "%zu bytes; layer %" PRIu32 " (%s) holds it with %zu planned "
            "bytes in use\n",
            r->arena_budget, r->arena_bytes, r->layers[peak].index,
            r->layers[peak].op, r->layers[peak].arena_in_use);
  fprintf(f,
          "passes: %" PRIu32 " pads folded, %" PRIu32 " activations fused, "
          "%" PRIu32 " no-op ops dropped, %" PRIu32 " constant ops folded "
          "(constants +%zu -%zu bytes); %" PRIu32 " constants moved to "
          "params (%" PRIu32 " load ops)%s%s\n",
          r->pads_folded, r->activations_fused, r->ops_dropped,
          r->consts_folded, r->fold_bytes_added, r->fold_bytes_removed,
          r->params_tensors_moved, r->params_load_ops,
          r->placement[0] ? "; placement " : "", r->placement);
  if (r->params_load_ops)
    fprintf(f,
            "prefetch: %" PRIu32 " of %" PRIu32 " load ops stream under the "
            "op before their layer, hiding %" PRIu64 " ticks (%.3f ms "
            "without prefetch)\n",
            r->params_prefetched, r->params_load_ops, r->load_hidden_ticks,
            (double)(r->ticks + r->load_hidden_ticks) / 1e5);
  xf_partition_print(r, f);
  xf_pipeline_print(r, f);
}

xai_status xai_xformer_report_write_json(const xai_xformer_report *r,
                                         const char *path, xai_error *err) {
  xai_error_clear(err);
  xf_text b = {0};
  xf_text_put(&b, "{\n  \"threads\": %u,\n  \"clock_mhz\": %" PRIu32 ",\n  \"layers\": [",
      r->thread_count, r->clock_mhz);
  for (uint32_t i = 0; i < r->layer_count; i++) {
    const xai_xformer_layer *l = &r->layers[i];
    xf_text_put(&b, "%s\n    {\"index\": %" PRIu32 ", \"op\": ", i ? "," : "",
        l->index);
    xf_text_json_string(&b, l->op);
    xf_text_put(&b, ", \"kernel\": ");
    xf_text_json_string(&b, l->kernel);
    xf_text_put(&b, ", \"macs\": %" PRIu64 ", \"ticks\": %" PRIu64
        ", \"ms\": %.6f, \"utilisation\": %.6f, \"threads\": %" PRIu32
        ", \"arena_in_use\": %zu, \"note\": ",
        l->macs, l->ticks, l->ms, l->utilisation, l->threads,
        l->arena_in_use);
    xf_text_json_string(&b, l->note);
    xf_text_put(&b, "}");
  }
  xf_text_put(&b, "\n  ],\n  \"totals\": {\"layers\": %" PRIu32 ", \"model_bytes\": %zu"
      ", \"params_bytes\": %zu, \"arena_bytes\": %zu, "
      "\"greedy_arena_bytes\": %zu, \"macs\": %" PRIu64 ", \"ticks\": %" PRIu64
      ", \"ms\": %.6f, \"mac_efficiency\": %.6f, \"pads_folded\": %" PRIu32
      ", \"activations_fused\": %" PRIu32 ", \"ops_dropped\": %" PRIu32
      ", \"params_tensors_moved\": %" PRIu32 ", \"params_load_ops\": %" PRIu32
      ", \"params_prefetched\": %" PRIu32 ", \"load_hidden_ticks\": %" PRIu64
      ", \"arena_budget\": %zu, \"arena_peak_layer\": %" PRId32
      ", \"consts_folded\": %" PRIu32 ", \"fold_bytes_added\": %zu"
      ", \"fold_bytes_removed\": %zu, \"placement\": ",
      r->layer_count, r->model_bytes, r->params_bytes, r->arena_bytes,
      r->greedy_arena_bytes, r->macs, r->ticks, r->ms, r->mac_efficiency,
      r->pads_folded, r->activations_fused, r->ops_dropped,
      r->params_tensors_moved, r->params_load_ops, r->params_prefetched,
      r->load_hidden_ticks, r->arena_budget, xai_xformer_report_peak_layer(r),
      r->consts_folded, r->fold_bytes_added, r->fold_bytes_removed);
  xf_text_json_string(&b, r->placement);
  xf_text_put(&b, "}");
  xf_partition_json(r, &b);
  xf_text_put(&b, "\n}\n");
  return xf_text_write(&b, path, "report JSON", err);
}
