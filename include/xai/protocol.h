/* Device protocol (SYSTEM.md section 7): one frame format for every
 * transport (emulator socket, USB bulk, SPI), encoded and decoded by the same
 * portable C on host and device. No OS calls and no malloc: every buffer is
 * given by the caller. Byte layouts are in docs/protocol.md. */
#ifndef XAI_PROTOCOL_H
#define XAI_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Frame constants ---------------------------------------------------- */

/* "XAIP" in stream order; as a little-endian u32 it reads 0x50494158. */
#define XAI_PROTO_MAGIC 0x50494158u
#define XAI_PROTO_VERSION 1u
#define XAI_PROTO_HEADER_BYTES 36u
#define XAI_PROTO_TRAILER_BYTES 4u
/* Largest payload of one frame. 4 KiB = one flash sector and eight USB
 * high-speed packets; bigger payloads are streamed as chunks. */
#define XAI_PROTO_MAX_PAYLOAD 4096u
#define XAI_PROTO_FRAME_BYTES(payload) \
  (XAI_PROTO_HEADER_BYTES + (payload) + XAI_PROTO_TRAILER_BYTES)
#define XAI_PROTO_MAX_FRAME_BYTES XAI_PROTO_FRAME_BYTES(XAI_PROTO_MAX_PAYLOAD)

typedef enum {
  XAI_CMD_NONE = 0, /* only in a CRC_ERROR reply to a frame whose header was unreadable */
  XAI_CMD_HELLO = 1,
  XAI_CMD_SET_MODEL = 2,
  XAI_CMD_GET_SPEC = 3,
  XAI_CMD_SET_INPUT = 4,
  XAI_CMD_INVOKE = 5,
  XAI_CMD_GET_OUTPUT = 6,
  XAI_CMD_GET_TIMINGS = 7,
  XAI_CMD_GET_LOG = 8,
  XAI_CMD_FLASH_WRITE = 9,
  XAI_CMD_FLASH_READ = 10,
  XAI_CMD_RESET = 11,
  /* Added after version 1 shipped, compatibly: a device without it answers
   * BAD_COMMAND. Streams a params file (xformer --xcore-flash-image-file)
   * into the device's staging area for the next SET_MODEL that carries
   * XAI_SET_MODEL_WITH_PARAMS; `arg` = where the params go (SRAM 0,
   * LPDDR 1). docs/protocol.md section 2. */
  XAI_CMD_SET_PARAMS = 12,
  /* Added compatibly (docs/multitile.md; older devices answer BAD_COMMAND):
   * per-tile per-layer times and link use of the engine's last invoke, and
   * an invoke of several engines at once, one per tile (`arg` = engine
   * mask, bit e = engine e; the header's engine is ignored). */
  XAI_CMD_GET_TILE_TIMINGS = 13,
  XAI_CMD_INVOKE_TILES = 14,
  /* One model's output becomes another's input on the device (a pipeline
   * over engines, docs/multitile.md): header engine/tensor = the input,
   * `arg` = source engine | source output << 8. Added compatibly. */
  XAI_CMD_LINK_INPUT = 15,
} xai_proto_command;
#define XAI_CMD_COUNT 16
#define XAI_LINK_INPUT_ARG(engine, output) \
  ((uint32_t)(engine) | ((uint32_t)(output) << 8))

/* Carried in every reply's header. Requests carry 0. */
typedef enum {
  XAI_PS_OK = 0,
  XAI_PS_BUSY = 1,         /* device is still working; retry later */
  XAI_PS_NO_MODEL = 2,     /* engine has no model loaded */
  XAI_PS_MODEL_ERROR = 3,  /* model rejected (bad flatbuffer, unsupported op) */
  XAI_PS_INFER_ERROR = 4,  /* invoke failed */
  XAI_PS_BAD_COMMAND = 5,  /* unknown command or version */
  XAI_PS_BAD_ARGUMENT = 6, /* bad engine, tensor, size, offset or chunk order */
  XAI_PS_TOO_LARGE = 7,    /* frame or transfer larger than allowed */
  XAI_PS_NO_MEMORY = 8,    /* does not fit in the chosen memory */
  XAI_PS_CRC_ERROR = 9,    /* request frame failed its CRC */
} xai_proto_status;
#define XAI_PS_COUNT 10

