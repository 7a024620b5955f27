/* The xformer's user-facing contract: options (spellings, ranges, "did you
 * mean"), float ops kept as builtins with the quantize hint, corrupt input
 * giving a clear error and no output file, the `xai` metadata and the
 * report on a model whose MACs are derived by hand. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"
#include "xai/flexbuf.h"
#include "xai/tflite.h"
#include "xai/xformer.h"

/* FULLY_CONNECTED [1,4] x [3,4]^T + bias[3] -> [1,3]: 12 MACs. With
 * type FLOAT32 everything is float (a model before quantization). */
static int make_fc(int8_t type, uint8_t **out, size_t *out_size) {
  xai_model m;
  xai_error err = {0};
  if (xai_model_init(&m, &err)) return 0;
  int is_float = type == XAI_TYPE_FLOAT32;
  int32_t in_shape[2] = {1, 4}, w_shape[2] = {3, 4}, b_shape[1] = {3},
          out_shape[2] = {1, 3};
  int8_t w8[12];
  float wf[12];
  for (int i = 0; i < 12; i++) {
    w8[i] = (int8_t)(i - 6);
    wf[i] = (float)(i - 6) * 0.25f;
  }
  int32_t b32[3] = {1, -2, 3};
  float bf[3] = {0.125f, -0.25f, 0.375f};
  int32_t wb = xai_model_add_buffer(&m, is_float ? (void *)wf : (void *)w8,
                                    is_float ? sizeof wf : sizeof w8);
  int32_t bb = xai_model_add_buffer(&m, is_float ? (void *)bf : (void *)b32,
                                    sizeof b32);
  int32_t t_in = xai_model_add_tensor(&m, 0, "input", type, in_shape, 2, 0);
  int32_t t_w = xai_model_add_tensor(&m, 0, "weights", type, w_shape, 2,
                                     (uint32_t)wb);
  int32_t t_b = xai_model_add_tensor(&m, 0, "bias",
                                     is_float ? XAI_TYPE_FLOAT32
                                              : XAI_TYPE_INT32,
                                     b_shape, 1, (uint32_t)bb);
  int32_t t_out = xai_model_add_tensor(&m, 0, "output", type, out_shape, 2, 0);
  if (!is_float) {
    float s_in = 0.5f, s_w = 0.25f, s_b = 0.125f, s_out = 1.0f;
    int64_t zp0 = 0, zp_in = 3;
    xai_model_set_quant(&m, 0, (uint32_t)t_in, &s_in, &zp_in, 1, 0);
    xai_model_set_quant(&m, 0, (uint32_t)t_w, &s_w, &zp0, 1, 0);
    xai_model_set_quant(&m, 0, (uint32_t)t_b, &s_b, &zp0, 1, 0);
    xai_model_set_quant(&m, 0, (uint32_t)t_out, &s_out, &zp0, 1, 0);
  }
  int32_t oc = xai_model_opcode(&m, XAI_OP_FULLY_CONNECTED, NULL, 1);
  xai_options opts;
  memset(&opts, 0, sizeof opts);
  opts.type = XAI_OPTS_FULLY_CONNECTED;
  int32_t ins[3] = {t_in, t_w, t_b}, outs[1] = {t_out};
  int ok = oc >= 0 &&
           xai_model_add_operator(&m, 0, -1, (uint32_t)oc, ins, 3, outs, 1,
                                  &opts, NULL, 0) >= 0 &&
           xai_model_set_subgraph_io(&m, 0, &t_in, 1, &t_out, 1) == XAI_OK &&
           xai_model_write(&m, out, out_size, &err) == XAI_OK;
  if (!ok) fprintf(stderr, "make_fc: %s\n", err.message);
  xai_model_free(&m);
  return ok;
}

static int write_file(const char *path, const void *data, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f) return 0;
  int ok = fwrite(data, 1, n, f) == n;
  return fclose(f) == 0 && ok;
}

static int contains(const uint8_t *buf, size_t n, const char *s) {
  size_t k = strlen(s);
  for (size_t i = 0; i + k <= n; i++)
    if (!memcmp(buf + i, s, k)) return 1;
  return 0;
}

