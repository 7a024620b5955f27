/* The xmos_* tools' command-line parsing (xmos_args.h). */
#include "xmos_args.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* argv[*i] as a shared option: XMOS_ARGS_OK when taken (with its value:
 * *i advanced), XMOS_ARG_OTHER, or an exit code. */
static int shared_option(xmos_args *a, int argc, char **argv, int *i) {
  const char *arg = argv[*i];
  if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
    a->usage(stdout);
    return 0;
  }
  if (*i + 1 >= argc) return XMOS_ARG_OTHER;
  if (strcmp(arg, "--device") == 0) {
    a->device = argv[++*i];
  } else if (strcmp(arg, "--timeout-ms") == 0) {
    /* A whole number of ms, 1 ms .. 1 hour: "abc" or "-1" is a typo. */
    const char *v = argv[++*i];
    char *end;
    a->timeout_ms = strtoul(v, &end, 10);
    if (v[0] < '0' || v[0] > '9' || *end || a->timeout_ms < 1 ||
        a->timeout_ms > 3600000) {
      fprintf(stderr, "%s: bad --timeout-ms '%s' (a whole number of "
              "milliseconds, 1..3600000)\n", a->tool, v);
      return 2;
    }
  } else if (a->has_engine && strcmp(arg, "--engine") == 0) {
    /* Engines are a byte on the wire; "1x" is a typo, not engine 1. */
    char *end;
    const char *v = argv[++*i];
    a->engine = strtoul(v, &end, 10);
    if (v[0] < '0' || v[0] > '9' || *end || a->engine > 255) {
      fprintf(stderr, "%s: bad --engine '%s'\n", a->tool, argv[*i]);
      return 2;
    }
  } else {
    return XMOS_ARG_OTHER;
  }
  return XMOS_ARGS_OK;
}

int xmos_args_parse(xmos_args *a, int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    int rc = shared_option(a, argc, argv, &i);
    if (rc == XMOS_ARG_OTHER && a->option) {
      rc = a->option(a->user, arg, i + 1 < argc ? argv[i + 1] : NULL);
      if (rc == XMOS_ARGS_OK) i++;
    }
    if (rc != XMOS_ARG_OTHER) {
      if (rc != XMOS_ARGS_OK) return rc;
      continue;
    }
    bool more = a->paths && a->path_count < a->max_paths;
    if (arg[0] == '-' || (a->path && !more)) {
      fprintf(stderr, "%s: unexpected argument '%s'\n", a->tool, arg);
      a->usage(stderr);
      return 2;
    }
    if (a->paths) a->paths[a->path_count++] = arg;
    if (!a->path) a->path = arg;
  }
  if (!a->path && !a->path_optional) {
    a->usage(stderr);
    return 2;
  }
  return XMOS_ARGS_OK;
}

xai_status xmos_args_connect(const xmos_args *a, xai_host_device **dev,
                             xai_error *err) {
  xai_status st =
      xai_host_connect(dev, a->device, (uint32_t)a->timeout_ms, err);
  if (st == XAI_OK && xai_host_wait_note(*dev)[0])
    fprintf(stderr, "%s: note: %s\n", a->tool, xai_host_wait_note(*dev));
  return st;
}

int xmos_parse_range(const char *s, float *lo, float *hi) {
  char *end;
  float a = strtof(s, &end);
  if (end == s || *end != ',') return -1;
  const char *t = end + 1;
  float b = strtof(t, &end);
  if (end == t || *end || !isfinite(a) || !isfinite(b) || !(b > a)) return -1;
  *lo = a;
  *hi = b;
  return 0;
}