/* Header flags. A transfer is one or more frames; a single-frame message
 * carries FIRST|LAST. */
#define XAI_FRAME_FIRST 0x0001u
#define XAI_FRAME_LAST 0x0002u
#define XAI_FRAME_REPLY 0x0004u /* device -> host */
#define XAI_FRAME_KNOWN_FLAGS 0x0007u

/* SET_MODEL `arg`: where the model goes (low byte) and, for FLASH, which
 * flash-image entry to load (bits 8..31). */
typedef enum {
  XAI_MODEL_TO_SRAM = 0,
  XAI_MODEL_TO_LPDDR = 1,
  XAI_MODEL_FROM_FLASH = 2,
} xai_model_memory;
/* SET_PARAMS `arg` 2 (added compatibly; older devices answer BAD_ARGUMENT):
 * the params are spread over the tiles as the model's `xai_tiles` record
 * says (xformer --xcore-tiles, docs/multitile.md). */
#define XAI_PARAMS_TO_TILES 2u
#define XAI_SET_MODEL_ARG(memory, flash_entry) \
  ((uint32_t)(memory) | ((uint32_t)(flash_entry) << 8))
#define XAI_SET_MODEL_MEMORY(arg) ((arg) & 0xFFu)
#define XAI_SET_MODEL_ENTRY(arg) ((arg) >> 8)
/* SET_MODEL to SRAM or LPDDR: OR into `arg` to load the model with the
 * params the last SET_PARAMS sent to the same engine. A device that
 * predates SET_PARAMS refuses the memory value (BAD_ARGUMENT). */
#define XAI_SET_MODEL_WITH_PARAMS 0x80u
/* SET_MODEL: OR into `arg` to ask for the arena's memory (the xformer's
 * placement, docs/device.md); neither = the device chooses. From flash,
 * XAI_SET_MODEL_FLASH_TO_LPDDR asks for the model in LPDDR (else the device
 * chooses, SRAM first). A device that predates them refuses the memory
 * value (BAD_ARGUMENT). */
#define XAI_SET_MODEL_ARENA_SRAM 0x10u
#define XAI_SET_MODEL_ARENA_LPDDR 0x20u
#define XAI_SET_MODEL_FLASH_TO_LPDDR 0x40u
#define XAI_SET_MODEL_FLAGS                                                  \
  (XAI_SET_MODEL_WITH_PARAMS | XAI_SET_MODEL_ARENA_SRAM |                    \
   XAI_SET_MODEL_ARENA_LPDDR | XAI_SET_MODEL_FLASH_TO_LPDDR)
/* The memory without the flags: XAI_MODEL_TO_SRAM/LPDDR, FROM_FLASH. */
#define XAI_SET_MODEL_BASE(arg) (XAI_SET_MODEL_MEMORY(arg) & ~XAI_SET_MODEL_FLAGS)

/* Where an engine's model, arena and params went: the payload of the OK
 * reply to the LAST frame of a SET_MODEL (docs/protocol.md 6.4). Hosts that
 * predate it ignore reply payloads of transfers. */
typedef enum {
  XAI_PLACE_NONE = 0,  /* no params */
  XAI_PLACE_SRAM = 1,
  XAI_PLACE_LPDDR = 2,
  XAI_PLACE_FLASH = 3,
  XAI_PLACE_TILES = 4, /* params in the SRAM of several tiles */
} xai_proto_place;
#define XAI_PLACEMENT_BYTES 24u
typedef struct {
  uint8_t model, arena, params; /* xai_proto_place */
  uint8_t tile;                 /* tile whose SRAM the engine uses */
  uint32_t model_bytes;
  uint32_t arena_bytes;
  uint32_t params_bytes;
  uint32_t flash_entry;         /* params FLASH: the image entry */
  uint32_t params_mbps;         /* bandwidth the load ops are costed at, MB/s */
} xai_proto_placement;
xai_status xai_placement_encode(const xai_proto_placement *p, uint8_t *out,
                                size_t cap, size_t *written, xai_error *err);
