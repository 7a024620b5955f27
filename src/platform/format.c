/* xai_vsnprintf: the device library's formatter (platform.h), so error
 * messages need no C library stdio (which on newlib pulls in malloc for
 * floating point). Floats are formatted by scaling in double: exact enough
 * for messages (at most 17 significant digits), not a printf replacement
 * for data. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "xai/platform.h"

typedef struct {
  char *buf;
  size_t size, len;
} out_buf;

static void put(out_buf *o, char c) {
  if (o->len + 1 < o->size) o->buf[o->len] = c;
  o->len++;
}

typedef struct {
  bool left, plus, space, zero, alt;
  int width, prec; /* prec -1: none */
} spec;

/* Emits sign/prefix, padding and digits[0..n) as the spec says. */
static void emit(out_buf *o, const spec *s, const char *prefix,
                 const char *digits, size_t n, size_t zeros) {
  size_t plen = strlen(prefix);
  size_t total = plen + zeros + n;
  size_t pad = s->width > 0 && (size_t)s->width > total
                   ? (size_t)s->width - total : 0;
  if (!s->left && !s->zero)
    for (size_t i = 0; i < pad; i++) put(o, ' ');
  for (size_t i = 0; i < plen; i++) put(o, prefix[i]);
  if (!s->left && s->zero)
    for (size_t i = 0; i < pad; i++) put(o, '0');
  for (size_t i = 0; i < zeros; i++) put(o, '0');
  for (size_t i = 0; i < n; i++) put(o, digits[i]);
  if (s->left)
    for (size_t i = 0; i < pad; i++) put(o, ' ');
}

static void emit_int(out_buf *o, spec s, uint64_t v, bool neg, unsigned base,
                     bool upper) {
  char tmp[24];
  size_t n = 0;
  const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  while (v) {
    tmp[n++] = dig[v % base];
    v /= base;
  }
  if (n == 0 && s.prec != 0) tmp[n++] = '0';
  char digits[24];
  for (size_t i = 0; i < n; i++) digits[i] = tmp[n - 1 - i];
  char prefix[4] = "";
  if (neg) strcpy(prefix, "-");
  else if (s.plus) strcpy(prefix, "+");
  else if (s.space) strcpy(prefix, " ");
  if (s.alt && base == 16 && n && digits[0] != '0')
    strcat(prefix, upper ? "0X" : "0x");
  if (s.alt && base == 8 && (n == 0 || digits[0] != '0'))
    strcat(prefix, "0");
  size_t zeros = s.prec > 0 && (size_t)s.prec > n ? (size_t)s.prec - n : 0;
  if (s.prec >= 0) s.zero = false;
  emit(o, &s, prefix, digits, n, zeros);
}

