/* TFLite builtin options: one decoded struct per options table, the
 * union type of each, which table each builtin op takes, and their
 * printing. Included by xai/tflite.h; the reader fills them. */
#ifndef XAI_TFLITE_OPTIONS_H
#define XAI_TFLITE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Builtin options ----------------------------------------------------
 * Decoded into one struct per options table, by a schema descriptor shared by
 * reader, builder and `xai inspect`. Field names are the schema's. Fields not
 * stored in the file hold the schema default. */

typedef enum {
  XAI_OPTS_NONE = 0,
  XAI_OPTS_CONV2D = 1,
  XAI_OPTS_DEPTHWISE_CONV2D = 2,
  XAI_OPTS_POOL2D = 5,
  XAI_OPTS_SVDF = 6,
  XAI_OPTS_FULLY_CONNECTED = 8,
  XAI_OPTS_SOFTMAX = 9,
  XAI_OPTS_CONCATENATION = 10,
  XAI_OPTS_ADD = 11,
  XAI_OPTS_L2NORM = 12,
  XAI_OPTS_LSTM = 14,
  XAI_OPTS_RESIZE_BILINEAR = 15,
  XAI_OPTS_CALL = 16,
  XAI_OPTS_RESHAPE = 17,
  XAI_OPTS_MUL = 21,
  XAI_OPTS_PAD = 22,
  XAI_OPTS_GATHER = 23,
  XAI_OPTS_TRANSPOSE = 26,
  XAI_OPTS_REDUCER = 27,
  XAI_OPTS_SUB = 28,
  XAI_OPTS_DIV = 29,
  XAI_OPTS_SQUEEZE = 30,
  XAI_OPTS_STRIDED_SLICE = 32,
  XAI_OPTS_SPLIT = 35,
  XAI_OPTS_CAST = 37,
  XAI_OPTS_DEQUANTIZE = 38,
  XAI_OPTS_MAXIMUM_MINIMUM = 39,
  XAI_OPTS_ARG_MAX = 40,
  XAI_OPTS_PADV2 = 43,
  XAI_OPTS_SLICE = 48,
  XAI_OPTS_TRANSPOSE_CONV = 49,
  XAI_OPTS_EXPAND_DIMS = 52,
  XAI_OPTS_SHAPE = 55,
  XAI_OPTS_PACK = 59,
  XAI_OPTS_UNPACK = 64,
  XAI_OPTS_UNIDIRECTIONAL_SEQUENCE_LSTM = 71,
  XAI_OPTS_RESIZE_NEAREST_NEIGHBOR = 74,
  XAI_OPTS_LEAKY_RELU = 75,
  XAI_OPTS_SPLIT_V = 79,
  XAI_OPTS_QUANTIZE = 89,
  XAI_OPTS_HARD_SWISH = 91,
  XAI_OPTS_IF = 92,
  XAI_OPTS_WHILE = 93,
  XAI_OPTS_BATCH_MATMUL = 101,
  XAI_OPTS_CALL_ONCE = 103,
  XAI_OPTS_VAR_HANDLE = 111,
  XAI_OPTS_READ_VARIABLE = 112,
  XAI_OPTS_ASSIGN_VARIABLE = 113,
  /* Tables of the ops in the second XAI_OP_ enum. */
  XAI_OPTS_SPACE_TO_DEPTH = 19, XAI_OPTS_BATCH_TO_SPACE_ND = 24,
  XAI_OPTS_SPACE_TO_BATCH_ND = 25, XAI_OPTS_EXP = 33,
  XAI_OPTS_LOG_SOFTMAX = 36, XAI_OPTS_LESS = 41, XAI_OPTS_NEG = 42,
  XAI_OPTS_GREATER = 44, XAI_OPTS_GREATER_EQUAL = 45,
  XAI_OPTS_LESS_EQUAL = 46, XAI_OPTS_EQUAL = 53, XAI_OPTS_NOT_EQUAL = 54,
  XAI_OPTS_ARG_MIN = 57, XAI_OPTS_LOGICAL_OR = 60, XAI_OPTS_LOGICAL_AND = 62,
  XAI_OPTS_LOGICAL_NOT = 63, XAI_OPTS_FLOOR_DIV = 65, XAI_OPTS_SQUARE = 66,
  XAI_OPTS_ZEROS_LIKE = 67, XAI_OPTS_FILL = 68, XAI_OPTS_FLOOR_MOD = 72,
  XAI_OPTS_SQUARED_DIFFERENCE = 76, XAI_OPTS_MIRROR_PAD = 77,
  XAI_OPTS_ABS = 78, XAI_OPTS_REVERSE_V2 = 81, XAI_OPTS_ADD_N = 82,
  XAI_OPTS_GATHER_ND = 83, XAI_OPTS_COS = 84, XAI_OPTS_DEPTH_TO_SPACE = 94,
  XAI_OPTS_SELECT_V2 = 98, XAI_OPTS_CUMSUM = 102,
  XAI_OPTS_BROADCAST_TO = 104, XAI_OPTS_DYNAMIC_UPDATE_SLICE = 117,
} xai_options_type;

