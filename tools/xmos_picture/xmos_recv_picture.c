/* `xmos_recv_picture OUT.png [--tensor N] [--output-range LO,HI]
 *                    [--device D] [--engine N] [--timeout-ms N]`
 * Reads output tensor N (default 0) of the last inference as an image
 * ([1,H,W,C], [H,W,C] or [1,C,H,W] with C = 1, 3 or 4), dequantizes it
 * and maps the real range LO..HI (default: the range the output's
 * quantization covers, [0, 1] for float32) to pixels 0..255, and writes a
 * PNG. For image-to-image models (denoising, segmentation masks, style
 * transfer); xmos_send_picture sends the input.
 * Exit 0 on success, 1 on a failure, 2 on a usage error. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stb/stb_image_write.h>

#include "image_prep.h"
#include "xai/host.h"
#include "xmos_args.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: xmos_recv_picture OUT.png [--tensor N] "
          "[--output-range LO,HI]\n"
          "                         [--device D] [--engine N] "
          "[--timeout-ms N]\n"
          "Writes an image output of the last inference as a PNG.\n"
          "  --tensor N            output tensor (default 0)\n"
          "  --output-range LO,HI  real range that becomes pixels 0..255\n"
          "                        (default: the output's quantization "
          "range)\n");
}

typedef struct {
  float lo, hi;
  unsigned long tensor;
} recv_options;

static int recv_option(void *user, const char *opt, const char *value) {
  recv_options *o = user;
  if (!value) return XMOS_ARG_OTHER;
  if (!strcmp(opt, "--output-range")) {
    if (xmos_parse_range(value, &o->lo, &o->hi) != 0) {
      fprintf(stderr, "xmos_recv_picture: --output-range wants LO,HI with "
              "LO < HI, e.g. 0,1\n");
      return 2;
    }
  } else if (!strcmp(opt, "--tensor")) {
    char *end;
    o->tensor = strtoul(value, &end, 10);
    if (!*value || *end || o->tensor > 65535) {
      fprintf(stderr, "xmos_recv_picture: bad --tensor '%s'\n", value);
      return 2;
    }
  } else {
    return XMOS_ARG_OTHER;
  }
  return XMOS_ARGS_OK;
}

static size_t elem_size(int dtype) {
  switch (dtype) {
    case 0: return 4;
    case 7: return 2;
    case 3: case 9: return 1;
    default: return 0;
  }
}

int main(int argc, char **argv) {
  recv_options opts = {0.0f, 0.0f, 0};
  xmos_args args = {.tool = "xmos_recv_picture", .usage = usage,
                    .has_engine = 1, .option = recv_option, .user = &opts};
  int parsed = xmos_args_parse(&args, argc, argv);
  if (parsed != XMOS_ARGS_OK) return parsed;
  xai_error err;
  xai_host_device *dev = NULL;
  if (xmos_args_connect(&args, &dev,
                       &err) != XAI_OK) {
    fprintf(stderr, "xmos_recv_picture: %s\n", err.message);
    return 1;
  }
  const uint8_t eng = (uint8_t)args.engine;
  int rc = 1;
  uint8_t *raw = NULL, *png = NULL;
  xai_host_spec spec;
  xc_layout lay;
  const xai_proto_tensor_info *t = NULL;
  if (xai_host_read_spec(dev, eng, &spec, &err) != XAI_OK) {
    fprintf(stderr, "xmos_recv_picture: %s (load a model with "
            "xmos_send_model)\n", err.message);
    goto done;
  }
  t = xai_host_spec_output(&spec, (unsigned)opts.tensor);
  if (!t) {
    fprintf(stderr, "xmos_recv_picture: the model has %u outputs; there is "
            "no output %lu\n", spec.output_count, opts.tensor);
    goto done;
  }
  size_t es = elem_size(t->dtype);
  if (xc_image_layout_alpha(t->rank, t->shape, &lay) != 0 || !es ||
      (size_t)lay.h * lay.w * lay.c * es != t->bytes) {
    fprintf(stderr, "xmos_recv_picture: output %lu '%s' is not an image "
            "([1,H,W,C], [H,W,C] or [1,C,H,W], C = 1, 3 or 4, of int8, "
            "uint8, int16 or float32)\n", opts.tensor, t->name);
    goto done;
  }
  float lo = opts.lo, hi = opts.hi;
  if (!(hi > lo)) xc_quantized_range(t->dtype, t->scale, t->zero_point, &lo, &hi);
  raw = malloc(t->bytes);
  png = malloc((size_t)lay.h * lay.w * lay.c);
  size_t got = 0;
  if (!raw || !png) goto done;
  if (xai_host_read_output(dev, eng, (uint16_t)opts.tensor, raw, t->bytes,
                           &got, &err) != XAI_OK) {
    fprintf(stderr, "xmos_recv_picture: %s\n", err.message);
    goto done;
  }
  const size_t plane = (size_t)lay.h * lay.w;
  for (size_t p = 0; p < plane; p++)
    for (int k = 0; k < lay.c; k++) {
      size_t src = lay.nchw ? (size_t)k * plane + p : p * lay.c + k;
      double v = xc_dequantize(raw, src, t->dtype, t->scale, t->zero_point);
      double px = floor((v - lo) / (hi - lo) * 255.0 + 0.5);
      png[p * lay.c + k] = (uint8_t)(px < 0 ? 0 : px > 255 ? 255 : px);
    }
  if (!stbi_write_png(args.path, lay.w, lay.h, lay.c, png, lay.w * lay.c)) {
    fprintf(stderr, "xmos_recv_picture: cannot write %s\n", args.path);
    goto done;
  }
  printf("Output %lu '%s' (%d x %d x %d), [%g, %g] -> 0..255, written to %s\n",
         opts.tensor, t->name, lay.h, lay.w, lay.c, lo, hi, args.path);
  rc = 0;
done:
  free(raw);
  free(png);
  xai_host_close(dev);
  return rc;
}
