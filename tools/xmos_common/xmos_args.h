/* Command-line parsing for the xmos_* tools: the options they share
 * (-h/--help, --device D, --timeout-ms N, --engine N where the tool has
 * engines) and one positional argument, with the tool's own options parsed
 * by a callback. Exit codes follow the tools: 0 after --help, 2 on a usage
 * error. */
#ifndef XAI_TOOLS_XMOS_ARGS_H
#define XAI_TOOLS_XMOS_ARGS_H

#include <stdio.h>

#include "xai/host.h"

enum {
  XMOS_ARGS_OK = -1,    /* parsed: run the tool */
  XMOS_ARG_OTHER = -2,  /* (callback) not one of the tool's options */
};

/* The tool's own option `opt` with its value (the next argument, NULL
 * when opt is the last): returns XMOS_ARGS_OK when it took both, else
 * XMOS_ARG_OTHER, or an exit code after printing why. */
typedef int (*xmos_args_option_fn)(void *user, const char *opt,
                                   const char *value);

typedef struct {
  const char *tool;      /* program name, for messages */
  void (*usage)(FILE *); /* prints the tool's usage */
  int has_engine;        /* the tool takes --engine */
  xmos_args_option_fn option; /* the tool's own options, or NULL */
  void *user;            /* for option */
  int path_optional;     /* the positional argument may be left out */
  /* Results. */
  const char *device;    /* --device, NULL for the default */
  unsigned long timeout_ms, engine;
  const char *path;      /* the positional argument (the first) */
  /* More than one positional argument: when paths is set, up to max_paths
   * of them are stored there (path is paths[0]). */
  const char **paths;
  unsigned max_paths, path_count;
} xmos_args;

/* Parses argv into a: XMOS_ARGS_OK, or the exit code to return (0 after
 * --help; 2 after a message and the usage for an unexpected argument, a
 * missing positional argument, or a bad --engine: not a whole number from
 * 0 to 255). */
int xmos_args_parse(xmos_args *a, int argc, char **argv);

/* "LO,HI": two finite numbers with LO < HI and nothing else. Returns 0,
 * or -1 for anything else ("1,2x", "nan,1", "-inf,inf", "1"). */
int xmos_parse_range(const char *s, float *lo, float *hi);

/* xai_host_connect with the parsed --device and --timeout-ms; when the
 * device was held by another client, says by whom on stderr. */
xai_status xmos_args_connect(const xmos_args *a, xai_host_device **dev,
                             xai_error *err);

#endif
