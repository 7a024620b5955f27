/* `xmos_flash FLASH_IMAGE [--device D] [--timeout-ms N]`
 * Checks a flash image built by build_flash_file (header, directory and
 * every blob CRC), programs it at flash address 0 over the device link
 * (FLASH_WRITE), reads it back (FLASH_READ) and compares. Exit 0 when the
 * flash holds the image, 1 on a failure, 2 on a usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xai/flash.h"
#include "xai/host.h"
#include "xmos_args.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: xmos_flash FLASH_IMAGE [--device D] [--timeout-ms N]\n"
          "Verifies FLASH_IMAGE (from build_flash_file), writes it to the "
          "device flash\nat address 0 and reads it back to compare.\n"
          "  --device D      emu:PATH, usb, usb:BUS:ADDR or spi:/dev/spidevB.C\n"
          "                  (default: the emulator, started if not running)\n");
}

int main(int argc, char **argv) {
  xmos_args args = {.tool = "xmos_flash", .usage = usage};
  int parsed = xmos_args_parse(&args, argc, argv);
  if (parsed != XMOS_ARGS_OK) return parsed;
  const char *path = args.path;
  xai_error err;
  xai_error_clear(&err);
  uint8_t *image = NULL;
  size_t size = 0;
  if (xai_file_read(path, &image, &size, &err) != XAI_OK) {
    fprintf(stderr, "xmos_flash: %s\n", err.message);
    return 1;
  }
  /* Refuse a corrupt image before touching the device's flash. */
  xai_flash_memory mem = {image, size};
  xai_flash_reader reader = xai_flash_memory_reader(&mem);
  xai_flash_image img;
  if (xai_flash_image_open(&img, &reader, &err) != XAI_OK ||
      xai_flash_image_check_file(&img, size, &err) != XAI_OK ||
      xai_flash_image_verify(&img, &err) != XAI_OK) {
    fprintf(stderr, "xmos_flash: %s is not a valid flash image: %s\n", path,
            err.message);
    xai_file_free(image);
    return 1;
  }
  printf("Flash image %s: %u entries, %zu bytes\n", path,
         (unsigned)img.entry_count, size);
  xai_host_device *dev = NULL;
  if (xmos_args_connect(&args, &dev,
                       &err) != XAI_OK) {
    fprintf(stderr, "xmos_flash: %s\n", err.message);
    xai_file_free(image);
    return 1;
  }
  printf("Connected to %s\n", xai_host_description(dev));
  int rc = 1;
  xai_proto_hello hello;
  uint8_t *back = malloc(size ? size : 1);
  xai_host_progress_bar_state wbar, rbar;
  xai_host_progress_bar_init(&wbar, "Writing flash");
  xai_host_progress_bar_init(&rbar, "Verifying   ");
  if (!back) {
    fprintf(stderr, "xmos_flash: out of memory\n");
  } else if (xai_host_hello(dev, &hello, &err) != XAI_OK) {
    fprintf(stderr, "xmos_flash: %s\n", err.message);
  } else if (hello.flash_bytes < size) {
    fprintf(stderr,
            "xmos_flash: the image is %zu bytes but the device flash holds "
            "%u; use a larger flash or fewer models\n",
            size, (unsigned)hello.flash_bytes);
  } else if (xai_host_flash_write(dev, 0, image, size, xai_host_progress_bar,
                                  &wbar, &err) != XAI_OK ||
             xai_host_flash_read(dev, 0, back, size, xai_host_progress_bar,
                                 &rbar, &err) != XAI_OK) {
    fprintf(stderr, "xmos_flash: %s\n", err.message);
  } else if (memcmp(back, image, size) != 0) {
    size_t at = 0;
    while (back[at] == image[at]) at++;
    fprintf(stderr,
            "xmos_flash: read-back differs from the image at byte %zu "
            "(0x%02x, expected 0x%02x): the flash may be worn or "
            "write-protected\n",
            at, back[at], image[at]);
  } else {
    printf("Flash programmed and verified (%zu bytes)\n", size);
    rc = 0;
  }
  free(back);
  xai_host_close(dev);
  xai_file_free(image);
  return rc;
}
