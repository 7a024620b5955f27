/* `xmos_infer --input FILE [--input FILE2 ...] --output FILE [--output ...]
 *             [--device D] [--engine N] [--timeout-ms N]`
 * One inference on the model already on the device, for models that are
 * not image classifiers (audio, anomaly detection, ...): the inputs' raw
 * bytes go in, the outputs' raw bytes come out, in the format of `xai run
 * --input/--output`: one file holds every input (output) concatenated in
 * order, or one file per tensor. A file that starts with the .npy magic
 * is read as a NumPy array (dtype and element count checked against the
 * tensor); an output file named *.npy is written as one, with the
 * tensor's shape and dtype. Prints what went where and the device time.
 * Exit 0 on success, 1 on a failure, 2 on a usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npy.h"
#include "pipeline_stream.h"
#include "xai/host.h"
#include "xmos_args.h"

#define MAX_FILES XAI_HOST_MAX_TENSORS
#define MAX_LAYERS 4096

static void usage(FILE *out) {
  fprintf(out,
          "usage: xmos_infer --input FILE [--input FILE ...] --output FILE "
          "[--output FILE ...]\n"
          "                  [--device D] [--engine N] [--timeout-ms N]\n"
          "       xmos_infer --pipeline N --input STREAM [--input ...] "
          "--output FILE\n"
          "Runs one inference on the model on the device (xmos_send_model).\n"
          "  --input FILE   raw bytes of every input concatenated (as xai run\n"
          "                 --input), or one file per input; .npy accepted\n"
          "  --output FILE  every output's raw bytes concatenated, or one file\n"
          "                 per output; a name ending .npy writes NumPy arrays\n"
          "  --device D     emu:PATH, usb, usb:BUS:ADDR or spi:/dev/spidevB.C\n"
          "  --engine N     model slot (default 0)\n"
          "  --pipeline N   the N pipeline stages from the xformer, on\n"
          "                 engines --engine .. +N-1: each input file holds\n"
          "                 one or more inferences' inputs back to back, the\n"
          "                 outputs go to FILE in order; prints each stage's\n"
          "                 time, the throughput and the latency\n");
}

typedef struct {
  const char *in[MAX_FILES], *out[MAX_FILES];
  unsigned n_in, n_out;
  unsigned pipeline; /* --pipeline N, 0 = one model */
} infer_options;

static int infer_option(void *user, const char *opt, const char *value) {
  infer_options *o = user;
  if (!value) return XMOS_ARG_OTHER;
  if (!strcmp(opt, "--pipeline")) {
    char *end;
    unsigned long v = strtoul(value, &end, 10);
    if (value[0] < '0' || value[0] > '9' || *end || v < 2 ||
        v > XAI_HOST_PIPELINE_MAX_STAGES) {
      fprintf(stderr, "xmos_infer: --pipeline '%s': the number of stages, "
              "2 to %u\n", value, XAI_HOST_PIPELINE_MAX_STAGES);
      return 2;
    }
    o->pipeline = (unsigned)v;
    return XMOS_ARGS_OK;
  }
  const char **list = !strcmp(opt, "--input")    ? o->in
                      : !strcmp(opt, "--output") ? o->out
                                                 : NULL;
  if (!list) return XMOS_ARG_OTHER;
  unsigned *n = list == o->in ? &o->n_in : &o->n_out;
  if (*n == MAX_FILES) {
    fprintf(stderr, "xmos_infer: at most %u %s files\n", MAX_FILES, opt + 2);
    return 2;
  }
  list[(*n)++] = value;
  return XMOS_ARGS_OK;
}

static void shape_text(const xai_proto_tensor_info *t, char *buf, size_t cap) {
  size_t n = (size_t)snprintf(buf, cap, "%s [", npy_type_name(t->dtype));
  for (unsigned d = 0; d < t->rank && n < cap; d++)
    n += (size_t)snprintf(buf + n, cap - n, "%s%d", d ? "," : "",
                          (int)t->shape[d]);
  if (n < cap) snprintf(buf + n, cap - n, "]");
}

/* One input file's bytes for tensor t: raw (exactly t's size) or .npy of
 * t's dtype and element count. */