#define XAI_MAX_OPTION_INTS 8 /* longest int vector option we keep */

typedef struct {
  int8_t padding;
  int32_t stride_w, stride_h;
  int8_t fused_activation_function;
  int32_t dilation_w_factor, dilation_h_factor; /* default 1 */
  int8_t quantized_bias_type;
} xai_conv2d_options;

typedef struct {
  int8_t padding;
  int32_t stride_w, stride_h;
  int32_t depth_multiplier;
  int8_t fused_activation_function;
  int32_t dilation_w_factor, dilation_h_factor; /* default 1 */
} xai_depthwise_conv2d_options;

typedef struct {
  int8_t padding;
  int32_t stride_w, stride_h, filter_width, filter_height;
  int8_t fused_activation_function;
} xai_pool2d_options;

typedef struct {
  int32_t rank;
  int8_t fused_activation_function;
  bool asymmetric_quantize_inputs;
} xai_svdf_options;

typedef struct {
  int8_t fused_activation_function;
  int8_t weights_format;
  bool keep_num_dims;
  bool asymmetric_quantize_inputs;
  int8_t quantized_bias_type;
} xai_fully_connected_options;

typedef struct { float beta; } xai_softmax_options;
typedef struct {
  int32_t axis;
  int8_t fused_activation_function;
} xai_concatenation_options;
typedef struct {
  int8_t fused_activation_function;
  bool pot_scale_int16; /* default true */
} xai_add_sub_options;   /* AddOptions and SubOptions share a layout */
typedef struct { int8_t fused_activation_function; } xai_activation_options;
typedef struct {
  int8_t fused_activation_function;
  float cell_clip, proj_clip;
  int8_t kernel_type;
  bool asymmetric_quantize_inputs;
} xai_lstm_options;
typedef struct {
  int8_t fused_activation_function;
  float cell_clip, proj_clip;
  bool time_major;
  bool asymmetric_quantize_inputs;
  bool diagonal_recurrent_tensors;
} xai_unidirectional_sequence_lstm_options;
typedef struct {
  int32_t new_height, new_width; /* deprecated, kept for round trips */
  bool align_corners, half_pixel_centers;
} xai_resize_bilinear_options;
typedef struct {
  bool align_corners, half_pixel_centers;
} xai_resize_nearest_neighbor_options;
typedef struct { uint32_t subgraph; } xai_call_options;
typedef struct {
  int32_t count; /* -1: the field is absent (differs from an empty list) */
  int32_t values[XAI_MAX_OPTION_INTS];
} xai_int_list;
typedef struct { xai_int_list new_shape; } xai_reshape_options;
typedef struct { int32_t axis, batch_dims; } xai_gather_options;
typedef struct { bool keep_dims; } xai_reducer_options;
typedef struct { xai_int_list squeeze_dims; } xai_squeeze_options;
typedef struct {
  int32_t begin_mask, end_mask, ellipsis_mask, new_axis_mask,
      shrink_axis_mask;
  bool offset;
} xai_strided_slice_options;
typedef struct { int32_t num_splits; } xai_split_options; /* SPLIT, SPLIT_V */
typedef struct { int8_t in_data_type, out_data_type; } xai_cast_options;
typedef struct { int8_t output_type; } xai_arg_max_options;
typedef struct {
  int8_t padding;
  int32_t stride_w, stride_h;
  int8_t fused_activation_function;
  int8_t quantized_bias_type;
} xai_transpose_conv_options;
typedef struct { int8_t out_type; } xai_shape_options;
typedef struct { int32_t values_count, axis; } xai_pack_options;
typedef struct { int32_t num, axis; } xai_unpack_options;
typedef struct { float alpha; } xai_leaky_relu_options;
typedef struct {
  int32_t then_subgraph_index, else_subgraph_index;
} xai_if_options;
typedef struct {
  int32_t cond_subgraph_index, body_subgraph_index;
} xai_while_options;
typedef struct {
  bool adj_x, adj_y, asymmetric_quantize_inputs;
} xai_batch_matmul_options;
typedef struct { int32_t init_subgraph_index; } xai_call_once_options;
/* VarHandleOptions' strings (NULL when absent). Decoded, they point into
 * the model bytes (flatbuffer strings end in NUL), so they are valid while
 * those bytes are, as borrowed buffers are. The pointers are kept as bytes
 * so xai_options keeps its 4-byte alignment and size (one sits in every
 * interpreter): use xai_opt_str / xai_opt_str_set. */
