/* `xmos_infer --pipeline N --input STREAM [--input ...] --output OUT`: a
 * stream of inputs through the stage models of `xformer --xcore-pipeline`
 * loaded by `xmos_send_model OUT.stage*.tflite` (docs/multitile.md, mode
 * b). Each input file holds one or more inferences' inputs back to back
 * (every input of the first stage concatenated, as `xai run --input`), or
 * a .npy array of the first stage's single input with the inferences
 * along its first axis; OUT gets the outputs in the same order (.npy: one
 * array, inferences along the first axis). Prints each stage's compute
 * and link time, the throughput and the latency in modelled device time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npy.h"
#include "pipeline_stream.h"

static int ends_with(const char *s, const char *tail) {
  size_t a = strlen(s), b = strlen(tail);
  return a >= b && !strcmp(s + a - b, tail);
}

/* The records of every input file, concatenated into *all. */
static int read_stream(const char *const *in, unsigned n_in,
                       const xai_host_spec *first, size_t record,
                       uint8_t **all, uint32_t *count) {
  size_t total = 0, cap = 0;
  *all = NULL;
  for (unsigned f = 0; f < n_in; f++) {
    xai_error err;
    uint8_t *data = NULL;
    size_t size = 0;
    if (xai_file_read(in[f], &data, &size, &err) != XAI_OK) {
      fprintf(stderr, "xmos_infer: %s\n", err.message);
      return 1;
    }
    const uint8_t *bytes = data;
    size_t n = size;
    if (npy_is_npy(data, size)) {
      int dtype, rank;
      int64_t shape[8];
      if (npy_parse(data, size, &dtype, shape, &rank, &bytes, &n, &err)) {
        fprintf(stderr, "xmos_infer: %s: %s\n", in[f], err.message);
        xai_file_free(data);
        return 1;
      }
      const xai_proto_tensor_info *t = xai_host_spec_input(first, 0);
      if (first->input_count != 1 || dtype != t->dtype) {
        fprintf(stderr, "xmos_infer: %s holds %s; the pipeline takes %u "
                "input%s of %s (give raw bytes for several inputs)\n", in[f],
                npy_type_name(dtype), first->input_count,
                first->input_count == 1 ? "" : "s",
                npy_type_name(t->dtype));
        xai_file_free(data);
        return 1;
      }
    }
    if (!n || n % record) {
      fprintf(stderr, "xmos_infer: %s holds %zu bytes of inputs; one "
              "inference takes %zu, so a stream is a multiple of it\n", in[f],
              n, record);
      xai_file_free(data);
      return 1;
    }
    if (total + n > cap) {
      cap = 2 * (total + n);
      uint8_t *p = realloc(*all, cap);
      if (!p) {
        fprintf(stderr, "xmos_infer: out of memory\n");
        xai_file_free(data);
        return 1;
      }
      *all = p;
    }
    memcpy(*all + total, bytes, n);
    total += n;
    xai_file_free(data);
  }
  if (total / record > UINT32_MAX) {
    fprintf(stderr, "xmos_infer: too many inferences in the stream\n");
    return 1;
  }
  *count = (uint32_t)(total / record);
  return 0;
}

static int write_stream(const char *path, const xai_host_spec *last,
                        const uint8_t *out, size_t bytes, uint32_t count) {
  xai_error err;
  xai_status st;
  if (ends_with(path, ".npy")) {
    if (last->output_count != 1) {
      fprintf(stderr, "xmos_infer: a .npy file holds one output; the last "
              "stage has %u: write raw bytes\n", last->output_count);
      return 1;
    }
    const xai_proto_tensor_info *t = xai_host_spec_output(last, 0);
    int32_t shape[XAI_PROTO_MAX_RANK + 1];
    int rank = 0;
    shape[rank++] = (int32_t)count;
    for (unsigned d = t->rank && t->shape[0] == 1 ? 1 : 0; d < t->rank; d++)
      shape[rank++] = t->shape[d];
    st = npy_write(path, t->dtype, shape, rank, out, bytes, &err);
  } else {
    st = xai_file_write_atomic(path, out, bytes, &err);
  }
  if (st != XAI_OK) {
    fprintf(stderr, "xmos_infer: %s\n", err.message);
    return 1;
  }
  return 0;
}

static void print_stats(const xai_host_pipeline_stats *s) {
  const double ms = 1e-5; /* 100 MHz ticks */
  uint64_t serial = 0;
  for (uint32_t k = 0; k < s->stages; k++) serial += s->compute_ticks[k];
  for (uint32_t k = 0; k < s->stages; k++)
    printf("  stage %u (engine %u): compute %.3f ms, receives %llu bytes "
           "over the link in %.3f ms\n", k, s->first_engine + k,
           (double)s->compute_ticks[k] * ms,
           (unsigned long long)s->in_bytes[k], (double)s->in_ticks[k] * ms);
  printf("Throughput: %.0f inferences/s (step %.3f ms: stage %u, the "
         "slowest, with its links)\n",
         s->step_ticks ? 1e8 / (double)s->step_ticks : 0.0,
         (double)s->step_ticks * ms, s->slowest_stage);
  printf("Latency: %.3f ms (%u steps); the stream took %.3f ms of device "
         "time for %u inferences (%.0f/s)\n",
         (double)s->latency_ticks * ms, s->stages,
         (double)s->stream_ticks * ms, s->inferences,
         s->stream_ticks ? s->inferences * 1e8 / (double)s->stream_ticks
                         : 0.0);
  printf("One tile, one input at a time: about %.3f ms (%.0f/s), the "
         "stages' compute in turn\n", (double)serial * ms,
         serial ? 1e8 / (double)serial : 0.0);
}

int xmos_infer_pipeline(xai_host_device *dev, unsigned first, unsigned stages,
                        const char *const *in, unsigned n_in,
                        const char *const *out, unsigned n_out) {
  if (n_out != 1) {
    fprintf(stderr, "xmos_infer: --pipeline writes every output of the "
            "stream to one --output file\n");
    return 2;
  }
  xai_error err;
  size_t in_record = 0, out_record = 0;
  xai_host_spec spec0, last;
  if (xai_host_pipeline_check(dev, first, stages, &in_record, &out_record,
                              &err) != XAI_OK ||
      xai_host_read_spec(dev, (uint8_t)first, &spec0, &err) != XAI_OK ||
      xai_host_read_spec(dev, (uint8_t)(first + stages - 1), &last, &err) !=
          XAI_OK) {
    fprintf(stderr, "xmos_infer: %s\n", err.message);
    return 1;
  }
  uint8_t *inputs = NULL;
  uint32_t count = 0;
  if (read_stream(in, n_in, &spec0, in_record, &inputs, &count)) {
    free(inputs);
    return 1;
  }
  uint8_t *outputs = malloc(out_record * count);
  xai_host_pipeline_stats stats;
  int rc = 1;
  if (!outputs) {
    fprintf(stderr, "xmos_infer: out of memory\n");
  } else if (xai_host_pipeline_run(dev, first, stages, inputs, count, outputs,
                                   &stats, &err) != XAI_OK) {
    fprintf(stderr, "xmos_infer: %s\n", err.message);
  } else {
    printf("Pipeline: %u stages on engines %u..%u, %u inferences of %zu "
           "input bytes, up to %u in flight\n", stages, first,
           first + stages - 1, count, in_record, stages);
    rc = write_stream(out[0], &last, outputs, out_record * count, count);
    if (!rc) {
      printf("output: %u x %zu bytes to %s\n", count, out_record, out[0]);
      print_stats(&stats);
    }
  }
  free(inputs);
  free(outputs);
  return rc;
}
