/* Frame encoding and whole-buffer decoding. */
#include "frame_internal.h"
#include "le_internal.h"

const uint8_t xai_proto_magic_bytes[4] = {'X', 'A', 'I', 'P'};

void xai_frame_header_init(xai_frame_header *hdr, xai_proto_command command,
                           uint32_t seq) {
  memset(hdr, 0, sizeof *hdr);
  hdr->command = (uint8_t)command;
  hdr->seq = seq;
  hdr->flags = XAI_FRAME_FIRST | XAI_FRAME_LAST;
}

void xai_proto_header_parse(const uint8_t *b, xai_frame_header *h) {
  h->command = b[XAI_HDR_COMMAND];
  h->status = b[XAI_HDR_STATUS];
  h->engine = b[XAI_HDR_ENGINE];
  h->flags = xai_le16(b + XAI_HDR_FLAGS);
  h->tensor = xai_le16(b + XAI_HDR_TENSOR);
  h->seq = xai_le32(b + XAI_HDR_SEQ);
  h->arg = xai_le32(b + XAI_HDR_ARG);
  h->offset = xai_le32(b + XAI_HDR_OFFSET);
  h->total = xai_le32(b + XAI_HDR_TOTAL);
  h->length = xai_le32(b + XAI_HDR_LENGTH);
}

int xai_proto_header_crc_ok(const uint8_t *b) {
  return xai_crc32(0, b, XAI_HDR_CRC) == xai_le32(b + XAI_HDR_CRC);
}

xai_status xai_frame_encode(const xai_frame_header *hdr, const void *payload,
                            uint8_t *out, size_t out_size, size_t *written,
                            xai_error *err) {
  if (written) *written = 0;
  if (hdr->length > XAI_PROTO_MAX_PAYLOAD)
    return xai_fail(err, XAI_ERR_RANGE,
                    "frame %s seq %u: payload of %u bytes exceeds the %u-byte "
                    "frame limit; stream it in chunks (xai_chunk_writer)",
                    xai_proto_command_name(hdr->command), hdr->seq,
                    hdr->length, XAI_PROTO_MAX_PAYLOAD);
  if ((uint64_t)hdr->offset + hdr->length > hdr->total)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "frame %s seq %u: offset %u + length %u exceeds the "
                    "transfer total %u; set total to the whole transfer size",
                    xai_proto_command_name(hdr->command), hdr->seq,
                    hdr->offset, hdr->length, hdr->total);
  if (hdr->flags & ~XAI_FRAME_KNOWN_FLAGS)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "frame %s seq %u: unknown flag bits 0x%04x",
                    xai_proto_command_name(hdr->command), hdr->seq,
                    hdr->flags & ~XAI_FRAME_KNOWN_FLAGS);
  if (hdr->length > 0 && !payload)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "frame %s seq %u: length %u but no payload given",
                    xai_proto_command_name(hdr->command), hdr->seq,
                    hdr->length);
  size_t frame = XAI_PROTO_FRAME_BYTES((size_t)hdr->length);
  if (out_size < frame)
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "frame %s seq %u: needs %zu bytes, output buffer has %zu",
                    xai_proto_command_name(hdr->command), hdr->seq, frame,
                    out_size);

  memcpy(out + XAI_HDR_MAGIC, xai_proto_magic_bytes, 4);
  out[XAI_HDR_VERSION] = XAI_PROTO_VERSION;
  out[XAI_HDR_COMMAND] = hdr->command;
  out[XAI_HDR_STATUS] = hdr->status;
  out[XAI_HDR_ENGINE] = hdr->engine;
  xai_put16(out + XAI_HDR_FLAGS, hdr->flags);
  xai_put16(out + XAI_HDR_TENSOR, hdr->tensor);
  xai_put32(out + XAI_HDR_SEQ, hdr->seq);
  xai_put32(out + XAI_HDR_ARG, hdr->arg);
  xai_put32(out + XAI_HDR_OFFSET, hdr->offset);
  xai_put32(out + XAI_HDR_TOTAL, hdr->total);
  xai_put32(out + XAI_HDR_LENGTH, hdr->length);
  xai_put32(out + XAI_HDR_CRC, xai_crc32(0, out, XAI_HDR_CRC));
  /* memmove: a caller may build the payload in place at out + 36. */
  if (hdr->length) memmove(out + XAI_PROTO_HEADER_BYTES, payload, hdr->length);
  size_t body = XAI_PROTO_HEADER_BYTES + hdr->length;
  xai_put32(out + body, xai_crc32(0, out, body));
  if (written) *written = frame;
  return XAI_OK;
}

