/* Host->device transfers (SET_MODEL, SET_PARAMS, SET_INPUT, FLASH_WRITE): the first
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

/* A FLASH_WRITE over the params an engine streams from flash: the model
 * cannot run once the erase starts, so it goes now, before it could run
 * with half-written weights. */
static void drop_flash_params_users(xai_aisrv *s, uint32_t at, uint32_t n) {
  for (uint32_t i = 0; i < s->engines; i++) {
    aisrv_engine *e = &s->eng[i];
    xai_flash_entry entry;
    if (!e->interp || e->params_place != XAI_PLACE_FLASH) continue;
    if (xai_flash_image_entry(&e->flash_image, e->params_entry, &entry,
                              NULL) == XAI_OK &&
        ((uint64_t)at >= (uint64_t)entry.params_offset + entry.params_bytes ||
         (uint64_t)at + n <= entry.params_offset))
      continue;
    aisrv_engine_drop(e);
    aisrv_log(s, "engine %u: model dropped: FLASH_WRITE of %u bytes at 0x%x "
              "overwrites the flash its params stream from", i, n, at);
  }
}

/* Checks a FIRST chunk and opens the reassembler on the right memory.
 * Returns false after replying with the reason when it is refused. */
static bool open_transfer(xai_aisrv *s, const xai_frame_header *h) {
  aisrv_engine *e = h->engine < s->engines ? &s->eng[h->engine] : NULL;
  switch (h->command) {
    case XAI_CMD_SET_MODEL: {
      uint32_t mem = XAI_SET_MODEL_BASE(h->arg);
      if (!aisrv_set_model_flags_ok(s, h)) return false;
      bool with_params = (h->arg & XAI_SET_MODEL_WITH_PARAMS) != 0;
      /* Params in the same memory count against it with the model. */
      uint32_t params_here = 0;
      uint32_t params_room = 0;
      if (with_params) {
        if (!s->pending.valid || s->pending.engine != e->index) {
          aisrv_reply_error(s, h, XAI_PS_BAD_ARGUMENT,
                            "engine %u: SET_MODEL asks for its params but no "
                            "SET_PARAMS for this engine preceded it; send "
                            "the params first", e->index);
          return false;
        }
        params_room = (uint32_t)aisrv_align16(s->pending.bytes);
        if ((mem == XAI_MODEL_TO_SRAM &&
             s->pending.place == XAI_PLACE_SRAM) ||
            (mem == XAI_MODEL_TO_LPDDR && s->pending.place == XAI_PLACE_LPDDR))
          params_here = s->pending.bytes;
      }
      if (mem == XAI_MODEL_TO_SRAM) {
        if (h->total > e->sram_bytes - params_here) {
          aisrv_reply_error(s, h, XAI_PS_NO_MEMORY,
                            "engine %u: model of %u bytes (+ %u bytes of "
                            "params) needs at least that much SRAM; tile %u "
                            "has %zu bytes available (%u minus %u for the "
                            "firmware)",
                            e->index, h->total, params_here, e->index,
                            e->sram_bytes, s->cfg.sram_bytes_per_tile,
                            s->cfg.firmware_bytes);
          return false;
        }
      } else if (mem == XAI_MODEL_TO_LPDDR) {
        if (!e->lpddr) {
          aisrv_reply_error(s, h, XAI_PS_NO_MEMORY,
                            "engine %u: the device has no LPDDR; load the "
                            "model to SRAM (memory 0)", e->index);
          return false;
        }
        if (h->total > e->lpddr_bytes - params_here) {
          aisrv_reply_error(s, h, XAI_PS_NO_MEMORY,
                            "engine %u: model of %u bytes (+ %u bytes of "
                            "params) does not fit the engine's %zu bytes of "
                            "LPDDR",
                            e->index, h->total, params_here, e->lpddr_bytes);
          return false;
        }
      } else {
        aisrv_reply_error(s, h, XAI_PS_BAD_ARGUMENT,
                          "SET_MODEL memory %u is not SRAM (0), LPDDR (1) or "
                          "FLASH (2)", mem);
        return false;
      }
      if (h->total >= s->cfg.staging.bytes - params_room) {
        aisrv_reply_error(s, h, XAI_PS_TOO_LARGE,
                          "engine %u: model of %u bytes is larger than the "
                          "%zu-byte staging area models are received into%s",
                          e->index, h->total,
                          s->cfg.staging.bytes - params_room,
                          params_room ? " (after the params)" : "");
        return false;
      }
      /* The model goes behind pending params, or over them. */
      if (!with_params)
        aisrv_params_forget(s, "SET_MODEL without the params flag reuses "
                               "the staging area");
      xai_chunk_reassembler_init(&s->rx, (uint8_t *)s->cfg.staging.base +
                                             params_room,
                                 (uint32_t)(s->cfg.staging.bytes -
                                            params_room));
      return true;
    }
    case XAI_CMD_SET_PARAMS:
      return aisrv_params_open(s, e, h);
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
                          "engine %u: input %u '%s' holds %u bytes but %u "
                          "bytes were sent", e->index, h->tensor,
                          xai_interp_tensor_name(e->interp, t), t->bytes,
                          h->total);
        return false;
      }
      xai_chunk_reassembler_init(&s->rx, t->data, (uint32_t)t->bytes);
      /* The tensor is written in place: until the last chunk lands it is
       * a mix of two inputs. */
      e->inputs_partial |= 1u << h->tensor;
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
      drop_flash_params_users(s, h->arg, h->total);
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
    case XAI_CMD_SET_MODEL: {
      uint32_t mem = XAI_SET_MODEL_BASE(h->arg);
      if (!(h->arg & XAI_SET_MODEL_WITH_PARAMS)) {
        aisrv_engine_commit(s, e, h, s->cfg.staging.base, h->total,
                            (aisrv_memory)mem, NULL);
        return;
      }
      aisrv_params_in in;
      memset(&in, 0, sizeof in);
      in.place = s->pending.place;
      in.staged = s->cfg.staging.base;
      in.bytes = s->pending.bytes;
      /* Params that went with a model are used up; params refused with
       * one stay for a retry. */
      if (aisrv_engine_commit(s, e, h,
                              (uint8_t *)s->cfg.staging.base +
                                  aisrv_align16(s->pending.bytes),
                              h->total, (aisrv_memory)mem, &in))
        s->pending.valid = false;
      return;
    }
    case XAI_CMD_SET_PARAMS:
      aisrv_params_received(s, h);
      return;
    case XAI_CMD_FLASH_WRITE:
      aisrv_log(s, "flash: wrote %u bytes at 0x%x", h->total, h->arg);
      aisrv_reply(s, h, XAI_PS_OK, NULL, 0);
      return;
    default: /* SET_INPUT: the bytes are already in the tensor */
      e->inputs_partial &= ~(1u << h->tensor);
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
