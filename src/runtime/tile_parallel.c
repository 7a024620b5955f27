/* Ops that run on another tile at the same time as the op after them
 * (docs/multitile.md, "Channel split"): the xformer splits a wide op by
 * output channels and marks the half it gives to tile 1 in the model's
 * `xai_par` metadata, with the link time of its input and output. Here that
 * half gets the link time added and is marked as overlapping the next op,
 * like a prefetched load, so every timing consumer (the xformer's report,
 * `xai run`, the device's GET_TIMINGS) counts max(half + link, other half)
 * instead of the sum. The op still computes on the caller's thread: the
 * bits are the same either way. */
#include <string.h>

#include "interp_internal.h"
#include "xai/flexbuf.h"

xai_status xai_tile_par_load(xai_tile_par *p, const xai_tfl_view *view,
                             xai_error *err) {
  memset(p, 0, sizeof *p);
  size_t n = 0;
  const uint8_t *md = xai_tfl_find_metadata(view, "xai_par", &n);
  if (!md) return XAI_OK;
  xai_flexbuf_ref map, v;
  int64_t ops[XAI_TILE_PAR_MAX], link[XAI_TILE_PAR_MAX];
  size_t no = 0, nl = 0;
  xai_error e;
  xai_error_clear(&e);
  if (xai_flexbuf_verify(md, n, &e) || xai_flexbuf_root(md, n, &map, &e) ||
      map.type != XAI_FLEXBUF_MAP ||
      xai_flexbuf_map_get(&map, "ops", &v, &e) ||
      xai_flexbuf_get_int64_array(&v, ops, XAI_TILE_PAR_MAX, &no, &e) ||
      xai_flexbuf_map_get(&map, "link_ticks", &v, &e) ||
      xai_flexbuf_get_int64_array(&v, link, XAI_TILE_PAR_MAX, &nl, &e) ||
      no != nl)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "the model's xai_par metadata is malformed (%s); "
                    "recompile it with xformer",
                    e.message[0] ? e.message : "counts differ");
  for (size_t i = 0; i < no; i++) {
    if (ops[i] < 0 || ops[i] > UINT32_MAX || link[i] < 0 ||
        link[i] > UINT32_MAX)
      return xai_fail(err, XAI_ERR_FORMAT,
                      "xai_par entry %zu (op %lld, %lld link ticks) is out of "
                      "range; recompile the model", i, (long long)ops[i],
                      (long long)link[i]);
    p->op[i] = (uint32_t)ops[i];
    p->link_ticks[i] = (uint32_t)link[i];
  }
  p->count = (uint32_t)no;
  return XAI_OK;
}

bool xai_interp_tile_par(const xai_interp *ip, uint32_t sg, uint32_t op,
                         uint32_t *link_ticks) {
  if (!ip || sg != 0) return false;
  xai_tile_par par;
  if (xai_tile_par_load(&par, &ip->view, NULL) != XAI_OK) return false;
  for (uint32_t i = 0; i < par.count; i++)
    if (par.op[i] == op) {
      if (link_ticks) *link_ticks = par.link_ticks[i];
      return true;
    }
  return false;
}

void xai_interp_tile_cost(const xai_interp *ip, uint32_t sg, uint32_t op,
                          xai_op_cost *cost) {
  uint32_t link = 0;
  if (!xai_interp_tile_par(ip, sg, op, &link)) return;
  cost->ticks += link;
  cost->overlap_ticks = cost->ticks;
}
