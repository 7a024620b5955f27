/* A model over two tiles on the emulator (docs/multitile.md, "Device"): a
 * MobileNetV1 0.25 128x128 (500 classes) compiled with --xcore-tiles 2 for
 * a board with no LPDDR and no flash is loaded by xai_host_load_placed as
 * the xformer placed it (weights in both tiles' SRAM), and must give the
 * bytes of the original model on the reference kernels (the oracle) and of
 * the compiled model run on one host interpreter. Also:
 *   - on engine 1 (computing on tile 1, weights held on tile 0);
 *   - a fault: the same model on engine 0 while engine 1 fills tile 1 is
 *     refused whole (NO_MEMORY naming tile 1), and both engines keep their
 *     models and outputs;
 *   - GET_TILE_TIMINGS: tile 1 sends exactly its part's bytes per
 *     inference, per-layer link bytes add up, waits never exceed link time;
 *   - INVOKE_TILES: two models on two tiles at once give the same bytes as
 *     one after the other, and the modelled makespan is below the sum.
 *   - xmos_timings (argv[2], if given) prints the tile lines;
 *   - a MobileNetV1 with 1001 classes (weights over 3 tiles) compiled for
 *     2 chips runs on a 2-chip emulator (one device of 4 tiles), and is
 *     refused before any transfer by the 1-chip one;
 *   - with 4 engines on 2 tiles, two models resident on tile 0 (engines 0
 *     and 2) are chosen per inference without reloading, beside the
 *     two-tile model on engine 1; a model that does not fit beside them is
 *     refused and the resident one kept.
 * argv[1]: the xai_device_emulator executable. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "emulator_proc.h"
#include "interp_heap.h"
#include "mobilenet_v1_gen.h"
#include "testlib.h"
#include "xai/host.h"
#include "xai/host_placement.h"
#include "xai/runtime.h"
#include "xai/xformer.h"

#define MAX_LAYERS 256

typedef struct {
  uint8_t *model, *params;
  size_t model_size, params_size;
  uint8_t *input, *want;
  size_t in_bytes, out_bytes;
} case_t;

/* Runs `model` (with params, if any) once on `input`; 0 on success. */
static int run_host(const uint8_t *model, size_t size, const uint8_t *params,
                    size_t params_size, bool reference, const uint8_t *input,
                    size_t in_bytes, uint8_t **out, size_t *out_bytes) {
  xai_error err = {0};
  xai_params_source src = xai_params_memory(params, params_size,
                                            XAI_PARAMS_RAM);
  xai_interp_config cfg = xai_test_interp_config(model, size, NULL, 0);
  if (reference) cfg.resolver = xai_ref_resolver();
  if (params) cfg.params = &src;
  xai_test_heap_interp h = {0};
  int rc = -1;
  if (xai_test_heap_interp_init(&h, &cfg, &err) == XAI_OK &&
      xai_interp_set_input(h.ip, 0, input, in_bytes, &err) == XAI_OK &&
      xai_interp_invoke(h.ip, &err) == XAI_OK) {
    const xai_rt_tensor *o = xai_interp_output(h.ip, 0);
    *out = malloc(o->bytes);
    memcpy(*out, o->data, o->bytes);
    *out_bytes = o->bytes;
    rc = 0;
  }
  if (rc) fprintf(stderr, "  host run: %s\n", err.message);
  xai_test_heap_interp_free(&h);
  return rc;
}

/* Builds a MobileNetV1 (seed, size, classes), compiles it for `tiles`
 * tiles of a board with no LPDDR and no flash, and computes the oracle's
 * output on a seeded input. */
