/* Channel split over tiles (docs/multitile.md, mode c): with
 * --xcore-tiles 2 the wide FULLY_CONNECTED and 1x1 convs of two models are
 * split by output channels, half on tile 1 at the same time as the other
 * half on tile 0. In the runtime's cost model (the report, what the
 * emulator's GET_TIMINGS reports) this is faster than one tile, and the
 * outputs are bit-exact with the original on the reference kernels (the
 * oracle) at 1 and 5 threads. --xcore-no-tile-split turns it off.
 * The layer pipeline plan (mode b) for a stream of inputs over 2 tiles
 * gives more inferences per second than one at a time, its stages cover
 * the layers in order and cost at least their layers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mobilenet_v1_gen.h"
#include "run_seeded.h"
#include "testlib.h"
#include "xai/runtime.h"
#include "xai/xformer.h"

/* [1,512] -> FC 512 -> FC 128: the first is wide, the second is not. */
static xai_status build_fc(uint8_t **out, size_t *size, xai_error *err) {
  xai_model m;
  xai_status st = xai_model_init(&m, err);
  if (st) return st;
  uint64_t seed = 11;
  int32_t is[2] = {1, 512};
  int32_t in = mb_tensor(&m, "input", XAI_TYPE_INT8, is, 2, 0.05f, 0, NULL, 0);
  int8_t *w = malloc(512 * 512);
  int32_t *b = malloc(512 * 4);
  for (int i = 0; i < 512 * 512; i++) w[i] = (int8_t)(xai_test_rand(&seed) >> 57);
  for (int i = 0; i < 512; i++) b[i] = (int32_t)(xai_test_rand(&seed) >> 52) - 2048;
  int32_t h = mb_fc(&m, in, 512, 512, "hidden", w, b, 0.4f, 0);
  int32_t o = mb_fc(&m, h, 512, 128, "logits", w, b, 0.8f, 0);
  free(w);
  free(b);
  st = xai_model_set_subgraph_io(&m, 0, &in, 1, &o, 1);
  if (!st) st = xai_model_write(&m, out, size, err);
  xai_model_free(&m);
  return st;
}

static void check_pipeline(const xai_xformer_report *r) {
  CHECK(r->pipe_stages == 2);
  if (r->pipe_stages != 2) return;
  CHECK(r->pipe_first[0] == 0 && r->pipe_first[1] > 0 &&
        r->pipe_first[1] < r->layer_count);
  uint64_t sum = 0, stages = 0;
  for (uint32_t i = 0; i < r->layer_count; i++) sum += r->layers[i].ticks;
  for (uint32_t s = 0; s < r->pipe_stages; s++) stages += r->pipe_ticks[s];
  CHECK(stages >= sum);
  CHECK(r->pipe_link_bytes[1] > 0);
  CHECK(r->pipe_per_s > 1000.0 / r->ms * 1.2);
  /* The JSON report carries the plan. */
  xai_error err;
  CHECK_EQ_INT(xai_xformer_report_write_json(r, "tile_split.json", &err),
               XAI_OK);
  uint8_t *json = NULL;
  size_t n = 0;
  CHECK_EQ_INT(xai_file_read("tile_split.json", &json, &n, &err), XAI_OK);
  char *text = json ? malloc(n + 1) : NULL;
  if (text) {
    memcpy(text, json, n);
    text[n] = '\0';
  }
  CHECK(text && strstr(text, "\"pipeline\": {\"per_s\"") != NULL);
  free(text);
  xai_file_free(json);
  remove("tile_split.json");
  printf("  pipeline: layers 0..%u | %u..%u, %.3f + %.3f ms, %.1f/s vs %.1f/s\n",
         r->pipe_first[1] - 1, r->pipe_first[1], r->layer_count - 1,
         r->pipe_ticks[0] / 1e5, r->pipe_ticks[1] / 1e5, r->pipe_per_s,
         1000.0 / r->ms);
}

static void check_model(const char *what, const uint8_t *model, size_t size) {
  xai_error err;
  xai_error_clear(&err);
  uint8_t *want = NULL;
  size_t want_n = 0;
  xai_interp_config rc = xai_test_interp_config(model, size, NULL, 0);
  rc.resolver = xai_ref_resolver();
  CHECK_EQ_INT(xai_test_run_seeded(&rc, 5, &want, &want_n, &err), XAI_OK);
  static const unsigned threads[] = {1, 5};
  for (unsigned k = 0; k < 2; k++) {
    double ms[2] = {0, 0};
    for (unsigned tiles = 1; tiles <= 2; tiles++) {
      xai_xformer_options o;
      xai_xformer_options_init(&o);
      o.quiet = 1;
      o.thread_count = threads[k];
      o.tiles = tiles;
      uint8_t *out = NULL;
      size_t out_n = 0;
      xai_xformer_report rep;
      CHECK_EQ_INT(xai_xformer_run(model, size, &o, &out, &out_n, NULL, NULL,
                                   &rep, &err), XAI_OK);
      if (err.status) {
        fprintf(stderr, "%s: %s\n", what, err.message);
        return;
      }
      ms[tiles - 1] = rep.ms;
      if (tiles == 2) check_pipeline(&rep);
      uint32_t split = 0;
      for (uint32_t i = 0; i < rep.layer_count; i++)
        split += strstr(rep.layers[i].note, "on tile 1") != NULL;
      CHECK(tiles == 1 ? split == 0 : split > 0);
      uint8_t *got = NULL;
      size_t got_n = 0;
      xai_interp_config c = xai_test_interp_config(out, out_n, NULL, 0);
      CHECK_EQ_INT(xai_test_run_seeded(&c, 5, &got, &got_n, &err), XAI_OK);
      CHECK(got_n == want_n && memcmp(got, want, want_n) == 0);
      printf("%s, %u threads, %u tile(s): %.4f ms, %u ops split\n", what,
             threads[k], tiles, rep.ms, split);
      free(got);
      free(out);
      xai_xformer_report_free(&rep);
    }
    CHECK(ms[1] < ms[0]);
  }
  /* Turned off: nothing split. */
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.quiet = 1;
  o.tiles = 2;
  CHECK_EQ_INT(xai_xformer_set_option(&o, "xcore-no-tile-split", NULL, &err),
               XAI_OK);
  uint8_t *out = NULL;
  size_t out_n = 0;
  xai_xformer_report rep;
  CHECK_EQ_INT(xai_xformer_run(model, size, &o, &out, &out_n, NULL, NULL,
                               &rep, &err), XAI_OK);
  for (uint32_t i = 0; i < rep.layer_count; i++)
    CHECK(strstr(rep.layers[i].note, "on tile 1") == NULL);
  xai_xformer_report_free(&rep);
  free(out);
  free(want);
}

int main(void) {
  xai_error err;
  xai_error_clear(&err);
  uint8_t *fc = NULL, *mn = NULL;
  size_t fc_n = 0, mn_n = 0;
  CHECK_EQ_INT(build_fc(&fc, &fc_n, &err), XAI_OK);
  CHECK_EQ_INT(mnv1_build_depth(4, 64, 10, 13, &mn, &mn_n, &err), XAI_OK);
  if (fc) check_model("FC 512x512 + 512x128", fc, fc_n);
  if (mn) check_model("MobileNetV1 0.25 64x64", mn, mn_n);
  free(fc);
  free(mn);
  return xai_test_finish("xformer_test_tile_split");
}
