/* Loading a model where the xformer placed it (docs/device.md, "The device
 * follows the compiler"): the `xai_placement` metadata names the memory of
 * the model, the arena and the params and the flash entry; these calls
 * read it and load the model accordingly, and program one flash entry
 * while keeping the others. */
#ifndef XAI_HOST_PLACEMENT_H
#define XAI_HOST_PLACEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xai/host.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The xformer's placement of one model (XAI_PLACE_* values). */
typedef struct {
  bool present;        /* false: the model has no xai_placement record */
  uint8_t model, arena;
  uint8_t params;      /* XAI_PLACE_NONE: the weights are in the model */
  uint32_t flash_entry;
  uint64_t sram_bytes, lpddr_bytes, flash_bytes; /* bytes placed in each */
} xai_host_model_placement;

/* Reads the record from a .tflite in memory. A model without one gives
 * present = false and XAI_OK; a damaged record is XAI_ERR_FORMAT. */
xai_status xai_host_read_placement(const void *model, size_t size,
                                   xai_host_model_placement *out,
                                   xai_error *err);

/* "model in SRAM, arena in LPDDR, params in flash entry 2". */
void xai_host_placement_describe(const xai_host_model_placement *p,
                                 char *out, size_t cap);

/* Loads `model` onto `engine` as `place` says: SET_MODEL into the model's
 * memory with the arena's memory asked for; params (required when the
 * placement splits them, else refused) with SET_PARAMS into their memory,
 * or, for params in flash, model + params programmed as flash entry
 * place->flash_entry (the other entries kept) and the model loaded from
 * there. Checks what it can against the device's HELLO first; every
 * NO_MEMORY names the memory, the bytes short and the xformer option
 * that fixes it. */
xai_status xai_host_load_placed(xai_host_device *dev, uint8_t engine,
                                const void *model, size_t model_size,
                                const void *params, size_t params_size,
                                const xai_host_model_placement *place,
                                xai_host_progress_fn progress,
                                void *progress_user, xai_error *err);

/* SET_MODEL from flash entry `entry` with the arena asked for in `arena`
 * (XAI_PLACE_SRAM/LPDDR, or NONE: the device chooses) and the model in
 * LPDDR when model_lpddr. */
xai_status xai_host_load_flash_entry(xai_host_device *dev, uint8_t engine,
                                     uint32_t entry, uint8_t arena,
                                     bool model_lpddr, xai_error *err);

/* Programs model + params (either may be NULL: "-") as entry `entry` of
 * the device's flash image, keeping every other entry: the image is read
 * back, rebuilt with that entry replaced (or appended when entry equals
 * the entry count) and written. Flash holding no image takes entry 0. */
xai_status xai_host_flash_program_entry(xai_host_device *dev, uint32_t entry,
                                        const void *model, size_t model_size,
                                        const void *params, size_t params_size,
                                        xai_host_progress_fn progress,
                                        void *progress_user, xai_error *err);

/* The placement recorded in the model of flash entry `entry` on the
 * device (read back over the link): present = false when the entry's
 * model has none. */
xai_status xai_host_flash_entry_placement(xai_host_device *dev,
                                          uint32_t entry,
                                          xai_host_model_placement *out,
                                          xai_error *err);

#ifdef __cplusplus
}
#endif

#endif
