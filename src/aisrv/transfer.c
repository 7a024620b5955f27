/* Host->device transfers (SET_MODEL, SET_INPUT, FLASH_WRITE): the first
 * chunk is checked against the device's limits before any data moves, then
 * the chunk reassembler checks that the rest forms one unbroken transfer.
 * Only a complete transfer is applied. */
#include <string.h>

#include "aisrv_internal.h"
#include "xai/flash.h"

void aisrv_transfer_abort(xai_aisrv *s, const char *why) {
  if (!s->rx.open) return;
  aisrv_log(s, "%s transfer (engine %u) dropped after %u of %u bytes: %s",
            xai_proto_command_name(s->rx.first.command), s->rx.first.engine,
            s->rx.received, s->rx.first.total, why);
  xai_chunk_reassembler_reset(&s->rx);
}

/* Checks a FIRST chunk and opens the reassembler on the right memory.
 * Returns false after replying with the reason when it is refused. */
static bool open_transfer(xai_aisrv *s, const xai_frame_header *h) {
  aisrv_engine *e = h->engine < s->engines ? &s->eng[h->engine] : NULL;
  switch (h->command) {
    case XAI_CMD_SET_MODEL: {
      uint32_t mem = XAI_SET_MODEL_MEMORY(h->arg);
      if (mem == XAI_MODEL_TO_SRAM) {
        if (h->total > e->sram_bytes) {
          aisrv_reply_error(s, h, XAI_PS_NO_MEMORY,
                            "engine %u: model of %u bytes needs at least that "
                            "much SRAM; tile %u has %zu bytes available (%u "
                            "minus %u for the firmware)",
                            e->index, h->total, e->index, e->sram_bytes,
                            s->cfg.sram_bytes_per_tile, s->cfg.firmware_bytes);
          return false;
        }
      } else if (mem == XAI_MODEL_TO_LPDDR) {
        if (!e->lpddr) {
          aisrv_reply_error(s, h, XAI_PS_NO_MEMORY,
                            "engine %u: the device has no LPDDR; load the "
                            "model to SRAM (memory 0)", e->index);
          return false;
        }
        if (h->total > e->lpddr_bytes) {
          aisrv_reply_error(s, h, XAI_PS_NO_MEMORY,
                            "engine %u: model of %u bytes does not fit the "
                            "engine's %zu bytes of LPDDR",
                            e->index, h->total, e->lpddr_bytes);
          return false;
        }
      } else {
        aisrv_reply_error(s, h, XAI_PS_BAD_ARGUMENT,
                          "SET_MODEL memory %u is not SRAM (0), LPDDR (1) or "
                          "FLASH (2)", mem);
        return false;
      }
      if (h->total >= s->cfg.staging.bytes) {
        aisrv_reply_error(s, h, XAI_PS_TOO_LARGE,
                          "engine %u: model of %u bytes is larger than the "
                          "%zu-byte staging area models are received into",
                          e->index, h->total, s->cfg.staging.bytes);
        return false;
      }
      xai_chunk_reassembler_init(&s->rx, s->cfg.staging.base,
                                 (uint32_t)s->cfg.staging.bytes);
      return true;
    }
    case XAI_CMD_SET_INPUT: {
      if (!e->interp) {
        aisrv_reply_error(s, h, XAI_PS_NO_MODEL, "engine %u has no model; "
                          "send one with SET_MODEL first", e->index);
        return false;
      }
      uint32_t n = xai_interp_input_count(e->interp);
      if (h->tensor >= n) {
        aisrv_reply_error(s, h, XAI_PS_BAD_ARGUMENT,
                          "engine %u: input %u does not exist; the model has "
                          "%u inputs", e->index, h->tensor, n);
        return false;
      }
      xai_rt_tensor *t = xai_interp_input(e->interp, h->tensor);
      if (h->total != t->bytes) {
        aisrv_reply_error(s, h, XAI_PS_BAD_ARGUMENT,
                          "engine %u: input %u '%s' holds %zu bytes but %u "
                          "bytes were sent",
                          e->index, h->tensor, t->name ? t->name : "",
                          t->bytes, h->total);
        return false;
      }
      xai_chunk_reassembler_init(&s->rx, t->data, (uint32_t)t->bytes);
      return true;
    }
    case XAI_CMD_FLASH_WRITE: {
      if (!s->cfg.flash.size) {
        aisrv_reply_error(s, h, XAI_PS_BAD_ARGUMENT, "the device has no flash");
        return false;
      }
      if (h->arg % XAI_FLASH_SECTOR_BYTES != 0) {
        aisrv_reply_error(s, h, XAI_PS_BAD_ARGUMENT,
                          "FLASH_WRITE address 0x%x is not on a %u-byte sector "
                          "boundary", h->arg, XAI_FLASH_SECTOR_BYTES);
        return false;
      }
      if (h->arg > s->cfg.flash.size ||
          h->total > s->cfg.flash.size - h->arg) {
        aisrv_reply_error(s, h, XAI_PS_TOO_LARGE,
                          "FLASH_WRITE of %u bytes at 0x%x runs past the end "
                          "of the %u-byte flash",
                          h->total, h->arg, s->cfg.flash.size);
        return false;
      }
      xai_chunk_reassembler_init(&s->rx, NULL, s->cfg.flash.size - h->arg);
      s->flash_erased_end = h->arg;
      return true;
    }
    default:
      return false;
  }
}

static void apply(xai_aisrv *s, const xai_frame_header *h) {
  aisrv_engine *e = &s->eng[h->engine < s->engines ? h->engine : 0];
  switch (h->command) {
    case XAI_CMD_SET_MODEL:
      aisrv_engine_commit(s, e, h, h->total,
                          (aisrv_memory)XAI_SET_MODEL_MEMORY(h->arg));
      return;
    case XAI_CMD_FLASH_WRITE:
      aisrv_log(s, "flash: wrote %u bytes at 0x%x", h->total, h->arg);
      aisrv_reply(s, h, XAI_PS_OK, NULL, 0);
      return;
    default: /* SET_INPUT: the bytes are already in the tensor */
      aisrv_reply(s, h, XAI_PS_OK, NULL, 0);
      return;
  }
}

void aisrv_transfer_frame(xai_aisrv *s, const xai_frame_header *h,
                          const uint8_t *payload) {
  if (h->flags & XAI_FRAME_FIRST) {
    if (s->rx.open) aisrv_transfer_abort(s, "a new transfer started");
    if (!open_transfer(s, h)) return;
  }
  xai_chunk_result r = xai_chunk_reassembler_add(&s->rx, h, payload, &s->err);
  if (r != XAI_CHUNK_MORE && r != XAI_CHUNK_DONE) {
    aisrv_reply_error(s, h, xai_chunk_result_status(r), "%s", s->err.message);
    return;
  }
  if (h->command == XAI_CMD_FLASH_WRITE &&
      aisrv_flash_program_chunk(s, h, payload) != XAI_OK) {
    xai_chunk_reassembler_reset(&s->rx);
    aisrv_reply_error(s, h, XAI_PS_BAD_ARGUMENT, "%s", s->err.message);
    return;
  }
  if (r == XAI_CHUNK_DONE)
    apply(s, h);
  else
    aisrv_reply(s, h, XAI_PS_OK, NULL, 0);
}
