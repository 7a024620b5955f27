/* `xmos_send_model MODEL [MODEL2 ...] [--params FILE] [--device D] [--engine N]
 *                  [--memory auto|sram|lpddr|flash] [--flash-entry N]
 *                  [--timeout-ms N]`
 * `xmos_send_model --flash-entry N [--device D] [--engine N]`
 * Loads a model onto the device (the emulator when no --device is given,
 * started if needed) where the xformer placed it (the model's
 * xai_placement record: model, arena and params memories and flash
 * entry; docs/device.md) and prints what the seed's send_model example
 * prints: the connection, the model length, where it was loaded, and the
 * input and output sizes. --memory overrides the placement. Params in
 * flash are programmed as their flash entry, keeping the other entries.
 * With --flash-entry N and no MODEL, entry N of the device's flash is
 * loaded. Several models (the stages of xformer --xcore-pipeline) go to
 * engines N, N+1, ... in order. Exit 0 on success, 1 on a failure, 2 on a
 * usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xai/host.h"
#include "xai/host_placement.h"
#include "xmos_args.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: xmos_send_model MODEL [--params FILE] [--device D] "
          "[--engine N]\n"
          "                       [--memory auto|sram|lpddr|flash] "
          "[--flash-entry N] [--timeout-ms N]\n"
          "       xmos_send_model STAGE0 STAGE1 ... [--device D] [--engine N]"
          "\n"
          "       xmos_send_model --flash-entry N [--device D] [--engine N]\n"
          "Loads MODEL (.tflite) onto the device where the xformer placed "
          "it.\n"
          "  --params FILE   the model's params file (xformer\n"
          "                  --xcore-flash-image-file); sent with the model\n"
          "  --device D      emu:PATH, usb, usb:BUS:ADDR or spi:/dev/spidevB.C\n"
          "                  (default: the emulator, started if not running)\n"
          "  --engine N      model slot on the device (default 0); several\n"
          "                  models (a pipeline's stages from the xformer) go to\n"
          "                  engines N, N+1, ...\n"
          "  --memory M      auto (default: the xformer's placement), sram,\n"
          "                  lpddr, or flash (needs --params: programs model\n"
          "                  + params as a flash entry, keeping the others,\n"
          "                  then loads the model from it)\n"
          "  --flash-entry N the flash entry to program (default: the one\n"
          "                  the xformer recorded, else 0); without MODEL,\n"
          "                  loads entry N of the device's flash\n"
          "  --timeout-ms N  wait for each reply (default %u)\n",
          XAI_HOST_DEFAULT_TIMEOUT_MS);
}

static const char *dtype_name(unsigned t) {
  switch (t) {
    case 0: return "float32";
    case 2: return "int32";
    case 3: return "uint8";
    case 7: return "int16";
    case 9: return "int8";
    default: return "other";
  }
}

static void print_tensor(const char *kind, unsigned i,
                         const xai_proto_tensor_info *t) {
  printf("  %s %u '%s' %s [", kind, i, t->name, dtype_name(t->dtype));
  for (unsigned d = 0; d < t->rank; d++)
    printf("%s%d", d ? "," : "", (int)t->shape[d]);
  printf("] scale %g zero_point %d: %u bytes\n", (double)t->scale,
         (int)t->zero_point, (unsigned)t->bytes);
}

static void print_placement(const xai_host_device *dev, unsigned long engine) {
  xai_proto_placement p;
  if (!xai_host_last_placement(dev, &p)) return;
  printf("Model: %u bytes in %s (engine %lu, tile %u)\n",
         (unsigned)p.model_bytes, xai_proto_place_name(p.model), engine,
         (unsigned)p.tile);
  printf("Arena: %u bytes in %s\n", (unsigned)p.arena_bytes,
         xai_proto_place_name(p.arena));
  if (p.params == XAI_PLACE_FLASH)
    printf("Params: %u bytes in flash (entry %u), streamed at %u MB/s\n",
           (unsigned)p.params_bytes, (unsigned)p.flash_entry,
           (unsigned)p.params_mbps);
  else if (p.params != XAI_PLACE_NONE)
    printf("Params: %u bytes in %s, streamed at %u MB/s\n",
           (unsigned)p.params_bytes, xai_proto_place_name(p.params),
           (unsigned)p.params_mbps);
}

typedef struct {
  const char *params_path;
  int memory;       /* -1: as placed, else XAI_PLACE_SRAM/LPDDR/FLASH */
  long flash_entry; /* -1: as placed */
} send_options;

