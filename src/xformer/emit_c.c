/* `xformer --emit-c DIR`: the optimised model as C source for a user's own
 * firmware (issue #18): NAME.c holds the model as an aligned const array
 * and a small API typed for this model; NAME.h has the arena size, the
 * tensors' shapes and quantization as constants, and compiles as C11 and
 * C++. The API runs the model with the xai runtime (include/xai/runtime.h). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xformer_internal.h"

/* A C array's size must fit the target's ptrdiff_t: 32-bit on xcore.ai
 * and Cortex-M. */
#define EMIT_C_MAX_MODEL_BYTES 0x7fffffffu

static const char *const k_keywords[] = {
    "auto", "break", "case", "char", "const", "continue", "default", "do",
    "double", "else", "enum", "extern", "float", "for", "goto", "if",
    "inline", "int", "long", "register", "restrict", "return", "short",
    "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
    "unsigned", "void", "volatile", "while", "class", "namespace", "new",
    "delete", "template", "this", "operator", "private", "public", "bool",
    "true", "false", "xai", NULL};

/* Registration symbols by name, so the emitted model can carry a resolver
 * with only the ops it uses (the linker then drops the other kernels). */
#define XAI_OP(name) extern const xai_op_registration xai_op_##name;
#include "../runtime/ops/ops_all.def"
#undef XAI_OP
typedef struct {
  const xai_op_registration *reg;
  const char *symbol;
} op_symbol;
#define XAI_OP(name) {&xai_op_##name, "xai_op_" #name},
static const op_symbol k_op_symbols[] = {
#include "../runtime/ops/ops_all.def"
};
#undef XAI_OP
#define OP_SYMBOL_COUNT (sizeof k_op_symbols / sizeof k_op_symbols[0])

/* The distinct registrations the model's ops resolve to, as symbols;
 * returns 0 if one has no known symbol (the emitted code then uses the
 * full resolver). */
static uint32_t model_op_symbols(xai_interp *ip, const char **out,
                                 uint32_t cap) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < xai_interp_op_count(ip); i++) {
    const xai_op_registration *reg = xai_interp_op_registration(ip, i);
    const char *sym = NULL;
    for (size_t k = 0; k < OP_SYMBOL_COUNT && !sym; k++)
      if (k_op_symbols[k].reg == reg) sym = k_op_symbols[k].symbol;
    if (!sym) return 0;
    uint32_t j = 0;
    while (j < n && strcmp(out[j], sym)) j++;
    if (j == n) {
      if (n == cap) return 0;
      out[n++] = sym;
    }
  }
  return n;
}

static int is_c_identifier(const char *s) {
  if (!s || !*s || strlen(s) > 48) return 0;
  if (!(isalpha((unsigned char)s[0]) || s[0] == '_')) return 0;
  for (const char *p = s; *p; p++)
    if (!(isalnum((unsigned char)*p) || *p == '_')) return 0;
  for (size_t i = 0; k_keywords[i]; i++)
    if (!strcmp(s, k_keywords[i])) return 0;
  return 1;
}

xai_status xai_xf_emit_c_check(const xai_xformer_options *o, xai_error *err) {
  if (!o->emit_c_dir) return XAI_OK;
  struct stat st;
  if (stat(o->emit_c_dir, &st) != 0)
    return xai_fail(err, XAI_ERR_IO, "--emit-c '%.200s': %s", o->emit_c_dir,
                    errno == ENOENT ? "no such directory" : strerror(errno));
  if (!S_ISDIR(st.st_mode))
    return xai_fail(err, XAI_ERR_IO, "--emit-c '%.200s': not a directory",
                    o->emit_c_dir);
  if (o->emit_c_name && !is_c_identifier(o->emit_c_name))
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "--emit-c-name '%.60s': not a C identifier (letters, "
                    "digits and _, not starting with a digit, at most 48 "
                    "characters, not a keyword)", o->emit_c_name);
  return XAI_OK;
}

