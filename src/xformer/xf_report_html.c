/* The report as one self-contained HTML page (`xformer --report-html`,
 * `xai report`): totals, per-layer time bars coloured by utilisation, the
 * arena in use over the schedule, the memory map per region and the weight
 * loads with how much of them prefetch hides. Inline CSS and SVG only, so
 * the file opens anywhere, offline. */
#include <inttypes.h>
#include <string.h>

#include "xai/xcore_machine.h"
#include "xformer_internal.h"

/* Where the placement string (xformer.c) puts one of model/arena/params:
 * "sram", "lpddr" or "flash"; "" when the report has no placement. */
static void placed(const char *placement, const char *what, char *out,
                   size_t cap) {
  out[0] = '\0';
  const char *p = strstr(placement, what);
  if (!p) return;
  p += strlen(what);
  size_t n = 0;
  while (p[n] && p[n] != ' ' && n + 1 < cap) n++;
  memcpy(out, p, n);
  out[n] = '\0';
}

/* Green at full VPU utilisation to red at none. */
static void util_colour(double u, char *out, size_t cap) {
  if (u < 0) u = 0;
  if (u > 1) u = 1;
  snprintf(out, cap, "hsl(%d,65%%,45%%)", (int)(u * 120.0));
}

static void put_style(xf_text *b) {
  xf_text_put(b,
      "<style>\n"
      "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;"
      "background:#fff}\n"
      "h1{font-size:20px}h2{font-size:16px;margin-top:28px}\n"
      "table{border-collapse:collapse}td,th{padding:2px 8px;text-align:right;"
      "border-bottom:1px solid #eee;white-space:nowrap}\n"
      "td.l,th.l{text-align:left}.bar{height:12px;background:#4a7}\n"
      ".note{color:#777;font-size:12px;white-space:normal;text-align:left}\n"
      ".totals td{text-align:left}.region{margin:6px 0}\n"
      ".seg{display:inline-block;height:22px;color:#fff;font-size:11px;"
      "overflow:hidden;vertical-align:top;line-height:22px;text-indent:4px}\n"
      ".frame{border:1px solid #999;width:720px;background:#f4f4f4}\n"
      "</style>\n");
}

static void put_totals(xf_text *b, const xai_xformer_report *r) {
  xf_text_put(b,
      "<table class=\"totals\">\n"
      "<tr><td>device time</td><td><b>%.3f ms</b> (%" PRIu64 " ticks at "
      "%" PRIu32 " MHz, %u threads)</td></tr>\n"
      "<tr><td>layers</td><td>%" PRIu32 "</td></tr>\n"
      "<tr><td>MACs</td><td>%" PRIu64 " (MAC efficiency %.1f%% of the VPU "
      "peak)</td></tr>\n"
      "<tr><td>arena</td><td>%zu bytes (greedy plan %zu)</td></tr>\n"
      "<tr><td>model</td><td>%zu bytes</td></tr>\n"
      "<tr><td>params</td><td>%zu bytes in %" PRIu32 " tensors, %" PRIu32
      " load ops</td></tr>\n",
      r->ms, r->ticks, r->clock_mhz, r->thread_count, r->layer_count, r->macs,
      100.0 * r->mac_efficiency, r->arena_bytes, r->greedy_arena_bytes,
      r->model_bytes, r->params_bytes, r->params_tensors_moved,
      r->params_load_ops);
  if (r->placement[0]) {
    xf_text_put(b, "<tr><td>placement</td><td>");
    xf_text_html(b, r->placement);
    xf_text_put(b, "</td></tr>\n");
  }
  xf_text_put(b, "</table>\n");
}

