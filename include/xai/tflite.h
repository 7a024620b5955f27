/* TFLite flatbuffers: a zero-copy validated reader, an editable model
 * object, and a builder that writes the model object back to a flatbuffer.
 *
 * Reader: xai_tfl_open() validates the whole model once (every offset,
 * vector length, string, union type and index); after it succeeds the
 * accessors below cannot fail and never read outside the buffer. The buffer
 * must stay alive and unchanged while the view is used. Hosts and xcore are
 * little-endian, which the zero-copy int32/float spans rely on. */
#ifndef XAI_TFLITE_H
#define XAI_TFLITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "xai/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Schema enums (values are the schema's) ---------------------------- */

typedef enum {
  XAI_TYPE_FLOAT32 = 0, XAI_TYPE_FLOAT16 = 1, XAI_TYPE_INT32 = 2,
  XAI_TYPE_UINT8 = 3, XAI_TYPE_INT64 = 4, XAI_TYPE_STRING = 5,
  XAI_TYPE_BOOL = 6, XAI_TYPE_INT16 = 7, XAI_TYPE_COMPLEX64 = 8,
  XAI_TYPE_INT8 = 9, XAI_TYPE_FLOAT64 = 10, XAI_TYPE_COMPLEX128 = 11,
  XAI_TYPE_UINT64 = 12, XAI_TYPE_RESOURCE = 13, XAI_TYPE_VARIANT = 14,
  XAI_TYPE_UINT32 = 15, XAI_TYPE_UINT16 = 16, XAI_TYPE_INT4 = 17,
  XAI_TYPE_BFLOAT16 = 18,
} xai_tensor_type;

/* "INT8", "FLOAT32", ...; "UNKNOWN" for values outside the schema. */
const char *xai_tensor_type_name(int type);
/* Bytes per element; 0 for types without a fixed size (STRING, INT4, ...). */
size_t xai_tensor_type_size(int type);

/* BuiltinOperator codes used by name in this project; any other int32 code
 * is still read and written unchanged. */
