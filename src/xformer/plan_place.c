/* Offset assignment for the arena plan: first-fit at the lowest offset in a
 * chosen order. Greedy by size (TFLite Micro's order) is one order; long-lived
 * buffers first and earliest-first often pack tighter, so all three are
 * tried and the smallest head kept. */
#include <stdint.h>

#include "plan_internal.h"

typedef enum { BY_SIZE, BY_AREA, BY_FIRST, ORDER_KINDS } order_kind;

static uint64_t key(const xf_plan_item *it, order_kind k) {
  uint64_t span = (uint64_t)(it->last - it->first) + 1;
  switch (k) {
    case BY_SIZE: return it->size;
    case BY_AREA: return it->size * span;
    default: return UINT64_MAX - it->first; /* earliest first */
  }
}

/* Whether item a goes before item b; buffer order among equals. */
static bool before(const xf_plan_item *items, order_kind k, uint32_t a,
                   uint32_t b) {
  uint64_t ka = key(&items[a], k), kb = key(&items[b], k);
  if (ka != kb) return ka > kb;
  if (items[a].size != items[b].size) return items[a].size > items[b].size;
  return a < b;
}

/* Insertion sort: plans have hundreds of buffers at most, and the order
 * needs the items as context (qsort has none). */
static void sort_order(const xf_plan_item *items, order_kind k,
                       uint32_t *order, uint32_t count) {
  for (uint32_t i = 0; i < count; i++) order[i] = i;
  for (uint32_t i = 1; i < count; i++) {
    uint32_t v = order[i], j = i;
    while (j > 0 && before(items, k, v, order[j - 1])) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = v;
  }
}

static bool lives_overlap(const xf_plan_item *a, const xf_plan_item *b) {
  return a->first <= b->last && b->first <= a->last;
}

/* Places items in `order`; returns the head. */
static size_t place_in(xf_plan_item *items, const uint32_t *order,
                       uint32_t count) {
  size_t head = 0;
  for (uint32_t n = 0; n < count; n++) {
    xf_plan_item *want = &items[order[n]];
    size_t cand = 0;
    bool moved = true;
    /* Every conflict pushes the candidate past it; the first candidate
     * with no conflict is the lowest that fits. */
    while (moved) {
      moved = false;
      for (uint32_t m = 0; m < n; m++) {
        const xf_plan_item *b = &items[order[m]];
        if (!lives_overlap(want, b)) continue;
        if (cand < b->offset + b->size && b->offset < cand + want->size) {
          cand = b->offset + b->size;
          moved = true;
        }
      }
    }
    want->offset = cand;
    if (cand + want->size > head) head = cand + want->size;
  }
  return head;
}

size_t xf_plan_place(xf_plan_item *items, uint32_t count, uint32_t *order) {
  size_t best = SIZE_MAX;
  order_kind best_kind = BY_SIZE;
  for (order_kind k = BY_SIZE; k < ORDER_KINDS; k++) {
    sort_order(items, k, order, count);
    size_t head = place_in(items, order, count);
    if (head < best) {
      best = head;
      best_kind = k;
    }
  }
  sort_order(items, best_kind, order, count);
  return place_in(items, order, count);
}