static void put_layers(xf_text *b, const xai_xformer_report *r) {
  uint64_t max_ticks = 1;
  for (uint32_t i = 0; i < r->layer_count; i++)
    if (r->layers[i].ticks > max_ticks) max_ticks = r->layers[i].ticks;
  xf_text_put(b,
      "<h2>Layers</h2>\n<table id=\"layers\">\n<tr><th>#</th><th class=\"l\">"
      "op</th><th class=\"l\">kernel</th><th class=\"l\">time</th><th>ms</th>"
      "<th>util</th><th>MACs</th><th>thr</th><th>arena</th>"
      "<th class=\"l\">note</th></tr>\n");
  for (uint32_t i = 0; i < r->layer_count; i++) {
    const xai_xformer_layer *l = &r->layers[i];
    char colour[32];
    util_colour(l->utilisation, colour, sizeof colour);
    if (!l->macs) snprintf(colour, sizeof colour, "#999"); /* data movement */
    double w = 240.0 * (double)l->ticks / (double)max_ticks;
    xf_text_put(b, "<tr class=\"layer\"><td>%" PRIu32 "</td><td class=\"l\">",
                l->index);
    xf_text_html(b, l->op);
    xf_text_put(b, "</td><td class=\"l\">");
    xf_text_html(b, l->kernel);
    xf_text_put(b,
        "</td><td class=\"l\"><div class=\"bar\" style=\"width:%.1fpx;"
        "background:%s\" title=\"%" PRIu64 " ticks\"></div></td>"
        "<td>%.3f</td><td>%.0f%%</td><td>%" PRIu64 "</td><td>%" PRIu32
        "</td><td>%zu</td><td class=\"note\">",
        w < 1 ? 1.0 : w, colour, l->ticks, l->ms, 100.0 * l->utilisation,
        l->macs, l->threads, l->arena_in_use);
    xf_text_html(b, l->note);
    xf_text_put(b, "</td></tr>\n");
  }
  xf_text_put(b, "</table>\n<p class=\"note\">Bar length: modelled time; "
                 "colour: VPU utilisation (green = peak, red = none; grey: no MACs, data "
                 "movement).</p>\n");
}

/* Arena in use per layer as SVG bars, with the planned arena as a line. */
static void put_arena(xf_text *b, const xai_xformer_report *r) {
  size_t peak = r->arena_bytes ? r->arena_bytes : 1;
  for (uint32_t i = 0; i < r->layer_count; i++)
    if (r->layers[i].arena_in_use > peak) peak = r->layers[i].arena_in_use;
  const double w = 720, h = 160;
  double bw = r->layer_count ? w / r->layer_count : w;
  xf_text_put(b,
      "<h2>Arena in use over the schedule</h2>\n<svg id=\"arena\" width=\"%.0f\""
      " height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
      "xmlns=\"http://www.w3.org/2000/svg\">\n"
      "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#f4f4f4\"/>\n",
      w, h + 20, w, h + 20, w, h);
  for (uint32_t i = 0; i < r->layer_count; i++) {
    double bh = h * (double)r->layers[i].arena_in_use / (double)peak;
    xf_text_put(b,
        "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
        "fill=\"#58a\"><title>layer %" PRIu32 ": %zu bytes</title></rect>\n",
        i * bw, h - bh, bw > 2 ? bw - 1 : bw, bh, r->layers[i].index,
        r->layers[i].arena_in_use);
  }
  double y = h - h * (double)r->arena_bytes / (double)peak;
  xf_text_put(b,
      "<line x1=\"0\" x2=\"%.0f\" y1=\"%.2f\" y2=\"%.2f\" stroke=\"#c33\" "
      "stroke-dasharray=\"4 3\"/>\n<text x=\"4\" y=\"%.0f\" font-size=\"12\">"
      "planned arena %zu bytes (head and tail); bars: buffers live at each "
      "layer</text>\n</svg>\n",
      w, y, y, h + 16, r->arena_bytes);
}

typedef struct {
  const char *label, *colour;
  size_t bytes;
} segment;

static void put_region(xf_text *b, const char *name, size_t capacity,
                       const segment *segs, int n) {
  size_t used = 0;
  for (int i = 0; i < n; i++) used += segs[i].bytes;
  xf_text_put(b, "<div class=\"region\"><b>%s</b>: %zu of %zu bytes%s<br>"
                 "<div class=\"frame\">", name, used, capacity,
              used > capacity ? " <b style=\"color:#c33\">(over)</b>" : "");
  for (int i = 0; i < n; i++) {
    if (!segs[i].bytes) continue;
    double w = 720.0 * (double)segs[i].bytes /
               (double)(capacity > used ? capacity : used);
    xf_text_put(b, "<span class=\"seg\" style=\"width:%.1fpx;background:%s\" "
                   "title=\"%s %zu bytes\">%s</span>",
                w < 1 ? 1.0 : w, segs[i].colour, segs[i].label, segs[i].bytes,
                segs[i].label);
  }
  xf_text_put(b, "</div></div>\n");
}

