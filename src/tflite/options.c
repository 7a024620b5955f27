/* Builtin options descriptors: one row per modelled options table, one field
 * per vtable slot in schema.fbs order (the position is the field id), with
 * the schema default. Decoding and printing are driven by these rows, and
 * the builder encodes with the same rows, so the three cannot disagree. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "flatbuffer_internal.h"
#include "options_internal.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
/* Offset of a member inside the options union (all members start at 0). */
#define OFF(member) \
  ((uint16_t)(offsetof(xai_options, u.member) - offsetof(xai_options, u)))
#define F_BOOL(n, m, d) {n, XAI_FIELD_BOOL, OFF(m), d, 0.0f}
#define F_I8(n, m, d) {n, XAI_FIELD_I8, OFF(m), d, 0.0f}
#define F_I32(n, m, d) {n, XAI_FIELD_I32, OFF(m), d, 0.0f}
#define F_U32(n, m) {n, XAI_FIELD_U32, OFF(m), 0, 0.0f}
#define F_F32(n, m, d) {n, XAI_FIELD_F32, OFF(m), 0, d}
#define F_LIST(n, m) {n, XAI_FIELD_INT_LIST, OFF(m), -1, 0.0f}
#define F_STR(n, m) {n, XAI_FIELD_STRING, OFF(m), 0, 0.0f}

