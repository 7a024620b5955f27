/* A main for a fuzz target without libFuzzer: runs it once on each file
 * named (a corpus, crashes). The 32-bit device-side build (cmake/
 * xai_device_tests.cmake) uses it to replay corpora on a 32-bit program. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
  static uint8_t buf[4u << 20];
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    if (!f) {
      fprintf(stderr, "%s: cannot open %s\n", argv[0], argv[i]);
      return 1;
    }
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, n);
  }
  printf("%s: %d inputs, no failures\n", argv[0], argc - 1);
  return 0;
}