typedef struct {
  unsigned char container[sizeof(const char *)];
  unsigned char shared_name[sizeof(const char *)];
} xai_var_handle_options;
static inline const char *xai_opt_str(const unsigned char *slot) {
  const char *s;
  memcpy(&s, slot, sizeof s);
  return s;
}
static inline void xai_opt_str_set(unsigned char *slot, const char *s) {
  memcpy(slot, &s, sizeof s);
}
typedef struct { int32_t block_size; } xai_block_size_options; /* S2D, D2S */
typedef struct { int8_t mode; } xai_mirror_pad_options; /* 0 REFLECT, 1 SYMMETRIC */
typedef struct { bool exclusive, reverse; } xai_cumsum_options;

typedef struct {
  uint8_t type; /* xai_options_type; tables without fields decode to type only */
  union {
    xai_conv2d_options conv2d;
    xai_depthwise_conv2d_options depthwise_conv2d;
    xai_pool2d_options pool2d;
    xai_svdf_options svdf;
    xai_fully_connected_options fully_connected;
    xai_softmax_options softmax;
    xai_concatenation_options concatenation;
    xai_add_sub_options add, sub;
    xai_activation_options mul, div, l2norm;
    xai_lstm_options lstm;
    xai_unidirectional_sequence_lstm_options unidirectional_sequence_lstm;
    xai_resize_bilinear_options resize_bilinear;
    xai_resize_nearest_neighbor_options resize_nearest_neighbor;
    xai_call_options call;
    xai_reshape_options reshape;
    xai_gather_options gather;
    xai_reducer_options reducer;
    xai_squeeze_options squeeze;
    xai_strided_slice_options strided_slice;
    xai_split_options split;
    xai_cast_options cast;
    xai_arg_max_options arg_max;
    xai_transpose_conv_options transpose_conv;
    xai_shape_options shape;
    xai_pack_options pack;
    xai_unpack_options unpack;
    xai_leaky_relu_options leaky_relu;
    xai_if_options if_;
    xai_while_options while_;
    xai_batch_matmul_options batch_matmul;
    xai_call_once_options call_once;
    xai_var_handle_options var_handle;
    xai_block_size_options space_to_depth, depth_to_space;
    xai_arg_max_options arg_min;
    xai_mirror_pad_options mirror_pad;
    xai_cumsum_options cumsum;
  } u;
} xai_options;

/* Name of the options table ("Conv2DOptions"), NULL if not supported. */
const char *xai_options_type_name(uint8_t type);
/* Name of any BuiltinOptions union member by type, NULL past the list. */
const char *xai_options_union_name(uint8_t type);
/* Whether builtin op `code` may carry options of union type `type`: its own
 * table, or none (read as the table's defaults, as TFLite does). *expected
 * (may be NULL) gets the op's table, 0 for an op that has none. Codes that
 * are not TFLite builtins give true (options_expected.c). */
bool xai_builtin_options_ok(int32_t code, uint8_t type, uint8_t *expected);
/* Whether `code` is a TFLite builtin this list knows. */
bool xai_builtin_options_known(int32_t code);

/* Prints the options as "name=value name=value ..." (for inspect / errors).
 * json != 0 gives a JSON object body instead ("\"name\": value, ..."). */
void xai_options_format(const xai_options *opts, int json, char *out,
                        size_t out_size);

#ifdef __cplusplus
}
#endif

#endif