/* The default name: the output file's base name without its extension,
 * with every other character made an underscore. */
static void default_name(const char *output, char *name, size_t cap) {
  const char *base = strrchr(output, '/');
  base = base ? base + 1 : output;
  size_t n = 0;
  if (!isalpha((unsigned char)base[0]) && base[0] != '_') name[n++] = 'm';
  for (const char *p = base; *p && *p != '.' && n + 1 < cap && n < 48; p++)
    name[n++] = isalnum((unsigned char)*p) ? *p : '_';
  name[n] = '\0';
  if (!is_c_identifier(name)) snprintf(name, cap, "model");
}

static const char *c_type(int8_t type) {
  switch (type) {
    case XAI_TYPE_INT8: return "int8_t";
    case XAI_TYPE_UINT8: return "uint8_t";
    case XAI_TYPE_INT16: return "int16_t";
    case XAI_TYPE_UINT16: return "uint16_t";
    case XAI_TYPE_INT32: return "int32_t";
    case XAI_TYPE_UINT32: return "uint32_t";
    case XAI_TYPE_INT64: return "int64_t";
    case XAI_TYPE_FLOAT32: return "float";
    case XAI_TYPE_BOOL: return "bool";
    default: return "uint8_t";
  }
}

/* Upper-case copy for macro names. */
static void upper(const char *s, char *out, size_t cap) {
  size_t n = 0;
  for (; s[n] && n + 1 < cap; n++) out[n] = (char)toupper((unsigned char)s[n]);
  out[n] = '\0';
}

static void emit_tensor_macros(xf_text *h, const char *up, const char *kind,
                               uint32_t i, const xai_interp *ip,
                               const xai_rt_tensor *t) {
  /* tensor names come from the model: keep only printable, comment-safe
   * characters */
  char tname[80];
  const char *src = xai_interp_tensor_name(ip, t);
  size_t n = 0;
  for (; src[n] && n + 1 < sizeof tname; n++)
    tname[n] = (isprint((unsigned char)src[n]) && src[n] != '"' &&
                src[n] != '\\' && src[n] != '*' && src[n] != '/')
                   ? src[n] : '_';
  tname[n] = '\0';
  xf_text_put(h, "/* %s %u: \"%s\", %s", kind, i, tname, c_type(t->type));
  for (uint32_t d = 0; d < t->rank; d++)
    xf_text_put(h, "%s%d", d ? "x" : " [", (int)t->dims[d]);
  xf_text_put(h, "%s */\n", t->rank ? "]" : " scalar");
  xf_text_put(h, "#define %s_%s%u_NAME \"%s\"\n", up, kind, i, tname);
  xf_text_put(h, "#define %s_%s%u_XAI_TYPE %d\n", up, kind, i, (int)t->type);
  xf_text_put(h, "#define %s_%s%u_BYTES %uu\n", up, kind, i, t->bytes);
  xf_text_put(h, "#define %s_%s%u_ELEMENTS %zuu\n", up, kind, i,
            xai_rt_tensor_elements(t));
  xf_text_put(h, "#define %s_%s%u_RANK %u\n", up, kind, i, t->rank);
  xf_text_put(h, "#define %s_%s%u_SHAPE {", up, kind, i);
  for (uint32_t d = 0; d < t->rank; d++)
    xf_text_put(h, "%s%d", d ? ", " : "", (int)t->dims[d]);
  xf_text_put(h, "%s}\n", t->rank ? "" : "1");
  xf_text_put(h, "#define %s_%s%u_SCALE %.9gf\n", up, kind, i,
            t->quant_count ? (double)t->scale : 0.0);
  xf_text_put(h, "#define %s_%s%u_ZERO_POINT %d\n\n", up, kind, i,
            t->quant_count ? (int)t->zero_point : 0);
}

