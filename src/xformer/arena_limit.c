/* The arena a model may have on its target: the largest memory the
 * placement can put the arena in. The xformer sizes arenas by trial runs of
 * the runtime; a model that needs more than the target holds is refused
 * before any arena of that size is allocated (a huge or mutated model would
 * otherwise make every check allocate and clear up to 2 GiB). */
#include <stdio.h>
#include <string.h>

#include "xformer_internal.h"

/* The memory the arena goes in under opt->memory (auto: the larger of SRAM
 * and LPDDR), and the bytes it has there. */
static void arena_memory(const xai_xformer_options *o, const xf_target *t,
                         int *mem, uint64_t *bytes) {
  uint64_t sram = xf_target_budget(t, XF_MEM_SRAM);
  uint64_t lpddr = xf_target_budget(t, XF_MEM_LPDDR);
  switch (o->memory) {
  case XAI_XF_MEMORY_EXTERNAL: *mem = XF_MEM_LPDDR; break;
  case XAI_XF_MEMORY_CUSTOM:
    *mem = t->arena_memory == XF_MEM_LPDDR ? XF_MEM_LPDDR : XF_MEM_SRAM;
    break;
  case XAI_XF_MEMORY_AUTO: *mem = lpddr > sram ? XF_MEM_LPDDR : XF_MEM_SRAM; break;
  default: *mem = XF_MEM_SRAM; break; /* internal, flash */
  }
  *bytes = *mem == XF_MEM_LPDDR ? lpddr : sram;
}

xai_status xf_arena_needed(const xai_xformer_options *o,
                           const xai_interp_config *cfg, const char *what,
                           size_t *need, xai_error *err) {
  *need = 0;
  xf_target t;
  xf_target_default(&t);
  xai_status st = XAI_OK;
  if (o && o->target_config) st = xf_target_load(&t, o->target_config, err);
  if (st) return st;
  int mem = XF_MEM_SRAM;
  uint64_t room = 0;
  xai_xformer_options dflt;
  if (!o) {
    xai_xformer_options_init(&dflt);
    o = &dflt;
  }
  arena_memory(o, &t, &mem, &room);
  size_t limit = room > SIZE_MAX ? SIZE_MAX : (size_t)room;
  bool exact = false;
  st = xai_interp_arena_needed_within(cfg, limit, need, &exact, err);
  if (st != XAI_ERR_NO_MEMORY || *need <= limit) return st;
  xai_error_clear(err);
  return xai_fail(err, XAI_ERR_NO_MEMORY,
                  "%s: the model needs %s%zu bytes of arena but the device "
                  "has %llu bytes of %s for it (%s); use a smaller model, or "
                  "a --target-config for a device with more %s",
                  what, exact ? "" : "at least ", *need,
                  (unsigned long long)room, xf_mem_name(mem),
                  o->target_config ? o->target_config
                                   : "the default xcore.ai target",
                  xf_mem_name(mem));
}
