/* The C ABI the Python module xmos_ai_xformer loads with ctypes: one call
 * that compiles a model held in memory, with options as command-line
 * arguments, and one that frees what it returned. Plain types only, so
 * ctypes needs no struct layouts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xai/xformer.h"

#if defined(__GNUC__)
#define XAI_PY_EXPORT __attribute__((visibility("default")))
#else
#define XAI_PY_EXPORT
#endif

XAI_PY_EXPORT int xai_py_xformer(const uint8_t *model, size_t model_size,
                                 const char *const *argv, int argc,
                                 uint8_t **out, size_t *out_size, char *err_msg,
                                 size_t err_size);
XAI_PY_EXPORT void xai_py_free(void *p);

/* Returns 0 on success, else the xai_status, with the message in err_msg.
 * Files named by -o / --xcore-flash-image-file / --report-json are
 * written too, each atomically. */
int xai_py_xformer(const uint8_t *model, size_t model_size,
                   const char *const *argv, int argc, uint8_t **out,
                   size_t *out_size, char *err_msg, size_t err_size) {
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  xai_error err = {0};
  *out = NULL;
  *out_size = 0;
  if (err_size) err_msg[0] = '\0';
  xai_status st = xai_xformer_parse_args(&o, argc, argv, NULL, &err);
  if (st == XAI_OK && o.help)
    st = xai_fail(&err, XAI_ERR_ARGUMENT,
                  "help is not an option here: see help(xmos_ai_xformer)");
  /* The model buffer must be 4-byte aligned for the zero-copy reader;
   * bytes objects from Python give no such promise. */
  uint8_t *copy = NULL;
  if (st == XAI_OK) {
    copy = aligned_alloc(16, (model_size + 15u) & ~(size_t)15u);
    if (!copy && model_size)
      st = xai_fail(&err, XAI_ERR_NO_MEMORY, "out of memory");
    else if (model_size)
      memcpy(copy, model, model_size);
  }
  /* The report also proves the result loads in the runtime, so build it
   * even when no JSON is asked for: the CLI and Python fail alike. */
  xai_xformer_report rep;
  memset(&rep, 0, sizeof rep);
  int want_rep = 1;
  uint8_t *params = NULL;
  size_t params_size = 0;
  if (st == XAI_OK)
    st = xai_xformer_run(copy, model_size, &o, out, out_size, &params,
                         &params_size, want_rep ? &rep : NULL, &err);
  if (st == XAI_OK && o.report_json)
    st = xai_xformer_report_write_json(&rep, o.report_json, &err);
  if (st == XAI_OK)
    st = xai_xformer_write_outputs(&o, *out, *out_size, params, params_size,
                                   &err);
  if (want_rep) xai_xformer_report_free(&rep);
  if (st != XAI_OK) {
    free(*out);
    *out = NULL;
    *out_size = 0;
    if (err_size) snprintf(err_msg, err_size, "%s", err.message);
  }
  free(params);
  free(copy);
  return (int)st;
}

void xai_py_free(void *p) { free(p); }
