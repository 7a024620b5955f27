/* `xmos_timings [--format text|json|csv] [--device D] [--engine N]
 *               [--timeout-ms N]`
 * Prints the per-layer times of the last inference on the engine
 * (GET_TIMINGS; nothing is run): index, op, device ticks (100 MHz timer)
 * and milliseconds, and the total. text for reading, json and csv for
 * scripts. Exit 0 on success, 1 on a failure, 2 on a usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xai/host.h"
#include "xmos_args.h"

#define MAX_LAYERS 4096

static void usage(FILE *out) {
  fprintf(out,
          "usage: xmos_timings [--format text|json|csv] [--device D] "
          "[--engine N] [--timeout-ms N]\n"
          "Prints the last inference's per-layer times (run one with "
          "xmos_infer or xmos_classify).\n"
          "  --format F  text (default), json or csv\n"
          "  --device D  emu:PATH, usb, usb:BUS:ADDR or spi:/dev/spidevB.C\n"
          "  --engine N  model slot (default 0)\n");
}

enum { TEXT, JSON, CSV };

static int timings_option(void *user, const char *opt, const char *value) {
  int *format = user;
  if (!value || strcmp(opt, "--format") != 0) return XMOS_ARG_OTHER;
  if (!strcmp(value, "text")) *format = TEXT;
  else if (!strcmp(value, "json")) *format = JSON;
  else if (!strcmp(value, "csv")) *format = CSV;
  else {
    fprintf(stderr, "xmos_timings: --format must be text, json or csv\n");
    return 2;
  }
  return XMOS_ARGS_OK;
}

/* Op names are identifiers on every device we know; anything else is
 * written escaped (JSON) or quoted (CSV). */
static void json_string(const char *s) {
  putchar('"');
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') printf("\\%c", c);
    else if (c < 0x20) printf("\\u%04x", c);
    else putchar(c);
  }
  putchar('"');
}

static void csv_field(const char *s) {
  if (!strpbrk(s, ",\"\n")) {
    fputs(s, stdout);
    return;
  }
  putchar('"');
  for (; *s; s++) {
    if (*s == '"') putchar('"');
    putchar(*s);
  }
  putchar('"');
}

static void print_times(int format, unsigned long engine,
                        const xai_proto_layer_timing *l, uint32_t n) {
  uint64_t total = 0;
  for (uint32_t i = 0; i < n; i++) total += l[i].ticks;
  const double ms = 100000.0; /* ticks per ms */
  if (format == JSON) {
    printf("{\"engine\": %lu, \"layer_count\": %u, \"total_ticks\": %llu, "
           "\"total_ms\": %.5f, \"layers\": [", engine, n,
           (unsigned long long)total, (double)total / ms);
    for (uint32_t i = 0; i < n; i++) {
      printf("%s\n  {\"index\": %u, \"op\": ", i ? "," : "", i);
      json_string(l[i].op);
      printf(", \"ticks\": %llu, \"ms\": %.5f}",
             (unsigned long long)l[i].ticks, (double)l[i].ticks / ms);
    }
    printf("\n]}\n");
  } else if (format == CSV) {
    printf("index,op,ticks,ms\n");
    for (uint32_t i = 0; i < n; i++) {
      printf("%u,", i);
      csv_field(l[i].op);
      printf(",%llu,%.5f\n", (unsigned long long)l[i].ticks,
             (double)l[i].ticks / ms);
    }
  } else {
    printf("engine %lu: %u layers, %.3f ms\n", engine, n, (double)total / ms);
    for (uint32_t i = 0; i < n; i++)
      printf("  %3u %-28s %10llu ticks %9.3f ms\n", i, l[i].op,
             (unsigned long long)l[i].ticks, (double)l[i].ticks / ms);
  }
}

int main(int argc, char **argv) {
  int format = TEXT;
  xmos_args args = {.tool = "xmos_timings", .usage = usage, .has_engine = 1,
                    .option = timings_option, .user = &format,
                    .path_optional = 1};
  int parsed = xmos_args_parse(&args, argc, argv);
  if (parsed != XMOS_ARGS_OK) return parsed;
  if (args.path) {
    fprintf(stderr, "xmos_timings: unexpected argument '%s'\n", args.path);
    usage(stderr);
    return 2;
  }
  xai_error err;
  xai_host_device *dev = NULL;
  if (xmos_args_connect(&args, &dev,
                       &err) != XAI_OK) {
    fprintf(stderr, "xmos_timings: %s\n", err.message);
    return 1;
  }
  int rc = 1;
  xai_proto_layer_timing *layers = malloc(MAX_LAYERS * sizeof *layers);
  uint32_t n = 0;
  if (!layers) {
    fprintf(stderr, "xmos_timings: out of memory\n");
  } else if (xai_host_read_times(dev, (uint8_t)args.engine, layers,
                                 MAX_LAYERS, &n, &err) != XAI_OK) {
    fprintf(stderr, "xmos_timings: %s\n", err.message);
  } else if (n == 0) {
    fprintf(stderr, "xmos_timings: engine %lu has no timings: no inference "
            "has run since its model was loaded (xmos_infer or "
            "xmos_classify runs one)\n", args.engine);
  } else {
    print_times(format, args.engine, layers, n);
    rc = 0;
  }
  free(layers);
  xai_host_close(dev);
  return rc;
}