static int make_case(case_t *c, uint64_t seed, int32_t size, int32_t classes,
                     int depth, unsigned tiles, unsigned chips) {
  memset(c, 0, sizeof *c);
  xai_error err = {0};
  uint8_t *orig = NULL;
  size_t orig_size = 0;
  if (mnv1_build_depth(seed, size, classes, depth, &orig, &orig_size, &err))
    return -1;
  FILE *f = fopen("mte2e_target.cfg", "w");
  if (!f) return -1;
  fputs("lpddr_mib = 0\nflash_mib = 0\n", f);
  fclose(f);
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.quiet = 1;
  o.target_config = "mte2e_target.cfg";
  o.tiles = tiles;
  o.chips = chips;
  if (tiles > 1) o.params_file = "mte2e.params";
  int rc = xai_xformer_run(orig, orig_size, &o, &c->model, &c->model_size,
                           &c->params, &c->params_size, NULL, &err)
               ? -1 : 0;
  if (rc) fprintf(stderr, "  xformer: %s\n", err.message);
  remove("mte2e_target.cfg");
  remove("mte2e.params");
  c->in_bytes = (size_t)size * size * 3;
  c->input = malloc(c->in_bytes);
  for (size_t i = 0; i < c->in_bytes; i++)
    c->input[i] = (uint8_t)(xai_test_rand(&seed) >> 56);
  if (!rc)
    rc = run_host(orig, orig_size, NULL, 0, true, c->input, c->in_bytes,
                  &c->want, &c->out_bytes);
  /* The compiled model on one host interpreter, params in RAM. */
  uint8_t *host = NULL;
  size_t host_bytes = 0;
  if (!rc)
    rc = run_host(c->model, c->model_size, c->params, c->params_size, false,
                  c->input, c->in_bytes, &host, &host_bytes);
  if (!rc) {
    CHECK(host_bytes == c->out_bytes &&
          memcmp(host, c->want, host_bytes) == 0);
  }
  free(host);
  free(orig);
  return rc;
}

static void free_case(case_t *c) {
  free(c->model);
  free(c->params);
  free(c->input);
  free(c->want);
}

static xai_status load(xai_host_device *dev, uint8_t engine, const case_t *c,
                       xai_error *err) {
  xai_host_model_placement pl;
  xai_status st = xai_host_read_placement(c->model, c->model_size, &pl, err);
  if (st) return st;
  return xai_host_load_placed(dev, engine, c->model, c->model_size,
                              c->params, c->params_size, &pl, NULL, NULL,
                              err);
}

/* Sets the input; with run, invokes alone; checks output bytes. */
static void check_output(xai_host_device *dev, uint8_t engine,
                         const case_t *c, bool run, const char *what) {
  xai_error err = {0};
  if (run) {
    CHECK_EQ_INT(xai_host_write_input(dev, engine, 0, c->input, c->in_bytes,
                                      &err), XAI_OK);
    CHECK_EQ_INT(xai_host_invoke(dev, engine, &err), XAI_OK);
  }
  uint8_t *out = malloc(c->out_bytes);
  size_t got = 0;
  CHECK_EQ_INT(xai_host_read_output(dev, engine, 0, out, c->out_bytes, &got,
                                    &err), XAI_OK);
  bool same = got == c->out_bytes && memcmp(out, c->want, got) == 0;
  if (!same) fprintf(stderr, "  %s: engine %u output differs\n", what, engine);
  CHECK(same);
  free(out);
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

/* The tile timings of engine e running the two-tile model. */
static void check_tile_times(xai_host_device *dev, uint8_t e,
                             uint64_t remote_bytes) {
  static xai_proto_layer_tile l[MAX_LAYERS];
  xai_proto_tile_timings tt;
  xai_error err = {0};
  CHECK_EQ_INT(xai_host_read_tile_times(dev, e, &tt, l, MAX_LAYERS, &err),
               XAI_OK);
  CHECK_EQ_INT(tt.tiles, 2);
  CHECK_EQ_INT(tt.compute_tile, e);
  uint8_t other = (uint8_t)(1 - e);
  uint64_t bytes = 0, wait = 0, link = 0;
  for (uint32_t i = 0; i < tt.layer_count; i++) {
    bytes += l[i].link_bytes;
    link += l[i].link_ticks;
    wait += l[i].link_wait_ticks;
    CHECK(l[i].link_wait_ticks <= l[i].link_ticks);
    CHECK_EQ_INT(l[i].tile, e);
  }
  /* Every weight byte on the other tile crosses the link once; only the
   * part's alignment padding does not. */
  CHECK(tt.tile[other].link_bytes == bytes);
  CHECK(bytes <= remote_bytes && remote_bytes - bytes < 1024);
  CHECK((uint64_t)(tt.tile[other].link_ticks) == (uint64_t)(link));
  CHECK(tt.tile[e].compute_ticks == total_ticks(dev, e));
  CHECK((uint64_t)(tt.tile[e].link_bytes) == (uint64_t)(0));
  fprintf(stderr,
          "  engine %u: compute %.3f ms on tile %u; tile %u sent %llu bytes "
          "in %.3f ms, %.3f ms of it waited for\n", e,
          tt.tile[e].compute_ticks / 1e5, e, other,
          (unsigned long long)tt.tile[other].link_bytes, link / 1e5,
          wait / 1e5);
}

/* xmos_timings on the engine-0 run: the layer and tile lines. */
static void check_cli(const char *exe, const char *device) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "%s --device %s --engine 0", exe, device);
  FILE *p = popen(cmd, "r");
  CHECK(p != NULL);
  if (!p) return;
  char line[256];
  bool link_layer = false, tile_line = false;
  while (fgets(line, sizeof line, p)) {
    if (strstr(line, "XAI_load_weights") && strstr(line, "link ")) link_layer = true;
    if (strstr(line, "tile 1: compute 0.000 ms, sent")) tile_line = true;
  }
  CHECK_EQ_INT(pclose(p), 0);
  CHECK(link_layer);
  CHECK(tile_line);
}

