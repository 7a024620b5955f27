/* The command-line contract of build_flash_file and `xai flash-info`:
 * bad arguments give a non-zero exit and leave no output file; a good image
 * verifies; a corrupt one fails naming the entry or field.
 * argv[1] = build_flash_file, argv[2] = xai, argv[3] = xformer, argv[4] = a
 * model (compiled here with its weights split off into a params file). */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

static const char *bff, *xai;
static char dir[256];

static int run(const char *fmt, const char *a, const char *b) {
  char args[1024], cmd[2048];
  snprintf(args, sizeof args, fmt, a, b);
  snprintf(cmd, sizeof cmd, "cd %s && %s >out.txt 2>err.txt", dir, args);
  int st = system(cmd);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int exists(const char *name) {
  char p[512];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  struct stat s;
  return stat(p, &s) == 0;
}

static int file_contains(const char *name, const char *needle) {
  char p[512];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  FILE *f = fopen(p, "rb");
  if (!f) return 0;
  static char buf[65536];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  return strstr(buf, needle) != NULL;
}

static void write_file(const char *name, const void *data, size_t n) {
  char p[512];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  FILE *f = fopen(p, "wb");
  CHECK(f != NULL);
  if (!f) return;
  CHECK(fwrite(data, 1, n, f) == n);
  fclose(f);
}

static size_t read_file(const char *name, uint8_t *buf, size_t cap) {
  char p[512];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  FILE *f = fopen(p, "rb");
  if (!f) return 0;
  size_t n = fread(buf, 1, cap, f);
  fclose(f);
  return n;
}

/* A failing build must exit with `code` and leave no out.bin behind. */
static void expect_build_fails(const char *args, int code, const char *msg) {
  char fmt[512];
  snprintf(fmt, sizeof fmt, "%%s %s%%s", args);
  int rc = run(fmt, bff, "");
  if (rc != code) fprintf(stderr, "build_flash_file %s: exit %d, want %d\n", args, rc, code);
  CHECK_EQ_INT(rc, code);
  CHECK(!exists("out.bin"));
  if (!file_contains("err.txt", msg)) {
    fprintf(stderr, "build_flash_file %s: stderr lacks '%s'\n", args, msg);
    CHECK(0);
  }
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: test_flash_cli BUILD_FLASH_FILE XAI XFORMER "
            "MODEL\n");
    return 1;
  }
  bff = argv[1];
  xai = argv[2];
  snprintf(dir, sizeof dir, "flash_cli_tmp.%ld", (long)getpid());
  CHECK(mkdir(dir, 0700) == 0);

  /* build_flash_file checks what the files hold (issue #12): a real model,
   * its own params file, and the plain model for an entry without one. */
  char model_abs[1024];
  CHECK(realpath(argv[4], model_abs) != NULL);
  CHECK(run("%s --quiet %s -o m.tflite --xcore-flash-image-file m.params "
            "--xcore-load-externally-if-larger 16", argv[3], model_abs) == 0);
  CHECK(run("cp %s plain.tflite%s", model_abs, "") == 0);
  static uint8_t scratch[65536];
  const size_t model_n = read_file("m.tflite", scratch, sizeof scratch);
  const size_t params_n = read_file("m.params", scratch, sizeof scratch);
  CHECK(model_n > 0 && params_n > 300);

  expect_build_fails("", 2, "no --output");
  expect_build_fails("m.tflite m.params", 2, "no --output");
  expect_build_fails("--output out.bin", 2, "no input files");
  expect_build_fails("--output out.bin m.tflite", 2, "odd number");
  expect_build_fails("--output out.bin m.tflite m.params -", 2, "odd number");
  expect_build_fails("--output out.bin m.tflite missing.params", 1, "missing.params");
  expect_build_fails("--output out.bin - - nothere.tflite -", 1, "nothere.tflite");
  expect_build_fails("m.tflite m.params --output", 2, "missing file name");
  expect_build_fails("--bogus --output out.bin m.tflite m.params", 2, "unknown option");
  expect_build_fails("--output out.bin - m.params m.tflite", 2, "odd number");

  /* A failing run leaves an existing output untouched. */
  write_file("out.bin", "keep", 4);
  CHECK(run("%s --output out.bin m.tflite nothere%s", bff, "") == 1);
  static uint8_t buf[65536];
  CHECK_EQ_INT(read_file("out.bin", buf, sizeof buf), 4);
  CHECK(memcmp(buf, "keep", 4) == 0);
  {
    char p[512];
    snprintf(p, sizeof p, "%s/out.bin", dir);
    remove(p);
  }

  /* Success: three entries with '-' placeholders; every spelling of -o. */
  CHECK(run("%s --output flash.out m.tflite m.params - - - m.params%s", bff, "") == 0);
  CHECK(run("%s -o flash2.out plain.tflite -%s", bff, "") == 0);
  CHECK(run("%s --output=flash3.out - m.params%s", bff, "") == 0);
  CHECK(run("%s --help%s", bff, "") == 0);
  CHECK(file_contains("out.txt", "usage: build_flash_file"));

  CHECK(run("%s flash-info flash.out%s", xai, "") == 0);
  CHECK(file_contains("out.txt", "3 entries"));
  CHECK(file_contains("out.txt", "all CRCs ok"));
  CHECK(run("%s flash-info flash2.out%s", xai, "") == 0);
  CHECK(run("%s flash-info flash3.out%s", xai, "") == 0);

  /* Corruptions: each named. Layout (docs/protocol.md): entry 0's model
   * at 4096, its params at the next sector, entry 2's params after. */
#define SECTORS(n) (((n) + 4095) / 4096 * 4096)
  const size_t params0 = 4096 + SECTORS(model_n);
  const size_t params2 = params0 + SECTORS(params_n);
  size_t n = read_file("flash.out", buf, sizeof buf);
  CHECK_EQ_INT(n, params2 + SECTORS(params_n));
  struct { size_t at; const char *needle; } cases[] = {
      {0, "not an xai flash image"},
      {8, "header CRC mismatch"},
      {40, "directory CRC mismatch"},
      {4096 + 10, "entry 0: model CRC mismatch"},
      {params0 + 299, "entry 0: params CRC mismatch"},
      {params2, "entry 2: params CRC mismatch"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    static uint8_t bad[65536];
    memcpy(bad, buf, n);
    bad[cases[i].at] ^= 0x01;
    write_file("bad.out", bad, n);
    CHECK_EQ_INT(run("%s flash-info bad.out%s", xai, ""), 1);
    if (!file_contains("err.txt", cases[i].needle)) {
      fprintf(stderr, "flash-info: stderr lacks '%s'\n", cases[i].needle);
      CHECK(0);
    }
  }
  write_file("short.out", buf, 10000);
  CHECK_EQ_INT(run("%s flash-info short.out%s", xai, ""), 1);
  CHECK(file_contains("err.txt", "truncated"));
  CHECK_EQ_INT(run("%s flash-info nothere.out%s", xai, ""), 1);
  CHECK(file_contains("err.txt", "nothere.out"));
  CHECK_EQ_INT(run("%s flash-info%s", xai, ""), 2);
  CHECK_EQ_INT(run("%s flash-info a b%s", xai, ""), 2);

  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  CHECK(system(cmd) == 0);
  return xai_test_finish("test_flash_cli");
}