static const xai_option_field k_var_handle[] = {
    F_STR("container", var_handle.container),
    F_STR("shared_name", var_handle.shared_name),
};
static const xai_option_field k_conv2d[] = {
    F_I8("padding", conv2d.padding, 0),
    F_I32("stride_w", conv2d.stride_w, 0),
    F_I32("stride_h", conv2d.stride_h, 0),
    F_I8("fused_activation_function", conv2d.fused_activation_function, 0),
    F_I32("dilation_w_factor", conv2d.dilation_w_factor, 1),
    F_I32("dilation_h_factor", conv2d.dilation_h_factor, 1),
    F_I8("quantized_bias_type", conv2d.quantized_bias_type, 0),
};
static const xai_option_field k_depthwise[] = {
    F_I8("padding", depthwise_conv2d.padding, 0),
    F_I32("stride_w", depthwise_conv2d.stride_w, 0),
    F_I32("stride_h", depthwise_conv2d.stride_h, 0),
    F_I32("depth_multiplier", depthwise_conv2d.depth_multiplier, 0),
    F_I8("fused_activation_function",
         depthwise_conv2d.fused_activation_function, 0),
    F_I32("dilation_w_factor", depthwise_conv2d.dilation_w_factor, 1),
    F_I32("dilation_h_factor", depthwise_conv2d.dilation_h_factor, 1),
};
static const xai_option_field k_pool2d[] = {
    F_I8("padding", pool2d.padding, 0),
    F_I32("stride_w", pool2d.stride_w, 0),
    F_I32("stride_h", pool2d.stride_h, 0),
    F_I32("filter_width", pool2d.filter_width, 0),
    F_I32("filter_height", pool2d.filter_height, 0),
    F_I8("fused_activation_function", pool2d.fused_activation_function, 0),
};
static const xai_option_field k_svdf[] = {
    F_I32("rank", svdf.rank, 0),
    F_I8("fused_activation_function", svdf.fused_activation_function, 0),
    F_BOOL("asymmetric_quantize_inputs", svdf.asymmetric_quantize_inputs, 0),
};
static const xai_option_field k_fully_connected[] = {
    F_I8("fused_activation_function",
         fully_connected.fused_activation_function, 0),
    F_I8("weights_format", fully_connected.weights_format, 0),
    F_BOOL("keep_num_dims", fully_connected.keep_num_dims, 0),
    F_BOOL("asymmetric_quantize_inputs",
           fully_connected.asymmetric_quantize_inputs, 0),
    F_I8("quantized_bias_type", fully_connected.quantized_bias_type, 0),
};
static const xai_option_field k_softmax[] = {
    F_F32("beta", softmax.beta, 0.0f),
};
static const xai_option_field k_concatenation[] = {
    F_I32("axis", concatenation.axis, 0),
    F_I8("fused_activation_function",
         concatenation.fused_activation_function, 0),
};
static const xai_option_field k_add[] = {
    F_I8("fused_activation_function", add.fused_activation_function, 0),
    F_BOOL("pot_scale_int16", add.pot_scale_int16, 1),
};
static const xai_option_field k_sub[] = {
    F_I8("fused_activation_function", sub.fused_activation_function, 0),
    F_BOOL("pot_scale_int16", sub.pot_scale_int16, 1),
};
static const xai_option_field k_l2norm[] = {
    F_I8("fused_activation_function", l2norm.fused_activation_function, 0),
};
static const xai_option_field k_mul[] = {
    F_I8("fused_activation_function", mul.fused_activation_function, 0),
};
static const xai_option_field k_div[] = {
    F_I8("fused_activation_function", div.fused_activation_function, 0),
};
static const xai_option_field k_lstm[] = {
    F_I8("fused_activation_function", lstm.fused_activation_function, 0),
    F_F32("cell_clip", lstm.cell_clip, 0.0f),
    F_F32("proj_clip", lstm.proj_clip, 0.0f),
    F_I8("kernel_type", lstm.kernel_type, 0),
    F_BOOL("asymmetric_quantize_inputs", lstm.asymmetric_quantize_inputs, 0),
};
static const xai_option_field k_uni_lstm[] = {
    F_I8("fused_activation_function",
         unidirectional_sequence_lstm.fused_activation_function, 0),
    F_F32("cell_clip", unidirectional_sequence_lstm.cell_clip, 0.0f),
    F_F32("proj_clip", unidirectional_sequence_lstm.proj_clip, 0.0f),
    F_BOOL("time_major", unidirectional_sequence_lstm.time_major, 0),
    F_BOOL("asymmetric_quantize_inputs",
           unidirectional_sequence_lstm.asymmetric_quantize_inputs, 0),
    F_BOOL("diagonal_recurrent_tensors",
           unidirectional_sequence_lstm.diagonal_recurrent_tensors, 0),
};
/* new_height/new_width are deprecated in the schema but keep their slots. */
static const xai_option_field k_resize_bilinear[] = {
    F_I32("new_height", resize_bilinear.new_height, 0),
    F_I32("new_width", resize_bilinear.new_width, 0),
    F_BOOL("align_corners", resize_bilinear.align_corners, 0),
    F_BOOL("half_pixel_centers", resize_bilinear.half_pixel_centers, 0),
};
static const xai_option_field k_resize_nearest[] = {
    F_BOOL("align_corners", resize_nearest_neighbor.align_corners, 0),
    F_BOOL("half_pixel_centers", resize_nearest_neighbor.half_pixel_centers,
           0),
};
static const xai_option_field k_call[] = {
    F_U32("subgraph", call.subgraph),
};
static const xai_option_field k_reshape[] = {
    F_LIST("new_shape", reshape.new_shape),
};
static const xai_option_field k_gather[] = {
    F_I32("axis", gather.axis, 0),
    F_I32("batch_dims", gather.batch_dims, 0),
};
static const xai_option_field k_reducer[] = {
    F_BOOL("keep_dims", reducer.keep_dims, 0),
};
static const xai_option_field k_squeeze[] = {
    F_LIST("squeeze_dims", squeeze.squeeze_dims),
};
static const xai_option_field k_strided_slice[] = {
    F_I32("begin_mask", strided_slice.begin_mask, 0),
    F_I32("end_mask", strided_slice.end_mask, 0),
    F_I32("ellipsis_mask", strided_slice.ellipsis_mask, 0),
    F_I32("new_axis_mask", strided_slice.new_axis_mask, 0),
    F_I32("shrink_axis_mask", strided_slice.shrink_axis_mask, 0),
    F_BOOL("offset", strided_slice.offset, 0),
};
static const xai_option_field k_split[] = {
    F_I32("num_splits", split.num_splits, 0),
};
static const xai_option_field k_cast[] = {
    F_I8("in_data_type", cast.in_data_type, 0),
    F_I8("out_data_type", cast.out_data_type, 0),
};
static const xai_option_field k_arg_max[] = {
    F_I8("output_type", arg_max.output_type, 0),
};
static const xai_option_field k_transpose_conv[] = {
    F_I8("padding", transpose_conv.padding, 0),
    F_I32("stride_w", transpose_conv.stride_w, 0),
    F_I32("stride_h", transpose_conv.stride_h, 0),
    F_I8("fused_activation_function",
         transpose_conv.fused_activation_function, 0),
    F_I8("quantized_bias_type", transpose_conv.quantized_bias_type, 0),
};
static const xai_option_field k_shape[] = {
    F_I8("out_type", shape.out_type, 0),
};
static const xai_option_field k_pack[] = {
    F_I32("values_count", pack.values_count, 0),
    F_I32("axis", pack.axis, 0),
};
static const xai_option_field k_unpack[] = {
    F_I32("num", unpack.num, 0),
    F_I32("axis", unpack.axis, 0),
};
static const xai_option_field k_leaky_relu[] = {
    F_F32("alpha", leaky_relu.alpha, 0.0f),
};
static const xai_option_field k_if[] = {
    F_I32("then_subgraph_index", if_.then_subgraph_index, 0),
    F_I32("else_subgraph_index", if_.else_subgraph_index, 0),
};
static const xai_option_field k_while[] = {
    F_I32("cond_subgraph_index", while_.cond_subgraph_index, 0),
    F_I32("body_subgraph_index", while_.body_subgraph_index, 0),
};
static const xai_option_field k_batch_matmul[] = {
    F_BOOL("adj_x", batch_matmul.adj_x, 0),
    F_BOOL("adj_y", batch_matmul.adj_y, 0),
    F_BOOL("asymmetric_quantize_inputs",
           batch_matmul.asymmetric_quantize_inputs, 0),
};
static const xai_option_field k_call_once[] = {
    F_I32("init_subgraph_index", call_once.init_subgraph_index, 0),
};