/* Accepts longer payloads (later fields are ignored). */
xai_status xai_placement_decode(const uint8_t *p, size_t n,
                                xai_proto_placement *out, xai_error *err);
const char *xai_proto_place_name(unsigned place);

/* The decoded header. Magic, version and both CRCs are filled in by the
 * encoder and checked by the decoder, so they are not fields here. */
typedef struct {
  uint8_t command;  /* xai_proto_command */
  uint8_t status;   /* xai_proto_status; 0 in requests */
  uint8_t engine;   /* model slot on the device */
  uint16_t flags;   /* XAI_FRAME_* */
  uint16_t tensor;  /* input/output index for SET_INPUT / GET_OUTPUT */
  uint32_t seq;     /* +1 per frame the host sends; replies echo it */
  uint32_t arg;     /* command-specific (docs/protocol.md) */
  uint32_t offset;  /* byte offset of this payload within its transfer */
  uint32_t total;   /* bytes in the whole transfer */
  uint32_t length;  /* payload bytes in this frame */
} xai_frame_header;

/* A request or reply that fits in one frame: FIRST|LAST, offset 0, total =
 * length (set length and total yourself when there is a payload). */
void xai_frame_header_init(xai_frame_header *hdr, xai_proto_command command,
                           uint32_t seq);

/* Writes one frame (header, payload of hdr->length bytes, CRC) to out.
 * Fails (XAI_ERR_ARGUMENT / XAI_ERR_RANGE) if the header is inconsistent:
 * length > XAI_PROTO_MAX_PAYLOAD, offset + length > total, unknown flags,
 * or out is too small. payload may be NULL when length is 0. */
xai_status xai_frame_encode(const xai_frame_header *hdr, const void *payload,
                            uint8_t *out, size_t out_size, size_t *written,
                            xai_error *err);

/* Decodes one complete frame held in buf (exactly or at its start); a
 * convenience for tests and for transports that deliver whole frames. */
xai_status xai_frame_decode(const uint8_t *buf, size_t n,
                            xai_frame_header *hdr, const uint8_t **payload,
                            size_t *frame_bytes, xai_error *err);

const char *xai_proto_command_name(unsigned command);
const char *xai_proto_status_name(unsigned status);

/* ---- Incremental decoder ------------------------------------------------ */

typedef enum {
  XAI_DECODE_NEED_MORE = 0,  /* all input consumed, no complete frame yet */
  XAI_DECODE_FRAME,          /* a complete frame whose CRCs check */
  XAI_DECODE_BAD_MAGIC,      /* bytes that do not start a frame; skipping to the next magic */
  XAI_DECODE_HEADER_CRC,     /* a magic with a corrupt header; resyncing after it */
  XAI_DECODE_BAD_VERSION,    /* header valid but protocol version unknown; frame skipped */
  XAI_DECODE_TOO_LARGE,      /* header valid but length > limit; payload skipped, never buffered */
  XAI_DECODE_CRC,            /* header valid, frame CRC wrong; frame dropped */
  XAI_DECODE_TRUNCATED,      /* only from finish(): the stream ended mid-frame */
} xai_decode_event;

/* What an event refers to. `header` is valid for FRAME, BAD_VERSION,
 * TOO_LARGE and CRC (so a device can reply to that seq); `payload` only for
 * FRAME, and only until the next call on the decoder. */
typedef struct {
  xai_frame_header header;
  const uint8_t *payload;
  uint32_t skipped; /* BAD_MAGIC/HEADER_CRC: bytes dropped so far in this run */
} xai_decoded_frame;

typedef struct {
  uint8_t *buf;          /* caller's buffer: the frame being assembled */
  size_t cap;
  uint32_t max_payload;  /* min(XAI_PROTO_MAX_PAYLOAD, cap - overhead) */
  size_t have;           /* bytes of the current frame in buf */
  size_t need;           /* bytes the current frame needs in total */
  uint64_t skip;         /* payload+CRC bytes still to drop (TOO_LARGE/version); up to 2^32 + 3 */
  bool in_garbage;       /* inside a run of non-frame bytes already reported */
  uint32_t garbage_bytes;
  xai_frame_header header;
  /* Counters for diagnostics. */
  uint32_t frames_ok, frames_bad, bytes_dropped;
} xai_frame_decoder;