static int exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

/* Number of directory entries other than . and .. */
static int dir_entries(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return -1;
  int n = 0;
  for (struct dirent *e; (e = readdir(d));)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
  closedir(d);
  return n;
}

static void test_options(void) {
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  CHECK_EQ_INT(o.thread_count, 5);
  CHECK_EQ_INT(o.clock_mhz, 800);
  CHECK_EQ_INT(o.load_externally_if_larger, 100);
  xai_error err = {0};

  CHECK(xai_xformer_set_option(&o, "xcore-thred-count", "3", &err) ==
        XAI_ERR_ARGUMENT);
  CHECK(strstr(err.message, "unknown option '--xcore-thred-count'; did you "
                            "mean '--xcore-thread-count'?") != NULL);
  CHECK(xai_xformer_set_option(&o, "xcore-thread-count", "0", &err) ==
        XAI_ERR_ARGUMENT);
  CHECK(strstr(err.message, "--xcore-thread-count") &&
        strstr(err.message, "1 to 8"));
  CHECK(xai_xformer_set_option(&o, "xcore-thread-count", "9", &err) ==
        XAI_ERR_ARGUMENT);
  CHECK(xai_xformer_set_option(&o, "xcore-thread-count", "-1", &err) ==
        XAI_ERR_ARGUMENT);
  CHECK(xai_xformer_set_option(&o, "xcore-thread-count", "2x", &err) ==
        XAI_ERR_ARGUMENT);
  CHECK(xai_xformer_set_option(&o, "xcore-thread-count", "8", &err) == XAI_OK);
  CHECK_EQ_INT(o.thread_count, 8);
  CHECK(xai_xformer_set_option(&o, "xcore-memory", "sram", &err) ==
        XAI_ERR_ARGUMENT);
  CHECK(strstr(err.message, "auto, internal, external, flash, custom") != NULL);
  CHECK(xai_xformer_set_option(&o, "xcore-memory", "flash", &err) == XAI_OK);
  CHECK_EQ_INT(o.memory, XAI_XF_MEMORY_FLASH);
  CHECK(xai_xformer_set_option(&o, "quiet", NULL, &err) == XAI_OK);
  CHECK_EQ_INT(o.quiet, 1);
  CHECK(xai_xformer_set_option(&o, "totally-unrelated-thing", "1", &err) ==
        XAI_ERR_ARGUMENT);
  CHECK(strstr(err.message, "did you mean") == NULL);

  /* both spellings, both value forms, the seed's one-dash -params */
  const char *argv[] = {"model.tflite", "--xcore-thread-count=3", "-o",
                        "out.tflite", "-params", "p.bin",
                        "--xcore-load-externally-if-larger", "4096",
                        "--xcore-clock-mhz=600", "--report-json=r.json",
                        "--xcore-memory", "external"};
  const char *input = NULL;
  xai_xformer_options_init(&o);
  CHECK(xai_xformer_parse_args(&o, 12, argv, &input, &err) == XAI_OK);
  CHECK(input && !strcmp(input, "model.tflite"));
  CHECK_EQ_INT(o.thread_count, 3);
  CHECK(o.output && !strcmp(o.output, "out.tflite"));
  CHECK(o.params_file && !strcmp(o.params_file, "p.bin"));
  CHECK_EQ_INT(o.load_externally_if_larger, 4096);
  CHECK_EQ_INT(o.clock_mhz, 600);
  CHECK(o.report_json && !strcmp(o.report_json, "r.json"));
  CHECK_EQ_INT(o.memory, XAI_XF_MEMORY_EXTERNAL);

  const char *typo[] = {"--xcore-thred-count=3"};
  CHECK(xai_xformer_parse_args(&o, 1, typo, &input, &err) == XAI_ERR_ARGUMENT);
  CHECK(!strcmp(err.message, "unknown option '--xcore-thred-count'; did you "
                             "mean '--xcore-thread-count'?"));
  const char *missing[] = {"--xcore-weights-file"};
  CHECK(xai_xformer_parse_args(&o, 1, missing, &input, &err) ==
        XAI_ERR_ARGUMENT);
  CHECK(strstr(err.message, "needs a value") != NULL);
  const char *two[] = {"a.tflite", "b.tflite"};
  input = NULL;
  CHECK(xai_xformer_parse_args(&o, 2, two, &input, &err) == XAI_ERR_ARGUMENT);
  const char *flag_value[] = {"--quiet=1"};
  CHECK(xai_xformer_parse_args(&o, 1, flag_value, NULL, &err) ==
        XAI_ERR_ARGUMENT);
}

