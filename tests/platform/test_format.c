/* xai_snprintf (the device library's formatter) against the C library's
 * snprintf on the formats error messages use, integers exhaustively over
 * flags and widths, floats on values whose 15 leading digits are exact. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "testlib.h"
#include "xai/platform.h"

static int failures;

static void check(const char *fmt, ...) {
  char want[256], got[256];
  va_list a, b;
  va_start(a, fmt);
  va_copy(b, a);
  int nw = vsnprintf(want, sizeof want, fmt, a);
  int ng = xai_vsnprintf(got, sizeof got, fmt, b);
  va_end(a);
  va_end(b);
  if (nw != ng || strcmp(want, got)) {
    if (failures++ < 20)
      fprintf(stderr, "format \"%s\": want \"%s\" (%d), got \"%s\" (%d)\n",
              fmt, want, nw, got, ng);
  }
}

int main(void) {
  static const char *const int_fmts[] = {
      "%d", "%5d", "%-5d|", "%05d", "%+d", "% d", "%.3d", "%8.3d", "%x",
      "%#x", "%X", "%#o", "%o", "%u", "%08X", "%-8x|"};
  static const int ints[] = {0, 1, -1, 7, 42, -42, 255, 1000, -99999,
                             2147483647, -2147483647 - 1};
  for (size_t f = 0; f < sizeof int_fmts / sizeof *int_fmts; f++)
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++)
      check(int_fmts[f], ints[i]);
  check("%lld %llu %llx", -9223372036854775807ll - 1, 18446744073709551615ull,
        0x123456789abcdefull);
  check("%zu %ld %lu %hhd %hd", (size_t)123456, -5l, 7ul, 300, 70000);
  check("%s|%10s|%-10s|%.3s|%.*s|%c|%%", "abc", "right", "left", "truncate",
        2, "xyz", 'q');
  check("%p", (void *)0x1234);
  check("%*d|%-*d|%.*d", 6, 12, 6, 12, 4, 12);
  static const double vals[] = {0.0,    1.0,     -1.0,    0.5,   0.1,
                                3.14159, 123.456, 1e-3,    2.5e-7, 1e20,
                                6.02e23, 99.5,    0.00392156886, 1234567.0,
                                -0.0625, 1e-300,  1e300};
  static const char *const float_fmts[] = {"%g",   "%.3g", "%.9g", "%e",
                                           "%.2e", "%f",   "%.1f", "%10.4f",
                                           "%-12g|", "%+.3e", "%G", "%.0f"};
  for (size_t f = 0; f < sizeof float_fmts / sizeof *float_fmts; f++)
    for (size_t i = 0; i < sizeof vals / sizeof *vals; i++) {
      if (float_fmts[f][1] == 'f' || !strcmp(float_fmts[f], "%10.4f") ||
          !strcmp(float_fmts[f], "%.1f") || !strcmp(float_fmts[f], "%.0f"))
        if (vals[i] > 1e15 || (vals[i] != 0 && vals[i] < 1e-15 && vals[i] > -1e-15))
          continue; /* fixed notation of extreme values: past 17 digits */
      check(float_fmts[f], vals[i]);
    }
  /* random magnitudes and digits at up to 15 significant digits */
  uint64_t r = 88172645463325252ull;
  for (int i = 0; i < 3000; i++) {
    r ^= r << 13, r ^= r >> 7, r ^= r << 17;
    double m = (double)(r >> 11) / 9007199254740992.0 + 0.5;
    int e = (int)(r % 61) - 30;
    double v = m;
    for (int k = 0; k < (e < 0 ? -e : e); k++) v = e < 0 ? v / 10 : v * 10;
    check("%.12g", v);
    check("%.6e", -v);
    if (v < 1e9) check("%.3f", v); /* ties from an inexact x*10^k may differ */
  }
  /* truncation keeps the would-be length and terminates */
  char small[5];
  int n = xai_snprintf(small, sizeof small, "%s", "abcdefgh");
  CHECK(n == 8 && !strcmp(small, "abcd"));
  CHECK(failures == 0);
  return xai_test_finish("platform_format");
}