enum {
  XAI_OP_ADD = 0, XAI_OP_AVERAGE_POOL_2D = 1, XAI_OP_CONCATENATION = 2,
  XAI_OP_CONV_2D = 3, XAI_OP_DEPTHWISE_CONV_2D = 4, XAI_OP_DEQUANTIZE = 6,
  XAI_OP_FLOOR = 8, XAI_OP_FULLY_CONNECTED = 9, XAI_OP_L2_NORMALIZATION = 11,
  XAI_OP_LOGISTIC = 14, XAI_OP_MAX_POOL_2D = 17, XAI_OP_MUL = 18,
  XAI_OP_RELU = 19, XAI_OP_RELU_N1_TO_1 = 20, XAI_OP_RELU6 = 21,
  XAI_OP_RESHAPE = 22, XAI_OP_RESIZE_BILINEAR = 23, XAI_OP_SOFTMAX = 25,
  XAI_OP_SVDF = 27, XAI_OP_TANH = 28, XAI_OP_CALL = 31, XAI_OP_CUSTOM = 32,
  XAI_OP_PAD = 34, XAI_OP_GATHER = 36, XAI_OP_TRANSPOSE = 39,
  XAI_OP_MEAN = 40, XAI_OP_SUB = 41, XAI_OP_DIV = 42, XAI_OP_SQUEEZE = 43,
  XAI_OP_UNIDIRECTIONAL_SEQUENCE_LSTM = 44, XAI_OP_STRIDED_SLICE = 45,
  XAI_OP_SPLIT = 49, XAI_OP_CAST = 53, XAI_OP_PRELU = 54,
  XAI_OP_MAXIMUM = 55, XAI_OP_ARG_MAX = 56, XAI_OP_MINIMUM = 57,
  XAI_OP_PADV2 = 60, XAI_OP_SLICE = 65, XAI_OP_TRANSPOSE_CONV = 67,
  XAI_OP_EXPAND_DIMS = 70, XAI_OP_SUM = 74, XAI_OP_SHAPE = 77,
  XAI_OP_PACK = 83, XAI_OP_UNPACK = 88, XAI_OP_RESIZE_NEAREST_NEIGHBOR = 97,
  XAI_OP_LEAKY_RELU = 98, XAI_OP_SPLIT_V = 102, XAI_OP_QUANTIZE = 114,
  XAI_OP_HARD_SWISH = 117, XAI_OP_IF = 118, XAI_OP_WHILE = 119,
  XAI_OP_BATCH_MATMUL = 126, XAI_OP_CALL_ONCE = 129,
  XAI_OP_VAR_HANDLE = 142, XAI_OP_READ_VARIABLE = 143,
  XAI_OP_ASSIGN_VARIABLE = 144, XAI_OP_REDUCE_ALL = 140,
};
/* The rest of TFLite Micro's builtins (docs/ops.md). */
enum {
  XAI_OP_DEPTH_TO_SPACE = 5, XAI_OP_EMBEDDING_LOOKUP = 7,
  XAI_OP_L2_POOL_2D = 12, XAI_OP_SPACE_TO_DEPTH = 26,
  XAI_OP_BATCH_TO_SPACE_ND = 37, XAI_OP_SPACE_TO_BATCH_ND = 38,
  XAI_OP_EXP = 47, XAI_OP_LOG_SOFTMAX = 50, XAI_OP_LESS = 58, XAI_OP_NEG = 59,
  XAI_OP_GREATER = 61, XAI_OP_GREATER_EQUAL = 62, XAI_OP_LESS_EQUAL = 63,
  XAI_OP_SIN = 66, XAI_OP_EQUAL = 71, XAI_OP_NOT_EQUAL = 72, XAI_OP_LOG = 73,
  XAI_OP_SQRT = 75, XAI_OP_RSQRT = 76, XAI_OP_ARG_MIN = 79,
  XAI_OP_REDUCE_MAX = 82, XAI_OP_LOGICAL_OR = 84, XAI_OP_LOGICAL_AND = 86,
  XAI_OP_LOGICAL_NOT = 87, XAI_OP_REDUCE_MIN = 89, XAI_OP_FLOOR_DIV = 90,
  XAI_OP_SQUARE = 92, XAI_OP_ZEROS_LIKE = 93, XAI_OP_FILL = 94,
  XAI_OP_FLOOR_MOD = 95, XAI_OP_SQUARED_DIFFERENCE = 99,
  XAI_OP_MIRROR_PAD = 100, XAI_OP_ABS = 101, XAI_OP_CEIL = 104,
  XAI_OP_REVERSE_V2 = 105, XAI_OP_ADD_N = 106, XAI_OP_GATHER_ND = 107,
  XAI_OP_COS = 108, XAI_OP_ELU = 111, XAI_OP_ROUND = 116,
  XAI_OP_SELECT_V2 = 123, XAI_OP_CUMSUM = 128, XAI_OP_BROADCAST_TO = 130,
  XAI_OP_BROADCAST_ARGS = 145, XAI_OP_DYNAMIC_UPDATE_SLICE = 151,
};

/* "CONV_2D", ...; "BUILTIN_<n>" style names are not produced: unknown codes
 * give NULL so callers can print the number. */
const char *xai_builtin_op_name(int32_t code);

/* Fused activation function (ActivationFunctionType). */
enum {
  XAI_ACT_NONE = 0, XAI_ACT_RELU = 1, XAI_ACT_RELU_N1_TO_1 = 2,
  XAI_ACT_RELU6 = 3, XAI_ACT_TANH = 4, XAI_ACT_SIGN_BIT = 5,
};
enum { XAI_PADDING_SAME = 0, XAI_PADDING_VALID = 1 };

#include "xai/tflite_options.h"

/* ---- Reader (zero-copy view) ------------------------------------------- */

typedef struct {
  const uint8_t *data; /* the whole file; 4-byte aligned */
  size_t size;
  uint32_t root;       /* offset of the Model table */
} xai_tfl_view;

/* Spans point into the model buffer. int32/float spans are 4-byte aligned
 * (checked at open); int64 spans may not be 8-aligned: read them through
 * xai_tfl_i64_at(). */