static void emit_header(xf_text *h, const char *name, const char *up,
                        const char *in_desc, xai_interp *ip, size_t model_size,
                        size_t arena, const uint8_t *params,
                        size_t params_size, const xai_xformer_report *rep,
                        const xai_xformer_options *o) {
  xf_text_put(h,
            "/* %s.h: generated by xformer --emit-c from %s; do not edit.\n"
            " * The optimised model and a typed API over the xai runtime:\n"
            " *   static uint8_t arena[%s_ARENA_SIZE] "
            "(aligned to %s_ARENA_ALIGN);\n"
            " *   %s_init(arena, sizeof arena, params) once, then fill "
            "%s_input0(),\n"
            " *   %s_invoke(), read %s_output0(); %s_error() says why a "
            "call failed. */\n",
            name, in_desc, up, up, name, name, name, name, name);
  xf_text_put(h, "#ifndef %s_H\n#define %s_H\n\n", up, up);
  xf_text_put(h, "#include <stdbool.h>\n#include <stddef.h>\n"
               "#include <stdint.h>\n\n#include \"xai/runtime.h\"\n\n");
  xf_text_put(h, "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
  xf_text_put(h, "#define %s_MODEL_SIZE %zuu\n", up, model_size);
  xf_text_put(h,
            "/* Arena bytes the model needs (planned head + runtime state), "
            "measured\n * on a 64-bit host: a 32-bit device needs the same "
            "or less. */\n#define %s_ARENA_SIZE %zuu\n", up, arena);
  xf_text_put(h, "#define %s_ARENA_ALIGN %uu\n", up, 16u);
  xf_text_put(h, "#define %s_THREADS %uu\n#define %s_CLOCK_MHZ %uu\n", up,
            o->thread_count, up, (unsigned)o->clock_mhz);
  if (params_size) {
    xf_text_put(h,
              "/* The weights are in a params file (%s): pass a source that "
              "reads it\n * to %s_init; its header must carry this hash. */\n",
              o->params_file ? o->params_file : "split", name);
    xf_text_put(h, "#define %s_PARAMS_SIZE %zuu\n", up, params_size);
    xf_text_put(h, "#define %s_PARAMS_HASH 0x%016llxull\n", up,
              (unsigned long long)xai_params_hash(
                  params + XAI_PARAMS_HEADER_BYTES,
                  params_size - XAI_PARAMS_HEADER_BYTES));
  } else {
    xf_text_put(h, "#define %s_PARAMS_SIZE 0u /* weights are in the model */\n",
              up);
  }
  uint32_t ni = xai_interp_input_count(ip), no = xai_interp_output_count(ip);
  xf_text_put(h, "#define %s_INPUT_COUNT %uu\n#define %s_OUTPUT_COUNT %uu\n",
            up, ni, up, no);
  xf_text_put(h, "#define %s_LAYER_COUNT %uu\n\n", up, rep->layer_count);
  for (uint32_t i = 0; i < ni; i++)
    emit_tensor_macros(h, up, "INPUT", i, ip, xai_interp_input(ip, i));
  for (uint32_t i = 0; i < no; i++)
    emit_tensor_macros(h, up, "OUTPUT", i, ip, xai_interp_output(ip, i));

  const char *syms[128];
  uint32_t nsym = model_op_symbols(ip, syms, 128);
  xf_text_put(h, "/* Kernels the model uses (%s.c's resolver links only these):",
            name);
  for (uint32_t i = 0; i < nsym; i++)
    xf_text_put(h, "%s %s", i ? "," : "", syms[i] + strlen("xai_op_"));
  xf_text_put(h, "%s */\n", nsym ? "" : " all");
  xf_text_put(h, "extern const uint8_t %s_model[%s_MODEL_SIZE];\n", name, up);
  xf_text_put(h,
            "/* Modelled device time of each layer (100 MHz ticks at "
            "%s_CLOCK_MHZ,\n * %s_THREADS threads) and its op, from the "
            "xformer's report. */\n",
            up, up);
  xf_text_put(h, "extern const uint64_t %s_layer_est_ticks[%s_LAYER_COUNT + 1];\n",
            name, up);
  xf_text_put(h, "extern const char *const %s_layer_op[%s_LAYER_COUNT + 1];\n\n",
            name, up);
  xf_text_put(h,
            "/* Prepares the model in arena[0..arena_size) (16-byte aligned, "
            "at least\n * %s_ARENA_SIZE); params: the params file's source, "
            "or NULL when\n * %s_PARAMS_SIZE is 0. */\n",
            up, up);
  xf_text_put(h, "xai_status %s_init(void *arena, size_t arena_size,\n"
               "    const xai_params_source *params);\n", name);
  xf_text_put(h, "/* Runs one inference on the inputs as they are. */\n");
  xf_text_put(h, "xai_status %s_invoke(void);\n", name);
  xf_text_put(h, "/* The last failure's one-line message (\"\" after success). */\n");
  xf_text_put(h, "const char *%s_error(void);\n", name);
  for (uint32_t i = 0; i < ni; i++)
    xf_text_put(h, "%s *%s_input%u(void);\n",
              c_type(xai_interp_input(ip, i)->type), name, i);
  for (uint32_t i = 0; i < no; i++)
    xf_text_put(h, "const %s *%s_output%u(void);\n",
              c_type(xai_interp_output(ip, i)->type), name, i);
  xf_text_put(h,
            "/* Layer i of the last invoke: modelled device ticks, and wall "
            "time in ns\n * from the runtime's clock (the platform's time "
            "source on a device). */\n");
  xf_text_put(h, "uint64_t %s_layer_ticks(uint32_t i);\n", name);
  xf_text_put(h, "uint64_t %s_layer_ns(uint32_t i);\n\n", name);
  xf_text_put(h, "#ifdef __cplusplus\n}\n#endif\n\n#endif\n");
}

static void emit_source(xf_text *c, const char *name, const char *up,
                        const uint8_t *model, size_t model_size,
                        xai_interp *ip, const xai_xformer_report *rep) {
  xf_text_put(c, "/* %s.c: generated by xformer --emit-c; do not edit. */\n",
            name);
  xf_text_put(c, "#include \"%s.h\"\n\n", name);
  xf_text_put(c,
            "/* Define %s_MODEL_SECTION to place the model, e.g. "
            "__attribute__((section(\".ExtMem.data\")))\n * for LPDDR. */\n"
            "#ifndef %s_MODEL_SECTION\n#define %s_MODEL_SECTION\n#endif\n\n",
            up, up, up);
  xf_text_put(c, "_Alignas(16) %s_MODEL_SECTION const uint8_t %s_model[%s_MODEL_SIZE] = {",
            up, name, up);
  for (size_t i = 0; i < model_size; i++)
    xf_text_put(c, "%s0x%02x,", i % 16 ? " " : "\n    ", model[i]);
  xf_text_put(c, "\n};\n\n");
  xf_text_put(c, "const uint64_t %s_layer_est_ticks[%s_LAYER_COUNT + 1] = {",
            name, up);
  for (uint32_t i = 0; i < rep->layer_count; i++)
    xf_text_put(c, "%s%lluu,", i % 8 ? " " : "\n    ",
              (unsigned long long)rep->layers[i].ticks);
  xf_text_put(c, "\n    0u};\n");
  xf_text_put(c, "const char *const %s_layer_op[%s_LAYER_COUNT + 1] = {", name,
            up);
  for (uint32_t i = 0; i < rep->layer_count; i++)
    xf_text_put(c, "\n    \"%s\",", rep->layers[i].op);
  xf_text_put(c, "\n    \"\"};\n\n");
  const char *syms[128];
  uint32_t nsym = model_op_symbols(ip, syms, 128);
  char resolver[80];
  snprintf(resolver, sizeof resolver, "&%s_resolver", name);
  if (nsym) {
    xf_text_put(c, "/* Only the kernels this model uses, so a static link keeps "
                 "no others. */\n#ifndef %s_ALL_OPS\n", up);
    for (uint32_t i = 0; i < nsym; i++)
      xf_text_put(c, "extern const xai_op_registration %s;\n", syms[i]);
    xf_text_put(c, "static const xai_op_registration *const %s_ops[] = {",
              name);
    for (uint32_t i = 0; i < nsym; i++)
      xf_text_put(c, "\n    &%s,", syms[i]);
    xf_text_put(c, "\n};\nstatic const xai_op_resolver %s_resolver = {%s_ops, "
                 "%u};\n#endif\n\n", name, name, nsym);
  }
  xf_text_put(c,
            "static xai_interp *%s_ip;\nstatic xai_error %s_err;\n"
            "static uint64_t %s_ticks[%s_LAYER_COUNT + 1];\n"
            "static uint64_t %s_ns[%s_LAYER_COUNT + 1];\n\n",
            name, name, name, up, name, up);
  xf_text_put(c,
            "static void %s_hook(void *user, const xai_op_timing *t) {\n"
            "  (void)user;\n"
            "  if (t->subgraph != 0 || t->index >= %s_LAYER_COUNT) return;\n"
            "  %s_ticks[t->index] = t->cost ? t->cost->ticks : 0;\n"
            "  %s_ns[t->index] = t->ns;\n}\n\n",
            name, up, name, name);
  xf_text_put(c,
            "xai_status %s_init(void *arena, size_t arena_size,\n"
            "    const xai_params_source *params) {\n"
            "  xai_error_clear(&%s_err);\n"
            "  %s_ip = NULL;\n"
            "#if %s_PARAMS_SIZE\n"
            "  if (!params)\n"
            "    return xai_fail(&%s_err, XAI_ERR_ARGUMENT,\n"
            "                    \"%s: its weights are in a %%u-byte params "
            "file: pass its source\",\n"
            "                    (unsigned)%s_PARAMS_SIZE);\n"
            "  if (xai_params_check(params, %s_PARAMS_HASH, &%s_err))\n"
            "    return %s_err.status;\n"
            "#endif\n"
            "  xai_interp_config cfg = {0};\n"
            "  cfg.model = %s_model;\n"
            "  cfg.model_size = %s_MODEL_SIZE;\n"
            "  cfg.arena = arena;\n"
            "  cfg.arena_size = arena_size;\n"
            "  cfg.clock_mhz = %s_CLOCK_MHZ;\n"
            "  cfg.hook = %s_hook;\n"
            "  cfg.params = params;\n"
            "#ifdef %s_ALL_OPS /* every kernel, e.g. to load other models too */\n"
            "  cfg.resolver = xai_all_ops_resolver();\n"
            "#else\n"
            "  cfg.resolver = %s;\n"
            "#endif\n"
            "  return xai_interp_init(&%s_ip, &cfg, &%s_err);\n}\n\n",
            name, name, name, up, name, name, up, up, name, name, name, up,
            up, name, up, nsym ? resolver : "xai_all_ops_resolver()", name, name);
  xf_text_put(c,
            "xai_status %s_invoke(void) {\n"
            "  xai_error_clear(&%s_err);\n"
            "  if (!%s_ip)\n"
            "    return xai_fail(&%s_err, XAI_ERR_STATE, \"%s: call %s_init "
            "first\");\n"
            "  return xai_interp_invoke(%s_ip, &%s_err);\n}\n\n",
            name, name, name, name, name, name, name, name);
  xf_text_put(c, "const char *%s_error(void) { return %s_err.message; }\n\n",
            name, name);
  /* typed accessors: inputs writable, outputs const */
  for (int out = 0; out < 2; out++) {
    uint32_t n = out ? xai_interp_output_count(ip) : xai_interp_input_count(ip);
    const char *q = out ? "const " : "", *kind = out ? "output" : "input";
    for (uint32_t i = 0; i < n; i++) {
      const char *t = c_type(out ? xai_interp_output(ip, i)->type
                                 : xai_interp_input(ip, i)->type);
      xf_text_put(c,
                "%s%s *%s_%s%u(void) {\n"
                "  return %s_ip ? (%s%s *)xai_interp_%s(%s_ip, %u)->data : "
                "NULL;\n}\n\n",
                q, t, name, kind, i, name, q, t, kind, name, i);
    }
  }
  xf_text_put(c,
            "uint64_t %s_layer_ticks(uint32_t i) {\n"
            "  return i < %s_LAYER_COUNT ? %s_ticks[i] : 0;\n}\n\n"
            "uint64_t %s_layer_ns(uint32_t i) {\n"
            "  return i < %s_LAYER_COUNT ? %s_ns[i] : 0;\n}\n",
            name, up, name, name, up, name);
}

static xai_status write_file(const char *dir, const char *name,
                             const char *ext, const xf_text *b,
                             xai_error *err) {
  char path[1024];
  if (snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext) >=
      (int)sizeof path)
    return xai_fail(err, XAI_ERR_ARGUMENT, "--emit-c: path too long");
  xai_error e = {0};
  if (xai_file_write_atomic(path, b->data, b->len, &e))
    return xai_fail(err, XAI_ERR_IO, "--emit-c: cannot write %s: %s", path,
                    e.message);
  return XAI_OK;
}