static int tensor_bytes(const char *path, const uint8_t *data, size_t size,
                        const xai_proto_tensor_info *t, unsigned index,
                        const uint8_t **bytes) {
  char want[96];
  shape_text(t, want, sizeof want);
  if (!npy_is_npy(data, size)) {
    if (size != t->bytes) {
      fprintf(stderr, "xmos_infer: %s is %zu bytes; input %u '%s' (%s) takes "
              "%u\n", path, size, index, t->name, want, (unsigned)t->bytes);
      return 1;
    }
    *bytes = data;
    return 0;
  }
  xai_error err;
  int dtype, rank;
  int64_t shape[8];
  size_t n;
  if (npy_parse(data, size, &dtype, shape, &rank, bytes, &n, &err) != XAI_OK) {
    fprintf(stderr, "xmos_infer: %s: %s\n", path, err.message);
    return 1;
  }
  if (dtype != t->dtype || n != t->bytes) {
    char got[96];
    size_t k = (size_t)snprintf(got, sizeof got, "%s [",
                                npy_type_name(dtype));
    for (int d = 0; d < rank && k < sizeof got; d++)
      k += (size_t)snprintf(got + k, sizeof got - k, "%s%lld", d ? "," : "",
                            (long long)shape[d]);
    if (k < sizeof got) snprintf(got + k, sizeof got - k, "]");
    fprintf(stderr, "xmos_infer: %s holds %s; input %u '%s' is %s%s\n", path,
            got, index, t->name, want,
            dtype != t->dtype ? " (convert with .astype)" : "");
    return 1;
  }
  return 0;
}

static int ends_with(const char *s, const char *tail) {
  size_t a = strlen(s), b = strlen(tail);
  return a >= b && !strcmp(s + a - b, tail);
}

static int send_inputs(xai_host_device *dev, uint8_t eng,
                       const xai_host_spec *spec, const infer_options *o) {
  xai_error err;
  unsigned n = spec->input_count;
  if (o->n_in != 1 && o->n_in != n) {
    fprintf(stderr, "xmos_infer: the model has %u inputs; give one --input "
            "with all of them concatenated or %u files\n", n, n);
    return 1;
  }
  size_t total = 0;
  for (unsigned i = 0; i < n; i++) total += xai_host_spec_input(spec, i)->bytes;
  for (unsigned f = 0; f < o->n_in; f++) {
    uint8_t *data = NULL;
    size_t size = 0;
    if (xai_file_read(o->in[f], &data, &size, &err) != XAI_OK) {
      fprintf(stderr, "xmos_infer: %s\n", err.message);
      return 1;
    }
    int rc = 0;
    if (o->n_in == 1 && n > 1 && !npy_is_npy(data, size)) {
      if (size != total) {
        fprintf(stderr, "xmos_infer: %s is %zu bytes; the model's %u inputs "
                "take %zu together\n", o->in[f], size, n, total);
        rc = 1;
      }
      size_t at = 0;
      for (unsigned i = 0; i < n && !rc; i++) {
        const xai_proto_tensor_info *t = xai_host_spec_input(spec, i);
        if (xai_host_write_input(dev, eng, (uint16_t)i, data + at, t->bytes,
                                 &err) != XAI_OK) {
          fprintf(stderr, "xmos_infer: %s\n", err.message);
          rc = 1;
        }
        printf("input %u '%s': %u bytes from %s\n", i, t->name,
               (unsigned)t->bytes, o->in[f]);
        at += t->bytes;
      }
    } else if (o->n_in == 1 && n > 1) {
      fprintf(stderr, "xmos_infer: a .npy file holds one input; the model has "
              "%u: give one --input per input\n", n);
      rc = 1;
    } else {
      const xai_proto_tensor_info *t = xai_host_spec_input(spec, f);
      const uint8_t *bytes = NULL;
      rc = tensor_bytes(o->in[f], data, size, t, f, &bytes);
      if (!rc && xai_host_write_input(dev, eng, (uint16_t)f, bytes, t->bytes,
                                      &err) != XAI_OK) {
        fprintf(stderr, "xmos_infer: %s\n", err.message);
        rc = 1;
      }
      if (!rc)
        printf("input %u '%s': %u bytes from %s\n", f, t->name,
               (unsigned)t->bytes, o->in[f]);
    }
    xai_file_free(data);
    if (rc) return rc;
  }
  return 0;
}

