/* Loading a model that comes with a params file: SET_PARAMS + SET_MODEL
 * into SRAM or LPDDR, or a flash image programmed over the link and the
 * model loaded from its entry (docs/protocol.md, SET_PARAMS). */
#include <stdlib.h>

#include "device_internal.h"
#include "xai/host_placement.h"

xai_status xai_host_download_params(xai_host_device *dev, uint8_t engine,
                                    const void *params, size_t size,
                                    xai_model_memory memory,
                                    xai_host_progress_fn progress,
                                    void *progress_user, xai_error *err) {
  xai_error_clear(err);
  xai_status st = xai_host_check_ram_download(
      "download_params", memory, "params in flash go in a flash image", size,
      "params file", err);
  if (st) return st;
  return xai_link_send_transfer(dev, XAI_CMD_SET_PARAMS, engine, 0,
                                (uint32_t)memory, params, size, progress,
                                progress_user, err);
}

static xai_status via_flash(xai_host_device *dev, uint8_t engine,
                            const void *model, size_t model_size,
                            const void *params, size_t params_size,
                            xai_host_progress_fn progress, void *progress_user,
                            xai_error *err) {
  xai_status st = xai_host_flash_program_entry(dev, 0, model, model_size,
                                               params, params_size, progress,
                                               progress_user, err);
  if (st != XAI_OK) return st;
  return xai_host_set_model_from_flash(dev, engine, 0, err);
}

xai_status xai_host_download_model_params(xai_host_device *dev, uint8_t engine,
                                          const void *model, size_t model_size,
                                          const void *params,
                                          size_t params_size,
                                          xai_host_params_memory memory,
                                          xai_host_progress_fn progress,
                                          void *progress_user, xai_error *err) {
  xai_error_clear(err);
  if (!model || model_size == 0)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "download_model_params: the model is empty");
  if (!params || params_size == 0)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "download_model_params: the params file is empty");
  if (memory == XAI_HOST_PARAMS_FLASH)
    return via_flash(dev, engine, model, model_size, params, params_size,
                     progress, progress_user, err);
  if (memory != XAI_HOST_PARAMS_SRAM && memory != XAI_HOST_PARAMS_LPDDR)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "download_model_params: memory %d is not SRAM, LPDDR or "
                    "FLASH", (int)memory);
  xai_model_memory mem =
      memory == XAI_HOST_PARAMS_LPDDR ? XAI_MODEL_TO_LPDDR : XAI_MODEL_TO_SRAM;
  xai_status st = xai_host_download_params(dev, engine, params, params_size,
                                           mem, progress, progress_user, err);
  if (st != XAI_OK) return st;
  return xai_host_send_model(dev, engine, model, model_size,
                             XAI_SET_MODEL_ARG(mem, 0) |
                                 XAI_SET_MODEL_WITH_PARAMS,
                             progress, progress_user, err);
}