xai_status xai_xf_emit_c(const xai_xformer_options *o, const char *in_desc,
                         const uint8_t *model, size_t model_size,
                         const uint8_t *params, size_t params_size,
                         const xai_xformer_report *rep, xai_error *err) {
  if (model_size > EMIT_C_MAX_MODEL_BYTES)
    return xai_fail(err, XAI_ERR_RANGE,
                    "--emit-c: the model is %zu bytes, more than a C array "
                    "can hold on a 32-bit target (%u); move its weights to a "
                    "params file with --xcore-flash-image-file",
                    model_size, EMIT_C_MAX_MODEL_BYTES);
  char name[64], up[64];
  if (o->emit_c_name)
    snprintf(name, sizeof name, "%s", o->emit_c_name);
  else
    default_name(o->output ? o->output : "model", name, sizeof name);
  upper(name, up, sizeof up);

  xai_params_source src;
  xai_interp_config cfg = {0};
  cfg.model = model;
  cfg.model_size = model_size;
  cfg.clock_mhz = o->clock_mhz;
  if (params_size) {
    src = xai_params_memory(params, params_size, XAI_PARAMS_RAM);
    cfg.params = &src;
  }
  size_t arena = 0;
  xai_status st = xai_interp_arena_needed(&cfg, &arena, err);
  if (st) return st;
  size_t rounded = (arena + 15u) & ~(size_t)15u;
  void *mem = aligned_alloc(16, rounded);
  if (!mem)
    return xai_fail(err, XAI_ERR_NO_MEMORY, "cannot allocate %zu bytes",
                    arena);
  cfg.arena = mem;
  cfg.arena_size = rounded;
  xai_interp *ip = NULL;
  st = xai_interp_init(&ip, &cfg, err);
  xf_text h = {0}, c = {0};
  if (!st) {
    emit_header(&h, name, up, in_desc, ip, model_size, arena, params,
                params_size, rep, o);
    emit_source(&c, name, up, model, model_size, ip, rep);
    if (h.failed || c.failed)
      st = xai_fail(err, XAI_ERR_NO_MEMORY, "--emit-c: out of memory");
  }
  if (!st) st = write_file(o->emit_c_dir, name, "h", &h, err);
  if (!st) st = write_file(o->emit_c_dir, name, "c", &c, err);
  free(h.data);
  free(c.data);
  free(mem);
  return st;
}