static const xai_option_field k_space_to_depth[] = {
    F_I32("block_size", space_to_depth.block_size, 0),
};
static const xai_option_field k_depth_to_space[] = {
    F_I32("block_size", depth_to_space.block_size, 0),
};
static const xai_option_field k_arg_min[] = {
    F_I8("output_type", arg_min.output_type, 0),
};
static const xai_option_field k_mirror_pad[] = {
    F_I8("mode", mirror_pad.mode, 0),
};
static const xai_option_field k_cumsum[] = {
    F_BOOL("exclusive", cumsum.exclusive, 0),
    F_BOOL("reverse", cumsum.reverse, 0),
};

#define DESC(t, n, f) {t, n, (uint8_t)COUNT(f), f}
#define EMPTY(t, n) {t, n, 0, NULL}

static const xai_options_desc k_descs[] = {
    DESC(XAI_OPTS_CONV2D, "Conv2DOptions", k_conv2d),
    DESC(XAI_OPTS_DEPTHWISE_CONV2D, "DepthwiseConv2DOptions", k_depthwise),
    DESC(XAI_OPTS_POOL2D, "Pool2DOptions", k_pool2d),
    DESC(XAI_OPTS_SVDF, "SVDFOptions", k_svdf),
    DESC(XAI_OPTS_FULLY_CONNECTED, "FullyConnectedOptions", k_fully_connected),
    DESC(XAI_OPTS_SOFTMAX, "SoftmaxOptions", k_softmax),
    DESC(XAI_OPTS_CONCATENATION, "ConcatenationOptions", k_concatenation),
    DESC(XAI_OPTS_ADD, "AddOptions", k_add),
    DESC(XAI_OPTS_L2NORM, "L2NormOptions", k_l2norm),
    DESC(XAI_OPTS_LSTM, "LSTMOptions", k_lstm),
    DESC(XAI_OPTS_RESIZE_BILINEAR, "ResizeBilinearOptions", k_resize_bilinear),
    DESC(XAI_OPTS_CALL, "CallOptions", k_call),
    DESC(XAI_OPTS_RESHAPE, "ReshapeOptions", k_reshape),
    DESC(XAI_OPTS_MUL, "MulOptions", k_mul),
    EMPTY(XAI_OPTS_PAD, "PadOptions"),
    DESC(XAI_OPTS_GATHER, "GatherOptions", k_gather),
    EMPTY(XAI_OPTS_TRANSPOSE, "TransposeOptions"),
    DESC(XAI_OPTS_REDUCER, "ReducerOptions", k_reducer),
    DESC(XAI_OPTS_SUB, "SubOptions", k_sub),
    DESC(XAI_OPTS_DIV, "DivOptions", k_div),
    DESC(XAI_OPTS_SQUEEZE, "SqueezeOptions", k_squeeze),
    DESC(XAI_OPTS_STRIDED_SLICE, "StridedSliceOptions", k_strided_slice),
    DESC(XAI_OPTS_SPLIT, "SplitOptions", k_split),
    DESC(XAI_OPTS_CAST, "CastOptions", k_cast),
    EMPTY(XAI_OPTS_DEQUANTIZE, "DequantizeOptions"),
    EMPTY(XAI_OPTS_MAXIMUM_MINIMUM, "MaximumMinimumOptions"),
    DESC(XAI_OPTS_ARG_MAX, "ArgMaxOptions", k_arg_max),
    EMPTY(XAI_OPTS_PADV2, "PadV2Options"),
    EMPTY(XAI_OPTS_SLICE, "SliceOptions"),
    DESC(XAI_OPTS_TRANSPOSE_CONV, "TransposeConvOptions", k_transpose_conv),
    EMPTY(XAI_OPTS_EXPAND_DIMS, "ExpandDimsOptions"),
    DESC(XAI_OPTS_SHAPE, "ShapeOptions", k_shape),
    DESC(XAI_OPTS_PACK, "PackOptions", k_pack),
    DESC(XAI_OPTS_UNPACK, "UnpackOptions", k_unpack),
    DESC(XAI_OPTS_UNIDIRECTIONAL_SEQUENCE_LSTM,
         "UnidirectionalSequenceLSTMOptions", k_uni_lstm),
    DESC(XAI_OPTS_RESIZE_NEAREST_NEIGHBOR, "ResizeNearestNeighborOptions",
         k_resize_nearest),
    DESC(XAI_OPTS_LEAKY_RELU, "LeakyReluOptions", k_leaky_relu),
    DESC(XAI_OPTS_SPLIT_V, "SplitVOptions", k_split),
    EMPTY(XAI_OPTS_QUANTIZE, "QuantizeOptions"),
    EMPTY(XAI_OPTS_HARD_SWISH, "HardSwishOptions"),
    DESC(XAI_OPTS_IF, "IfOptions", k_if),
    DESC(XAI_OPTS_WHILE, "WhileOptions", k_while),
    DESC(XAI_OPTS_BATCH_MATMUL, "BatchMatMulOptions", k_batch_matmul),
    DESC(XAI_OPTS_CALL_ONCE, "CallOnceOptions", k_call_once),
    DESC(XAI_OPTS_VAR_HANDLE, "VarHandleOptions", k_var_handle),
    EMPTY(XAI_OPTS_READ_VARIABLE, "ReadVariableOptions"),
    EMPTY(XAI_OPTS_ASSIGN_VARIABLE, "AssignVariableOptions"),
    DESC(XAI_OPTS_SPACE_TO_DEPTH, "SpaceToDepthOptions", k_space_to_depth),
    DESC(XAI_OPTS_DEPTH_TO_SPACE, "DepthToSpaceOptions", k_depth_to_space),
    DESC(XAI_OPTS_ARG_MIN, "ArgMinOptions", k_arg_min),
    DESC(XAI_OPTS_MIRROR_PAD, "MirrorPadOptions", k_mirror_pad),
    DESC(XAI_OPTS_CUMSUM, "CumsumOptions", k_cumsum),
    EMPTY(XAI_OPTS_BATCH_TO_SPACE_ND, "BatchToSpaceNDOptions"),
    EMPTY(XAI_OPTS_SPACE_TO_BATCH_ND, "SpaceToBatchNDOptions"),
    EMPTY(XAI_OPTS_EXP, "ExpOptions"),
    EMPTY(XAI_OPTS_LOG_SOFTMAX, "LogSoftmaxOptions"),
    EMPTY(XAI_OPTS_LESS, "LessOptions"),
    EMPTY(XAI_OPTS_NEG, "NegOptions"),
    EMPTY(XAI_OPTS_GREATER, "GreaterOptions"),
    EMPTY(XAI_OPTS_GREATER_EQUAL, "GreaterEqualOptions"),
    EMPTY(XAI_OPTS_LESS_EQUAL, "LessEqualOptions"),
    EMPTY(XAI_OPTS_EQUAL, "EqualOptions"),
    EMPTY(XAI_OPTS_NOT_EQUAL, "NotEqualOptions"),
    EMPTY(XAI_OPTS_LOGICAL_OR, "LogicalOrOptions"),
    EMPTY(XAI_OPTS_LOGICAL_AND, "LogicalAndOptions"),
    EMPTY(XAI_OPTS_LOGICAL_NOT, "LogicalNotOptions"),
    EMPTY(XAI_OPTS_FLOOR_DIV, "FloorDivOptions"),
    EMPTY(XAI_OPTS_SQUARE, "SquareOptions"),
    EMPTY(XAI_OPTS_ZEROS_LIKE, "ZerosLikeOptions"),
    EMPTY(XAI_OPTS_FILL, "FillOptions"),
    EMPTY(XAI_OPTS_FLOOR_MOD, "FloorModOptions"),
    EMPTY(XAI_OPTS_SQUARED_DIFFERENCE, "SquaredDifferenceOptions"),
    EMPTY(XAI_OPTS_ABS, "AbsOptions"),
    EMPTY(XAI_OPTS_REVERSE_V2, "ReverseV2Options"),
    EMPTY(XAI_OPTS_ADD_N, "AddNOptions"),
    EMPTY(XAI_OPTS_GATHER_ND, "GatherNdOptions"),
    EMPTY(XAI_OPTS_COS, "CosOptions"),
    EMPTY(XAI_OPTS_SELECT_V2, "SelectV2Options"),
    EMPTY(XAI_OPTS_BROADCAST_TO, "BroadcastToOptions"),
    EMPTY(XAI_OPTS_DYNAMIC_UPDATE_SLICE, "DynamicUpdateSliceOptions"),
};

