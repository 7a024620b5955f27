/* `xformer MODEL -o OUT.tflite --xcore-tiles N --xcore-pipeline`: the layer
 * pipeline's stage models as files (docs/multitile.md, mode b), one per
 * tile, for `xmos_send_model OUT.stage*.tflite` (stage k on engine k) and
 * `xmos_infer --pipeline N`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xai/xcore_machine.h"
#include "xformer_internal.h"

xai_status xai_xformer_stage_path(const char *output, uint32_t k, char *buf,
                                  size_t cap, xai_error *err) {
  size_t n = strlen(output);
  const char *ext = ".tflite";
  size_t e = strlen(ext);
  bool has_ext = n > e && !strcmp(output + n - e, ext);
  int w = snprintf(buf, cap, "%.*s.stage%u%s", (int)(has_ext ? n - e : n),
                   output, k, has_ext ? ext : "");
  if (w < 0 || (size_t)w >= cap)
    return xai_fail(err, XAI_ERR_ARGUMENT, "output name too long for the "
                    "stage files (%zu characters)", n);
  return XAI_OK;
}

static xai_status check_options(const xai_xformer_options *o,
                                uint32_t *stages, xai_error *err) {
  if (!o->output)
    return xai_fail(err, XAI_ERR_ARGUMENT, "no output file: give -o "
                    "OUT.tflite (the stages go to OUT.stage0.tflite ...)");
  const char *other = o->params_file  ? "--xcore-flash-image-file"
                      : o->emit_c_dir ? "--emit-c"
                      : o->report_html ? "--report-html"
                      : o->report_json ? "--report-json"
                                       : NULL;
  if (other)
    return xai_fail(err, XAI_ERR_ARGUMENT, "--xcore-pipeline writes stage "
                    "models that hold their weights, one per tile; it does "
                    "not take %s", other);
  xf_target t;
  xf_target_default(&t);
  xai_status st = o->target_config ? xf_target_load(&t, o->target_config, err)
                                   : XAI_OK;
  if (!st) st = xf_target_tiles(o, &t, err);
  if (st) return st;
  if (t.tiles < 2)
    return xai_fail(err, XAI_ERR_ARGUMENT, "--xcore-pipeline puts one stage "
                    "on each tile: give --xcore-tiles 2 or more (or "
                    "--xcore-chips N for 2 per chip)");
  *stages = t.tiles;
  return XAI_OK;
}

xai_status xai_xformer_pipeline_file(const char *in_path,
                                     const xai_xformer_options *o,
                                     xai_xformer_stages *out,
                                     xai_error *err) {
  xai_error_clear(err);
  xai_xformer_stages local;
  xai_xformer_stages *s = out ? out : &local;
  memset(s, 0, sizeof *s);
  uint32_t stages = 0;
  xai_status st = check_options(o, &stages, err);
  if (st) return st;
  char path[1024];
  for (uint32_t k = 0; !st && k < stages; k++)
    st = xai_xformer_stage_path(o->output, k, path, sizeof path, err);
  uint8_t *in = NULL;
  size_t in_size = 0;
  if (!st) st = xai_file_read(in_path, &in, &in_size, err);
  if (!st) {
    xai_xformer_options so = *o;
    so.tiles = so.chips = 0;
    st = xai_xformer_pipeline(in, in_size, &so, stages, s, err);
    if (st) {
      char msg[XAI_ERROR_MESSAGE_BYTES];
      snprintf(msg, sizeof msg, "%s", err->message);
      xai_error_clear(err);
      xai_fail(err, st, "%.200s: %s", in_path, msg);
    }
  }
  /* Every stage compiled before any file is written. */
  for (uint32_t k = 0; !st && k < s->count; k++) {
    xai_xformer_stage_path(o->output, k, path, sizeof path, err);
    st = xai_file_write_atomic(path, s->model[k], s->size[k], err);
  }
  xai_file_free(in);
  if (s == &local || st) xai_xformer_stages_free(s);
  return st;
}

void xai_xformer_stages_print(const xai_xformer_stages *s,
                              const char *output, FILE *f) {
  const double ms = 1000.0 / (double)XAI_XCORE_REF_TIMER_HZ;
  fprintf(f, "Layer pipeline: %u stages, one per tile, stage k on engine "
          "(tile) k\n", s->count);
  fprintf(f, "  stage  first op  compute ms  arena bytes  receives bytes "
          "(link ms)  model bytes  file\n");
  for (uint32_t k = 0; k < s->count; k++) {
    char path[1024];
    xai_error e;
    if (xai_xformer_stage_path(output, k, path, sizeof path, &e)) path[0] = 0;
    fprintf(f, "  %5u  %8u  %10.3f  %11zu  %14llu (%.3f)  %11zu  %s\n", k,
            s->first_op[k], (double)s->ticks[k] * ms, s->arena_bytes[k],
            (unsigned long long)s->in_bytes[k],
            (double)s->link_in_ticks[k] * ms, s->size[k], path);
  }
  fprintf(f, "  step %.3f ms (slowest stage with its links): %.0f "
          "inferences/s; latency %.3f ms\n", (double)s->step_ticks * ms,
          s->per_s, (double)s->latency_ticks * ms);
  fprintf(f, "Load: xmos_send_model");
  for (uint32_t k = 0; k < s->count; k++) {
    char path[1024];
    xai_error e;
    if (!xai_xformer_stage_path(output, k, path, sizeof path, &e))
      fprintf(f, " %s", path);
  }
  fprintf(f, "\nRun:  xmos_infer --pipeline %u --input STREAM --output OUT\n",
          s->count);
}