static int write_outputs(xai_host_device *dev, uint8_t eng,
                         const xai_host_spec *spec, const infer_options *o) {
  xai_error err;
  unsigned n = spec->output_count;
  if (o->n_out != 1 && o->n_out != n) {
    fprintf(stderr, "xmos_infer: the model has %u outputs; give one --output "
            "for all of them or %u files\n", n, n);
    return 1;
  }
  if (o->n_out == 1 && n > 1 && ends_with(o->out[0], ".npy")) {
    fprintf(stderr, "xmos_infer: a .npy file holds one output; the model has "
            "%u: give one --output per output\n", n);
    return 1;
  }
  size_t total = 0;
  for (unsigned i = 0; i < n; i++)
    total += xai_host_spec_output(spec, i)->bytes;
  uint8_t *all = malloc(total ? total : 1);
  if (!all) return 1;
  size_t at = 0;
  int rc = 0;
  for (unsigned i = 0; i < n && !rc; i++) {
    const xai_proto_tensor_info *t = xai_host_spec_output(spec, i);
    size_t got = 0;
    if (xai_host_read_output(dev, eng, (uint16_t)i, all + at, t->bytes, &got,
                             &err) != XAI_OK) {
      fprintf(stderr, "xmos_infer: %s\n", err.message);
      rc = 1;
      break;
    }
    const char *path = o->n_out == 1 ? o->out[0] : o->out[i];
    if (o->n_out > 1 || n == 1) {
      xai_status st;
      if (ends_with(path, ".npy")) {
        int32_t shape[XAI_PROTO_MAX_RANK];
        for (unsigned d = 0; d < t->rank; d++) shape[d] = t->shape[d];
        st = npy_write(path, t->dtype, shape, t->rank, all + at, got, &err);
      } else {
        st = xai_file_write_atomic(path, all + at, got, &err);
      }
      if (st != XAI_OK) {
        fprintf(stderr, "xmos_infer: %s\n", err.message);
        rc = 1;
      }
    }
    printf("output %u '%s': %zu bytes to %s\n", i, t->name, got, path);
    at += got;
  }
  if (!rc && o->n_out == 1 && n > 1 &&
      xai_file_write_atomic(o->out[0], all, at, &err) != XAI_OK) {
    fprintf(stderr, "xmos_infer: %s\n", err.message);
    rc = 1;
  }
  free(all);
  return rc;
}

int main(int argc, char **argv) {
  infer_options opts;
  memset(&opts, 0, sizeof opts);
  xmos_args args = {.tool = "xmos_infer", .usage = usage, .has_engine = 1,
                    .option = infer_option, .user = &opts,
                    .path_optional = 1};
  int parsed = xmos_args_parse(&args, argc, argv);
  if (parsed != XMOS_ARGS_OK) return parsed;
  if (args.path || !opts.n_in || !opts.n_out) {
    if (args.path)
      fprintf(stderr, "xmos_infer: unexpected argument '%s'\n", args.path);
    else
      fprintf(stderr, "xmos_infer: needs --input FILE and --output FILE\n");
    usage(stderr);
    return 2;
  }
  xai_error err;
  /* Every input file is readable before the device is touched. */
  for (unsigned i = 0; i < opts.n_in; i++) {
    uint8_t *data = NULL;
    size_t size = 0;
    if (xai_file_read(opts.in[i], &data, &size, &err) != XAI_OK) {
      fprintf(stderr, "xmos_infer: %s\n", err.message);
      return 1;
    }
    xai_file_free(data);
  }
  xai_host_device *dev = NULL;
  if (xmos_args_connect(&args, &dev,
                       &err) != XAI_OK) {
    fprintf(stderr, "xmos_infer: %s\n", err.message);
    return 1;
  }
  const uint8_t eng = (uint8_t)args.engine;
  if (opts.pipeline) {
    int prc = xmos_infer_pipeline(dev, eng, opts.pipeline, opts.in,
                                  opts.n_in, opts.out, opts.n_out);
    xai_host_close(dev);
    return prc;
  }
  int rc = 1;
  xai_host_spec spec;
  xai_proto_layer_timing *layers = malloc(MAX_LAYERS * sizeof *layers);
  uint32_t count = 0;
  if (!layers) {
    fprintf(stderr, "xmos_infer: out of memory\n");
  } else if (xai_host_read_spec(dev, eng, &spec, &err) != XAI_OK) {
    fprintf(stderr, "xmos_infer: %s (load a model with xmos_send_model)\n",
            err.message);
  } else if (send_inputs(dev, eng, &spec, &opts) == 0) {
    if (xai_host_invoke(dev, eng, &err) != XAI_OK ||
        xai_host_read_times(dev, eng, layers, MAX_LAYERS, &count, &err) !=
            XAI_OK) {
      fprintf(stderr, "xmos_infer: %s\n", err.message);
    } else if (write_outputs(dev, eng, &spec, &opts) == 0) {
      uint64_t ticks = 0;
      for (uint32_t i = 0; i < count; i++) ticks += layers[i].ticks;
      printf("Inference time: %.3f ms (%u layers; xmos_timings for each)\n",
             (double)ticks / 100000.0, count);
      rc = 0;
    }
  }
  free(layers);
  xai_host_close(dev);
  return rc;
}