/* Every member of the BuiltinOptions union, by union type (schema.fbs). */
static const char *const k_union_names[] = {
    NULL, "Conv2DOptions", "DepthwiseConv2DOptions",
    "ConcatEmbeddingsOptions", "LSHProjectionOptions", "Pool2DOptions",
    "SVDFOptions", "RNNOptions", "FullyConnectedOptions", "SoftmaxOptions",
    "ConcatenationOptions", "AddOptions", "L2NormOptions",
    "LocalResponseNormalizationOptions", "LSTMOptions",
    "ResizeBilinearOptions", "CallOptions", "ReshapeOptions",
    "SkipGramOptions", "SpaceToDepthOptions", "EmbeddingLookupSparseOptions",
    "MulOptions", "PadOptions", "GatherOptions", "BatchToSpaceNDOptions",
    "SpaceToBatchNDOptions", "TransposeOptions", "ReducerOptions",
    "SubOptions", "DivOptions", "SqueezeOptions", "SequenceRNNOptions",
    "StridedSliceOptions", "ExpOptions", "TopKV2Options", "SplitOptions",
    "LogSoftmaxOptions", "CastOptions", "DequantizeOptions",
    "MaximumMinimumOptions", "ArgMaxOptions", "LessOptions", "NegOptions",
    "PadV2Options", "GreaterOptions", "GreaterEqualOptions",
    "LessEqualOptions", "SelectOptions", "SliceOptions",
    "TransposeConvOptions", "SparseToDenseOptions", "TileOptions",
    "ExpandDimsOptions", "EqualOptions", "NotEqualOptions", "ShapeOptions",
    "PowOptions", "ArgMinOptions", "FakeQuantOptions", "PackOptions",
    "LogicalOrOptions", "OneHotOptions", "LogicalAndOptions",
    "LogicalNotOptions", "UnpackOptions", "FloorDivOptions", "SquareOptions",
    "ZerosLikeOptions", "FillOptions", "BidirectionalSequenceLSTMOptions",
    "BidirectionalSequenceRNNOptions", "UnidirectionalSequenceLSTMOptions",
    "FloorModOptions", "RangeOptions", "ResizeNearestNeighborOptions",
    "LeakyReluOptions", "SquaredDifferenceOptions", "MirrorPadOptions",
    "AbsOptions", "SplitVOptions", "UniqueOptions", "ReverseV2Options",
    "AddNOptions", "GatherNdOptions", "CosOptions", "WhereOptions",
    "RankOptions", "ReverseSequenceOptions", "MatrixDiagOptions",
    "QuantizeOptions", "MatrixSetDiagOptions", "HardSwishOptions",
    "IfOptions", "WhileOptions", "DepthToSpaceOptions",
    "NonMaxSuppressionV4Options", "NonMaxSuppressionV5Options",
    "ScatterNdOptions", "SelectV2Options", "DensifyOptions",
    "SegmentSumOptions", "BatchMatMulOptions", "CumsumOptions",
    "CallOnceOptions", "BroadcastToOptions", "Rfft2dOptions", "Conv3DOptions",
    "HashtableOptions", "HashtableFindOptions", "HashtableImportOptions",
    "HashtableSizeOptions", "VarHandleOptions", "ReadVariableOptions",
    "AssignVariableOptions", "RandomOptions", "BucketizeOptions",
    "GeluOptions", "DynamicUpdateSliceOptions", "UnsortedSegmentProdOptions",
    "UnsortedSegmentMaxOptions", "UnsortedSegmentMinOptions",
    "UnsortedSegmentSumOptions", "ATan2Options", "SignOptions",
    "BitcastOptions", "BitwiseXorOptions", "RightShiftOptions",
};

