/* The channel split executed on the device (docs/multitile.md, "Channel
 * split"): a model compiled with --xcore-tiles 2 has wide ops split by
 * output channels; on the 2-tile emulator each split half is computed by
 * the other tile's thread while the engine's tile computes the op after
 * it, the half's output joining over the modelled inter-tile link. For
 * person_detect (../shared/models, skipped if absent) and a generated
 * MobileNetV1 0.25 64x64, split where the cost model says it pays (1
 * thread) and everywhere (--xcore-tile-split, 5 threads):
 *   - outputs are the original model's bytes on the reference kernels
 *     (the oracle), as is the single-tile build's;
 *   - the device log says every half was computed by tile 1's thread;
 *     GET_TILE_TIMINGS puts the halves on tile 1 and counts their link
 *     bytes and ticks on it, as the model's xai_par record has them;
 *   - where the cost model chose the split, the modelled time is below the
 *     single-tile build's;
 *   - two split models on both tiles at once (INVOKE_TILES): a half runs
 *     on its own tile while the other is busy; same bytes;
 *   - the runtime's xai_interp_invoke_tiles on a host thread pool gives
 *     the same bytes as xai_interp_invoke.
 * argv[1]: the xai_device_emulator executable. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emulator_proc.h"
#include "interp_heap.h"
#include "mobilenet_v1_gen.h"
#include "testlib.h"
#include "xai/host.h"
#include "xai/runtime.h"
#include "xai/xformer.h"

#define MAX_LAYERS 256
#define SEED 77

typedef struct {
  uint8_t *bytes;
  size_t size;
  double report_ms;
} built;

static uint8_t *seeded_input(size_t n) {
  uint64_t seed = SEED;
  uint8_t *in = malloc(n);
  for (size_t i = 0; i < n; i++) in[i] = (uint8_t)(xai_test_rand(&seed) >> 56);
  return in;
}

/* One host run; the runner (may be NULL) takes the halves. */
static int run_host(const uint8_t *model, size_t size, bool reference,
                    const xai_tile_runner *runner, uint8_t **out,
                    size_t *out_bytes, size_t *in_bytes) {
  xai_error err = {0};
  xai_interp_config cfg = xai_test_interp_config(model, size, NULL, 0);
  if (reference) cfg.resolver = xai_ref_resolver();
  xai_test_heap_interp h = {0};
  int rc = -1;
  if (xai_test_heap_interp_init(&h, &cfg, &err) == XAI_OK) {
    xai_rt_tensor *in = xai_interp_input(h.ip, 0);
    uint8_t *data = seeded_input(in->bytes);
    *in_bytes = in->bytes;
    if (xai_interp_set_input(h.ip, 0, data, in->bytes, &err) == XAI_OK &&
        xai_interp_invoke_tiles(h.ip, runner, &err) == XAI_OK) {
      const xai_rt_tensor *o = xai_interp_output(h.ip, 0);
      *out = malloc(o->bytes);
      memcpy(*out, o->data, o->bytes);
      *out_bytes = o->bytes;
      rc = 0;
    }
    free(data);
  }
  if (rc) fprintf(stderr, "  host run: %s\n", err.message);
  xai_test_heap_interp_free(&h);
  return rc;
}

static int compile(const uint8_t *model, size_t size, unsigned tiles,
                   unsigned threads, bool force, built *b) {
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.quiet = 1;
  o.tiles = tiles;
  o.thread_count = threads;
  o.tile_split = force;
  xai_xformer_report rep;
  xai_error err = {0};
  int rc = xai_xformer_run(model, size, &o, &b->bytes, &b->size, NULL, NULL,
                           &rep, &err) ? -1 : 0;
  if (rc) fprintf(stderr, "  xformer: %s\n", err.message);
  if (!rc) {
    b->report_ms = rep.ms;
    xai_xformer_report_free(&rep);
  }
  return rc;
}

/* A host "other tile": one thread that takes one job at a time. */
typedef struct {
  pthread_t thread;
  bool running;
  uint32_t started;
} host_tile;

typedef struct {
  void (*fn)(void *);
  void *arg;
} job;

static void *job_main(void *p) {
  job *j = p;
  j->fn(j->arg);
  free(j);
  return NULL;
}

static bool host_start(void *user, void (*fn)(void *), void *arg) {
  host_tile *t = user;
  job *j = malloc(sizeof *j);
  if (!j) return false;
  j->fn = fn;
  j->arg = arg;
  if (pthread_create(&t->thread, NULL, job_main, j) != 0) {
    free(j);
    return false;
  }
  t->running = true;
  t->started++;
  return true;
}

