/* `xformer MODEL.tflite -o OUT.tflite [options]`: compiles an int8 TFLite
 * model for xcore.ai and prints the per-layer report. Every output is
 * written through a temporary file and a rename, so a failure leaves no
 * partial file; errors are one line on stderr and exit status 1 (2 for
 * usage errors). */
#include <stdio.h>
#include <string.h>

#include "xai/xformer.h"

int main(int argc, char **argv) {
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  xai_error err = {0};
  const char *input = NULL;
  if (xai_xformer_parse_args(&o, argc - 1, (const char *const *)argv + 1,
                             &input, &err) != XAI_OK) {
    fprintf(stderr, "xformer: error: %s\n", err.message);
    return 2;
  }
  if (o.help) {
    xai_xformer_print_help(stdout, "xformer");
    return 0;
  }
  if (!input) {
    fprintf(stderr, "xformer: error: no input model; usage: xformer "
                    "MODEL.tflite -o OUT.tflite [options] (see --help)\n");
    return 2;
  }
  if (!o.output) {
    fprintf(stderr, "xformer: error: no output file; give -o OUT.tflite\n");
    return 2;
  }
  if (o.pipeline) {
    xai_xformer_stages stages;
    if (xai_xformer_pipeline_file(input, &o, &stages, &err) != XAI_OK) {
      fprintf(stderr, "xformer: error: %s\n", err.message);
      return 1;
    }
    if (!o.quiet) xai_xformer_stages_print(&stages, o.output, stdout);
    xai_xformer_stages_free(&stages);
    return 0;
  }
  xai_xformer_report rep;
  if (xai_xformer_file(input, NULL, &o, &rep, &err) != XAI_OK) {
    fprintf(stderr, "xformer: error: %s\n", err.message);
    return 1;
  }
  if (!o.quiet) {
    xai_xformer_report_print(&rep, stdout);
    printf("wrote %s%s%s\n", o.output, o.params_file && rep.params_bytes
           ? " and " : "", o.params_file && rep.params_bytes ? o.params_file
           : "");
  }
  xai_xformer_report_free(&rep);
  return 0;
}