const xai_options_desc *xai_options_descriptor(uint8_t type) {
  for (size_t i = 0; i < COUNT(k_descs); i++)
    if (k_descs[i].type == type) return &k_descs[i];
  return NULL;
}

const char *xai_options_type_name(uint8_t type) {
  const xai_options_desc *d = xai_options_descriptor(type);
  return d ? d->name : NULL;
}

const char *xai_options_union_name(uint8_t type) {
  return type < COUNT(k_union_names) ? k_union_names[type] : NULL;
}

static void *member(xai_options *opts, const xai_option_field *f) {
  return (uint8_t *)&opts->u + f->offset;
}

static const void *cmember(const xai_options *opts,
                           const xai_option_field *f) {
  return (const uint8_t *)&opts->u + f->offset;
}

void xai_options_set_defaults(xai_options *opts, uint8_t type) {
  memset(opts, 0, sizeof *opts);
  opts->type = type;
  const xai_options_desc *d = xai_options_descriptor(type);
  if (!d) return;
  for (unsigned i = 0; i < d->field_count; i++) {
    const xai_option_field *f = &d->fields[i];
    void *p = member(opts, f);
    switch (f->kind) {
      case XAI_FIELD_BOOL: *(bool *)p = f->default_int != 0; break;
      case XAI_FIELD_I8: *(int8_t *)p = (int8_t)f->default_int; break;
      case XAI_FIELD_I32: *(int32_t *)p = f->default_int; break;
      case XAI_FIELD_U32: *(uint32_t *)p = (uint32_t)f->default_int; break;
      case XAI_FIELD_F32: *(float *)p = f->default_float; break;
      case XAI_FIELD_INT_LIST: ((xai_int_list *)p)->count = -1; break;
      case XAI_FIELD_STRING: xai_opt_str_set(p, NULL); break;
    }
  }
}