/* Two chips, one device: the model's weights on tiles 0, 1 and 2 (tile 2
 * over the inter-chip link), computed on tile 0. */
static void run_two_chips(const char *exe, const case_t *c) {
  xai_params_tiles_state parts;
  bool has = false;
  xai_error err = {0};
  CHECK_EQ_INT(xai_params_tiles_from_model(&parts, c->model, c->model_size,
                                           &has, &err), XAI_OK);
  uint64_t on[8] = {0};
  for (uint32_t i = 0; i < parts.count; i++) {
    on[parts.part[i].tile] += parts.part[i].bytes;
    fprintf(stderr, "  part %u: tile %u, %u bytes\n", i, parts.part[i].tile,
            parts.part[i].bytes);
  }
  CHECK(on[1] > 0 && on[2] > 0);
  emulator_proc emu;
  const char *extra[] = {"--chips", "2", "--lpddr-mib", "0", "--instant",
                         NULL};
  if (emulator_start(&emu, exe, extra) != 0) {
    CHECK(!"the two-chip emulator did not start");
    emulator_stop(&emu);
    return;
  }
  xai_host_device *dev = NULL;
  CHECK_EQ_INT(xai_host_connect(&dev, emu.device, 60000, &err), XAI_OK);
  if (dev) {
    xai_proto_hello h;
    CHECK_EQ_INT(xai_host_hello(dev, &h, &err), XAI_OK);
    CHECK_EQ_INT(h.tiles, 4);
    CHECK_EQ_INT(load(dev, 0, c, &err), XAI_OK);
    if (err.status) fprintf(stderr, "  load: %s\n", err.message);
    check_output(dev, 0, c, true, "two chips");
    static xai_proto_layer_tile l[MAX_LAYERS];
    xai_proto_tile_timings tt;
    CHECK_EQ_INT(xai_host_read_tile_times(dev, 0, &tt, l, MAX_LAYERS, &err),
                 XAI_OK);
    CHECK_EQ_INT(tt.tiles, 4);
    for (uint32_t t = 1; t < 3; t++)
      CHECK(tt.tile[t].link_bytes <= on[t] && on[t] - tt.tile[t].link_bytes < 1024);
    /* The inter-chip link is slower than the inter-tile one. */
    CHECK(tt.tile[2].link_ticks * on[1] > tt.tile[1].link_ticks * on[2]);
    fprintf(stderr, "  two chips: compute %.3f ms; tile 1 sent %llu bytes in "
            "%.3f ms, tile 2 (chip 1) %llu bytes in %.3f ms\n",
            tt.tile[0].compute_ticks / 1e5,
            (unsigned long long)tt.tile[1].link_bytes, tt.tile[1].link_ticks / 1e5,
            (unsigned long long)tt.tile[2].link_bytes, tt.tile[2].link_ticks / 1e5);
    xai_host_close(dev);
  }
  emulator_stop(&emu);
}

