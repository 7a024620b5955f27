/* `xmos_classify IMAGE [--labels FILE] [--device D] [--engine N]
 *                [--input-range LO,HI] [--timeout-ms N]`
 * Classifies a PNG or JPEG with the model already on the device (load it
 * with xmos_send_model), as the seed's classify example does:
 *
 *  - the image is read with stb_image, converted to the model input's
 *    channel count (1 = grey, 3 = RGB), resized to its H x W with bilinear
 *    interpolation (half-pixel centres);
 *  - pixels 0..255 map linearly to the real range [LO, HI]: by default
 *    the range the input's quantization represents (GET_SPEC scale and
 *    zero point: [scale x (qmin - zp), scale x (qmax - zp)], so 0..255 is
 *    the whole int8 range: [0, 1] for a model trained on [0, 1], [0, 255]
 *    for raw pixels, [-1, 1] for [-1, 1]); --input-range LO,HI overrides
 *    it; float32 inputs default to [0, 1];
 *  - the guide's lines: "Inferred input shape: (H, W, C)", "Output tensor
 *    read as [dequantized values], this is an LABEL P%", "milliseconds
 *    taken T per layer timings:" and the per-layer ms; if the model's last
 *    layer is not SOFTMAX (per GET_TIMINGS) a softmax is applied on the
 *    host so the percentage is a probability;
 *  - then the raw output, "Top class: LABEL (confidence P)", the total
 *    device time and one line per layer (index, op, ms).
 *
 * Input layout: rank-4 shapes [1,H,W,C] with C in {1,3}, or [1,C,H,W]
 * (NCHW) when only the second dimension is 1 or 3.
 * Exit 0 on success, 1 on a failure, 2 on a usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stb/stb_image.h>

#include "image_prep.h"
#include "xai/host.h"
#include "xmos_args.h"

#define MAX_LAYERS 4096

static void usage(FILE *out) {
  fprintf(out,
          "usage: xmos_classify IMAGE [--labels FILE] [--device D] "
          "[--engine N]\n"
          "                     [--input-range LO,HI] [--timeout-ms N]\n"
          "Classifies a PNG/JPEG with the model on the device (see "
          "xmos_send_model).\n"
          "  --labels FILE        class names, one per line (line i = class i)\n"
          "  --device D           emu:PATH, usb, usb:BUS:ADDR or "
          "spi:/dev/spidevB.C\n"
          "  --engine N           model slot (default 0)\n"
          "  --input-range LO,HI  real input range pixels 0..255 map to "
          "(default: the\n"
          "                       range the input's quantization covers)\n");
}

static size_t dtype_bytes(int t) {
  switch (t) {
    case 0: case 2: return 4;
    case 7: return 2;
    case 3: case 9: return 1;
    default: return 0;
  }
}

/* Line `index` of the labels text (NUL-terminated), or NULL if the text
 * has fewer lines. */
static char *find_label(const char *text, size_t index) {
  const char *p = text;
  for (size_t i = 0; i < index; i++) {
    p = strchr(p, '\n');
    if (!p || !*++p) return NULL;
  }
  size_t n = strcspn(p, "\r\n");
  char *found = malloc(n + 1);
  if (found) {
    memcpy(found, p, n);
    found[n] = '\0';
  }
  return found;
}

/* The labels file as text; an error unless it is a readable, non-empty
 * regular file. */
static char *read_labels(const char *path) {
  uint8_t *data = NULL;
  size_t size = 0;
  xai_error err;
  xai_error_clear(&err);
  if (xai_file_read(path, &data, &size, &err) != XAI_OK) {
    fprintf(stderr, "xmos_classify: --labels %s\n", err.message);
    return NULL;
  }
  char *text = malloc(size + 1);
  if (text) {
    memcpy(text, data, size);
    text[size] = '\0';
  }
  xai_file_free(data);
  return text;
}

/* A model with a params file has XAI_load_weights layers that stream its
 * weights; their ticks are what the next op's compute does not hide when
 * the xformer prefetched them (docs/device.md, "Timings"). */
static void print_load_totals(const xai_proto_layer_timing *layers,
                              uint32_t n) {
  uint32_t loads = 0;
  uint64_t ticks = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (strcmp(layers[i].op, "XAI_load_weights") != 0) continue;
    loads++;
    ticks += layers[i].ticks;
  }
  if (loads)
    printf("Weight loads: %u layers, %.3f ms not hidden under compute\n",
           loads, (double)ticks / 100000.0);
}

typedef struct {
  const char *labels;
  float lo, hi;
} classify_options;