xai_status xai_options_decode(const uint8_t *data, uint32_t table,
                              uint8_t type, xai_options *out,
                              xai_error *err) {
  const xai_options_desc *d = xai_options_descriptor(type);
  if (!d) {
    memset(out, 0, sizeof *out);
    out->type = type;
    const char *name = xai_options_union_name(type);
    if (name)
      return xai_fail(err, XAI_ERR_UNSUPPORTED,
                      "builtin options %s (union type %u) are not supported",
                      name, type);
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "builtin options union type %u is not in the schema "
                    "this reader knows",
                    type);
  }
  xai_options_set_defaults(out, type);
  if (!table) return XAI_OK;
  for (unsigned i = 0; i < d->field_count; i++) {
    const xai_option_field *f = &d->fields[i];
    uint32_t p = xai_fb_field(data, table, i);
    if (!p) continue;
    void *m = member(out, f);
    switch (f->kind) {
      case XAI_FIELD_BOOL: *(bool *)m = data[p] != 0; break;
      case XAI_FIELD_I8: *(int8_t *)m = (int8_t)data[p]; break;
      case XAI_FIELD_I32: *(int32_t *)m = xai_fb_i32(data + p); break;
      case XAI_FIELD_U32: *(uint32_t *)m = xai_fb_u32(data + p); break;
      case XAI_FIELD_F32: *(float *)m = xai_fb_f32(data + p); break;
      case XAI_FIELD_INT_LIST: {
        xai_int_list *l = m;
        uint32_t v = xai_fb_deref(data, p);
        uint32_t n = xai_fb_vec_len(data, v);
        if (n > XAI_MAX_OPTION_INTS)
          return xai_fail(err, XAI_ERR_UNSUPPORTED,
                          "%s.%s has %u values; at most %d are supported",
                          d->name, f->name, n, XAI_MAX_OPTION_INTS);
        l->count = (int32_t)n;
        for (uint32_t k = 0; k < n; k++)
          l->values[k] = xai_fb_i32(data + v + 4 + 4 * k);
        break;
      }
      case XAI_FIELD_STRING:
        /* The reader checked the string and its terminating NUL. */
        xai_opt_str_set(m, (const char *)data + xai_fb_deref(data, p) + 4);
        break;
    }
  }
  return XAI_OK;
}

