/* Greedy-by-size arena planner, as TensorFlow Lite Micro's
 * GreedyMemoryPlanner: buffers with a fixed (offline) offset are placed
 * first; the rest go largest first (ties in buffer order, as TFLM's stable
 * sort) at the lowest offset where they overlap no already-placed buffer
 * whose lifetime overlaps theirs. Works in place, O(n^2) per buffer in the
 * worst case and no memory of its own. */
#include <stdint.h>

#include "interp_internal.h"

static bool lives_overlap(const xai_plan_buf *a, const xai_plan_buf *b) {
  return a->first <= b->last && b->first <= a->last;
}

static bool bytes_overlap(uint64_t a_off, uint64_t a_size, uint64_t b_off,
                          uint64_t b_size) {
  return a_off < b_off + b_size && b_off < a_off + a_size;
}

/* Lowest offset for bufs[k] that conflicts with no placed buffer. Each
 * conflict pushes the candidate past that buffer's end; no offset below a
 * conflicting buffer's end can work (the candidate only grows), so the
 * first candidate without a conflict is the lowest. */
static uint64_t lowest_fit(const xai_plan_buf *bufs, uint32_t count,
                           uint32_t k) {
  const xai_plan_buf *want = &bufs[k];
  uint64_t cand = 0;
  for (;;) {
    bool moved = false;
    for (uint32_t i = 0; i < count; i++) {
      const xai_plan_buf *b = &bufs[i];
      if (i == k || !b->placed || !lives_overlap(want, b)) continue;
      if (bytes_overlap(cand, want->size, b->offset, b->size)) {
        cand = (uint64_t)b->offset + b->size;
        moved = true;
      }
    }
    if (!moved) return cand;
  }
}

xai_status xai_plan_greedy(xai_plan_buf *bufs, uint32_t count, size_t *head,
                           xai_error *err) {
  uint64_t end = 0;
  for (uint32_t i = 0; i < count; i++) {
    bufs[i].placed = bufs[i].fixed >= 0;
    if (bufs[i].placed) bufs[i].offset = (uint32_t)bufs[i].fixed;
  }
  for (;;) {
    /* Largest unplaced buffer, first in order among equals. */
    uint32_t pick = UINT32_MAX;
    for (uint32_t i = 0; i < count; i++)
      if (!bufs[i].placed &&
          (pick == UINT32_MAX || bufs[i].size > bufs[pick].size))
        pick = i;
    if (pick == UINT32_MAX) break;
    uint64_t at = lowest_fit(bufs, count, pick);
    /* Offsets are 32-bit: no arena of 4 GiB exists on the device. */
    if (at + bufs[pick].size > UINT32_MAX)
      return xai_fail(err, XAI_ERR_RANGE,
                      "arena plan needs more than 4 GiB (buffer %u of %u "
                      "bytes)", pick, bufs[pick].size);
    bufs[pick].offset = (uint32_t)at;
    bufs[pick].placed = 1;
  }
  for (uint32_t i = 0; i < count; i++) {
    uint64_t e = (uint64_t)bufs[i].offset + bufs[i].size;
    if (e > end) end = e;
  }
  if (end > SIZE_MAX)
    return xai_fail(err, XAI_ERR_RANGE, "arena plan overflows size_t");
  *head = (size_t)end;
  return XAI_OK;
}

xai_status xai_plan_check(const xai_plan_buf *bufs, uint32_t count,
                          xai_error *err) {
  for (uint32_t i = 0; i < count; i++) {
    const xai_plan_buf *a = &bufs[i];
    if (a->offset % XAI_ARENA_ALIGN != 0 && a->fixed < 0)
      return xai_fail(err, XAI_ERR_FORMAT,
                      "arena plan: buffer %u at offset %u is not %u-byte "
                      "aligned", i, a->offset, XAI_ARENA_ALIGN);
    for (uint32_t j = i + 1; j < count; j++) {
      const xai_plan_buf *b = &bufs[j];
      if (!lives_overlap(a, b) ||
          !bytes_overlap(a->offset, a->size, b->offset, b->size))
        continue;
      if ((!a->view && a->alias == j + 1) || (!b->view && b->alias == i + 1))
        continue; /* in place */
      if (!a->scratch && !b->scratch)
        return xai_fail(
            err, XAI_ERR_FORMAT,
            "arena plan: subgraph %u tensor %u [%u, +%u) and subgraph %u "
            "tensor %u [%u, +%u) are live together but share bytes; fix "
            "the OfflineMemoryAllocation metadata or plan online",
            (unsigned)a->subgraph, a->id, a->offset, a->size,
            (unsigned)b->subgraph, b->id, b->offset, b->size);
      return xai_fail(err, XAI_ERR_FORMAT,
                      "arena plan: buffers %u and %u are live together but "
                      "share bytes", i, j);
    }
  }
  return XAI_OK;
}