/* Several models resident on one tile: engines 0 and 2 share tile 0. */
static void run_shared_tile(const char *exe, const case_t *big,
                            const case_t *s1, const case_t *s2) {
  emulator_proc emu;
  const char *extra[] = {"--engines", "4", "--lpddr-mib", "0", "--instant",
                         NULL};
  if (emulator_start(&emu, exe, extra) != 0) {
    CHECK(!"the 4-engine emulator did not start");
    emulator_stop(&emu);
    return;
  }
  xai_host_device *dev = NULL;
  xai_error err = {0};
  CHECK_EQ_INT(xai_host_connect(&dev, emu.device, 60000, &err), XAI_OK);
  if (dev) {
    xai_proto_hello h;
    CHECK_EQ_INT(xai_host_hello(dev, &h, &err), XAI_OK);
    CHECK(h.tiles == 2 && h.engines == 4);
    CHECK_EQ_INT(load(dev, 0, s1, &err), XAI_OK);
    CHECK_EQ_INT(load(dev, 2, s2, &err), XAI_OK);
    xai_proto_placement a, b;
    CHECK(xai_host_last_placement(dev, &b));
    CHECK_EQ_INT(b.tile, 0);
    CHECK_EQ_INT(load(dev, 1, big, &err), XAI_OK);
    if (err.status) fprintf(stderr, "  load: %s\n", err.message);
    (void)a;
    /* Chosen per inference, nothing reloaded. */
    check_output(dev, 0, s1, true, "shared tile, engine 0");
    check_output(dev, 2, s2, true, "shared tile, engine 2");
    check_output(dev, 0, s1, true, "shared tile, engine 0 again");
    check_output(dev, 1, big, true, "beside the shared tile");
    /* All three at once: 0 and 2 in turn on tile 0, 1 on tile 1. */
    CHECK_EQ_INT(xai_host_write_input(dev, 0, 0, s1->input, s1->in_bytes,
                                      &err), XAI_OK);
    CHECK_EQ_INT(xai_host_write_input(dev, 2, 0, s2->input, s2->in_bytes,
                                      &err), XAI_OK);
    CHECK_EQ_INT(xai_host_write_input(dev, 1, 0, big->input, big->in_bytes,
                                      &err), XAI_OK);
    CHECK_EQ_INT(xai_host_invoke_tiles(dev, 7, &err), XAI_OK);
    check_output(dev, 0, s1, false, "shared tile at once, engine 0");
    check_output(dev, 2, s2, false, "shared tile at once, engine 2");
    check_output(dev, 1, big, false, "shared tile at once, engine 1");
    /* The two-tile model on engine 2 would need tile 0's room for its
     * own part: refused, engine 2 keeps its model. */
    CHECK_EQ_INT(load(dev, 2, big, &err), XAI_ERR_NO_MEMORY);
    fprintf(stderr, "  shared tile, refused: %s\n", err.message);
    check_output(dev, 2, s2, true, "shared tile, kept");
    check_output(dev, 0, s1, true, "shared tile, neighbour kept");
    xai_host_close(dev);
  }
  emulator_stop(&emu);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 2 || !argv[1][0]) {
    printf("SKIP: no emulator executable\n");
    return 0;
  }
  case_t big, s1, s2;
  case_t chips2;
  CHECK_EQ_INT(make_case(&big, 1, 128, 500, 13, 2, 0), 0);
  CHECK_EQ_INT(make_case(&s1, 2, 64, 10, 8, 1, 0), 0);
  CHECK_EQ_INT(make_case(&s2, 3, 64, 12, 6, 1, 0), 0);
  /* 2000 classes: the weights need 3 tiles, so 2 chips. */
  CHECK_EQ_INT(make_case(&chips2, 5, 128, 2000, 13, 4, 2), 0);
  if (xai_test_failures) return xai_test_finish("test_host_multitile_e2e");
  /* The part of the params the xformer put on tile 1. */
  xai_params_tiles_state parts;
  bool has = false;
  xai_error err = {0};
  CHECK_EQ_INT(xai_params_tiles_from_model(&parts, big.model, big.model_size,
                                           &has, &err), XAI_OK);
  CHECK(has);
  uint64_t remote = 0;
  for (uint32_t i = 0; i < parts.count; i++)
    if (parts.part[i].tile) remote += parts.part[i].bytes;
  CHECK(remote > 0);
  fprintf(stderr, "  model %zu bytes, params %zu bytes, %llu on tile 1\n",
          big.model_size, big.params_size, (unsigned long long)remote);

  emulator_proc emu;
  const char *extra[] = {"--lpddr-mib", "0", "--instant", NULL};
  if (emulator_start(&emu, argv[1], extra) != 0) {
    fprintf(stderr, "test_host_multitile_e2e: the emulator did not start\n");
    emulator_stop(&emu);
    return 1;
  }
  xai_host_device *dev = NULL;
  CHECK_EQ_INT(xai_host_connect(&dev, emu.device, 60000, &err), XAI_OK);
  if (dev) {
    /* A small model on engine 0, the two-tile model on engine 1. */
    CHECK_EQ_INT(load(dev, 0, &s1, &err), XAI_OK);
    check_output(dev, 0, &s1, true, "small model");
    CHECK_EQ_INT(load(dev, 1, &big, &err), XAI_OK);
    if (err.status) fprintf(stderr, "  load: %s\n", err.message);
    check_output(dev, 1, &big, true, "two tiles on engine 1");
    check_tile_times(dev, 1, remote);

    /* Tile 1 is full with engine 1's model: loading it on engine 0 too
     * must be refused whole, and nothing changes. */
    CHECK_EQ_INT(load(dev, 0, &big, &err), XAI_ERR_NO_MEMORY);
    fprintf(stderr, "  refused: %s\n", err.message);
    CHECK(strstr(err.message, "tile 1") != NULL);
    CHECK(strstr(err.message, "previous model kept") != NULL);
    check_output(dev, 0, &s1, true, "kept after the refusal");
    check_output(dev, 1, &big, true, "engine 1 after the refusal");

    /* Two models on two tiles at once. */
    CHECK_EQ_INT(load(dev, 1, &s2, &err), XAI_OK);
    double t0 = now_s();
    check_output(dev, 0, &s1, true, "sequential");
    check_output(dev, 1, &s2, true, "sequential");
    double seq = now_s() - t0;
    uint64_t a = total_ticks(dev, 0), b = total_ticks(dev, 1);
    CHECK_EQ_INT(xai_host_write_input(dev, 0, 0, s1.input, s1.in_bytes, &err),
                 XAI_OK);
    CHECK_EQ_INT(xai_host_write_input(dev, 1, 0, s2.input, s2.in_bytes, &err),
                 XAI_OK);
    t0 = now_s();
    CHECK_EQ_INT(xai_host_invoke_tiles(dev, 3, &err), XAI_OK);
    double par = now_s() - t0;
    check_output(dev, 0, &s1, false, "concurrent");
    check_output(dev, 1, &s2, false, "concurrent");
    CHECK((uint64_t)(total_ticks(dev, 0)) == (uint64_t)(a));
    CHECK((uint64_t)(total_ticks(dev, 1)) == (uint64_t)(b));
    uint64_t makespan = a > b ? a : b;
    CHECK(makespan < a + b);
    fprintf(stderr, "  two models: modelled %.3f ms at once vs %.3f ms one "
            "after the other (wall %.3f s incl. transfers vs %.3f s)\n",
            makespan / 1e5, (a + b) / 1e5, par, seq);
    CHECK_EQ_INT(xai_host_invoke_tiles(dev, 4, &err), XAI_ERR_ARGUMENT);

    /* Now the two-tile model fits on engine 0 beside the small model on
     * engine 1, and runs at the same time as it. */
    CHECK_EQ_INT(load(dev, 0, &big, &err), XAI_OK);
    if (err.status) fprintf(stderr, "  load: %s\n", err.message);
    check_output(dev, 0, &big, true, "two tiles on engine 0");
    check_tile_times(dev, 0, remote);
    /* Inputs again: a run may reuse a dying input's memory. */
    CHECK_EQ_INT(xai_host_write_input(dev, 0, 0, big.input, big.in_bytes,
                                      &err), XAI_OK);
    CHECK_EQ_INT(xai_host_write_input(dev, 1, 0, s2.input, s2.in_bytes, &err),
                 XAI_OK);
    CHECK_EQ_INT(xai_host_invoke_tiles(dev, 3, &err), XAI_OK);
    check_output(dev, 0, &big, false, "two tiles beside a model");
    check_output(dev, 1, &s2, false, "beside the two-tile model");
    xai_host_close(dev);
    /* One client at a time: the CLI connects once this test has let go. */
    if (argc > 2) check_cli(argv[2], emu.device);
    /* Two chips' model on this one chip: refused before sending. */
    CHECK_EQ_INT(xai_host_connect(&dev, emu.device, 60000, &err), XAI_OK);
    if (dev) {
      CHECK_EQ_INT(load(dev, 0, &chips2, &err), XAI_ERR_NO_MEMORY);
      fprintf(stderr, "  on one chip: %s\n", err.message);
      CHECK(strstr(err.message, "3 tiles") != NULL);
      xai_host_close(dev);
    }
  }
  emulator_stop(&emu);
  run_two_chips(argv[1], &chips2);
  run_shared_tile(argv[1], &big, &s1, &s2);
  free_case(&chips2);
  free_case(&big);
  free_case(&s1);
  free_case(&s2);
  return xai_test_finish("test_host_multitile_e2e");
}