typedef struct { const int32_t *data; uint32_t count; } xai_i32_span;
typedef struct { const float *data; uint32_t count; } xai_f32_span;
typedef struct { const uint8_t *data; uint32_t count; } xai_i64_span;
int64_t xai_tfl_i64_at(xai_i64_span span, uint32_t i);

/* Validates data[0..size) as a TFLite model. On failure returns
 * XAI_ERR_FORMAT with a one-line message saying what is wrong and where
 * (e.g. "subgraph 0 operator 3: input 2 is tensor 57 but the subgraph has 40
 * tensors"), or XAI_ERR_ARGUMENT when data is NULL or not 4-byte aligned.
 * Validation is iterative with bounded depth: no recursion on
 * file-controlled data. */
xai_status xai_tfl_open(xai_tfl_view *view, const uint8_t *data, size_t size,
                        xai_error *err);

uint32_t xai_tfl_version(const xai_tfl_view *v);
const char *xai_tfl_description(const xai_tfl_view *v); /* NULL if absent */
uint32_t xai_tfl_subgraph_count(const xai_tfl_view *v);
uint32_t xai_tfl_opcode_count(const xai_tfl_view *v);
uint32_t xai_tfl_buffer_count(const xai_tfl_view *v);
uint32_t xai_tfl_metadata_count(const xai_tfl_view *v);
uint32_t xai_tfl_signature_count(const xai_tfl_view *v);
xai_i32_span xai_tfl_metadata_buffer(const xai_tfl_view *v); /* deprecated list */

typedef struct {
  int32_t builtin_code;    /* max(builtin_code, deprecated_builtin_code) */
  int8_t deprecated_builtin_code;
  const char *custom_code; /* NUL-terminated, NULL if absent */
  int32_t version;         /* default 1 */
} xai_tfl_opcode;
void xai_tfl_get_opcode(const xai_tfl_view *v, uint32_t i, xai_tfl_opcode *out);

typedef struct {
  const uint8_t *data; /* NULL when the buffer is empty */
  size_t size;
  uint64_t offset, ext_size; /* the >2 GB external-data fields, raw */
} xai_tfl_buffer;
/* Inline data, or the data at offset/size in the file when offset > 1. */
void xai_tfl_get_buffer(const xai_tfl_view *v, uint32_t i, xai_tfl_buffer *out);

typedef struct {
  const char *name; /* NUL-terminated; NULL if absent */
  uint32_t buffer;
} xai_tfl_metadata;
void xai_tfl_get_metadata(const xai_tfl_view *v, uint32_t i,
                          xai_tfl_metadata *out);
/* Looks a metadata entry up by name; returns its buffer bytes or NULL. */
const uint8_t *xai_tfl_find_metadata(const xai_tfl_view *v, const char *name,
                                     size_t *size);

typedef struct {
  bool present;
  xai_f32_span min, max, scale;
  xai_i64_span zero_point;
  /* Checked at open: with more than one scale it is < rank and the shape
   * has that many channels there. A rank-1 tensor stored with a larger
   * dimension (converters copy a conv's 3 onto its bias) reads as 0. */
  int32_t quantized_dimension;
  uint8_t details_type; /* QuantizationDetails union type; 0 = none */
  const uint8_t *custom; /* CustomQuantization.custom bytes, if any */
  uint32_t custom_size;
} xai_tfl_quant;

typedef struct {
  const char *name;       /* NULL if absent */
  int8_t type;            /* xai_tensor_type */
  xai_i32_span shape;
  xai_i32_span shape_signature; /* count 0 if absent */
  bool has_shape_signature;
  uint32_t buffer;        /* 0 = no data */
  bool is_variable;
  bool has_rank;
  bool has_sparsity;      /* sparse tensors are read but not supported */
  xai_tfl_quant quant;
} xai_tfl_tensor;

