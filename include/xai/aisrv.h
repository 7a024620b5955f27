/* The device-side AI server (SYSTEM.md section 2, docs/device.md): a state
 * machine that answers protocol frames (include/xai/protocol.h) by loading
 * models into engines, running them with the runtime and reporting the
 * modelled per-layer time. Portable C: no OS calls, and no malloc — every
 * byte comes from regions the caller gives at init, so the same code runs in
 * the emulator and behind a USB or SPI loop on the chip.
 *
 * Engines: engine e runs on tile e mod tiles (one per tile by default). Each engine's model
 * and arena share its tile's SRAM (minus the firmware share), or the model
 * sits in the engine's share of LPDDR with the arena in SRAM. */
#ifndef XAI_AISRV_H
#define XAI_AISRV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"
#include "xai/xcore_machine.h"
#include "xai/protocol.h"
#include "xai/runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

#define XAI_AISRV_MAX_TILES 8
#define XAI_AISRV_MAX_ENGINES 8
/* SRAM per tile kept for the firmware itself (xcore_machine.h gives the
 * breakdown; docs/device.md, "Memory accounting"). */
#define XAI_AISRV_FIRMWARE_BYTES XAI_XCORE_FIRMWARE_BYTES_PER_TILE
/* Inputs + outputs a model may have (GET_SPEC fits one frame with this). */
#define XAI_AISRV_MAX_IO 32u
#define XAI_AISRV_DEFAULT_MAX_LAYERS 256u
#define XAI_AISRV_DEFAULT_LOG_BYTES 4096u

typedef struct {
  void *base; /* 16-byte aligned */
  size_t bytes;
} xai_aisrv_region;

/* The device's QSPI flash. erase() clears whole 4 KiB sectors (offset and n
 * are sector multiples) to 0xFF; program() writes bytes into erased flash. */
typedef struct {
  xai_status (*read)(void *user, uint32_t offset, void *dst, uint32_t n);
  xai_status (*erase)(void *user, uint32_t offset, uint32_t n);
  xai_status (*program)(void *user, uint32_t offset, const void *src,
                        uint32_t n);
  void *user;
  uint32_t size; /* flash bytes; 0 = no flash */
} xai_aisrv_flash;

/* Receives every reply frame, whole, in order. */
typedef void (*xai_aisrv_write_fn)(void *user, const uint8_t *frame,
                                   size_t n);

typedef struct {
  uint32_t tiles;               /* = engines; 1..XAI_AISRV_MAX_TILES */
  uint32_t clock_mhz;           /* core clock for op costs (800) */
  uint32_t sram_bytes_per_tile; /* physical SRAM, reported by HELLO (524288) */
  uint32_t firmware_bytes;      /* per tile; 0 = XAI_AISRV_FIRMWARE_BYTES */
  /* Per tile: at least sram_bytes_per_tile - firmware_bytes. */
  xai_aisrv_region sram[XAI_AISRV_MAX_TILES];
  /* Optional LPDDR (bytes 0 = none), split evenly between the engines. */
  xai_aisrv_region lpddr;
  /* Where an uploaded model is received and checked before it replaces an
   * engine's model; its size is the largest model the device accepts. */
  xai_aisrv_region staging;
  uint32_t lpddr_mbps;          /* weight bandwidth of LPDDR models; 0 = 800 */
  uint32_t flash_mbps;          /* flash bandwidth for flash weights; 0 = 50 */
  xai_aisrv_flash flash;
  const xai_op_resolver *resolver; /* NULL = xai_all_ops_resolver() */
  const char *device_name;      /* HELLO name, <= 15 chars ("xcore.ai-emu") */
  uint32_t max_layers;          /* timed layers per engine; 0 = default */
  uint32_t log_bytes;           /* device log buffer; 0 = default */
  xai_aisrv_write_fn write;
  void *write_user;
  /* Runs fn(arg, tile) for every tile in `mask` at once, one thread per
   * tile, and returns when all have returned (docs/multitile.md). run NULL
   * = one after the other in the caller. */
  struct {
    void (*run)(void *user, uint32_t mask, void (*fn)(void *arg,
                                                      uint32_t tile),
                void *arg);
    /* Optional: starts fn(arg) on tile `tile` while the caller (another
     * tile's thread) goes on; false when that tile is busy. join waits for
     * it. A channel-split half runs this way (docs/multitile.md). */
    bool (*start)(void *user, uint32_t tile, void (*fn)(void *arg),
                  void *arg);
    void (*join)(void *user, uint32_t tile);
    void *user;
  } tile_threads;
  /* Engines (model slots): 0 = one per tile. Engine e runs on tile
   * e mod tiles, so with more engines than tiles several models stay
   * resident on one tile, sharing its SRAM (docs/multitile.md). */
  uint32_t engines;
} xai_aisrv_config;

typedef struct xai_aisrv xai_aisrv;

/* Bytes of working memory (server state, frame buffers, log, timing
 * tables) the server needs for cfg; pass that much to xai_aisrv_init. */
size_t xai_aisrv_work_bytes(const xai_aisrv_config *cfg);

/* Checks the config and builds the server inside `work` (16-byte aligned).
 * Nothing is allocated afterwards. */
xai_status xai_aisrv_init(xai_aisrv **out, const xai_aisrv_config *cfg,
                          void *work, size_t work_bytes, xai_error *err);

/* Byte-stream entry point for a transport loop: bytes in any pieces;
 * replies go out through cfg->write. */
void xai_aisrv_feed(xai_aisrv *s, const uint8_t *data, size_t n);

/* One decoder event (for a transport that runs its own decoder). */
void xai_aisrv_handle_event(xai_aisrv *s, xai_decode_event event,
                            const xai_decoded_frame *frame);

/* One complete, CRC-checked request frame. */
void xai_aisrv_handle_frame(xai_aisrv *s, const xai_frame_header *h,
                            const uint8_t *payload);

/* The link dropped (client disconnected, USB reset): the decoder's partial
 * frame and any open transfer are dropped; loaded models stay. */
void xai_aisrv_link_reset(xai_aisrv *s);

/* Encodes the BUSY reply a transport sends to a request it cannot serve now
 * (e.g. a second emulator client). out must hold XAI_PROTO_FRAME_BYTES(0). */
size_t xai_aisrv_encode_busy(const xai_frame_header *request, uint8_t *out,
                             size_t cap);

/* SRAM per tile available to models and arenas. */
uint32_t xai_aisrv_sram_usable(const xai_aisrv *s);

#ifdef __cplusplus
}
#endif

#endif
