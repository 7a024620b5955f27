/* The host device object and its request/reply engine (link.c), shared by
 * connect.c and commands.c. */
#ifndef XAI_HOST_DEVICE_INTERNAL_H
#define XAI_HOST_DEVICE_INTERNAL_H

#include <stdbool.h>

#include "transport_internal.h"
#include "xai/host.h"

struct xai_host_device {
  xai_transport *t;
  uint32_t timeout_ms;
  uint32_t seq;           /* seq of the next frame the host sends */
  bool in_error_report;   /* GET_LOG while reporting an error: no recursion */
  xai_proto_hello hello;
  /* From the reply to the last successful SET_MODEL (placement_known false
   * when the device sent none). */
  xai_proto_placement placement;
  bool placement_known;
  /* The last wait for another client (xai_host_wait_note). */
  char wait_note[200];
  xai_frame_decoder dec;
  size_t rx_have, rx_pos; /* unread transport bytes in rx */
  uint8_t dec_buf[XAI_PROTO_MAX_FRAME_BYTES];
  uint8_t rx[XAI_PROTO_MAX_FRAME_BYTES + XAI_USB_PACKET_BYTES];
  uint8_t tx[XAI_PROTO_MAX_FRAME_BYTES];
};

/* Sends one request frame (hdr->seq is filled in) and receives the whole
 * reply, single-frame or streamed. On OK, *reply (malloc'd, free it; may be
 * NULL when reply is NULL) holds the reply payload. A non-OK status from
 * the device becomes an error naming the command, the status and the
 * device's message or log line. */
xai_status xai_link_exchange(xai_host_device *dev, xai_frame_header *hdr,
                             const uint8_t *payload, uint8_t **reply,
                             size_t *reply_size, xai_error *err);

/* Streams data as one transfer of `command` (SET_MODEL, SET_INPUT,
 * FLASH_WRITE), one chunk per request, stopping at the first error. */
xai_status xai_link_send_transfer(xai_host_device *dev, uint8_t command,
                                  uint8_t engine, uint16_t tensor,
                                  uint32_t arg, const void *data, size_t size,
                                  xai_host_progress_fn progress,
                                  void *progress_user, xai_error *err);

/* The same; *reply (malloc'd, may be NULL) gets the payload of the reply
 * to the last chunk. */
xai_status xai_link_send_transfer_reply(xai_host_device *dev, uint8_t command,
                                        uint8_t engine, uint16_t tensor,
                                        uint32_t arg, const void *data,
                                        size_t size,
                                        xai_host_progress_fn progress,
                                        void *progress_user, uint8_t **reply,
                                        size_t *reply_size, xai_error *err);

/* SET_MODEL with `arg` streaming `model`; keeps the reply's placement. */
xai_status xai_host_send_model(xai_host_device *dev, uint8_t engine,
                               const void *model, size_t size, uint32_t arg,
                               xai_host_progress_fn progress,
                               void *progress_user, xai_error *err);
/* Arguments of a download into RAM: memory is SRAM or LPDDR (else the
 * error names `fn` and says where flash goes: `flash_hint`) and the `what`
 * being sent is not empty. */
xai_status xai_host_check_ram_download(const char *fn, xai_model_memory memory,
                                       const char *flash_hint, size_t size,
                                       const char *what, xai_error *err);
/* Decodes a SET_MODEL reply payload into dev->placement. */
void xai_host_note_placement(xai_host_device *dev, const uint8_t *reply,
                             size_t size);

/* A request header for `command` with no payload. */
void xai_link_request(xai_frame_header *hdr, uint8_t command, uint8_t engine,
                      uint16_t tensor, uint32_t arg);

#endif