static const double k_pow10[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* x * 10^k with exact powers of ten (one rounding for |k| <= 22). */
static double scale10(double x, int k) {
  while (k > 22) x *= 1e22, k -= 22;
  while (k < -22) x /= 1e22, k += 22;
  return k >= 0 ? x * k_pow10[k] : x / k_pow10[-k];
}

/* Decimal digits of x > 0 as d0.d1d2... x 10^exp10 (the result), rounded
 * half to even to `sig` significant digits (1 <= sig <= 17). */
static int decompose(double x, int sig, char *digits) {
  if (x == 0.0) {
    memset(digits, '0', (size_t)sig);
    return 0;
  }
  int e = 0;
  for (double t = x; t >= 10.0; t /= 10.0) e++;
  for (double t = x; t < 1.0; t *= 10.0) e--;
  uint64_t lo = 1;
  for (int i = 1; i < sig; i++) lo *= 10;
  uint64_t v = 0;
  for (int attempt = 0; attempt < 3; attempt++) {
    double sc = scale10(x, sig - 1 - e);
    v = (uint64_t)sc;
    double frac = sc - (double)v;
    if (frac > 0.5 || (frac == 0.5 && (v & 1))) v++;
    if (v < lo) e--; /* the exponent estimate was one too high */
    else if (v >= lo * 10 && (double)(lo * 10) <= sc) e++; /* too low */
    else break;
  }
  if (v >= lo * 10) { /* rounding carried into a new digit */
    v /= 10;
    e++;
  }
  for (int i = sig - 1; i >= 0; i--) {
    digits[i] = (char)('0' + v % 10);
    v /= 10;
  }
  return e;
}

static void emit_float(out_buf *o, spec s, double v, char conv) {
  bool upper = conv == 'E' || conv == 'G' || conv == 'F';
  char lower = (char)(upper ? conv + 32 : conv);
  const char *sign = v < 0 || (v == 0.0 && 1.0 / v < 0) ? "-"
                     : s.plus ? "+" : s.space ? " " : "";
  if (v != v) {
    s.zero = false;
    emit(o, &s, sign, upper ? "NAN" : "nan", 3, 0);
    return;
  }
  if (v < 0) v = -v;
  if (v > 1.7976931348623157e308) {
    s.zero = false;
    emit(o, &s, sign, upper ? "INF" : "inf", 3, 0);
    return;
  }
  int prec = s.prec < 0 ? 6 : s.prec;
  char d[32], text[400];
  size_t n = 0;
  bool strip = false;
  if (lower == 'g') {
    int p = prec == 0 ? 1 : prec;
    if (p > 17) p = 17;
    int e = decompose(v, p, d);
    if (e < -4 || e >= p) {
      lower = 'e';
      prec = p - 1;
    } else {
      lower = 'f';
      prec = p - 1 - e;
    }
    strip = !s.alt;
  }
  if (lower == 'e') {
    int sig = prec + 1 > 17 ? 17 : prec + 1;
    int e = decompose(v, sig, d);
    text[n++] = d[0];
    if (prec > 0 || s.alt) text[n++] = '.';
    for (int i = 1; i <= prec && n < 300; i++)
      text[n++] = i < sig ? d[i] : '0';
    if (strip) {
      while (n && text[n - 1] == '0') n--;
      if (n && text[n - 1] == '.') n--;
    }
    text[n++] = upper ? 'E' : 'e';
    text[n++] = e < 0 ? '-' : '+';
    int ae = e < 0 ? -e : e;
    if (ae >= 100) text[n++] = (char)('0' + ae / 100);
    text[n++] = (char)('0' + ae / 10 % 10);
    text[n++] = (char)('0' + ae % 10);
  } else {
    /* fixed: integer part digits then prec decimals, from 17 significant
     * digits (the rest print as zeros) */
    int e = v == 0.0 ? 0 : decompose(v, 17, d);
    int sig = e + 1 + prec;
    if (sig > 17) sig = 17;
    if (v != 0.0 && sig > 0) e = decompose(v, sig, d);
    if (v == 0.0 || sig <= 0) {
      sig = 0;
      /* rounds to 0 or to one unit in the last place */
      double unit = 1.0;
      for (int i = 0; i < prec; i++) unit /= 10.0;
      if (v > unit / 2) { /* a tie rounds to the even 0 */
        d[0] = '1';
        sig = 1;
        e = -prec;
      }
    }
    int ip = e >= 0 ? e + 1 : 0;
    if (ip == 0) text[n++] = '0';
    for (int i = 0; i < ip && n < 350; i++) text[n++] = i < sig ? d[i] : '0';
    if (prec > 0 || s.alt) text[n++] = '.';
    for (int i = 0; i < prec && n < 390; i++) {
      int k = e + 1 + i; /* digit index of 10^-(i+1) */
      text[n++] = k >= 0 && k < sig ? d[k] : '0';
    }
    if (strip && prec > 0) {
      while (n && text[n - 1] == '0') n--;
      if (n && text[n - 1] == '.') n--;
    }
  }
  emit(o, &s, sign, text, n, 0);
}

int xai_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
  out_buf o = {buf, size, 0};
  for (const char *p = fmt; *p; p++) {
    if (*p != '%') {
      put(&o, *p);
      continue;
    }
    spec s = {false, false, false, false, false, 0, -1};
    for (;; p++) {
      char f = p[1];
      if (f == '-') s.left = true;
      else if (f == '+') s.plus = true;
      else if (f == ' ') s.space = true;
      else if (f == '0') s.zero = true;
      else if (f == '#') s.alt = true;
      else break;
    }
    p++;
    if (*p == '*') {
      s.width = va_arg(ap, int);
      if (s.width < 0) s.left = true, s.width = -s.width;
      p++;
    } else {
      while (*p >= '0' && *p <= '9') s.width = s.width * 10 + (*p++ - '0');
    }
    if (*p == '.') {
      p++;
      s.prec = 0;
      if (*p == '*') {
        s.prec = va_arg(ap, int);
        if (s.prec < 0) s.prec = -1;
        p++;
      } else {
        while (*p >= '0' && *p <= '9') s.prec = s.prec * 10 + (*p++ - '0');
      }
    }
    /* -1 char, -2 short, 0 int, 1 long, 2 long long, 3 size_t, 4 intmax,
     * 5 ptrdiff */
    int len = 0;
    if (*p == 'h') {
      len = -2;
      if (*++p == 'h') len = -1, p++;
    } else if (*p == 'l') {
      len = 1;
      if (*++p == 'l') len = 2, p++;
    } else if (*p == 'z') len = 3, p++;
    else if (*p == 'j') len = 4, p++;
    else if (*p == 't') len = 5, p++;
    if (s.left) s.zero = false;
    char c = *p;
    if (c == '\0') break;
    switch (c) {
      case 'd':
      case 'i': {
        int64_t v = len == 1 ? va_arg(ap, long)
                  : len == -1 ? (signed char)va_arg(ap, int)
                  : len == -2 ? (short)va_arg(ap, int)
                  : len == 2 ? va_arg(ap, long long)
                  : len == 3 ? (int64_t)va_arg(ap, size_t)
                  : len == 4 ? va_arg(ap, intmax_t)
                  : len == 5 ? va_arg(ap, ptrdiff_t)
                  : va_arg(ap, int);
        uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        emit_int(&o, s, m, v < 0, 10, false);
        break;
      }
      case 'u':
      case 'x':
      case 'X':
      case 'o': {
        uint64_t v = len == 1 ? va_arg(ap, unsigned long)
                   : len == -1 ? (unsigned char)va_arg(ap, unsigned)
                   : len == -2 ? (unsigned short)va_arg(ap, unsigned)
                   : len == 2 ? va_arg(ap, unsigned long long)
                   : len == 3 ? va_arg(ap, size_t)
                   : len == 4 ? (uint64_t)va_arg(ap, uintmax_t)
                   : len == 5 ? (uint64_t)va_arg(ap, ptrdiff_t)
                   : va_arg(ap, unsigned);
        emit_int(&o, s, v, false, c == 'o' ? 8 : c == 'u' ? 10 : 16,
                 c == 'X');
        break;
      }
      case 'p': {
        s.alt = true;
        emit_int(&o, s, (uint64_t)(uintptr_t)va_arg(ap, void *), false, 16,
                 false);
        break;
      }
      case 'c': {
        char ch = (char)va_arg(ap, int);
        s.zero = false;
        emit(&o, &s, "", &ch, 1, 0);
        break;
      }
      case 's': {
        const char *str = va_arg(ap, const char *);
        if (!str) str = "(null)";
        size_t n = 0;
        while (str[n] && (s.prec < 0 || n < (size_t)s.prec)) n++;
        s.zero = false;
        emit(&o, &s, "", str, n, 0);
        break;
      }
      case 'f':
      case 'F':
      case 'e':
      case 'E':
      case 'g':
      case 'G':
        emit_float(&o, s, va_arg(ap, double), c);
        break;
      case '%':
        put(&o, '%');
        break;
      default: /* unknown conversion: print it as written */
        put(&o, '%');
        put(&o, c);
        break;
    }
  }
  if (size) buf[o.len < size ? o.len : size - 1] = '\0';
  return o.len > (size_t)INT32_MAX ? INT32_MAX : (int)o.len;
}

int xai_snprintf(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = xai_vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return n;
}
