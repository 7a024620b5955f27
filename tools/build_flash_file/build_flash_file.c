/* build_flash_file --output flash.out model.tflite model.params [m2 p2 ...]
 * Packs model/params pairs into one flash image (SYSTEM.md section 6).
 * '-' stands for "no model" or "no params". The output is written
 * atomically: on any error no output file is left behind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xai/flash.h"
#include "xai/runtime.h"
#include "xai/tflite.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: build_flash_file --output FLASH_IMAGE MODEL PARAMS "
          "[MODEL PARAMS ...]\n"
          "\n"
          "Packs each MODEL (.tflite) and its PARAMS file (from xformer's\n"
          "--xcore-flash-image-file) into one image for the device's flash.\n"
          "Files come in pairs; write '-' for a missing model or params.\n"
          "Entry i of the image is the i-th pair.\n"
          "\n"
          "  -o, --output FILE   image to write (required)\n"
          "  -h, --help          show this help\n");
}

/* Entry `i`: the model is a TFLite model and the params are the file it
 * was compiled with (the hash in its `xai_params` metadata), or no params
 * when it has none. Returns 0, or 1 after printing one line. */
static int check_pair(const char *model_path, const xai_flash_blob_pair *e,
                      const char *params_path) {
  xai_error err = {0};
  xai_params_source src = xai_params_memory(e->params, e->params_bytes,
                                            XAI_PARAMS_RAM);
  if (!e->model) {
    if (e->params && xai_params_verify(&src, &err) != XAI_OK) {
      fprintf(stderr, "build_flash_file: %s is not a params file from the "
              "xformer: %s\n", params_path, err.message);
      return 1;
    }
    return 0;
  }
  xai_tfl_view view;
  if (xai_tfl_open(&view, e->model, e->model_bytes, &err) != XAI_OK) {
    fprintf(stderr, "build_flash_file: %s: %s\n", model_path, err.message);
    return 1;
  }
  uint64_t hash = 0, bytes = 0;
  const bool wants = xai_params_expected(e->model, e->model_bytes, &hash,
                                         &bytes);
  if (!wants && e->params) {
    fprintf(stderr, "build_flash_file: %s has no params file (it was "
            "compiled without --xcore-flash-image-file), but %s was given "
            "as its params; write '-'\n", model_path, params_path);
    return 1;
  }
  if (wants && !e->params) {
    fprintf(stderr, "build_flash_file: %s reads its weights from a params "
            "file of %llu bytes (hash %016llx), but '-' was given; pass the "
            "file the xformer wrote with it\n", model_path,
            (unsigned long long)bytes, (unsigned long long)hash);
    return 1;
  }
  if (wants && (xai_params_check(&src, hash, &err) != XAI_OK ||
                xai_params_verify(&src, &err) != XAI_OK)) {
    fprintf(stderr, "build_flash_file: %s is not the params file of %s: "
            "%s\n", params_path, model_path, err.message);
    return 1;
  }
  return 0;
}

static int usage_error(const char *what, const char *arg) {
  fprintf(stderr, "build_flash_file: %s%s\n\n", what, arg);
  usage(stderr);
  return 2;
}

int main(int argc, char **argv) {
  const char *output = NULL;
  const char **files = calloc((size_t)argc, sizeof *files);
  if (!files) return 1;
  size_t nfiles = 0;
  int rc = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      usage(stdout);
      free(files);
      return 0;
    }
    if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
      if (i + 1 >= argc) {
        free(files);
        return usage_error("missing file name after ", a);
      }
      output = argv[++i];
    } else if (!strncmp(a, "--output=", 9)) {
      output = a + 9;
    } else if (a[0] == '-' && a[1] != '\0') {
      free(files);
      return usage_error("unknown option ", a);
    } else {
      files[nfiles++] = a;
    }
  }
  if (!output || !output[0]) {
    free(files);
    return usage_error("no --output given", "");
  }
  if (nfiles == 0 || nfiles % 2 != 0) {
    free(files);
    return usage_error(nfiles == 0 ? "no input files given"
                                   : "an odd number of input files: they "
                                     "come in MODEL PARAMS pairs (use '-' "
                                     "for a missing one)",
                       "");
  }

  size_t pairs = nfiles / 2;
  xai_flash_blob_pair *entries = calloc(pairs, sizeof *entries);
  uint8_t **loaded = calloc(nfiles, sizeof *loaded);
  if (!entries || !loaded) {
    fprintf(stderr, "build_flash_file: out of memory\n");
    free(entries);
    free(loaded);
    free(files);
    return 1;
  }
  xai_error err = {0};
  for (size_t f = 0; f < nfiles && rc == 0; f++) {
    if (!strcmp(files[f], "-")) continue;
    size_t size;
    if (xai_file_read(files[f], &loaded[f], &size, &err) != XAI_OK) {
      fprintf(stderr, "build_flash_file: %s\n", err.message);
      rc = 1;
      break;
    }
    xai_flash_blob_pair *e = &entries[f / 2];
    if (f % 2 == 0) {
      e->model = loaded[f];
      e->model_bytes = size;
    } else {
      e->params = loaded[f];
      e->params_bytes = size;
    }
  }

  for (size_t i = 0; i < pairs && rc == 0; i++)
    rc = check_pair(files[2 * i], &entries[i], files[2 * i + 1]);

  uint8_t *image = NULL;
  size_t image_bytes = 0;
  if (rc == 0 &&
      (xai_flash_image_build(entries, pairs, &image, &image_bytes, &err) !=
           XAI_OK ||
       xai_file_write_atomic(output, image, image_bytes, &err) != XAI_OK)) {
    fprintf(stderr, "build_flash_file: %s\n", err.message);
    rc = 1;
  }
  if (rc == 0) {
    printf("%s: %zu bytes, %zu entries\n", output, image_bytes, pairs);
    for (size_t i = 0; i < pairs; i++)
      printf("  entry %zu: model %s (%zu bytes), params %s (%zu bytes)\n", i,
             files[2 * i], entries[i].model_bytes, files[2 * i + 1],
             entries[i].params_bytes);
  }
  xai_flash_image_free(image);
  for (size_t f = 0; f < nfiles; f++) xai_file_free(loaded[f]);
  free(loaded);
  free(entries);
  free(files);
  return rc;
}