static void host_join(void *user) {
  host_tile *t = user;
  if (t->running) pthread_join(t->thread, NULL);
  t->running = false;
}

static uint64_t total_ticks(xai_host_device *dev, uint8_t engine) {
  static xai_proto_layer_timing l[MAX_LAYERS];
  uint32_t n = 0;
  xai_error err = {0};
  CHECK_EQ_INT(xai_host_read_times(dev, engine, l, MAX_LAYERS, &n, &err),
               XAI_OK);
  uint64_t t = 0;
  for (uint32_t i = 0; i < n; i++) t += l[i].ticks;
  return t;
}

/* Loads b on the engine (when load), sets its input and, when run,
 * invokes it alone. */
static void run_device(xai_host_device *dev, uint8_t engine, const built *b,
                       const uint8_t *input, size_t in_bytes, bool load,
                       bool run) {
  xai_error err = {0};
  if (load)
    CHECK_EQ_INT(xai_host_download_model(dev, engine, b->bytes, b->size,
                                         XAI_MODEL_TO_SRAM, NULL, NULL, &err),
                 XAI_OK);
  if (err.status) fprintf(stderr, "  load: %s\n", err.message);
  CHECK_EQ_INT(xai_host_write_input(dev, engine, 0, input, in_bytes, &err),
               XAI_OK);
  if (run) CHECK_EQ_INT(xai_host_invoke(dev, engine, &err), XAI_OK);
}

static void check_output(xai_host_device *dev, uint8_t engine,
                         const uint8_t *want, size_t out_bytes,
                         const char *what) {
  xai_error err = {0};
  uint8_t *out = malloc(out_bytes);
  size_t got = 0;
  CHECK_EQ_INT(xai_host_read_output(dev, engine, 0, out, out_bytes, &got,
                                    &err), XAI_OK);
  bool same = got == out_bytes && memcmp(out, want, got) == 0;
  if (!same) fprintf(stderr, "  %s: engine %u output differs\n", what, engine);
  CHECK(same);
  free(out);
}

/* "engine E: N channel-split halves, A of them computed by tile T's
 * thread" from the device log, which says it when the counts change: left
 * as they are when absent. */
static void read_halves(xai_host_device *dev, uint8_t engine, int *n,
                        int *away) {
  static char log[8192];
  xai_error err = {0};
  size_t got = 0;
  CHECK_EQ_INT(xai_host_read_log(dev, log, sizeof log, &got, &err), XAI_OK);
  char key[32];
  snprintf(key, sizeof key, "engine %u: ", engine);
  for (char *p = log; (p = strstr(p, key)) != NULL; p++) {
    int a = 0, b = 0;
    if (sscanf(p + strlen(key), "%d channel-split halves, %d of them", &a,
               &b) == 2) {
      *n = a;
      *away = b;
    }
  }
}

