/* Device time of a model with XAI_load_weights ops (docs/weights.md,
 * "Prefetch"): the real schedule the xformer wrote (prefetched loads marked
 * "pf") and, for comparison, the what-if of every load prefetched. */
#include "xai/runtime.h"

/* Pending prefetched loads are resolved when the op they run under is
 * known; only the op's ticks are needed, so one pass in run order does. */
uint64_t xai_params_overlap_ticks(const uint64_t *ticks,
                                  const uint64_t *overlap, uint32_t n,
                                  uint64_t *exposed) {
  uint64_t hidden_total = 0;
  uint32_t first_pending = 0, pending = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (overlap[i] > 0) {
      if (pending == 0) first_pending = i;
      pending++;
      continue;
    }
    uint64_t cover = ticks[i];
    for (uint32_t k = first_pending; pending > 0 && k < i; k++) {
      uint64_t can = overlap[k] < ticks[k] ? overlap[k] : ticks[k];
      uint64_t hide = can < cover ? can : cover;
      cover -= hide;
      hidden_total += hide;
      if (exposed) exposed[k] = ticks[k] - hide;
    }
    pending = 0;
    if (exposed) exposed[i] = ticks[i];
  }
  /* Loads at the very end have nothing to run under. */
  for (uint32_t k = first_pending; pending > 0 && k < n; k++)
    if (exposed) exposed[k] = ticks[k];
  return hidden_total;
}

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