/* buf must hold at least XAI_PROTO_FRAME_BYTES(0) bytes; frames whose
 * payload does not fit (cap - 40 bytes, at most XAI_PROTO_MAX_PAYLOAD) are
 * reported TOO_LARGE. Size it XAI_PROTO_MAX_FRAME_BYTES to accept all. */
xai_status xai_frame_decoder_init(xai_frame_decoder *d, uint8_t *buf,
                                  size_t cap, xai_error *err);
void xai_frame_decoder_reset(xai_frame_decoder *d);

/* Consumes bytes from data[0..n) and stops at the first event, returning
 * it with *consumed set to the bytes used; call again with the rest. Input
 * may arrive in pieces of any size (a socket read, a USB packet, one SPI
 * byte): the result is the same as for one contiguous buffer. */
xai_decode_event xai_frame_decoder_feed(xai_frame_decoder *d,
                                        const uint8_t *data, size_t n,
                                        size_t *consumed,
                                        xai_decoded_frame *out);

/* At the end of a stream: TRUNCATED if a frame was started and not
 * finished (its bytes are dropped), else NEED_MORE. */
xai_decode_event xai_frame_decoder_finish(xai_frame_decoder *d);

/* Bytes of an unfinished frame held by the decoder. */
size_t xai_frame_decoder_pending(const xai_frame_decoder *d);

const char *xai_decode_event_name(xai_decode_event e);

/* The status a device replies with for a decoder error event. */
xai_proto_status xai_decode_event_status(xai_decode_event e);

/* ---- Chunked transfers -------------------------------------------------- */

/* Splits a buffer into frames: chunk k has offset k*chunk_bytes, seq
 * base.seq + k, FIRST on the first, LAST on the last. A 0-byte transfer
 * is one empty frame. */
typedef struct {
  xai_frame_header base;
  const uint8_t *data;
  uint32_t total;
  uint32_t chunk_bytes;
  uint32_t offset;
  uint32_t index;
  bool done;
} xai_chunk_writer;

xai_status xai_chunk_writer_init(xai_chunk_writer *w,
                                 const xai_frame_header *base,
                                 const void *data, uint32_t total,
                                 uint32_t chunk_bytes, xai_error *err);
/* Fills the next chunk's header and payload pointer; false when done. */
bool xai_chunk_writer_next(xai_chunk_writer *w, xai_frame_header *hdr,
                           const uint8_t **payload);

typedef enum {
  XAI_CHUNK_MORE = 0,      /* accepted; the transfer continues */
  XAI_CHUNK_DONE,          /* accepted the LAST chunk; the transfer is complete */
  XAI_CHUNK_NOT_FIRST,     /* a continuation with no transfer open (its start was lost) */
  XAI_CHUNK_INTERRUPTED,   /* a new FIRST while a transfer was open: the old one is dropped */
  XAI_CHUNK_GAP,           /* offset beyond the bytes received: a chunk is missing */
  XAI_CHUNK_OVERLAP,       /* offset before the bytes received: duplicate or out of order */
  XAI_CHUNK_BAD_SEQ,       /* seq is not previous + 1 */
  XAI_CHUNK_BAD_TOTAL,     /* total changed, offset+length > total, or LAST before total */
  XAI_CHUNK_MISMATCH,      /* command, engine, tensor or arg changed mid-transfer */
  XAI_CHUNK_TOO_LARGE,     /* total exceeds the reassembler's capacity */
} xai_chunk_result;

/* Validates the chunks of one transfer and, if dst is not NULL, copies each
 * payload to dst + offset. With dst NULL the caller stores the payload
 * itself (e.g. straight to flash) after a MORE/DONE result. Any error
 * closes the transfer: nothing received so far may be used, which is how
 * a device keeps its previous model when an upload breaks. */
typedef struct {
  uint8_t *dst;
  uint32_t capacity;
  bool open;
  xai_frame_header first; /* command, engine, tensor, arg, total of the transfer */
  uint32_t received;
  uint32_t next_seq;
} xai_chunk_reassembler;

void xai_chunk_reassembler_init(xai_chunk_reassembler *r, uint8_t *dst,
                                uint32_t capacity);
