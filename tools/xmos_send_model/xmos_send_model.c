/* `xmos_send_model MODEL [--params FILE] [--device D] [--engine N]
 *                  [--memory sram|lpddr|flash] [--timeout-ms N]`
 * Loads a model onto the device (the emulator when no --device is given,
 * started if needed) and prints what the seed's send_model example prints:
 * the connection, the model length, where it was loaded, and the input and
 * output sizes. With --params (the file `xformer --xcore-flash-image-file`
 * wrote) the params go to SRAM or LPDDR with the model, or with --memory
 * flash a flash image of both is programmed and the model loaded from it;
 * it then prints where the model, arena and params went.
 * Exit 0 on success, 1 on a failure, 2 on a usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xai/host.h"
#include "xmos_args.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: xmos_send_model MODEL [--params FILE] [--device D] "
          "[--engine N]\n"
          "                       [--memory sram|lpddr|flash] "
          "[--timeout-ms N]\n"
          "Loads MODEL (.tflite) onto the device.\n"
          "  --params FILE   the model's params file (xformer\n"
          "                  --xcore-flash-image-file); sent with the model\n"
          "  --device D      emu:PATH, usb, usb:BUS:ADDR or spi:/dev/spidevB.C\n"
          "                  (default: the emulator, started if not running)\n"
          "  --engine N      model slot on the device (default 0)\n"
          "  --memory M      sram (default), lpddr, or flash (needs --params:\n"
          "                  programs a flash image of model + params at\n"
          "                  address 0, then loads the model from it)\n"
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
  int to_flash;
  xai_model_memory memory;
} send_options;

/* --memory and --params (xmos_args_option_fn). */
static int send_option(void *user, const char *opt, const char *value) {
  send_options *o = user;
  if (!value) return XMOS_ARG_OTHER;
  if (strcmp(opt, "--memory") == 0) {
    if (strcmp(value, "sram") == 0) {
      o->memory = XAI_MODEL_TO_SRAM;
    } else if (strcmp(value, "lpddr") == 0) {
      o->memory = XAI_MODEL_TO_LPDDR;
    } else if (strcmp(value, "flash") == 0) {
      o->to_flash = 1;
    } else {
      fprintf(stderr,
              "xmos_send_model: --memory must be sram, lpddr or flash\n");
      return 2;
    }
  } else if (strcmp(opt, "--params") == 0) {
    o->params_path = value;
  } else {
    return XMOS_ARG_OTHER;
  }
  return XMOS_ARGS_OK;
}

int main(int argc, char **argv) {
  send_options opts = {NULL, 0, XAI_MODEL_TO_SRAM};
  xmos_args args = {.tool = "xmos_send_model", .usage = usage,
                    .has_engine = 1, .option = send_option, .user = &opts};
  int parsed = xmos_args_parse(&args, argc, argv);
  if (parsed != XMOS_ARGS_OK) return parsed;
  const char *model_path = args.path, *params_path = opts.params_path;
  const int to_flash = opts.to_flash;
  const xai_model_memory memory = opts.memory;
  const unsigned long engine = args.engine;
  if (to_flash && !params_path) {
    fprintf(stderr, "xmos_send_model: --memory flash needs --params FILE "
            "(for a flash image of models alone use build_flash_file and "
            "xmos_flash)\n");
    return 2;
  }
  xai_error err;
  xai_error_clear(&err);
  uint8_t *model = NULL;
  size_t size = 0;
  if (xai_file_read(model_path, &model, &size, &err) != XAI_OK) {
    fprintf(stderr, "xmos_send_model: %s\n", err.message);
    return 1;
  }
  uint8_t *params = NULL;
  size_t params_size = 0;
  if (params_path &&
      xai_file_read(params_path, &params, &params_size, &err) != XAI_OK) {
    fprintf(stderr, "xmos_send_model: %s\n", err.message);
    xai_file_free(model);
    return 1;
  }
  xai_host_device *dev = NULL;
  if (xai_host_connect(&dev, args.device, (uint32_t)args.timeout_ms,
                       &err) != XAI_OK) {
    fprintf(stderr, "xmos_send_model: %s\n", err.message);
    xai_file_free(model);
    xai_file_free(params);
    return 1;
  }
  printf("Connected to %s\n", xai_host_description(dev));
  printf("Model length (bytes): %zu\n", size);
  if (params) printf("Params length (bytes): %zu\n", params_size);
  xai_host_progress_bar_state bar;
  xai_host_progress_bar_init(&bar, to_flash ? "Programming flash"
                                   : params ? "Sending params and model"
                                            : "Sending model");
  const char *where = to_flash                      ? "flash entry 0 into RAM"
                      : memory == XAI_MODEL_TO_LPDDR ? "LPDDR"
                                                     : "SRAM";
  int rc = 1;
  xai_host_spec spec;
  xai_status st;
  if (params)
    st = xai_host_download_model_params(
        dev, (uint8_t)engine, model, size, params, params_size,
        to_flash ? XAI_HOST_PARAMS_FLASH
        : memory == XAI_MODEL_TO_LPDDR ? XAI_HOST_PARAMS_LPDDR
                                       : XAI_HOST_PARAMS_SRAM,
        xai_host_progress_bar, &bar, &err);
  else
    st = xai_host_download_model(dev, (uint8_t)engine, model, size, memory,
                                 xai_host_progress_bar, &bar, &err);
  if (st != XAI_OK ||
      xai_host_read_spec(dev, (uint8_t)engine, &spec, &err) != XAI_OK) {
    fprintf(stderr, "xmos_send_model: %s\n", err.message);
  } else {
    printf("Model loaded %s %s (engine %lu)\n", to_flash ? "from" : "to",
           where, engine);
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
    rc = 0;
  }
  xai_host_close(dev);
  xai_file_free(model);
  xai_file_free(params);
  return rc;
}
