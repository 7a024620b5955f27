/* See npy.h. The header is a Python dict literal; only the three keys
 * NumPy writes are read, by the spellings NumPy uses. */
#include "npy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
  const char *descr;
  int dtype;
  const char *name;
} k_types[] = {
    {"|i1", 9, "int8"},  {"<i1", 9, "int8"},   {"|u1", 3, "uint8"},
    {"<u1", 3, "uint8"}, {"<i2", 7, "int16"},  {"<i4", 2, "int32"},
    {"<f4", 0, "float32"}, {"<i8", 4, "int64"}, {"|b1", 6, "bool"},
};
#define TYPE_COUNT (sizeof k_types / sizeof k_types[0])

const char *npy_type_name(int dtype) {
  for (size_t i = 0; i < TYPE_COUNT; i++)
    if (k_types[i].dtype == dtype) return k_types[i].name;
  return "other";
}

int npy_is_npy(const uint8_t *data, size_t size) {
  return size >= 6 && memcmp(data, "\x93NUMPY", 6) == 0;
}

/* The value text after 'key': in the header, or NULL. */
static const char *value_of(const char *h, const char *key) {
  const char *k = strstr(h, key);
  if (!k) return NULL;
  k = strchr(k + strlen(key), ':');
  if (!k) return NULL;
  k++;
  while (*k == ' ') k++;
  return k;
}

xai_status npy_parse(const uint8_t *data, size_t size, int *dtype,
                     int64_t *shape, int *rank, const uint8_t **array,
                     size_t *array_bytes, xai_error *err) {
  if (!npy_is_npy(data, size) || size < 10)
    return xai_fail(err, XAI_ERR_FORMAT, "not a .npy file (no \\x93NUMPY magic)");
  size_t hlen, start;
  if (data[6] == 1) {
    hlen = (size_t)data[8] | ((size_t)data[9] << 8);
    start = 10;
  } else if (data[6] == 2 || data[6] == 3) {
    if (size < 12) return xai_fail(err, XAI_ERR_FORMAT, ".npy header truncated");
    hlen = (size_t)data[8] | ((size_t)data[9] << 8) |
           ((size_t)data[10] << 16) | ((size_t)data[11] << 24);
    start = 12;
  } else {
    return xai_fail(err, XAI_ERR_FORMAT, ".npy version %u is not supported",
                    data[6]);
  }
  if (hlen > size - start || hlen > 65536)
    return xai_fail(err, XAI_ERR_FORMAT, ".npy header of %zu bytes is truncated",
                    hlen);
  char h[65537];
  memcpy(h, data + start, hlen);
  h[hlen] = '\0';
  const char *d = value_of(h, "'descr'");
  const char *f = value_of(h, "'fortran_order'");
  const char *s = value_of(h, "'shape'");
  if (!d || !f || !s || *d != '\'' || *s != '(')
    return xai_fail(err, XAI_ERR_FORMAT,
                    ".npy header lacks descr, fortran_order or shape");
  if (strncmp(f, "False", 5) != 0)
    return xai_fail(err, XAI_ERR_FORMAT,
                    ".npy array is in Fortran order; save it C-ordered "
                    "(np.ascontiguousarray)");
  *dtype = -1;
  for (size_t i = 0; i < TYPE_COUNT; i++)
    if (!strncmp(d + 1, k_types[i].descr, 3) && d[4] == '\'')
      *dtype = k_types[i].dtype;
  if (*dtype < 0)
    return xai_fail(err, XAI_ERR_FORMAT,
                    ".npy dtype %.8s is not one of int8, uint8, int16, int32, "
                    "int64, float32, bool (little-endian)", d);
  size_t elems = 1, esize = 1;
  switch (*dtype) {
    case 7: esize = 2; break;
    case 2: case 0: esize = 4; break;
    case 4: esize = 8; break;
    default: break;
  }
  *rank = 0;
  for (const char *p = s + 1; *p && *p != ')';) {
    while (*p == ' ' || *p == ',') p++;
    if (*p == ')') break;
    char *end;
    long long v = strtoll(p, &end, 10);
    if (end == p || v < 0 || *rank >= 8)
      return xai_fail(err, XAI_ERR_FORMAT, ".npy shape %.40s is not understood",
                      s);
    shape[(*rank)++] = v;
    elems *= (size_t)v;
    p = end;
  }
  size_t need = elems * esize;
  if (need != size - start - hlen)
    return xai_fail(err, XAI_ERR_FORMAT,
                    ".npy data is %zu bytes; shape and dtype say %zu",
                    size - start - hlen, need);
  *array = data + start + hlen;
  *array_bytes = need;
  return XAI_OK;
}

xai_status npy_write(const char *path, int dtype, const int32_t *shape,
                     int rank, const void *array, size_t bytes,
                     xai_error *err) {
  const char *descr = NULL;
  for (size_t i = 0; i < TYPE_COUNT && !descr; i++)
    if (k_types[i].dtype == dtype) descr = k_types[i].descr;
  if (!descr)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "%s: tensor type %d has no .npy dtype here", path, dtype);
  char dict[256];
  int n = snprintf(dict, sizeof dict,
                   "{'descr': '%s', 'fortran_order': False, 'shape': (", descr);
  for (int i = 0; i < rank; i++)
    n += snprintf(dict + n, sizeof dict - (size_t)n, "%d%s", (int)shape[i],
                  rank == 1 ? "," : i + 1 < rank ? ", " : "");
  n += snprintf(dict + n, sizeof dict - (size_t)n, "), }");
  /* Magic (6) + version (2) + length (2) + dict + padding + '\n' is a
   * multiple of 64, as NumPy writes it. */
  size_t total = 10 + (size_t)n + 1;
  size_t pad = (64 - total % 64) % 64;
  size_t hlen = (size_t)n + pad + 1;
  size_t file = 10 + hlen + bytes;
  uint8_t *buf = malloc(file);
  if (!buf) return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  memcpy(buf, "\x93NUMPY\x01\x00", 8);
  buf[8] = (uint8_t)(hlen & 0xFF);
  buf[9] = (uint8_t)(hlen >> 8);
  memcpy(buf + 10, dict, (size_t)n);
  memset(buf + 10 + n, ' ', pad);
  buf[10 + n + pad] = '\n';
  if (bytes) memcpy(buf + 10 + hlen, array, bytes);
  xai_status st = xai_file_write_atomic(path, buf, file, err);
  free(buf);
  return st;
}