static void test_compile(const char *dir) {
  uint8_t *model = NULL;
  size_t size = 0;
  CHECK(make_fc(XAI_TYPE_INT8, &model, &size));
  if (!model) return;
  for (unsigned th = 1; th <= 8; th += 7) {
    xai_xformer_options o;
    xai_xformer_options_init(&o);
    o.thread_count = th;
    uint8_t *out = NULL, *params = NULL;
    size_t out_size = 0, params_size = 0;
    xai_xformer_report rep;
    xai_error err = {0};
    xai_status st = xai_xformer_run(model, size, &o, &out, &out_size, &params,
                                    &params_size, &rep, &err);
    CHECK(st == XAI_OK);
    if (st) {
      fprintf(stderr, "%s\n", err.message);
      continue;
    }
    xai_tfl_view v;
    CHECK(xai_tfl_open(&v, out, out_size, &err) == XAI_OK);
    size_t md_size = 0;
    const uint8_t *md = xai_tfl_find_metadata(&v, "xai", &md_size);
    CHECK(md != NULL);
    if (md) {
      xai_flexbuf_ref root, val;
      int64_t iv = 0;
      CHECK(xai_flexbuf_root(md, md_size, &root, &err) == XAI_OK);
      CHECK(xai_flexbuf_map_get(&root, "threads", &val, &err) == XAI_OK &&
            xai_flexbuf_get_int(&val, &iv, &err) == XAI_OK && iv == th);
      CHECK(xai_flexbuf_map_get(&root, "version", &val, &err) == XAI_OK &&
            xai_flexbuf_get_int(&val, &iv, &err) == XAI_OK &&
            iv == XAI_XFORMER_FORMAT_VERSION);
    }
    /* one FC layer of 3 outputs x 4 inputs */
    CHECK_EQ_INT(rep.layer_count, 1);
    CHECK_EQ_INT(rep.macs, 12);
    CHECK(rep.layer_count == 0 || rep.layers[0].macs == 12);
    CHECK(rep.ticks > 0);
    CHECK_EQ_INT(rep.model_bytes, out_size);
    CHECK_EQ_INT(rep.params_bytes, 0);
    CHECK(rep.arena_bytes > 0 && rep.greedy_arena_bytes > 0);
    CHECK_EQ_INT(rep.thread_count, th);
    CHECK(params == NULL && params_size == 0);
    char json[512];
    snprintf(json, sizeof json, "%s/report.json", dir);
    CHECK(xai_xformer_report_write_json(&rep, json, &err) == XAI_OK);
    uint8_t *j = NULL;
    size_t jn = 0;
    CHECK(xai_file_read(json, &j, &jn, &err) == XAI_OK);
    CHECK(j && jn > 0 && contains(j, jn, "\"macs\": 12"));
    xai_file_free(j);
    remove(json);
    xai_xformer_report_free(&rep);
    free(out);
  }

  /* file to file, then the failures that must not leave files behind */
  char in_path[512], out_path[512], bad_path[512], missing[512];
  snprintf(in_path, sizeof in_path, "%s/fc.tflite", dir);
  snprintf(out_path, sizeof out_path, "%s/fc_xcore.tflite", dir);
  snprintf(bad_path, sizeof bad_path, "%s/bad.tflite", dir);
  snprintf(missing, sizeof missing, "%s/no/such/dir/out.tflite", dir);
  CHECK(write_file(in_path, model, size));
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  xai_error err = {0};
  CHECK(xai_xformer_file(in_path, out_path, &o, NULL, &err) == XAI_OK);
  CHECK(exists(out_path));
  remove(out_path);

  CHECK(xai_xformer_file(in_path, missing, &o, NULL, &err) == XAI_ERR_IO);
  CHECK(strstr(err.message, "no/such/dir") != NULL);
  CHECK_EQ_INT(dir_entries(dir), 1); /* only the input: no stray temp file */

  CHECK(write_file(bad_path, model, size / 2));
  CHECK(xai_xformer_file(bad_path, out_path, &o, NULL, &err) != XAI_OK);
  CHECK(strstr(err.message, "bad.tflite") != NULL);
  CHECK(!exists(out_path));

  uint8_t *flipped = malloc(size);
  if (flipped) {
    memcpy(flipped, model, size);
    /* the root table offset: now far outside the file */
    flipped[0] ^= 0xFF;
    flipped[1] ^= 0xFF;
    flipped[3] ^= 0x7F;
    CHECK(write_file(bad_path, flipped, size));
    CHECK(xai_xformer_file(bad_path, out_path, &o, NULL, &err) ==
          XAI_ERR_FORMAT);
    CHECK(!exists(out_path));
    free(flipped);
  }
  remove(bad_path);

  o.thread_count = 9;
  CHECK(xai_xformer_file(in_path, out_path, &o, NULL, &err) ==
        XAI_ERR_ARGUMENT);
  CHECK(!exists(out_path));
  o.thread_count = 0;
  CHECK(xai_xformer_file(in_path, out_path, &o, NULL, &err) ==
        XAI_ERR_ARGUMENT);
  CHECK(strstr(err.message, "--xcore-thread-count") != NULL);
  CHECK(!exists(out_path));
  remove(in_path);
  free(model);
}

