/* Host inference-engine library (SYSTEM.md section 2, host/): talks to an
 * xcore.ai board over USB or SPI, or to the device emulator over a local
 * socket, with the frames of docs/protocol.md.
 *
 * Every call waits at most the device's timeout for each reply, so a dead
 * peer (socket closed, emulator killed mid-transfer, board unplugged) gives
 * an error within that time, never a hang. A reply with a status other than
 * OK becomes an xai_status error whose message names the command, the
 * device's status name and the device's own message or log line. */
#ifndef XAI_HOST_H
#define XAI_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"
#include "xai/protocol.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xai_host_device xai_host_device;

/* Default wait for each reply. Large enough for a model load or an invoke
 * of a large model in the emulator (which runs reference kernels). */
#define XAI_HOST_DEFAULT_TIMEOUT_MS 30000u

/* Inputs + outputs a spec can describe. */
#define XAI_HOST_MAX_TENSORS 32

/* Called as a transfer progresses (done of total bytes). */
typedef void (*xai_host_progress_fn)(void *user, uint64_t done,
                                     uint64_t total);

/* device:
 *   NULL            the default emulator socket ($XAI_DEVICE_SOCKET, else
 *                   /tmp/xai-device-$UID/device.sock); when nothing answers
 *                   there the emulator is started (xai_device_emulator found
 *                   via $XAI_DEVICE_EMULATOR, next to this executable, in
 *                   the build tree, or on PATH) and connected to.
 *   "emu:PATH"      an emulator listening on PATH (never auto-started).
 *   "usb"           the first board with XAI_USB_VID / XAI_USB_PID.
 *   "usb:BUS:ADDR"  the board at that USB bus and address.
 *   "spi:/dev/spidevB.C"  a board on that SPI bus (Linux spidev).
 * timeout_ms: the wait for each reply (0 = XAI_HOST_DEFAULT_TIMEOUT_MS).
 * Connecting sends HELLO; the reply is kept (xai_host_hello). */
xai_status xai_host_connect(xai_host_device **dev, const char *device,
                            uint32_t timeout_ms, xai_error *err);
void xai_host_close(xai_host_device *dev);

void xai_host_set_timeout(xai_host_device *dev, uint32_t timeout_ms);
/* When a request had to wait for another client, who held the device and
 * for how long, e.g. "device was held by client #3 (pid 812), idle 2.1 s;
 * served after 2.4 s"; "" when no request on this connection waited. */
const char *xai_host_wait_note(const xai_host_device *dev);
/* e.g. "xcore.ai emulator (/tmp/xai-device-0/device.sock)". */
const char *xai_host_description(const xai_host_device *dev);

/* The device facts from HELLO (asked again, so it is also a ping). */
xai_status xai_host_hello(xai_host_device *dev, xai_proto_hello *hello,
                          xai_error *err);

/* Streams a model to `engine`, placed in SRAM or LPDDR. progress may be
 * NULL. A transfer that fails midway leaves the device's previous model. */
xai_status xai_host_download_model(xai_host_device *dev, uint8_t engine,
                                   const void *model, size_t size,
                                   xai_model_memory memory,
                                   xai_host_progress_fn progress,
                                   void *progress_user, xai_error *err);
/* Loads entry `flash_entry` of the flash image into `engine`. */
xai_status xai_host_set_model_from_flash(xai_host_device *dev, uint8_t engine,
                                         uint32_t flash_entry, xai_error *err);

/* ---- Models with a params file (xformer --xcore-flash-image-file) ------ */

/* Where the params file goes. */
typedef enum {
  XAI_HOST_PARAMS_SRAM = 0,  /* model, params and arena in the tile's SRAM */
  XAI_HOST_PARAMS_LPDDR = 1, /* model and params in LPDDR (arena in SRAM if
                                it fits, else LPDDR too) */
  XAI_HOST_PARAMS_FLASH = 2, /* model + params are programmed as entry 0
                                of the flash image (other entries kept) and
                                the model loaded from it; the params stream
                                from flash at run time */
} xai_host_params_memory;

