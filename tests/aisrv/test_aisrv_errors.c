/* Issue #12: every reply carries its own request's error (nothing an
 * earlier request left behind), and an input upload is a transaction
 * (INVOKE after an interrupted SET_INPUT is refused; a whole upload then
 * works and gives the host's outputs). */
#include <stdlib.h>
#include <string.h>

#include "aisrv_harness.h"
#include "model_util.h"
#include "testlib.h"

#define PERSON "tflm/person_detect.tflite"

static char prev[1024];

/* The reply text of the last request, also kept in prev. */
static const char *remember(harness *h) {
  snprintf(prev, sizeof prev, "%s", harness_text(h));
  return prev;
}

static void test_errors_are_per_request(void) {
  harness h;
  harness_opts o = harness_defaults();
  harness_init(&h, &o);
  /* 1: a model that is not a flatbuffer. */
  uint8_t junk[256];
  memset(junk, 0x5A, sizeof junk);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 0, 0,
                              XAI_SET_MODEL_ARG(XAI_MODEL_TO_SRAM, 0), junk,
                              sizeof junk, 100, 0),
               XAI_PS_MODEL_ERROR);
  const char *first = remember(&h);
  CHECK(first[0] != '\0');
  CHECK(strstr(first, "ZZZZ") != NULL); /* it names the bad identifier */

  /* 1b: then a truncated model (right identifier, cut short): its own
   * reason, not the previous file's identifier. */
  uint8_t cut[40];
  memset(cut, 0, sizeof cut);
  cut[0] = 0x1c;
  memcpy(cut + 4, "TFL3", 4);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 0, 0,
                              XAI_SET_MODEL_ARG(XAI_MODEL_TO_SRAM, 0), cut,
                              sizeof cut, 4096, 0),
               XAI_PS_MODEL_ERROR);
  CHECK(harness_text(&h)[0] != '\0');
  CHECK(strstr(harness_text(&h), "ZZZZ") == NULL);
  remember(&h);

  /* 2: a continuation with no transfer open: its own message. */
  xai_frame_header hdr;
  xai_frame_header_init(&hdr, XAI_CMD_SET_MODEL, 500);
  hdr.flags = XAI_FRAME_LAST;
  hdr.offset = 16;
  hdr.length = 16;
  hdr.total = 32;
  CHECK_EQ_INT(harness_frame(&h, &hdr, junk), XAI_PS_BAD_ARGUMENT);
  CHECK(strstr(harness_text(&h), "no transfer is open") != NULL);
  CHECK(strcmp(harness_text(&h), first) != 0);
  remember(&h);

  /* 3: a transfer broken by an out-of-order chunk names the sequence
   * error, not the earlier "no transfer is open". */
  xai_frame_header_init(&hdr, XAI_CMD_SET_MODEL, 600);
  hdr.flags = XAI_FRAME_FIRST;
  hdr.arg = XAI_SET_MODEL_ARG(XAI_MODEL_TO_SRAM, 0);
  hdr.length = 16;
  hdr.total = 64;
  CHECK_EQ_INT(harness_frame(&h, &hdr, junk), XAI_PS_OK);
  hdr.flags = 0;
  hdr.seq = 602;
  hdr.offset = 16;
  CHECK_EQ_INT(harness_frame(&h, &hdr, junk), XAI_PS_BAD_ARGUMENT);
  CHECK(strstr(harness_text(&h), "sequence number out of order") != NULL);
  CHECK(strstr(harness_text(&h), "no transfer is open") == NULL);

  /* 4: after all that, a request that fails outside any callee carries
   * only its own text. */
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_INVOKE, 0, 0, 0, NULL, 0),
               XAI_PS_NO_MODEL);
  CHECK(strstr(harness_text(&h), "sequence") == NULL);
  harness_free(&h);
}

static void test_input_transaction(const test_model *pd) {
  harness h;
  harness_opts o = harness_defaults();
  harness_init(&h, &o);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 0, 0,
                              XAI_SET_MODEL_ARG(XAI_MODEL_TO_SRAM, 0),
                              pd->bytes, (uint32_t)pd->size, 4096, 0),
               XAI_PS_OK);
  const uint32_t n = 96 * 96;
  uint8_t *a = malloc(n), *b = malloc(n), *got = malloc(16), *want = malloc(16);
  test_fill(a, n, 1);
  test_fill(b, n, 2);
  /* A whole input, then half of another: INVOKE is refused. */
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_INPUT, 0, 0, 0, a, n, 1024, 0),
               XAI_PS_OK);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_INPUT, 0, 0, 0, b, n, 1024, 4),
               XAI_PS_OK);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_INVOKE, 0, 0, 0, NULL, 0),
               XAI_PS_BAD_ARGUMENT);
  CHECK(strstr(harness_text(&h), "input 0") != NULL);
  CHECK(strstr(harness_text(&h), "incomplete") != NULL);
  /* Still refused on a retry (the abort itself does not complete it). */
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_INVOKE, 0, 0, 0, NULL, 0),
               XAI_PS_BAD_ARGUMENT);
  /* A broken chunk sequence leaves it incomplete too. */
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_INPUT, 0, 0, 0, b, n, 1024, 2),
               XAI_PS_OK);
  xai_frame_header hdr;
  xai_frame_header_init(&hdr, XAI_CMD_SET_INPUT, 9999);
  hdr.flags = 0;
  hdr.offset = 4096;
  hdr.length = 1024;
  hdr.total = n;
  CHECK(harness_frame(&h, &hdr, b) != XAI_PS_OK);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_INVOKE, 0, 0, 0, NULL, 0),
               XAI_PS_BAD_ARGUMENT);
  /* The next complete upload works and gives the host's answer. */
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_INPUT, 0, 0, 0, b, n, 1024, 0),
               XAI_PS_OK);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_INVOKE, 0, 0, 0, NULL, 0),
               XAI_PS_OK);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_GET_OUTPUT, 0, 0, 0, NULL, 0),
               XAI_PS_OK);
  const uint8_t *ins[1] = {b};
  size_t wn = test_model_run(pd, ins, 0, want, 16);
  CHECK(h.data_len == wn && memcmp(h.data, want, wn) == 0);
  (void)got;
  free(a);
  free(b);
  free(got);
  free(want);
  harness_free(&h);
}

int main(void) {
  test_errors_are_per_request();
  test_model pd;
  if (test_model_load(&pd, PERSON)) {
    test_input_transaction(&pd);
    test_model_free(&pd);
  } else {
    printf("test_aisrv_errors: SKIP input transaction (no shared models)\n");
  }
  return xai_test_finish("test_aisrv_errors");
}