typedef struct {
  uint32_t opcode_index;
  xai_i32_span inputs, outputs, intermediates; /* -1 = optional input absent */
  uint8_t builtin_options_type;   /* BuiltinOptions union type */
  uint32_t builtin_options_table; /* offset of the table, 0 if none */
  uint8_t builtin_options_2_type; /* BuiltinOptions2 union type, raw */
  const uint8_t *custom_options;  /* NULL if absent */
  uint32_t custom_options_size;
  int8_t custom_options_format;
  const uint8_t *mutating_variable_inputs; /* bools, NULL if absent */
  uint32_t mutating_variable_inputs_count;
} xai_tfl_operator;

typedef struct {
  const char *name; /* NULL if absent */
  uint32_t tensor_count, operator_count;
  xai_i32_span inputs, outputs;
} xai_tfl_subgraph;

void xai_tfl_get_subgraph(const xai_tfl_view *v, uint32_t sg,
                          xai_tfl_subgraph *out);
void xai_tfl_get_tensor(const xai_tfl_view *v, uint32_t sg, uint32_t i,
                        xai_tfl_tensor *out);
void xai_tfl_get_operator(const xai_tfl_view *v, uint32_t sg, uint32_t i,
                          xai_tfl_operator *out);

/* Decodes the operator's builtin options. Options types this project does
 * not model give XAI_ERR_UNSUPPORTED naming the table; the op's other data
 * stays readable. */
xai_status xai_tfl_get_options(const xai_tfl_view *v,
                               const xai_tfl_operator *op, xai_options *out,
                               xai_error *err);

typedef struct {
  const char *name;
  uint32_t tensor_index;
} xai_tfl_tensor_map;
typedef struct {
  const char *signature_key; /* NULL if absent */
  uint32_t subgraph_index;
  uint32_t input_count, output_count;
} xai_tfl_signature;
void xai_tfl_get_signature(const xai_tfl_view *v, uint32_t i,
                           xai_tfl_signature *out);
void xai_tfl_get_signature_io(const xai_tfl_view *v, uint32_t sig,
                              bool outputs, uint32_t i,
                              xai_tfl_tensor_map *out);

/* ---- Model object (editable, owns its memory) ---------------------------
 * Every array is malloc'd and owned by the model; buffer data is copied
 * unless `borrowed` is set, in which case it points into memory the caller
 * keeps alive (used to avoid copying megabytes of weights when rewriting). */

typedef struct {
  bool present;
  float *min, *max, *scale;
  uint32_t min_count, max_count, scale_count;
  int64_t *zero_point;
  uint32_t zero_point_count;
  int32_t quantized_dimension;
  uint8_t *custom; /* CustomQuantization bytes; details present if non-NULL */
  uint32_t custom_size;
} xai_quant;

typedef struct {
  char *name;
  int8_t type;
  int32_t *shape;
  uint32_t rank;
  int32_t *shape_signature; /* NULL if absent */
  uint32_t shape_signature_count;
  uint32_t buffer;
  bool is_variable, has_rank;
  xai_quant quant;
} xai_tensor;

typedef struct {
  uint32_t opcode_index;
  int32_t *inputs, *outputs, *intermediates;
  uint32_t input_count, output_count, intermediate_count;
  xai_options options;
  uint8_t *custom_options; /* NULL if absent */
  uint32_t custom_options_size;
  int8_t custom_options_format;
  bool *mutating_variable_inputs; /* NULL if absent */
  uint32_t mutating_variable_input_count;
} xai_operator;

typedef struct {
  char *name;
  xai_tensor *tensors;
  uint32_t tensor_count, tensor_cap;
  xai_operator *operators;
  uint32_t operator_count, operator_cap;
  int32_t *inputs, *outputs;
  uint32_t input_count, output_count;
} xai_subgraph;

typedef struct {
  uint8_t *data; /* NULL for the empty buffer */
  size_t size;
  bool borrowed; /* data is not owned by the model */
} xai_buffer;

typedef struct {
  int32_t builtin_code;
  char *custom_code; /* NULL for builtins */
  int32_t version;
} xai_opcode;

typedef struct {
  char *name;
  uint32_t buffer;
} xai_metadata;

typedef struct {
  char *name;
  uint32_t tensor_index;
} xai_tensor_map;

typedef struct {
  char *signature_key;
  uint32_t subgraph_index;
  xai_tensor_map *inputs, *outputs;
  uint32_t input_count, output_count;
} xai_signature;