/* Loads `model` with its params file `params` onto `engine`:
 *   SRAM, LPDDR: SET_PARAMS streams the params, then SET_MODEL (with
 *                XAI_SET_MODEL_WITH_PARAMS) the model, both to `memory`;
 *   FLASH:       programs model + params as flash entry 0, keeping the
 *                other entries (xai_host_flash_program_entry), then
 *                SET_MODEL from entry 0.
 * progress (may be NULL) sees each transfer in turn (params or flash image,
 * then model). The device refuses params that belong to another model
 * (MODEL_ERROR) and a model that does not fit (NO_MEMORY); either way it
 * keeps its previous model. */
xai_status xai_host_download_model_params(xai_host_device *dev, uint8_t engine,
                                          const void *model, size_t model_size,
                                          const void *params,
                                          size_t params_size,
                                          xai_host_params_memory memory,
                                          xai_host_progress_fn progress,
                                          void *progress_user, xai_error *err);

/* Streams a params file to the engine's staging area for the next
 * SET_MODEL with XAI_SET_MODEL_WITH_PARAMS (`memory` SRAM or LPDDR). */
xai_status xai_host_download_params(xai_host_device *dev, uint8_t engine,
                                    const void *params, size_t size,
                                    xai_model_memory memory,
                                    xai_host_progress_fn progress,
                                    void *progress_user, xai_error *err);

/* Where the last successful model load on this connection put the model,
 * arena and params (the device's SET_MODEL reply). false when the device
 * did not say (firmware that predates it) or no model was loaded. */
bool xai_host_last_placement(const xai_host_device *dev,
                             xai_proto_placement *placement);

typedef struct {
  uint32_t arena_bytes_used;
  uint16_t input_count;
  uint16_t output_count;
  xai_proto_tensor_info tensors[XAI_HOST_MAX_TENSORS]; /* inputs, then outputs */
} xai_host_spec;

xai_status xai_host_read_spec(xai_host_device *dev, uint8_t engine,
                              xai_host_spec *spec, xai_error *err);
/* Input or output i of a spec; NULL if out of range. */
const xai_proto_tensor_info *xai_host_spec_input(const xai_host_spec *spec,
                                                 uint32_t i);
const xai_proto_tensor_info *xai_host_spec_output(const xai_host_spec *spec,
                                                  uint32_t i);

xai_status xai_host_write_input(xai_host_device *dev, uint8_t engine,
                                uint16_t tensor, const void *data, size_t size,
                                xai_error *err);
xai_status xai_host_invoke(xai_host_device *dev, uint8_t engine,
                           xai_error *err);
/* Copies output `tensor` to dst (cap bytes); *size gets its length. A
 * tensor larger than cap is XAI_ERR_NO_MEMORY with *size set. */
xai_status xai_host_read_output(xai_host_device *dev, uint8_t engine,
                                uint16_t tensor, void *dst, size_t cap,
                                size_t *size, xai_error *err);

/* Per-layer device times of the last invoke, in execution order. More
 * layers than max_layers is XAI_ERR_NO_MEMORY with *count set to the
 * number needed. */
xai_status xai_host_read_times(xai_host_device *dev, uint8_t engine,
                               xai_proto_layer_timing *layers,
                               uint32_t max_layers, uint32_t *count,
                               xai_error *err);

/* Several engines at once, one per tile (INVOKE_TILES; bit e = engine e):
 * returns when all are done. A device that predates it answers BAD_COMMAND
 * (XAI_ERR_UNSUPPORTED or the device's message). */
xai_status xai_host_invoke_tiles(xai_host_device *dev, uint32_t engine_mask,
                                 xai_error *err);
/* Per-tile and per-layer tile use of the engine's last invoke
 * (GET_TILE_TIMINGS): compute and link time per tile, link bytes and waits
 * per layer (layers: max_layers entries; more is XAI_ERR_NO_MEMORY). */
xai_status xai_host_read_tile_times(xai_host_device *dev, uint8_t engine,
                                    xai_proto_tile_timings *out,
                                    xai_proto_layer_tile *layers,
                                    uint32_t max_layers, xai_error *err);
/* SET_PARAMS with the params spread over the tiles as the model's
 * xai_tiles record says (models from xformer --xcore-tiles N). */
xai_status xai_host_download_params_tiles(xai_host_device *dev,
                                          uint8_t engine, const void *params,
                                          size_t size,
                                          xai_host_progress_fn progress,
                                          void *progress_user,
                                          xai_error *err);