/* --labels and --input-range (xmos_args_option_fn). */
static int classify_option(void *user, const char *opt, const char *value) {
  classify_options *o = user;
  if (!value) return XMOS_ARG_OTHER;
  if (strcmp(opt, "--labels") == 0) {
    o->labels = value;
  } else if (strcmp(opt, "--input-range") == 0) {
    if (xmos_parse_range(value, &o->lo, &o->hi) != 0) {
      fprintf(stderr,
              "xmos_classify: --input-range wants LO,HI with LO < HI, e.g. "
              "-1,1\n");
      return 2;
    }
  } else {
    return XMOS_ARG_OTHER;
  }
  return XMOS_ARGS_OK;
}

/* 0.0, 0.99609375: the guide's way of printing a dequantized value. */
static void print_real(double v) {
  if (v == (double)(long long)v && v > -1e15 && v < 1e15)
    printf("%.1f", v);
  else
    printf("%.9g", v);
}

static void print_guide_lines(const double *real, size_t n, size_t best,
                              const char *label,
                              const xai_proto_layer_timing *layers,
                              uint32_t layer_count, double confidence) {
  printf("Output tensor read as  [");
  for (size_t i = 0; i < n; i++) {
    if (i) printf(", ");
    print_real(real[i]);
  }
  if (label)
    printf("], this is an %s %.2f%%\n", label, confidence * 100.0);
  else
    printf("], this is class %zu %.2f%%\n", best, confidence * 100.0);
  uint64_t total = 0;
  for (uint32_t i = 0; i < layer_count; i++) total += layers[i].ticks;
  printf("milliseconds taken %.3f per layer timings:\n[",
         (double)total / 100000.0);
  for (uint32_t i = 0; i < layer_count; i++)
    printf("%s%.3f", i == 0 ? "" : i % 10 == 0 ? "\n " : " ",
           (double)layers[i].ticks / 100000.0);
  printf("]\n");
}

