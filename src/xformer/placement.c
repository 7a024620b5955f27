/* Memory placement (docs/weights.md): which of SRAM, LPDDR and flash hold
 * the model, the arena and the params, and whether that fits the target.
 * Pure functions over sizes, so the choice is testable by hand. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xai/xcore_machine.h"
#include "xformer_internal.h"

#define KIB 1024ull
#define MIB (1024ull * 1024ull)

const char *xf_mem_name(int mem) {
  switch (mem) {
  case XF_MEM_SRAM: return "sram";
  case XF_MEM_LPDDR: return "lpddr";
  case XF_MEM_FLASH: return "flash";
  case XF_MEM_TILES: return "tiles";
  default: return "?";
  }
}

void xf_target_default(xf_target *t) {
  memset(t, 0, sizeof *t);
  t->sram_kib = XAI_XCORE_SRAM_BYTES_PER_TILE / 1024u;
  t->firmware_kib = XF_FIRMWARE_KIB_DEFAULT;
  t->lpddr_mib = XAI_XCORE_LPDDR_BYTES_DEFAULT / (1024u * 1024u);
  t->flash_mib = XAI_XCORE_FLASH_BYTES_MAX / (1024u * 1024u);
  t->flash_mbps = XAI_XCORE_FLASH_BYTES_PER_S_DEFAULT / 1000000u;
  t->clock_mhz = XAI_XCORE_CLOCK_MHZ_DEFAULT;
  t->tile_link_mbps = XAI_XCORE_INTER_TILE_BYTES_PER_S / 1000000u;
  t->chip_link_mbps = XAI_XCORE_INTER_CHIP_BYTES_PER_S / 1000000u;
  t->model_memory = t->arena_memory = t->params_memory = -1;
}

static int mem_from_name(const char *v) {
  if (!strcmp(v, "sram") || !strcmp(v, "internal")) return XF_MEM_SRAM;
  if (!strcmp(v, "lpddr") || !strcmp(v, "external")) return XF_MEM_LPDDR;
  if (!strcmp(v, "flash")) return XF_MEM_FLASH;
  return -1;
}

typedef struct {
  const char *key;
  size_t offset;  /* into xf_target */
  uint32_t max;
} num_key;

static const num_key k_num_keys[] = {
    {"sram_kib", offsetof(xf_target, sram_kib), 1u << 20},
    {"firmware_kib", offsetof(xf_target, firmware_kib), 1u << 20},
    {"lpddr_mib", offsetof(xf_target, lpddr_mib), 1u << 16},
    {"flash_mib", offsetof(xf_target, flash_mib), 1u << 16},
    {"flash_mbps", offsetof(xf_target, flash_mbps), 10000},
    {"clock_mhz", offsetof(xf_target, clock_mhz), 10000},
    {"tiles", offsetof(xf_target, tiles), 2 * XAI_XCORE_CHIPS_MAX},
    {"chips", offsetof(xf_target, chips), XAI_XCORE_CHIPS_MAX},
    {"tile_link_mbps", offsetof(xf_target, tile_link_mbps), 100000},
    {"chip_link_mbps", offsetof(xf_target, chip_link_mbps), 100000},
};

static xai_status set_key(xf_target *t, const char *key, const char *val,
                          const char *where, unsigned line, xai_error *err) {
  for (size_t i = 0; i < sizeof k_num_keys / sizeof k_num_keys[0]; i++) {
    if (strcmp(key, k_num_keys[i].key) != 0) continue;
    char *end;
    unsigned long v = strtoul(val, &end, 10);
    if (!isdigit((unsigned char)val[0]) || *end || v > k_num_keys[i].max)
      return xai_fail(err, XAI_ERR_ARGUMENT,
                      "%.200s line %u: %s = '%.40s' is not a whole number "
                      "from 0 to %u", where, line, key, val,
                      k_num_keys[i].max);
    *(uint32_t *)((char *)t + k_num_keys[i].offset) = (uint32_t)v;
    return XAI_OK;
  }
  int8_t *slot = !strcmp(key, "model_memory")    ? &t->model_memory
                 : !strcmp(key, "arena_memory")  ? &t->arena_memory
                 : !strcmp(key, "params_memory") ? &t->params_memory
                                                 : NULL;
  if (!slot)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "%.200s line %u: unknown key '%.40s'; keys are sram_kib, "
                    "firmware_kib, lpddr_mib, flash_mib, flash_mbps, "
                    "clock_mhz, tiles, chips, tile_link_mbps, chip_link_mbps, "
                    "model_memory, arena_memory, params_memory",
                    where, line, key);
  int m = mem_from_name(val);
  if (m < 0)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "%.200s line %u: %s = '%.40s'; use sram, lpddr or flash",
                    where, line, key, val);
  *slot = (int8_t)m;
  return XAI_OK;
}