static void put_memory_map(xf_text *b, const xai_xformer_report *r) {
  char model[16], arena[16], params[16];
  placed(r->placement, "model=", model, sizeof model);
  placed(r->placement, "arena=", arena, sizeof arena);
  placed(r->placement, "params=", params, sizeof params);
  bool known = model[0] != '\0';
  if (!known) { /* an optimised model read back: the runtime's default */
    snprintf(model, sizeof model, "sram");
    snprintf(arena, sizeof arena, "sram");
    snprintf(params, sizeof params, "%s", r->params_bytes ? "flash" : "sram");
  }
  static const char *const k_regions[] = {"sram", "lpddr", "flash"};
  xf_text_put(b, "<h2>Memory map</h2>\n");
  if (!known)
    xf_text_put(b, "<p class=\"note\">The model records no placement: shown "
                   "as loaded by default (model and arena in SRAM, params in "
                   "flash).</p>\n");
  for (int k = 0; k < 3; k++) {
    segment segs[4];
    int n = 0;
    if (k == 0)
      segs[n++] = (segment){"firmware", "#888",
                            XAI_XCORE_FIRMWARE_BYTES_PER_TILE};
    if (!strcmp(model, k_regions[k]))
      segs[n++] = (segment){"model", "#a63", r->model_bytes};
    if (!strcmp(arena, k_regions[k]))
      segs[n++] = (segment){"arena", "#58a", r->arena_bytes};
    if (r->params_bytes && !strcmp(params, k_regions[k]))
      segs[n++] = (segment){"params", "#7a4", r->params_bytes};
    if (k > 0 && n == 0) continue;
    size_t cap = k == 0 ? XAI_XCORE_SRAM_BYTES_PER_TILE
               : k == 1 ? XAI_XCORE_LPDDR_BYTES_DEFAULT
                        : XAI_XCORE_FLASH_BYTES_MAX;
    put_region(b, k == 0 ? "SRAM, tile 0" : k == 1 ? "LPDDR" : "flash", cap,
               segs, n);
  }
}

static void put_loads(xf_text *b, const xai_xformer_report *r) {
  if (!r->params_load_ops) return;
  uint64_t total = r->load_hidden_ticks;
  for (uint32_t i = 0; i < r->layer_count; i++)
    if (!strcmp(r->layers[i].op, "XAI_load_weights"))
      total += r->layers[i].ticks;
  xf_text_put(b,
      "<h2>Weight loads</h2>\n<p id=\"loads\">%" PRIu32 " load ops move %zu "
      "bytes per inference: %" PRIu64 " ticks of transfer, %" PRIu64
      " (%.0f%%) hidden under compute by prefetch (%" PRIu32 " loads "
      "prefetched).</p>\n<table><tr><th>#</th><th class=\"l\">exposed time"
      "</th><th>ms</th><th class=\"l\">note</th></tr>\n",
      r->params_load_ops, r->params_bytes, total, r->load_hidden_ticks,
      total ? 100.0 * (double)r->load_hidden_ticks / (double)total : 0.0,
      r->params_prefetched);
  for (uint32_t i = 0; i < r->layer_count; i++) {
    const xai_xformer_layer *l = &r->layers[i];
    if (strcmp(l->op, "XAI_load_weights")) continue;
    xf_text_put(b, "<tr><td>%" PRIu32 "</td><td class=\"l\">%" PRIu64
                   " ticks</td><td>%.3f</td><td class=\"note\">",
                l->index, l->ticks, l->ms);
    xf_text_html(b, l->note);
    xf_text_put(b, "</td></tr>\n");
  }
  xf_text_put(b, "</table>\n");
}

xai_status xai_xformer_report_write_html(const xai_xformer_report *r,
                                         const char *title, const char *path,
                                         xai_error *err) {
  xai_error_clear(err);
  xf_text b = {0};
  xf_text_put(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
                  "charset=\"utf-8\"><title>xai report: ");
  xf_text_html(&b, title ? title : "model");
  xf_text_put(&b, "</title>\n");
  put_style(&b);
  xf_text_put(&b, "</head>\n<body data-layers=\"%" PRIu32 "\">\n<h1>",
              r->layer_count);
  xf_text_html(&b, title ? title : "model");
  xf_text_put(&b, " on xcore.ai</h1>\n");
  put_totals(&b, r);
  put_layers(&b, r);
  put_arena(&b, r);
  put_memory_map(&b, r);
  put_loads(&b, r);
  xf_text_put(&b, "</body></html>\n");
  return xf_text_write(&b, path, "report HTML", err);
}