/* Float ops stay builtins, each named in the report with how to quantize
 * it; the model still compiles (bit-exactness: tests/oracle, xformed). */
static void check_float_kept(const uint8_t *model, size_t size,
                             const char *what) {
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.quiet = 1;
  uint8_t *out = NULL;
  size_t out_size = 0;
  xai_error err = {0};
  xai_xformer_report rep;
  xai_status st = xai_xformer_run(model, size, &o, &out, &out_size, NULL, NULL,
                                  &rep, &err);
  CHECK_EQ_INT(st, XAI_OK);
  if (st) {
    fprintf(stderr, "%s: %s\n", what, err.message);
    return;
  }
  CHECK(out != NULL);
  uint32_t noted = 0;
  for (uint32_t i = 0; i < rep.layer_count; i++) {
    const char *n = rep.layers[i].note;
    if (strstr(n, "float32") && strstr(n, "Optimize.DEFAULT") &&
        strstr(n, "representative_dataset") &&
        strstr(n, "TFLITE_BUILTINS_INT8"))
      noted++;
  }
  CHECK(noted > 0);
  CHECK_EQ_INT(noted, rep.layer_count);
  xai_xformer_report_free(&rep);
  free(out);
}

static void test_float(void) {
  uint8_t *model = NULL;
  size_t size = 0;
  CHECK(make_fc(XAI_TYPE_FLOAT32, &model, &size));
  if (model) check_float_kept(model, size, "float fc");
  free(model);

  const char *dir = getenv("XAI_SHARED_DIR");
  if (!dir) return;
  char path[1024];
  snprintf(path, sizeof path, "%s/models/tflm/hello_world_float.tflite", dir);
  if (!exists(path)) return;
  uint8_t *data = NULL;
  xai_error err = {0};
  if (xai_file_read(path, &data, &size, &err) == XAI_OK) {
    check_float_kept(data, size, path);
    xai_file_free(data);
  }
}

int main(void) {
  char dir[] = "/tmp/xai_xformer_cli_XXXXXX";
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  test_options();
  test_compile(dir);
  test_float();
  rmdir(dir);
  return xai_test_finish("xformer_cli");
}