static void check_model(const char *exe, const char *what,
                        const uint8_t *orig, size_t orig_size,
                        unsigned threads, bool force) {
  uint8_t *want = NULL, *got = NULL;
  size_t out_bytes = 0, got_bytes = 0, in_bytes = 0;
  if (run_host(orig, orig_size, true, NULL, &want, &out_bytes, &in_bytes)) {
    CHECK(!"the oracle run failed");
    return;
  }
  built one = {0}, two = {0};
  if (compile(orig, orig_size, 1, threads, false, &one) ||
      compile(orig, orig_size, 2, threads, force, &two)) {
    CHECK(!"xformer failed");
    free(want);
    return;
  }
  /* The runtime on host threads: same bytes, and halves were handed out. */
  host_tile ht = {0};
  xai_tile_runner r = {host_start, host_join, &ht};
  CHECK_EQ_INT(run_host(two.bytes, two.size, false, &r, &got, &got_bytes,
                        &in_bytes), 0);
  CHECK(got_bytes == out_bytes && got && !memcmp(got, want, out_bytes));
  CHECK(ht.started > 0);
  free(got);

  uint8_t *input = seeded_input(in_bytes);
  emulator_proc emu;
  const char *extra[] = {"--lpddr-mib", "0", "--instant", NULL};
  if (emulator_start(&emu, exe, extra) != 0) {
    CHECK(!"the emulator did not start");
    emulator_stop(&emu);
    free(input);
    free(want);
    return;
  }
  xai_host_device *dev = NULL;
  xai_error err = {0};
  CHECK_EQ_INT(xai_host_connect(&dev, emu.device, 60000, &err), XAI_OK);
  if (dev) {
    run_device(dev, 0, &one, input, in_bytes, true, true);
    check_output(dev, 0, want, out_bytes, "one tile");
    uint64_t t1 = total_ticks(dev, 0);
    int n = -1, away = -1;
    read_halves(dev, 0, &n, &away);
    run_device(dev, 0, &two, input, in_bytes, true, true);
    check_output(dev, 0, want, out_bytes, "two tiles");
    uint64_t t2 = total_ticks(dev, 0);
    read_halves(dev, 0, &n, &away);
    CHECK(n > 0 && away == n);
    /* The halves on tile 1, their link on tile 1's account. */
    static xai_proto_layer_tile l[MAX_LAYERS];
    xai_proto_tile_timings tt;
    CHECK_EQ_INT(xai_host_read_tile_times(dev, 0, &tt, l, MAX_LAYERS, &err),
                 XAI_OK);
    int on1 = 0;
    uint64_t bytes = 0, link = 0;
    for (uint32_t i = 0; i < tt.layer_count; i++)
      if (l[i].tile == 1) {
        on1++;
        bytes += l[i].link_bytes;
        link += l[i].link_ticks;
        CHECK(l[i].link_bytes > 0 && l[i].link_ticks > 0);
      }
    CHECK_EQ_INT(on1, n);
    CHECK(tt.tile[1].link_bytes == bytes && tt.tile[1].link_ticks == link);
    printf("%s, %u threads%s: %d ops split, all computed by tile 1; "
           "modelled %.3f ms on 1 tile, %.3f ms on 2 (link %llu bytes in "
           "%.3f ms); xformer report %.3f -> %.3f ms\n", what, threads,
           force ? ", --xcore-tile-split" : "", n, t1 / 1e5, t2 / 1e5,
           (unsigned long long)bytes, link / 1e5, one.report_ms,
           two.report_ms);
    if (!force) CHECK(t2 < t1);
    /* Both tiles busy with their own engines: the halves stay home. */
    run_device(dev, 1, &two, input, in_bytes, true, true);
    int n1 = -1, away1 = -1;
    read_halves(dev, 1, &n1, &away1);
    CHECK(n1 == n && away1 == n);
    run_device(dev, 0, &two, input, in_bytes, false, false);
    run_device(dev, 1, &two, input, in_bytes, false, false);
    CHECK_EQ_INT(xai_host_invoke_tiles(dev, 3u, &err), XAI_OK);
    check_output(dev, 0, want, out_bytes, "INVOKE_TILES engine 0");
    check_output(dev, 1, want, out_bytes, "INVOKE_TILES engine 1");
    /* Tile 1 may finish its own engine first and then take halves. */
    int n_both = n, away_both = away;
    read_halves(dev, 0, &n_both, &away_both);
    CHECK(n_both == n && away_both >= 0 && away_both <= n);
    printf("  INVOKE_TILES of both engines: %d of %d halves of engine 0 "
           "computed by tile 1 (the rest while it ran engine 1)\n",
           away_both, n_both);
    xai_host_close(dev);
  }
  emulator_stop(&emu);
  free(input);
  free(want);
  free(one.bytes);
  free(two.bytes);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s XAI_DEVICE_EMULATOR\n", argv[0]);
    return 2;
  }
  xai_error err = {0};
  uint8_t *mn = NULL;
  size_t mn_n = 0;
  CHECK_EQ_INT(mnv1_build_depth(4, 64, 10, 13, &mn, &mn_n, &err), XAI_OK);
  if (mn) {
    check_model(argv[1], "MobileNetV1 0.25 64x64", mn, mn_n, 1, false);
    check_model(argv[1], "MobileNetV1 0.25 64x64", mn, mn_n, 5, true);
  }
  free(mn);
  const char *dir = getenv("XAI_SHARED_DIR");
  char path[512];
  snprintf(path, sizeof path, "%s/models/tflm/person_detect.tflite",
           dir ? dir : "../shared");
  uint8_t *pd = NULL;
  size_t pd_n = 0;
  if (xai_file_read(path, &pd, &pd_n, &err) == XAI_OK) {
    check_model(argv[1], "person_detect", pd, pd_n, 1, false);
    check_model(argv[1], "person_detect", pd, pd_n, 5, true);
    xai_file_free(pd);
  } else {
    printf("SKIP person_detect: %s\n", err.message);
  }
  return xai_test_finish("test_host_tile_split_e2e");
}