int main(int argc, char **argv) {
  classify_options opts = {NULL, 0.0f, 0.0f};
  xmos_args args = {.tool = "xmos_classify", .usage = usage,
                    .has_engine = 1, .option = classify_option,
                    .user = &opts};
  int parsed = xmos_args_parse(&args, argc, argv);
  if (parsed != XMOS_ARGS_OK) return parsed;
  const char *image_path = args.path, *labels = opts.labels;
  const int range_given = opts.hi > opts.lo;
  float lo = opts.lo, hi = opts.hi;
  xai_error err;
  xai_error_clear(&err);
  /* Files are checked before the device is touched. */
  char *label_text = labels ? read_labels(labels) : NULL;
  if (labels && !label_text) return 1;
  {
    uint8_t *probe = NULL;
    size_t probe_bytes = 0;
    if (xai_file_read(image_path, &probe, &probe_bytes, &err) != XAI_OK) {
      fprintf(stderr, "xmos_classify: %s\n", err.message);
      free(label_text);
      return 1;
    }
    xai_file_free(probe);
  }
  xai_host_device *dev = NULL;
  if (xmos_args_connect(&args, &dev,
                       &err) != XAI_OK) {
    fprintf(stderr, "xmos_classify: %s\n", err.message);
    free(label_text);
    return 1;
  }
  const uint8_t eng = (uint8_t)args.engine;
  int rc = 1;
  uint8_t *pixels = NULL;
  float *resized = NULL;
  void *input = NULL, *output = NULL;
  double *real = NULL;
  xai_proto_layer_timing *layers = NULL;
  xai_host_spec spec;
  xc_layout lay;
  if (xai_host_read_spec(dev, eng, &spec, &err) != XAI_OK) {
    fprintf(stderr, "xmos_classify: %s (load a model with xmos_send_model)\n",
            err.message);
    goto done;
  }
  const xai_proto_tensor_info *in = xai_host_spec_input(&spec, 0);
  const xai_proto_tensor_info *out = xai_host_spec_output(&spec, 0);
  if (!in || !out || xc_image_layout(in->rank, in->shape, &lay) != 0 ||
      dtype_bytes(in->dtype) == 0 ||
      (size_t)lay.h * lay.w * lay.c * dtype_bytes(in->dtype) != in->bytes) {
    fprintf(stderr,
            "xmos_classify: the model's first input is not an image "
            "([1,H,W,1|3] or [1,1|3,H,W] of int8, uint8, int16 or float32)\n");
    goto done;
  }
  if (!range_given) xc_quantized_range(in->dtype, in->scale, in->zero_point, &lo, &hi);
  printf("Connected to %s\n", xai_host_description(dev));
  printf("Inferred input shape: (%d, %d, %d)\n", lay.h, lay.w, lay.c);
  printf("Input range: pixels 0..255 -> [%g, %g]%s\n", lo, hi,
         range_given ? " (--input-range)"
                     : " (from the input's quantization)");
  int iw = 0, ih = 0, ic = 0;
  pixels = stbi_load(image_path, &iw, &ih, &ic, lay.c);
  if (!pixels) {
    fprintf(stderr, "xmos_classify: cannot read image %s: %s\n", image_path,
            stbi_failure_reason());
    goto done;
  }
  /* Resizing changes the aspect ratio; beyond 4x the picture is squashed
   * past recognition and the class would be meaningless. */
  const double aspect = ((double)iw / ih) / ((double)lay.w / lay.h);
  if (aspect > 4.0 || aspect < 0.25) {
    fprintf(stderr,
            "xmos_classify: image %s is %dx%d but the model takes %dx%d: "
            "the aspect ratios differ by more than 4x; crop the image "
            "first\n",
            image_path, iw, ih, lay.w, lay.h);
    goto done;
  }
  resized = malloc((size_t)lay.h * lay.w * lay.c * sizeof *resized);
  input = malloc(in->bytes);
  if (!resized || !input) {
    fprintf(stderr, "xmos_classify: out of memory\n");
    goto done;
  }
  xc_resize_bilinear(pixels, iw, ih, lay.c, resized, lay.w, lay.h);
  xc_quantize_input(resized, lay.h, lay.w, lay.c, lay.nchw, lo, hi, in->dtype,
                    in->scale, in->zero_point, input);
  size_t out_bytes = 0;
  output = malloc(out->bytes ? out->bytes : 1);
  layers = malloc(MAX_LAYERS * sizeof *layers);
  uint32_t layer_count = 0;
  if (!output || !layers) {
    fprintf(stderr, "xmos_classify: out of memory\n");
    goto done;
  }
  if (xai_host_write_input(dev, eng, 0, input, in->bytes, &err) != XAI_OK ||
      xai_host_invoke(dev, eng, &err) != XAI_OK ||
      xai_host_read_output(dev, eng, 0, output, out->bytes, &out_bytes,
                           &err) != XAI_OK ||
      xai_host_read_times(dev, eng, layers, MAX_LAYERS, &layer_count, &err) !=
          XAI_OK) {
    fprintf(stderr, "xmos_classify: %s\n", err.message);
    goto done;
  }
  size_t esize = dtype_bytes(out->dtype);
  size_t n = esize ? out_bytes / esize : 0;
  if (n == 0) {
    fprintf(stderr, "xmos_classify: the output has an unsupported type\n");
    goto done;
  }
  real = malloc(2 * n * sizeof *real);
  if (!real) goto done;
  for (size_t i = 0; i < n; i++)
    real[i] = real[n + i] = xc_dequantize(output, i, out->dtype, out->scale,
                                          out->zero_point);
  const int has_softmax =
      layer_count > 0 && strstr(layers[layer_count - 1].op, "SOFTMAX") != NULL;
  double *prob = real + n;
  if (!has_softmax) xc_softmax(prob, n);
  size_t best = 0;
  for (size_t i = 1; i < n; i++)
    if (prob[i] > prob[best]) best = i;
  char *label = label_text ? find_label(label_text, best) : NULL;
  if (label_text && !label) {
    fprintf(stderr, "xmos_classify: --labels %s has no line %zu for the top "
            "class (it needs one label per line, one line per class)\n",
            labels, best + 1);
    goto done;
  }
  print_guide_lines(real, n, best, label, layers, layer_count, prob[best]);
  printf("Output (%zu values):", n);
  for (size_t i = 0; i < n; i++) {
    if (out->dtype == 0)
      printf(" %g", real[i]);
    else
      printf(" %lld", (long long)xc_dequantize(output, i, out->dtype, 0, 0));
  }
  printf("\n");
  if (label)
    printf("Top class: %s (confidence %.2f)\n", label, prob[best]);
  else
    printf("Top class: %zu (confidence %.2f)\n", best, prob[best]);
  free(label);
  uint64_t total = 0;
  for (uint32_t i = 0; i < layer_count; i++) total += layers[i].ticks;
  /* Ticks of the 100 MHz device timer: 100000 per ms. */
  printf("Inference time: %.3f ms\n", (double)total / 100000.0);
  for (uint32_t i = 0; i < layer_count; i++)
    printf("  %3u %-28s %9.3f ms\n", i, layers[i].op,
           (double)layers[i].ticks / 100000.0);
  print_load_totals(layers, layer_count);
  rc = 0;
done:
  free(label_text);
  free(real);
  free(layers);
  free(output);
  free(input);
  free(resized);
  if (pixels) stbi_image_free(pixels);
  xai_host_close(dev);
  return rc;
}