xai_status xai_frame_decode(const uint8_t *buf, size_t n,
                            xai_frame_header *hdr, const uint8_t **payload,
                            size_t *frame_bytes, xai_error *err) {
  if (n < XAI_PROTO_HEADER_BYTES)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "frame truncated: %zu bytes, a header alone is %u", n,
                    XAI_PROTO_HEADER_BYTES);
  if (memcmp(buf, xai_proto_magic_bytes, 4) != 0)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "frame: bad magic %02x %02x %02x %02x (expected 'XAIP')",
                    buf[0], buf[1], buf[2], buf[3]);
  if (!xai_proto_header_crc_ok(buf))
    return xai_fail(err, XAI_ERR_FORMAT,
                    "frame: header CRC mismatch (stored 0x%08x, computed "
                    "0x%08x); the header is corrupt",
                    xai_le32(buf + XAI_HDR_CRC),
                    xai_crc32(0, buf, XAI_HDR_CRC));
  if (buf[XAI_HDR_VERSION] != XAI_PROTO_VERSION)
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "frame: protocol version %u, this build speaks %u; update "
                    "the host tools or the firmware",
                    buf[XAI_HDR_VERSION], XAI_PROTO_VERSION);
  xai_frame_header h;
  xai_proto_header_parse(buf, &h);
  if (h.length > XAI_PROTO_MAX_PAYLOAD)
    return xai_fail(err, XAI_ERR_RANGE,
                    "frame %s seq %u: payload length %u exceeds the %u-byte "
                    "limit",
                    xai_proto_command_name(h.command), h.seq, h.length,
                    XAI_PROTO_MAX_PAYLOAD);
  size_t frame = XAI_PROTO_FRAME_BYTES((size_t)h.length);
  if (n < frame)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "frame %s seq %u truncated: %zu of %zu bytes",
                    xai_proto_command_name(h.command), h.seq, n, frame);
  size_t body = XAI_PROTO_HEADER_BYTES + h.length;
  uint32_t stored = xai_le32(buf + body), computed = xai_crc32(0, buf, body);
  if (stored != computed)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "frame %s seq %u: CRC mismatch (stored 0x%08x, computed "
                    "0x%08x)",
                    xai_proto_command_name(h.command), h.seq, stored,
                    computed);
  *hdr = h;
  if (payload) *payload = buf + XAI_PROTO_HEADER_BYTES;
  if (frame_bytes) *frame_bytes = frame;
  return XAI_OK;
}

const char *xai_proto_command_name(unsigned command) {
  static const char *const names[XAI_CMD_COUNT] = {
      "NONE",       "HELLO",    "SET_MODEL",   "GET_SPEC",
      "SET_INPUT",  "INVOKE",   "GET_OUTPUT",  "GET_TIMINGS",
      "GET_LOG",    "FLASH_WRITE", "FLASH_READ", "RESET",
      "SET_PARAMS", "GET_TILE_TIMINGS", "INVOKE_TILES", "LINK_INPUT",
  };
  return command < XAI_CMD_COUNT ? names[command] : "UNKNOWN_COMMAND";
}

const char *xai_proto_status_name(unsigned status) {
  static const char *const names[XAI_PS_COUNT] = {
      "OK",           "BUSY",         "NO_MODEL",  "MODEL_ERROR",
      "INFER_ERROR",  "BAD_COMMAND",  "BAD_ARGUMENT", "TOO_LARGE",
      "NO_MEMORY",    "CRC_ERROR",
  };
  return status < XAI_PS_COUNT ? names[status] : "UNKNOWN_STATUS";
}