/* Reads one token of letters, digits, '_' and '.' into out. */
static const char *token(const char *p, char *out, size_t cap) {
  size_t n = 0;
  while (*p && (isalnum((unsigned char)*p) || *p == '_' || *p == '.')) {
    if (n + 1 < cap) out[n++] = *p;
    p++;
  }
  out[n] = '\0';
  return p;
}

/* Accepts `key = value` lines with # comments, and flat JSON objects
 * ({"key": value, ...}): quotes, braces and commas are separators. */
xai_status xf_target_parse(xf_target *t, const char *text, const char *where,
                           xai_error *err) {
  unsigned line = 1, keys = 0;
  const char *p = text;
  while (*p) {
    if (*p == '\n') line++;
    if (*p == '#') {
      while (*p && *p != '\n') p++;
      continue;
    }
    if (isspace((unsigned char)*p) || strchr("{},\"", *p)) {
      p++;
      continue;
    }
    char key[32], val[32];
    const char *q = token(p, key, sizeof key);
    if (q == p)
      return xai_fail(err, XAI_ERR_ARGUMENT,
                      "%.200s line %u: unexpected '%c'; write key = value",
                      where, line, *p);
    p = q;
    while (*p == ' ' || *p == '\t' || *p == '"') p++;
    if (*p != '=' && *p != ':')
      return xai_fail(err, XAI_ERR_ARGUMENT,
                      "%.200s line %u: '%s' needs '= value'", where, line,
                      key);
    p++;
    while (*p == ' ' || *p == '\t' || *p == '"') p++;
    q = token(p, val, sizeof val);
    if (q == p)
      return xai_fail(err, XAI_ERR_ARGUMENT,
                      "%.200s line %u: '%s' has no value", where, line, key);
    p = q;
    xai_status st = set_key(t, key, val, where, line, err);
    if (st) return st;
    keys++;
  }
  if (!keys)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "%.200s sets nothing (no key = value line); give the "
                    "device's sram_kib, lpddr_mib, flash_mib, and for "
                    "--xcore-memory=custom model_memory and arena_memory",
                    where);
  return XAI_OK;
}

xai_status xf_target_load(xf_target *t, const char *path, xai_error *err) {
  uint8_t *data;
  size_t size;
  xai_status st = xai_file_read(path, &data, &size, err);
  if (st) return st;
  char *text = malloc(size + 1);
  if (!text) {
    free(data);
    return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  }
  memcpy(text, data, size);
  text[size] = '\0';
  free(data);
  st = xf_target_parse(t, text, path, err);
  free(text);
  return st;
}

/* ---- Choosing ------------------------------------------------------------ */

typedef struct {
  uint8_t model, arena, params;
  bool split;
} candidate;

static uint64_t budget(const xf_target *t, int mem) {
  switch (mem) {
  case XF_MEM_SRAM:
    return t->sram_kib > t->firmware_kib
               ? (uint64_t)(t->sram_kib - t->firmware_kib) * KIB : 0;
  case XF_MEM_LPDDR: return (uint64_t)t->lpddr_mib * MIB;
  default: return (uint64_t)t->flash_mib * MIB;
  }
}

uint64_t xf_target_budget(const xf_target *t, int mem) {
  return budget(t, mem);
}

/* Bytes each memory holds under c. movable_bytes is the params file size
 * (header and alignment included); the model shrinks by about as much. */
static void usage(const candidate *c, const xf_sizes *s, uint64_t use[3]) {
  use[0] = use[1] = use[2] = 0;
  uint64_t params = c->split ? s->movable_bytes : 0;
  use[c->model] += s->model_bytes > params ? s->model_bytes - params : 0;
  use[c->arena] += s->arena_bytes;
  use[c->params] += params;
}