/* Appends to out without overflowing; output is truncated when full. */
typedef struct {
  char *buf;
  size_t size, len;
} text;

static void put(text *t, const char *fmt, ...) XAI_PRINTF(2, 3);
static void put(text *t, const char *fmt, ...) {
  if (t->len + 1 >= t->size) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(t->buf + t->len, t->size - t->len, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  t->len += (size_t)n;
  if (t->len >= t->size) t->len = t->size - 1;
}

static void put_value(text *t, const xai_options *opts,
                      const xai_option_field *f, int json) {
  const void *p = cmember(opts, f);
  switch (f->kind) {
    case XAI_FIELD_BOOL: put(t, "%s", *(const bool *)p ? "true" : "false"); break;
    case XAI_FIELD_I8: put(t, "%d", *(const int8_t *)p); break;
    case XAI_FIELD_I32: put(t, "%d", (int)*(const int32_t *)p); break;
    case XAI_FIELD_U32: put(t, "%u", (unsigned)*(const uint32_t *)p); break;
    case XAI_FIELD_F32: {
      float v = *(const float *)p;
      /* JSON has no NaN or infinity literals. */
      if (json && !isfinite(v))
        put(t, "null");
      else
        put(t, "%.9g", (double)v);
      break;
    }
    case XAI_FIELD_INT_LIST: {
      const xai_int_list *l = p;
      if (l->count < 0) {
        put(t, "%s", json ? "null" : "none");
        break;
      }
      int n = l->count > XAI_MAX_OPTION_INTS ? XAI_MAX_OPTION_INTS : l->count;
      put(t, "[");
      for (int i = 0; i < n; i++)
        put(t, "%s%d", i ? (json ? ", " : ",") : "", (int)l->values[i]);
      put(t, "]");
      break;
    }
    case XAI_FIELD_STRING: {
      /* Quoted in both forms; JSON-escape the two characters that need it
       * and drop other control bytes. */
      put(t, "\"");
      for (const char *c = xai_opt_str(p); c && *c; c++) {
        if (*c == '"' || *c == '\\') put(t, "\\%c", *c);
        else if ((unsigned char)*c >= 0x20) put(t, "%c", *c);
      }
      put(t, "\"");
      break;
    }
  }
}

void xai_options_format(const xai_options *opts, int json, char *out,
                        size_t out_size) {
  if (!out || out_size == 0) return;
  out[0] = '\0';
  text t = {out, out_size, 0};
  const xai_options_desc *d = xai_options_descriptor(opts->type);
  if (!d) return;
  for (unsigned i = 0; i < d->field_count; i++) {
    const xai_option_field *f = &d->fields[i];
    if (json)
      put(&t, "%s\"%s\": ", i ? ", " : "", f->name);
    else
      put(&t, "%s%s=", i ? " " : "", f->name);
    put_value(&t, opts, f, json);
  }
}
