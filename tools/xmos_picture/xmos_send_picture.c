/* `xmos_send_picture IMAGE [--input-range LO,HI] [--tensor N] [--no-invoke]
 *                    [--device D] [--engine N] [--timeout-ms N]`
 * Sends a PNG/JPEG as the model's input tensor N (default 0), prepared as
 * xmos_classify prepares it (resized bilinearly to H x W, pixels 0..255
 * mapped to the range the input's quantization covers, or LO..HI), and
 * runs the model unless --no-invoke. Read the result with
 * xmos_recv_picture (an image output) or xmos_infer/xmos_timings.
 * Exit 0 on success, 1 on a failure, 2 on a usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stb/stb_image.h>

#include "image_prep.h"
#include "xai/host.h"
#include "xmos_args.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: xmos_send_picture IMAGE [--input-range LO,HI] [--tensor N] "
          "[--no-invoke]\n"
          "                         [--device D] [--engine N] "
          "[--timeout-ms N]\n"
          "Sends a PNG/JPEG as the input of the model on the device and runs "
          "it.\n"
          "  --input-range LO,HI  real range pixels 0..255 map to (default: "
          "the\n"
          "                       range the input's quantization covers)\n"
          "  --tensor N           input tensor (default 0)\n"
          "  --no-invoke          only send the input\n");
}

typedef struct {
  float lo, hi;
  unsigned long tensor;
  int no_invoke;
} picture_options;

static int picture_option(void *user, const char *opt, const char *value) {
  picture_options *o = user;
  if (!value) return XMOS_ARG_OTHER;
  if (!strcmp(opt, "--input-range")) {
    if (xmos_parse_range(value, &o->lo, &o->hi) != 0) {
      fprintf(stderr, "xmos_send_picture: --input-range wants LO,HI with "
              "LO < HI, e.g. -1,1\n");
      return 2;
    }
  } else if (!strcmp(opt, "--tensor")) {
    char *end;
    o->tensor = strtoul(value, &end, 10);
    if (!*value || *end || o->tensor > 65535) {
      fprintf(stderr, "xmos_send_picture: bad --tensor '%s'\n", value);
      return 2;
    }
  } else {
    return XMOS_ARG_OTHER;
  }
  return XMOS_ARGS_OK;
}

int main(int argc, char **argv) {
  picture_options opts = {0.0f, 0.0f, 0, 0};
  /* --no-invoke takes no value: strip it before the shared parser. */
  int n = 0;
  for (int i = 0; i < argc; i++)
    if (strcmp(argv[i], "--no-invoke") == 0) opts.no_invoke = 1;
    else argv[n++] = argv[i];
  argc = n;
  xmos_args args = {.tool = "xmos_send_picture", .usage = usage,
                    .has_engine = 1, .option = picture_option,
                    .user = &opts};
  int parsed = xmos_args_parse(&args, argc, argv);
  if (parsed != XMOS_ARGS_OK) return parsed;
  const int range_given = opts.hi > opts.lo;
  xai_error err;
  xai_host_device *dev = NULL;
  if (xmos_args_connect(&args, &dev,
                       &err) != XAI_OK) {
    fprintf(stderr, "xmos_send_picture: %s\n", err.message);
    return 1;
  }
  const uint8_t eng = (uint8_t)args.engine;
  int rc = 1;
  uint8_t *pixels = NULL;
  float *resized = NULL;
  void *input = NULL;
  xai_host_spec spec;
  xc_layout lay;
  const xai_proto_tensor_info *in = NULL;
  if (xai_host_read_spec(dev, eng, &spec, &err) != XAI_OK) {
    fprintf(stderr, "xmos_send_picture: %s (load a model with "
            "xmos_send_model)\n", err.message);
    goto done;
  }
  in = xai_host_spec_input(&spec, (unsigned)opts.tensor);
  if (!in) {
    fprintf(stderr, "xmos_send_picture: the model has %u inputs; there is no "
            "input %lu\n", spec.input_count, opts.tensor);
    goto done;
  }
  if (xc_image_layout(in->rank, in->shape, &lay) != 0) {
    fprintf(stderr, "xmos_send_picture: input %lu '%s' is not an image "
            "([1,H,W,1|3] or [1,1|3,H,W])\n", opts.tensor, in->name);
    goto done;
  }
  float lo = opts.lo, hi = opts.hi;
  if (!range_given)
    xc_quantized_range(in->dtype, in->scale, in->zero_point, &lo, &hi);
  int iw = 0, ih = 0, ic = 0;
  pixels = stbi_load(args.path, &iw, &ih, &ic, lay.c);
  if (!pixels) {
    fprintf(stderr, "xmos_send_picture: cannot read image %s: %s\n",
            args.path, stbi_failure_reason());
    goto done;
  }
  resized = malloc((size_t)lay.h * lay.w * lay.c * sizeof *resized);
  input = malloc(in->bytes ? in->bytes : 1);
  if (!resized || !input) goto done;
  xc_resize_bilinear(pixels, iw, ih, lay.c, resized, lay.w, lay.h);
  if (xc_quantize_input(resized, lay.h, lay.w, lay.c, lay.nchw, lo, hi,
                        in->dtype, in->scale, in->zero_point, input) != 0) {
    fprintf(stderr, "xmos_send_picture: input %lu has a type images cannot "
            "be quantized to\n", opts.tensor);
    goto done;
  }
  printf("Connected to %s\n", xai_host_description(dev));
  printf("Inferred input shape: (%d, %d, %d)\n", lay.h, lay.w, lay.c);
  if (xai_host_write_input(dev, eng, (uint16_t)opts.tensor, input, in->bytes,
                           &err) != XAI_OK) {
    fprintf(stderr, "xmos_send_picture: %s\n", err.message);
    goto done;
  }
  printf("Sent %s (%dx%d) as input %lu: %u bytes, pixels -> [%g, %g]\n",
         args.path, iw, ih, opts.tensor, (unsigned)in->bytes, lo, hi);
  if (!opts.no_invoke) {
    if (xai_host_invoke(dev, eng, &err) != XAI_OK) {
      fprintf(stderr, "xmos_send_picture: %s\n", err.message);
      goto done;
    }
    printf("Inference done (xmos_recv_picture or xmos_infer reads the "
           "output, xmos_timings the times)\n");
  }
  rc = 0;
done:
  free(input);
  free(resized);
  if (pixels) stbi_image_free(pixels);
  xai_host_close(dev);
  return rc;
}