typedef struct {
  uint32_t version; /* schema version, 3 */
  char *description;
  xai_opcode *opcodes;
  uint32_t opcode_count, opcode_cap;
  xai_subgraph *subgraphs;
  uint32_t subgraph_count, subgraph_cap;
  xai_buffer *buffers;
  uint32_t buffer_count, buffer_cap;
  xai_metadata *metadata;
  uint32_t metadata_count, metadata_cap;
  int32_t *metadata_buffer; /* deprecated list, NULL if absent */
  uint32_t metadata_buffer_count;
  xai_signature *signatures;
  uint32_t signature_count;
} xai_model;

/* Builds a model object from a validated view. borrow_buffers != 0 makes
 * buffer data point into the view's memory instead of copying it. Fails
 * with XAI_ERR_UNSUPPORTED for features the object cannot represent
 * (sparse tensors, options tables without a descriptor, ...), naming them. */
xai_status xai_model_from_view(xai_model *m, const xai_tfl_view *v,
                               int borrow_buffers, xai_error *err);
/* An empty model: version 3, buffer 0 the empty sentinel, one subgraph. */
xai_status xai_model_init(xai_model *m, xai_error *err);
void xai_model_free(xai_model *m);

/* Editing. Each returns the new element's index, or -1 on allocation failure. */
int32_t xai_model_add_buffer(xai_model *m, const void *data, size_t size);
int32_t xai_model_add_opcode(xai_model *m, int32_t builtin_code,
                             const char *custom_code, int32_t version);
/* Finds an equal opcode or adds it. */
int32_t xai_model_opcode(xai_model *m, int32_t builtin_code,
                         const char *custom_code, int32_t version);
int32_t xai_model_add_tensor(xai_model *m, uint32_t sg, const char *name,
                             int8_t type, const int32_t *shape, uint32_t rank,
                             uint32_t buffer);
/* Sets per-tensor (count 1) or per-channel quantization. */
xai_status xai_model_set_quant(xai_model *m, uint32_t sg, uint32_t tensor,
                               const float *scale, const int64_t *zero_point,
                               uint32_t count, int32_t quantized_dimension);
/* Appends (at == -1) or inserts an operator before index `at`. */
int32_t xai_model_add_operator(xai_model *m, uint32_t sg, int32_t at,
                               uint32_t opcode_index, const int32_t *inputs,
                               uint32_t input_count, const int32_t *outputs,
                               uint32_t output_count,
                               const xai_options *options,
                               const uint8_t *custom_options,
                               uint32_t custom_options_size);
xai_status xai_model_remove_operator(xai_model *m, uint32_t sg, uint32_t op);
/* Removes a tensor and renumbers every reference to later tensors; fails if
 * an operator or the subgraph inputs/outputs still use it. */
xai_status xai_model_remove_tensor(xai_model *m, uint32_t sg, uint32_t tensor,
                                   xai_error *err);
/* Removes buffers no tensor or metadata uses (except buffer 0), renumbering. */
void xai_model_remove_unused_buffers(xai_model *m);
/* Adds or replaces metadata `name` with a copy of data. */
xai_status xai_model_set_metadata(xai_model *m, const char *name,
                                  const void *data, size_t size);
xai_status xai_model_set_subgraph_io(xai_model *m, uint32_t sg,
                                  const int32_t *inputs, uint32_t input_count,
                                  const int32_t *outputs,
                                  uint32_t output_count);

/* Deep comparison; on difference writes a one-line description to diff
 * (e.g. "subgraph 0 tensor 5: scale[3] differs") and returns false. */
bool xai_model_equal(const xai_model *a, const xai_model *b, char *diff,
                     size_t diff_size);

/* ---- Builder ------------------------------------------------------------
 * Writes the model as a TFLite flatbuffer: "TFL3" identifier, buffer data
 * 16-byte aligned, identical vtables shared. *out is malloc'd (free()). */
xai_status xai_model_write(const xai_model *m, uint8_t **out, size_t *size,
                           xai_error *err);

#ifdef __cplusplus
}
#endif

#endif