void xai_chunk_reassembler_reset(xai_chunk_reassembler *r);
/* INTERRUPTED leaves the reassembler closed; add the same frame again to
 * start the new transfer. */
xai_chunk_result xai_chunk_reassembler_add(xai_chunk_reassembler *r,
                                           const xai_frame_header *hdr,
                                           const uint8_t *payload,
                                           xai_error *err);
const char *xai_chunk_result_name(xai_chunk_result r);
xai_proto_status xai_chunk_result_status(xai_chunk_result r);

/* ---- Structured payloads ------------------------------------------------ */

#define XAI_PROTO_NAME_BYTES 64 /* names are cut to 63 bytes + NUL */
#define XAI_PROTO_MAX_RANK 8
#define XAI_HELLO_BYTES 40u

/* HELLO reply. */
typedef struct {
  uint16_t protocol_version;
  uint16_t max_payload;
  uint8_t tiles;
  uint8_t engines;
  uint16_t clock_mhz;
  uint32_t sram_bytes_per_tile;
  uint32_t lpddr_bytes;
  uint32_t flash_bytes;
  uint32_t timer_hz;
  char device[16]; /* NUL-terminated name, e.g. "xcore.ai-emu" */
} xai_proto_hello;

xai_status xai_hello_encode(const xai_proto_hello *h, uint8_t *out,
                            size_t cap, size_t *written, xai_error *err);
/* Accepts longer payloads (fields added by later versions are ignored). */
xai_status xai_hello_decode(const uint8_t *p, size_t n, xai_proto_hello *h,
                            xai_error *err);

/* One input or output in a GET_SPEC reply. */
typedef struct {
  char name[XAI_PROTO_NAME_BYTES];
  uint8_t dtype;   /* TFLite TensorType code (INT8 = 9, INT16 = 7, ...) */
  uint8_t rank;
  uint16_t index;  /* tensor index in the model's subgraph */
  int32_t shape[XAI_PROTO_MAX_RANK];
  float scale;
  int32_t zero_point;
  uint32_t bytes;
} xai_proto_tensor_info;

typedef struct {
  uint32_t arena_bytes_used;
  uint16_t input_count;
  uint16_t output_count;
  xai_proto_tensor_info *tensors; /* inputs, then outputs */
} xai_proto_spec;

size_t xai_spec_encoded_size(const xai_proto_spec *spec);
xai_status xai_spec_encode(const xai_proto_spec *spec, uint8_t *out,
                           size_t cap, size_t *written, xai_error *err);
/* spec->tensors is set to `tensors`, which must hold max_tensors entries;
 * more tensors than that is XAI_ERR_NO_MEMORY. */
xai_status xai_spec_decode(const uint8_t *p, size_t n, xai_proto_spec *spec,
                           xai_proto_tensor_info *tensors, size_t max_tensors,
                           xai_error *err);

/* One layer in a GET_TIMINGS reply, in execution order. */
typedef struct {
  uint64_t ticks; /* of the 100 MHz device timer (10 ns) */
  char op[XAI_PROTO_NAME_BYTES];
} xai_proto_layer_timing;

size_t xai_timings_encoded_size(const xai_proto_layer_timing *layers,
                                uint32_t count);
xai_status xai_timings_encode(const xai_proto_layer_timing *layers,
                              uint32_t count, uint8_t *out, size_t cap,
                              size_t *written, xai_error *err);
/* *count receives the number of layers; more than max_layers is
 * XAI_ERR_NO_MEMORY (with *count set to the number needed). */
xai_status xai_timings_decode(const uint8_t *p, size_t n,
                              xai_proto_layer_timing *layers,
                              uint32_t max_layers, uint32_t *count,
                              xai_error *err);

/* GET_TILE_TIMINGS reply (docs/protocol.md 6.5): per tile, what it did in
 * the engine's last invoke, and per layer, which tile computed it and what
 * it waited for over the links. Tiles are physical (engine e computes on
 * tile e). */