/* Total bytes missing over the three memories (0: fits). */
static uint64_t shortfall(const xf_target *t, const candidate *c,
                          const xf_sizes *s, int *worst) {
  uint64_t use[3], miss = 0, most = 0;
  usage(c, s, use);
  for (int m = 0; m < 3; m++) {
    uint64_t b = budget(t, m);
    if (use[m] > b) {
      miss += use[m] - b;
      if (use[m] - b > most) {
        most = use[m] - b;
        if (worst) *worst = m;
      }
    }
  }
  return miss;
}

static void fill(const candidate *c, const xf_sizes *s, xf_placement *out) {
  uint64_t use[3];
  usage(c, s, use);
  memset(out, 0, sizeof *out);
  out->model = c->model;
  out->arena = c->arena;
  out->params = c->params;
  out->split = c->split;
  out->sram_bytes = (size_t)use[XF_MEM_SRAM];
  out->lpddr_bytes = (size_t)use[XF_MEM_LPDDR];
  out->flash_bytes = (size_t)use[XF_MEM_FLASH];
}

static void describe(const candidate *c, char *out, size_t cap) {
  snprintf(out, cap, "model in %s, arena in %s, params in %s",
           xf_mem_name(c->model), xf_mem_name(c->arena),
           c->split ? xf_mem_name(c->params) : "the model");
}

/* Fastest first: by the memory the weights stream from, then the arena. */
static const candidate k_auto_inside[] = {
    {XF_MEM_SRAM, XF_MEM_SRAM, XF_MEM_SRAM, false},
    {XF_MEM_LPDDR, XF_MEM_SRAM, XF_MEM_LPDDR, false},
    {XF_MEM_LPDDR, XF_MEM_LPDDR, XF_MEM_LPDDR, false},
};
static const candidate k_auto_split[] = {
    {XF_MEM_SRAM, XF_MEM_SRAM, XF_MEM_FLASH, true},
    {XF_MEM_SRAM, XF_MEM_LPDDR, XF_MEM_FLASH, true},
    {XF_MEM_LPDDR, XF_MEM_LPDDR, XF_MEM_FLASH, true},
};

/* Why nothing fits, and what would: more room in the short memory, a
 * params file, or LPDDR. */
static xai_status no_fit(const xf_target *t, const candidate *c,
                         const xf_sizes *s, const char *what,
                         xai_error *err) {
  int worst = XF_MEM_SRAM;
  uint64_t miss = shortfall(t, c, s, &worst);
  uint64_t use[3];
  usage(c, s, use);
  char desc[96], hint[200];
  describe(c, desc, sizeof desc);
  candidate fl = {XF_MEM_SRAM, XF_MEM_SRAM, XF_MEM_FLASH, true};
  xf_target with_lpddr = *t;
  with_lpddr.lpddr_mib = XAI_XCORE_LPDDR_BYTES_DEFAULT / (1024u * 1024u);
  candidate ext = {XF_MEM_LPDDR, XF_MEM_LPDDR, XF_MEM_LPDDR, false};
  if (!s->params_file && shortfall(t, &fl, s, NULL) == 0)
    snprintf(hint, sizeof hint,
             "add --xcore-flash-image-file=FILE to move %zu bytes of "
             "weights to flash", s->movable_bytes);
  else if (t->lpddr_mib == 0 && shortfall(&with_lpddr, &ext, s, NULL) == 0)
    snprintf(hint, sizeof hint,
             "the target has no LPDDR; a target with LPDDR (lpddr_mib in "
             "--target-config) would fit it with --xcore-memory=external");
  else
    snprintf(hint, sizeof hint,
             "raise %s in --target-config if the board has more, or use a "
             "smaller model",
             worst == XF_MEM_SRAM    ? "sram_kib (or lower firmware_kib)"
             : worst == XF_MEM_LPDDR ? "lpddr_mib"
                                     : "flash_mib");
  return xai_fail(err, XAI_ERR_NO_MEMORY,
                  "%s: the model does not fit the target (%s): %s needs "
                  "%llu bytes but has %llu (short by %llu; %llu missing in "
                  "all); %s",
                  what, desc, xf_mem_name(worst),
                  (unsigned long long)use[worst],
                  (unsigned long long)budget(t, worst),
                  (unsigned long long)(use[worst] - budget(t, worst)),
                  (unsigned long long)miss, hint);
}