/* --memory, --params and --flash-entry (xmos_args_option_fn). */
static int send_option(void *user, const char *opt, const char *value) {
  send_options *o = user;
  if (!value) return XMOS_ARG_OTHER;
  if (strcmp(opt, "--memory") == 0) {
    if (strcmp(value, "auto") == 0) {
      o->memory = -1;
    } else if (strcmp(value, "sram") == 0) {
      o->memory = XAI_PLACE_SRAM;
    } else if (strcmp(value, "lpddr") == 0) {
      o->memory = XAI_PLACE_LPDDR;
    } else if (strcmp(value, "flash") == 0) {
      o->memory = XAI_PLACE_FLASH;
    } else {
      fprintf(stderr, "xmos_send_model: --memory must be auto, sram, lpddr "
              "or flash\n");
      return 2;
    }
  } else if (strcmp(opt, "--params") == 0) {
    o->params_path = value;
  } else if (strcmp(opt, "--flash-entry") == 0) {
    char *end;
    unsigned long v = strtoul(value, &end, 10);
    if (!*value || *end || value[0] == '-' || v > 65535) {
      fprintf(stderr, "xmos_send_model: --flash-entry must be a whole number "
              "from 0 to 65535 (got '%s')\n", value);
      return 2;
    }
    o->flash_entry = (long)v;
  } else {
    return XMOS_ARG_OTHER;
  }
  return XMOS_ARGS_OK;
}

/* The placement to load with: the model's record, with --memory and
 * --flash-entry applied. Models without a record load as before the
 * record existed: model and arena in SRAM, params with the model. */
static void effective_placement(const send_options *o, bool has_params,
                                xai_host_model_placement *p) {
  if (!p->present) {
    p->present = true;
    p->model = p->arena = XAI_PLACE_SRAM;
    p->params = has_params ? XAI_PLACE_SRAM : XAI_PLACE_NONE;
  }
  if (o->memory == XAI_PLACE_FLASH) {
    p->model = XAI_PLACE_SRAM; /* from flash: the device chooses */
    p->arena = XAI_PLACE_NONE;
    p->params = XAI_PLACE_FLASH;
  } else if (o->memory >= 0) {
    p->model = (uint8_t)o->memory;
    p->arena = XAI_PLACE_NONE;
    if (has_params) p->params = (uint8_t)o->memory;
  }
  if (o->memory >= 0) p->sram_bytes = p->lpddr_bytes = p->flash_bytes = 0;
  if (o->flash_entry >= 0) p->flash_entry = (uint32_t)o->flash_entry;
}

static int report_loaded(xai_host_device *dev, unsigned long engine) {
  xai_error err;
  xai_host_spec spec;
  if (xai_host_read_spec(dev, (uint8_t)engine, &spec, &err) != XAI_OK) {
    fprintf(stderr, "xmos_send_model: %s\n", err.message);
    return 1;
  }
  print_placement(dev, engine);
  uint64_t in_bytes = 0, out_bytes = 0;
  for (unsigned i = 0; i < spec.input_count; i++)
    in_bytes += xai_host_spec_input(&spec, i)->bytes;
  for (unsigned i = 0; i < spec.output_count; i++)
    out_bytes += xai_host_spec_output(&spec, i)->bytes;
  printf("input_size: %llu\n", (unsigned long long)in_bytes);
  printf("output_size: %llu\n", (unsigned long long)out_bytes);
  for (unsigned i = 0; i < spec.input_count; i++)
    print_tensor("input", i, xai_host_spec_input(&spec, i));
  for (unsigned i = 0; i < spec.output_count; i++)
    print_tensor("output", i, xai_host_spec_output(&spec, i));
  printf("arena_used: %u\n", (unsigned)spec.arena_bytes_used);
  return 0;
}

/* --flash-entry N without a model: what the flash holds. */
static int load_entry(const xmos_args *args, const send_options *o) {
  xai_error err;
  xai_host_device *dev = NULL;
  if (xmos_args_connect(args, &dev,
                       &err) != XAI_OK) {
    fprintf(stderr, "xmos_send_model: %s\n", err.message);
    return 1;
  }
  printf("Connected to %s\n", xai_host_description(dev));
  int rc = 1;
  /* The entry's model says where its arena goes (xformer placement). */
  xai_host_model_placement place;
  if (xai_host_flash_entry_placement(dev, (uint32_t)o->flash_entry, &place,
                                     &err) != XAI_OK)
    place.present = false;
  if (place.present) {
    char where[160];
    xai_host_placement_describe(&place, where, sizeof where);
    printf("Placement (from the xformer): %s\n", where);
  }
  if (xai_host_load_flash_entry(dev, (uint8_t)args->engine,
                                (uint32_t)o->flash_entry,
                                place.present ? place.arena : XAI_PLACE_NONE,
                                place.present && place.model == XAI_PLACE_LPDDR,
                                &err) != XAI_OK) {
    fprintf(stderr, "xmos_send_model: %s\n", err.message);
  } else {
    printf("Model loaded from flash entry %ld (engine %lu)\n", o->flash_entry,
           args->engine);
    rc = report_loaded(dev, args->engine);
  }
  xai_host_close(dev);
  return rc;
}