#define XAI_PROTO_TILE_TIMINGS_MAX_TILES 8u
typedef struct {
  uint64_t compute_ticks; /* layers this tile computed */
  uint64_t link_ticks;    /* weights this tile sent over its link */
  uint64_t link_bytes;
} xai_proto_tile_use;
typedef struct {
  uint64_t ticks;           /* as GET_TIMINGS: after prefetch cover */
  uint64_t link_ticks;      /* link time of the weights it loaded remotely */
  uint64_t link_wait_ticks; /* the part of it not hidden under compute */
  uint32_t link_bytes;
  uint8_t tile;             /* the tile that computed it */
} xai_proto_layer_tile;
typedef struct {
  uint8_t tiles;
  uint8_t compute_tile;
  xai_proto_tile_use tile[XAI_PROTO_TILE_TIMINGS_MAX_TILES];
  uint32_t layer_count;
  xai_proto_layer_tile *layers; /* the caller's array */
} xai_proto_tile_timings;
size_t xai_tile_timings_encoded_size(const xai_proto_tile_timings *t);
xai_status xai_tile_timings_encode(const xai_proto_tile_timings *t,
                                   uint8_t *out, size_t cap, size_t *written,
                                   xai_error *err);
/* t->layers must hold max_layers entries; more is XAI_ERR_NO_MEMORY with
 * t->layer_count set to the number needed. */
xai_status xai_tile_timings_decode(const uint8_t *p, size_t n,
                                   xai_proto_tile_timings *t,
                                   xai_proto_layer_tile *layers,
                                   uint32_t max_layers, xai_error *err);

/* ---- Transport framing -------------------------------------------------- */

/* USB: vendor-class interface, one bulk OUT and one bulk IN endpoint,
 * 512-byte high-speed packets. Each frame is one USB transfer; a transfer
 * whose length is a multiple of 512 is ended by a zero-length packet.
 * VID 0x20B1 is XMOS's public vendor ID; the PID is a PLACEHOLDER chosen
 * for xai and must match the firmware's descriptor. */
#define XAI_USB_VID 0x20B1u
#define XAI_USB_PID 0x00A1u /* placeholder: must match the firmware */
#define XAI_USB_INTERFACE_CLASS 0xFFu /* vendor specific */
#define XAI_USB_EP_OUT 0x01u
#define XAI_USB_EP_IN 0x81u
#define XAI_USB_PACKET_BYTES 512u

/* Packets needed to send a transfer of n bytes, counting the ZLP. */
uint32_t xai_usb_packet_count(size_t n);
/* True when a transfer of n bytes must be followed by a zero-length packet. */
bool xai_usb_needs_zlp(size_t n);
/* True when a received packet of n bytes ends the transfer (short or ZLP). */
bool xai_usb_packet_ends_transfer(size_t n);

/* SPI: the host clocks every byte. A transaction starts with one opcode
 * byte; see docs/protocol.md for the polling scheme. */
#define XAI_SPI_OP_WRITE 0x01u  /* host -> device: frame bytes follow */
#define XAI_SPI_OP_STATUS 0x02u /* device -> host: XAI_SPI_STATUS_BYTES follow */
#define XAI_SPI_OP_READ 0x03u   /* device -> host: reply bytes follow */
#define XAI_SPI_STATUS_BYTES 5u
#define XAI_SPI_READY 0x01u     /* device can accept a frame */
#define XAI_SPI_REPLY 0x02u     /* reply bytes are waiting */
#define XAI_SPI_BUSY 0x04u      /* device is executing a command */
#define XAI_SPI_STATUS_MAGIC 0xA0u /* high nibble of the status byte; 0x00/0xFF mean no device */

typedef struct {
  uint8_t flags;        /* XAI_SPI_READY | XAI_SPI_REPLY | XAI_SPI_BUSY */
  uint32_t reply_bytes; /* bytes the host may read now with OP_READ */
} xai_spi_status;

void xai_spi_status_encode(const xai_spi_status *s,
                           uint8_t out[XAI_SPI_STATUS_BYTES]);
/* Fails when the status byte lacks XAI_SPI_STATUS_MAGIC (floating MISO). */
xai_status xai_spi_status_decode(const uint8_t in[XAI_SPI_STATUS_BYTES],
                                 xai_spi_status *s, xai_error *err);

#ifdef __cplusplus
}
#endif

#endif
