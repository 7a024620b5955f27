/* Synchronous and prefetched totals of a model with XAI_load_weights ops
 * (docs/weights.md, "Prefetch"). */
#include "xai/runtime.h"

void xai_params_schedule_totals(const uint64_t *ticks, const bool *is_load,
                                uint32_t n, xai_params_schedule *out) {
  out->sync_ticks = out->prefetch_ticks = 0;
  out->load_ticks = out->hidden_ticks = 0;
  uint64_t cover = 0; /* compute time of the previous layer still unused */
  for (uint32_t i = 0; i < n; i++) {
    out->sync_ticks += ticks[i];
    if (!is_load[i]) {
      cover = ticks[i];
      continue;
    }
    out->load_ticks += ticks[i];
    uint64_t hide = ticks[i] < cover ? ticks[i] : cover;
    cover -= hide;
    out->hidden_ticks += hide;
  }
  out->prefetch_ticks = out->sync_ticks - out->hidden_ticks;
}