xai_status xf_placement_choose(const xf_target *t, xai_xf_memory want,
                               const xf_sizes *s, xf_placement *out,
                               xai_error *err) {
  candidate c;
  const char *what = "--xcore-memory";
  switch (want) {
  case XAI_XF_MEMORY_AUTO: {
    const candidate *list = s->params_file ? k_auto_split : k_auto_inside;
    size_t n = s->params_file
                   ? sizeof k_auto_split / sizeof k_auto_split[0]
                   : sizeof k_auto_inside / sizeof k_auto_inside[0];
    size_t best = 0;
    uint64_t best_miss = UINT64_MAX;
    for (size_t i = 0; i < n; i++) {
      uint64_t miss = shortfall(t, &list[i], s, NULL);
      if (miss == 0) {
        fill(&list[i], s, out);
        return XAI_OK;
      }
      if (miss < best_miss) {
        best_miss = miss;
        best = i;
      }
    }
    return no_fit(t, &list[best], s, "--xcore-memory=auto", err);
  }
  case XAI_XF_MEMORY_INTERNAL:
    c = (candidate){XF_MEM_SRAM, XF_MEM_SRAM, XF_MEM_SRAM, s->params_file};
    what = "--xcore-memory=internal";
    break;
  case XAI_XF_MEMORY_EXTERNAL:
    c = (candidate){XF_MEM_LPDDR, XF_MEM_LPDDR, XF_MEM_LPDDR, s->params_file};
    what = "--xcore-memory=external";
    break;
  case XAI_XF_MEMORY_FLASH:
    if (!s->params_file)
      return xai_fail(err, XAI_ERR_ARGUMENT,
                      "--xcore-memory=flash keeps the weights in flash: it "
                      "needs --xcore-flash-image-file=FILE for them");
    c = (candidate){XF_MEM_SRAM, XF_MEM_SRAM, XF_MEM_FLASH, true};
    what = "--xcore-memory=flash";
    break;
  case XAI_XF_MEMORY_CUSTOM: {
    if (t->model_memory < 0 && t->arena_memory < 0 && t->params_memory < 0)
      return xai_fail(err, XAI_ERR_ARGUMENT,
                      "--xcore-memory=custom: the target config sets none of "
                      "model_memory, arena_memory, params_memory (sram, "
                      "lpddr or flash); add them to --target-config");
    c.model = t->model_memory >= 0 ? (uint8_t)t->model_memory : XF_MEM_SRAM;
    c.arena = t->arena_memory >= 0 ? (uint8_t)t->arena_memory : XF_MEM_SRAM;
    c.params = t->params_memory >= 0 ? (uint8_t)t->params_memory
               : s->params_file      ? XF_MEM_FLASH
                                     : c.model;
    c.split = s->params_file;
    what = "--xcore-memory=custom";
    if (c.model == XF_MEM_FLASH || c.arena == XF_MEM_FLASH)
      return xai_fail(err, XAI_ERR_ARGUMENT,
                      "%s: model_memory and arena_memory must be sram or "
                      "lpddr (the runtime reads the model and writes the "
                      "arena in place); only params_memory may be flash",
                      what);
    if (c.params != c.model && !s->params_file)
      return xai_fail(err, XAI_ERR_ARGUMENT,
                      "%s: params_memory = %s differs from model_memory = "
                      "%s; that needs --xcore-flash-image-file=FILE for the "
                      "params", what, xf_mem_name(c.params),
                      xf_mem_name(c.model));
    break;
  }
  default:
    return xai_fail(err, XAI_ERR_ARGUMENT, "--xcore-memory: unknown value %d",
                    (int)want);
  }
  if (shortfall(t, &c, s, NULL) == 0) {
    fill(&c, s, out);
    return XAI_OK;
  }
  xai_status st = no_fit(t, &c, s, what, err);
  /* Say whether auto would find a placement. */
  xf_placement alt;
  xai_error e2;
  if (want != XAI_XF_MEMORY_AUTO &&
      !xf_placement_choose(t, XAI_XF_MEMORY_AUTO, s, &alt, &e2)) {
    char msg[XAI_ERROR_MESSAGE_BYTES];
    snprintf(msg, sizeof msg, "%.330s; --xcore-memory=auto fits it (model "
             "in %s, arena in %s)", err ? err->message : "",
             xf_mem_name(alt.model), xf_mem_name(alt.arena));
    if (err) {
      xai_error_clear(err);
      xai_fail(err, st, "%s", msg);
    }
  }
  return st;
}
