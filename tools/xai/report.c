/* `xai report MODEL -o FILE.html [--params FILE] [--clock-mhz N]
 * [--json FILE]`: the report of an optimised model as one self-contained
 * HTML page (the page `xformer --report-html` writes), from the runtime's
 * modelled costs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "xai/xformer.h"

static int usage(FILE *f, int status) {
  fprintf(f,
          "usage: xai report MODEL -o FILE.html [--params FILE] "
          "[--clock-mhz N] [--json FILE]\n"
          "Writes the per-layer report of an optimised model (xformer "
          "output) as one HTML page:\ntime bars with utilisation, arena over "
          "the schedule, memory map, weight loads.\n"
          "  -o FILE          the HTML page (written atomically)\n"
          "  --params FILE    the model's params file (xformer "
          "--xcore-flash-image-file)\n"
          "  --clock-mhz N    device clock for the times, 100 to 1000 "
          "(default 800)\n"
          "  --json FILE      also the report as JSON (as xformer "
          "--report-json)\n");
  return status;
}

int xai_cmd_report(int argc, char **argv) {
  const char *model_path = NULL, *out = NULL, *params_path = NULL,
             *json = NULL, *clock = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char **slot = !strcmp(a, "-o") || !strcmp(a, "--output") ? &out
                        : !strcmp(a, "--params")                   ? &params_path
                        : !strcmp(a, "--json")                     ? &json
                        : !strcmp(a, "--clock-mhz")                ? &clock
                                                                   : NULL;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) return usage(stdout, 0);
    if (slot) {
      if (i + 1 >= argc) {
        fprintf(stderr, "xai report: %s needs a value\n", a);
        return 2;
      }
      *slot = argv[++i];
    } else if (a[0] == '-') {
      fprintf(stderr, "xai report: unknown option '%s' (see --help)\n", a);
      return 2;
    } else if (model_path) {
      fprintf(stderr, "xai report: more than one model given\n");
      return 2;
    } else {
      model_path = a;
    }
  }
  if (!model_path || !out) return usage(stderr, 2);
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  xai_error err = {0};
  if (clock && xai_xformer_set_option(&o, "xcore-clock-mhz", clock, &err)) {
    fprintf(stderr, "xai report: --clock-mhz '%s': must be a whole number "
            "from 100 to 1000\n", clock);
    return 2;
  }
  uint8_t *model = NULL, *params = NULL;
  size_t model_size = 0, params_size = 0;
  int status = 1;
  xai_xformer_report rep = {0};
  if (xai_file_read(model_path, &model, &model_size, &err) ||
      (params_path &&
       xai_file_read(params_path, &params, &params_size, &err))) {
    fprintf(stderr, "xai report: %s\n", err.message);
    goto done;
  }
  if (xai_xformer_report_model(model, model_size, params, params_size, &o,
                               &rep, &err)) {
    fprintf(stderr, "xai report: %s: %s\n", model_path, err.message);
    goto done;
  }
  const char *base = strrchr(model_path, '/');
  if (xai_xformer_report_write_html(&rep, base ? base + 1 : model_path, out,
                                    &err) ||
      (json && xai_xformer_report_write_json(&rep, json, &err))) {
    fprintf(stderr, "xai report: %s\n", err.message);
    goto done;
  }
  printf("wrote %s: %u layers, %.3f ms\n", out, (unsigned)rep.layer_count,
         rep.ms);
  status = 0;
done:
  xai_xformer_report_free(&rep);
  xai_file_free(model);
  xai_file_free(params);
  return status;
}
