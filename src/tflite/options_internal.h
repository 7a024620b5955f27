/* Schema descriptors for builtin options tables, shared by the reader
 * (decode), the builder (encode) and xai_options_format (print). One row per
 * options table; one field per vtable slot, in schema order, so the field's
 * position is its flatbuffer field id (deprecated slots included). */
#ifndef XAI_TFLITE_OPTIONS_INTERNAL_H
#define XAI_TFLITE_OPTIONS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "xai/tflite.h"

typedef enum {
  XAI_FIELD_BOOL,     /* 1 byte */
  XAI_FIELD_I8,       /* 1 byte: schema enums of type byte */
  XAI_FIELD_I32,
  XAI_FIELD_U32,
  XAI_FIELD_F32,
  XAI_FIELD_INT_LIST, /* [int] vector -> xai_int_list */
  XAI_FIELD_STRING,   /* string -> const char * into the model bytes */
} xai_field_kind;

typedef struct {
  const char *name;   /* schema field name */
  uint8_t kind;       /* xai_field_kind */
  uint16_t offset;    /* offsetof the member within xai_options.u */
  int32_t default_int;
  float default_float;
} xai_option_field;

typedef struct {
  uint8_t type;       /* xai_options_type */
  const char *name;   /* "Conv2DOptions" */
  uint8_t field_count;
  const xai_option_field *fields;
} xai_options_desc;

/* NULL when the options table is not modelled. */
const xai_options_desc *xai_options_descriptor(uint8_t type);

/* Sets every field of opts to its schema default for the given type. */
void xai_options_set_defaults(xai_options *opts, uint8_t type);

/* Name of any BuiltinOptions union member, modelled or not
 * ("LSHProjectionOptions"), for messages; NULL outside the union. */
const char *xai_options_union_name(uint8_t type);

/* Decodes the options table at position `table` of a model buffer that
 * xai_tfl_open validated (table 0: absent, every field takes its default).
 * XAI_ERR_UNSUPPORTED for tables without a descriptor and for int lists
 * longer than XAI_MAX_OPTION_INTS. */
xai_status xai_options_decode(const uint8_t *data, uint32_t table,
                              uint8_t type, xai_options *out, xai_error *err);

#endif