/* Input `input` of `engine` becomes output `src_output` of `src_engine`'s
 * last inference, copied on the device (LINK_INPUT): a pipeline of models
 * without the host in between. The tensors must have the same size, type
 * and quantization. */
xai_status xai_host_link_input(xai_host_device *dev, uint8_t engine,
                               uint16_t input, uint8_t src_engine,
                               uint8_t src_output, xai_error *err);
/* Tiles a model's weights are spread over (its xai_tiles record); 0 when
 * it has none. */
uint32_t xai_host_model_tiles(const void *model, size_t size);

/* ---- A layer pipeline (xformer --xcore-pipeline, docs/multitile.md) ---- */

#define XAI_HOST_PIPELINE_MAX_STAGES 8u

/* Modelled device time of a stream through the pipeline (100 MHz ticks);
 * per stage, means over the inferences. */
typedef struct {
  uint32_t stages, first_engine, inferences;
  uint64_t compute_ticks[XAI_HOST_PIPELINE_MAX_STAGES]; /* its layers */
  uint64_t in_bytes[XAI_HOST_PIPELINE_MAX_STAGES]; /* activations received */
  uint64_t in_ticks[XAI_HOST_PIPELINE_MAX_STAGES]; /* their link time */
  uint64_t step_ticks;    /* slowest stage: compute + receive + send */
  uint32_t slowest_stage;
  uint64_t stream_ticks;  /* the whole stream, every step's slowest stage */
  uint64_t latency_ticks; /* one input through every stage, in step */
} xai_host_pipeline_stats;

/* Checks that engines first..first+stages-1 hold a pipeline's stages in
 * order (stage k's outputs are stage k + 1's inputs) and gives the bytes
 * of one inference's inputs (stage 0's, concatenated) and outputs (the
 * last stage's). */
xai_status xai_host_pipeline_check(xai_host_device *dev, uint32_t first,
                                   uint32_t stages, size_t *in_record,
                                   size_t *out_record, xai_error *err);
/* Runs `count` inferences through the pipeline, `stages` inputs in flight:
 * inputs holds count records of in_record bytes, outputs gets count
 * records of out_record bytes, in order. */
xai_status xai_host_pipeline_run(xai_host_device *dev, uint32_t first,
                                 uint32_t stages, const void *inputs,
                                 uint32_t count, void *outputs,
                                 xai_host_pipeline_stats *stats,
                                 xai_error *err);

/* The device log since the last GET_LOG, NUL-terminated (cut to cap - 1
 * bytes; *size, if not NULL, gets the untruncated length). */
xai_status xai_host_read_log(xai_host_device *dev, char *dst, size_t cap,
                             size_t *size, xai_error *err);

/* Programs / reads the device flash at byte address `address`. */
xai_status xai_host_flash_write(xai_host_device *dev, uint32_t address,
                                const void *data, size_t size,
                                xai_host_progress_fn progress,
                                void *progress_user, xai_error *err);
xai_status xai_host_flash_read(xai_host_device *dev, uint32_t address,
                               void *dst, size_t size,
                               xai_host_progress_fn progress,
                               void *progress_user, xai_error *err);

/* Asks the device to drop every model and restart its server. */
xai_status xai_host_reset(xai_host_device *dev, xai_error *err);

/* The xai_status a device reply status maps to (OK -> XAI_OK). */
xai_status xai_host_status_from_device(xai_proto_status status);

/* ---- Progress bar for command-line tools -------------------------------- */

/* Draws "label [#####     ]  42% 1.20 MB/s ETA 0:07" on stderr once a
 * transfer has taken over a second (short transfers print nothing), and
 * only when stderr is a terminal. Pass xai_host_progress_bar as the
 * callback and the state as its user data. */
typedef struct {
  const char *label;
  double start_s;  /* set by the first call */
  bool shown;
  int last_percent;
  bool tty;        /* stderr is a terminal (set by init) */
} xai_host_progress_bar_state;

void xai_host_progress_bar_init(xai_host_progress_bar_state *s,
                                const char *label);
void xai_host_progress_bar(void *state, uint64_t done, uint64_t total);

#ifdef __cplusplus
}
#endif

#endif
