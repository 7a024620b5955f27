/* `xai flash-info IMAGE`: lists a flash image's entries and checks every
 * CRC, naming the entry and blob that fail. Exit 0 only if all is well. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "xai/flash.h"

static void flash_info_usage(FILE *out) {
  fprintf(out,
          "usage: xai flash-info IMAGE\n"
          "\n"
          "Lists the entries of a flash image made by build_flash_file\n"
          "(model and params offset, length, CRC) and verifies every CRC.\n"
          "Exits 1 if the image is corrupt, naming the entry or field.\n");
}

static void print_blob(int present, uint32_t offset, uint32_t bytes,
                       uint32_t crc) {
  if (present)
    printf("  %10u %10u 0x%08x", offset, bytes, crc);
  else
    printf("  %10s %10s %10s", "-", "-", "-");
}

int xai_cmd_flash_info(int argc, char **argv) {
  const char *path = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      flash_info_usage(stdout);
      return 0;
    }
    if (path || (argv[i][0] == '-' && argv[i][1])) {
      fprintf(stderr, "xai flash-info: unexpected argument '%s'\n\n", argv[i]);
      flash_info_usage(stderr);
      return 2;
    }
    path = argv[i];
  }
  if (!path) {
    flash_info_usage(stderr);
    return 2;
  }

  xai_error err = {0};
  uint8_t *data;
  size_t size;
  if (xai_file_read(path, &data, &size, &err) != XAI_OK) {
    fprintf(stderr, "xai flash-info: %s\n", err.message);
    return 1;
  }
  xai_flash_memory mem = {data, size};
  xai_flash_reader reader = xai_flash_memory_reader(&mem);
  xai_flash_image img;
  if (xai_flash_image_open(&img, &reader, &err) != XAI_OK ||
      xai_flash_image_check_file(&img, size, &err) != XAI_OK) {
    fprintf(stderr, "xai flash-info: %s: %s\n", path, err.message);
    xai_file_free(data);
    return 1;
  }
  printf("%s: xai flash image version %u, %u entries, %u bytes, directory "
         "CRC 0x%08x\n",
         path, img.version, img.entry_count, img.image_bytes,
         img.directory_crc);
  printf("%5s  %10s %10s %10s  %10s %10s %10s  %s\n", "entry", "model@",
         "bytes", "crc", "params@", "bytes", "crc", "check");
  int bad = 0;
  for (uint32_t i = 0; i < img.entry_count; i++) {
    xai_flash_entry e;
    xai_error_clear(&err);
    if (xai_flash_image_entry(&img, i, &e, &err) != XAI_OK) {
      fprintf(stderr, "xai flash-info: %s\n", err.message);
      bad = 1;
      continue;
    }
    printf("%5u", i);
    print_blob(e.flags & XAI_FLASH_HAS_MODEL, e.model_offset, e.model_bytes,
               e.model_crc);
    print_blob(e.flags & XAI_FLASH_HAS_PARAMS, e.params_offset,
               e.params_bytes, e.params_crc);
    if (xai_flash_image_verify_entry(&img, i, &err) == XAI_OK) {
      printf("  ok\n");
    } else {
      printf("  CORRUPT\n");
      fflush(stdout);
      fprintf(stderr, "xai flash-info: %s: %s\n", path, err.message);
      bad = 1;
    }
  }
  xai_file_free(data);
  if (bad) {
    fflush(stdout);
    fprintf(stderr, "xai flash-info: %s failed verification\n", path);
    return 1;
  }
  printf("all CRCs ok\n");
  return 0;
}