/* Loads one model file onto `engine` over dev (read and checked first). */
static int send_one(xai_host_device *dev, const send_options *opts,
                    const char *model_path, unsigned long engine) {
  const char *params_path = opts->params_path;
  xai_error err;
  xai_error_clear(&err);
  uint8_t *model = NULL;
  size_t size = 0;
  if (xai_file_read(model_path, &model, &size, &err) != XAI_OK) {
    fprintf(stderr, "xmos_send_model: %s\n", err.message);
    return 1;
  }
  xai_host_model_placement place;
  if (xai_host_read_placement(model, size, &place, &err) != XAI_OK) {
    fprintf(stderr, "xmos_send_model: %s: %s\n", model_path, err.message);
    xai_file_free(model);
    return 1;
  }
  const bool recorded = place.present;
  uint8_t *params = NULL;
  size_t params_size = 0;
  if (params_path &&
      xai_file_read(params_path, &params, &params_size, &err) != XAI_OK) {
    fprintf(stderr, "xmos_send_model: %s\n", err.message);
    xai_file_free(model);
    return 1;
  }
  effective_placement(opts, params != NULL, &place);
  printf("Model length (bytes): %zu\n", size);
  if (params) printf("Params length (bytes): %zu\n", params_size);
  char where[160];
  xai_host_placement_describe(&place, where, sizeof where);
  printf("Placement (%s): %s\n",
         opts->memory >= 0 ? "--memory" : recorded ? "from the xformer"
                                                   : "default",
         where);
  const bool to_flash = place.params == XAI_PLACE_FLASH;
  xai_host_progress_bar_state bar;
  xai_host_progress_bar_init(&bar, to_flash ? "Programming flash"
                                   : params ? "Sending params and model"
                                            : "Sending model");
  int rc = 1;
  if (xai_host_load_placed(dev, (uint8_t)engine, model, size, params,
                           params_size, &place, xai_host_progress_bar, &bar,
                           &err) != XAI_OK) {
    fprintf(stderr, "xmos_send_model: %s\n", err.message);
  } else {
    if (to_flash)
      printf("Model loaded from flash entry %u (engine %lu)\n",
             place.flash_entry, engine);
    else
      printf("Model loaded to %s (engine %lu)\n",
             place.model == XAI_PLACE_LPDDR ? "LPDDR" : "SRAM", engine);
    rc = report_loaded(dev, engine);
  }
  xai_file_free(model);
  xai_file_free(params);
  return rc;
}

int main(int argc, char **argv) {
  send_options opts = {NULL, -1, -1};
  const char *paths[XAI_HOST_PIPELINE_MAX_STAGES];
  xmos_args args = {.tool = "xmos_send_model", .usage = usage,
                    .has_engine = 1, .option = send_option, .user = &opts,
                    .path_optional = 1, .paths = paths,
                    .max_paths = XAI_HOST_PIPELINE_MAX_STAGES};
  int parsed = xmos_args_parse(&args, argc, argv);
  if (parsed != XMOS_ARGS_OK) return parsed;
  if (!args.path) {
    if (opts.flash_entry < 0 || opts.params_path || opts.memory >= 0) {
      usage(stderr);
      return 2;
    }
    return load_entry(&args, &opts);
  }
  if (opts.memory == XAI_PLACE_FLASH && !opts.params_path) {
    fprintf(stderr, "xmos_send_model: --memory flash needs --params FILE "
            "(for a flash image of models alone use build_flash_file and "
            "xmos_flash)\n");
    return 2;
  }
  if (args.path_count > 1 &&
      (opts.params_path || opts.flash_entry >= 0 ||
       args.engine + args.path_count > 32)) {
    fprintf(stderr, "xmos_send_model: several models (a pipeline's stages) "
            "go to engines N, N+1, ... up to 31 and hold their weights: "
            "--params and --flash-entry take one model\n");
    return 2;
  }
  /* Every file is readable before the device is touched. */
  xai_error err;
  for (unsigned i = 0; i <= args.path_count; i++) {
    const char *path = i < args.path_count ? paths[i] : opts.params_path;
    uint8_t *data = NULL;
    size_t n = 0;
    if (path && xai_file_read(path, &data, &n, &err) != XAI_OK) {
      fprintf(stderr, "xmos_send_model: %s\n", err.message);
      return 1;
    }
    xai_file_free(data);
  }
  xai_host_device *dev = NULL;
  if (xmos_args_connect(&args, &dev, &err) != XAI_OK) {
    fprintf(stderr, "xmos_send_model: %s\n", err.message);
    return 1;
  }
  printf("Connected to %s\n", xai_host_description(dev));
  int rc = 0;
  for (unsigned i = 0; i < args.path_count && !rc; i++) {
    if (args.path_count > 1)
      printf("%s -> engine %lu (pipeline stage %u of %u)\n", paths[i],
             args.engine + i, i, args.path_count);
    rc = send_one(dev, &opts, paths[i], args.engine + i);
    if (rc && i)
      fprintf(stderr, "xmos_send_model: engines %lu..%lu hold the new "
              "stages 0..%u; the rest keep what they had\n", args.engine,
              args.engine + i - 1, i - 1);
  }
  xai_host_close(dev);
  return rc;
}
