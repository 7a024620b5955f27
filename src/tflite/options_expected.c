/* Which BuiltinOptions table each builtin op takes (TFLite's schema.fbs:
 * the BuiltinOperator and BuiltinOptions enums; an op reads only its own
 * table, and ops with no table read none). The union is decoded by the type
 * the file names, so an op handed another op's table would read those bytes
 * as its own fields (FULLY_CONNECTED read SoftmaxOptions' float as bools:
 * fuzz_aisrv). The runtime checks every op against this list at load. */
#include "xai/tflite.h"

typedef struct {
  uint8_t code; /* BuiltinOperator (all below 256 here) */
  uint8_t type; /* its BuiltinOptions union type, 0 = it has none */
} op_options;

static const op_options k_op_options[] = {
    {0, 11}, /* ADD: AddOptions */
    {1, 5}, /* AVERAGE_POOL_2D: Pool2DOptions */
    {2, 10}, /* CONCATENATION: ConcatenationOptions */
    {3, 1}, /* CONV_2D: Conv2DOptions */
    {4, 2}, /* DEPTHWISE_CONV_2D: DepthwiseConv2DOptions */
    {5, 94}, /* DEPTH_TO_SPACE: DepthToSpaceOptions */
    {6, 38}, /* DEQUANTIZE: DequantizeOptions */
    {7, 0}, /* EMBEDDING_LOOKUP: none */
    {8, 0}, /* FLOOR: none */
    {9, 8}, /* FULLY_CONNECTED: FullyConnectedOptions */
    {10, 0}, /* HASHTABLE_LOOKUP: none */
    {11, 12}, /* L2_NORMALIZATION: L2NormOptions */
    {12, 5}, /* L2_POOL_2D: Pool2DOptions */
    {13, 13}, /* LOCAL_RESPONSE_NORMALIZATION: LocalResponseNormalizationOptions */
    {14, 0}, /* LOGISTIC: none */
    {15, 4}, /* LSH_PROJECTION: LSHProjectionOptions */
    {16, 14}, /* LSTM: LSTMOptions */
    {17, 5}, /* MAX_POOL_2D: Pool2DOptions */
    {18, 21}, /* MUL: MulOptions */
    {19, 0}, /* RELU: none */
    {20, 0}, /* RELU_N1_TO_1: none */
    {21, 0}, /* RELU6: none */
    {22, 17}, /* RESHAPE: ReshapeOptions */
    {23, 15}, /* RESIZE_BILINEAR: ResizeBilinearOptions */
    {24, 7}, /* RNN: RNNOptions */
    {25, 9}, /* SOFTMAX: SoftmaxOptions */
    {26, 19}, /* SPACE_TO_DEPTH: SpaceToDepthOptions */
    {27, 6}, /* SVDF: SVDFOptions */
    {28, 0}, /* TANH: none */
    {29, 3}, /* CONCAT_EMBEDDINGS: ConcatEmbeddingsOptions */
    {30, 18}, /* SKIP_GRAM: SkipGramOptions */
    {31, 16}, /* CALL: CallOptions */
    {33, 20}, /* EMBEDDING_LOOKUP_SPARSE: EmbeddingLookupSparseOptions */
    {34, 22}, /* PAD: PadOptions */
    {35, 31}, /* UNIDIRECTIONAL_SEQUENCE_RNN: SequenceRNNOptions */
    {36, 23}, /* GATHER: GatherOptions */
    {37, 24}, /* BATCH_TO_SPACE_ND: BatchToSpaceNDOptions */
    {38, 25}, /* SPACE_TO_BATCH_ND: SpaceToBatchNDOptions */
    {39, 26}, /* TRANSPOSE: TransposeOptions */
    {40, 27}, /* MEAN: ReducerOptions */
    {41, 28}, /* SUB: SubOptions */
    {42, 29}, /* DIV: DivOptions */
    {43, 30}, /* SQUEEZE: SqueezeOptions */
    {44, 71}, /* UNIDIRECTIONAL_SEQUENCE_LSTM: UnidirectionalSequenceLSTMOptions */
    {45, 32}, /* STRIDED_SLICE: StridedSliceOptions */
    {46, 70}, /* BIDIRECTIONAL_SEQUENCE_RNN: BidirectionalSequenceRNNOptions */
    {47, 33}, /* EXP: ExpOptions */
    {48, 34}, /* TOPK_V2: TopKV2Options */
    {49, 35}, /* SPLIT: SplitOptions */
    {50, 36}, /* LOG_SOFTMAX: LogSoftmaxOptions */
    {52, 69}, /* BIDIRECTIONAL_SEQUENCE_LSTM: BidirectionalSequenceLSTMOptions */
    {53, 37}, /* CAST: CastOptions */
    {54, 0}, /* PRELU: none */
    {55, 39}, /* MAXIMUM: MaximumMinimumOptions */
    {56, 40}, /* ARG_MAX: ArgMaxOptions */
    {57, 39}, /* MINIMUM: MaximumMinimumOptions */
    {58, 41}, /* LESS: LessOptions */
    {59, 42}, /* NEG: NegOptions */
    {60, 43}, /* PADV2: PadV2Options */
    {61, 44}, /* GREATER: GreaterOptions */
    {62, 45}, /* GREATER_EQUAL: GreaterEqualOptions */
    {63, 46}, /* LESS_EQUAL: LessEqualOptions */
    {64, 47}, /* SELECT: SelectOptions */
    {65, 48}, /* SLICE: SliceOptions */
    {66, 0}, /* SIN: none */
    {67, 49}, /* TRANSPOSE_CONV: TransposeConvOptions */
    {68, 50}, /* SPARSE_TO_DENSE: SparseToDenseOptions */
    {69, 51}, /* TILE: TileOptions */
    {70, 52}, /* EXPAND_DIMS: ExpandDimsOptions */
    {71, 53}, /* EQUAL: EqualOptions */
    {72, 54}, /* NOT_EQUAL: NotEqualOptions */
    {73, 0}, /* LOG: none */
    {74, 27}, /* SUM: ReducerOptions */
    {75, 0}, /* SQRT: none */
    {76, 0}, /* RSQRT: none */
    {77, 55}, /* SHAPE: ShapeOptions */
    {78, 56}, /* POW: PowOptions */
    {79, 57}, /* ARG_MIN: ArgMinOptions */
    {80, 58}, /* FAKE_QUANT: FakeQuantOptions */
    {81, 27}, /* REDUCE_PROD: ReducerOptions */
    {82, 27}, /* REDUCE_MAX: ReducerOptions */
    {83, 59}, /* PACK: PackOptions */
    {84, 60}, /* LOGICAL_OR: LogicalOrOptions */
    {85, 61}, /* ONE_HOT: OneHotOptions */
    {86, 62}, /* LOGICAL_AND: LogicalAndOptions */
    {87, 63}, /* LOGICAL_NOT: LogicalNotOptions */
    {88, 64}, /* UNPACK: UnpackOptions */
    {89, 27}, /* REDUCE_MIN: ReducerOptions */
    {90, 65}, /* FLOOR_DIV: FloorDivOptions */
    {91, 27}, /* REDUCE_ANY: ReducerOptions */
    {92, 66}, /* SQUARE: SquareOptions */
    {93, 67}, /* ZEROS_LIKE: ZerosLikeOptions */
    {94, 68}, /* FILL: FillOptions */
    {95, 72}, /* FLOOR_MOD: FloorModOptions */
    {96, 73}, /* RANGE: RangeOptions */
    {97, 74}, /* RESIZE_NEAREST_NEIGHBOR: ResizeNearestNeighborOptions */
    {98, 75}, /* LEAKY_RELU: LeakyReluOptions */
    {99, 76}, /* SQUARED_DIFFERENCE: SquaredDifferenceOptions */
    {100, 77}, /* MIRROR_PAD: MirrorPadOptions */
    {101, 78}, /* ABS: AbsOptions */
    {102, 79}, /* SPLIT_V: SplitVOptions */
    {103, 80}, /* UNIQUE: UniqueOptions */
    {104, 0}, /* CEIL: none */
    {105, 81}, /* REVERSE_V2: ReverseV2Options */
    {106, 82}, /* ADD_N: AddNOptions */
    {107, 83}, /* GATHER_ND: GatherNdOptions */
    {108, 84}, /* COS: CosOptions */
    {109, 85}, /* WHERE: WhereOptions */
    {110, 86}, /* RANK: RankOptions */
    {111, 0}, /* ELU: none */
    {112, 87}, /* REVERSE_SEQUENCE: ReverseSequenceOptions */
    {113, 88}, /* MATRIX_DIAG: MatrixDiagOptions */
    {114, 89}, /* QUANTIZE: QuantizeOptions */
    {115, 90}, /* MATRIX_SET_DIAG: MatrixSetDiagOptions */
    {116, 0}, /* ROUND: none */
    {117, 91}, /* HARD_SWISH: HardSwishOptions */
    {118, 92}, /* IF: IfOptions */
    {119, 93}, /* WHILE: WhileOptions */
    {120, 95}, /* NON_MAX_SUPPRESSION_V4: NonMaxSuppressionV4Options */
    {121, 96}, /* NON_MAX_SUPPRESSION_V5: NonMaxSuppressionV5Options */
    {122, 97}, /* SCATTER_ND: ScatterNdOptions */
    {123, 98}, /* SELECT_V2: SelectV2Options */
    {124, 99}, /* DENSIFY: DensifyOptions */
    {125, 100}, /* SEGMENT_SUM: SegmentSumOptions */
    {126, 101}, /* BATCH_MATMUL: BatchMatMulOptions */
    {128, 102}, /* CUMSUM: CumsumOptions */
    {129, 103}, /* CALL_ONCE: CallOnceOptions */
    {130, 104}, /* BROADCAST_TO: BroadcastToOptions */
    {131, 105}, /* RFFT2D: Rfft2dOptions */
    {132, 106}, /* CONV_3D: Conv3DOptions */
    {133, 0}, /* IMAG: none */
    {134, 0}, /* REAL: none */
    {135, 0}, /* COMPLEX_ABS: none */
    {136, 107}, /* HASHTABLE: HashtableOptions */
    {137, 108}, /* HASHTABLE_FIND: HashtableFindOptions */
    {138, 109}, /* HASHTABLE_IMPORT: HashtableImportOptions */
    {139, 110}, /* HASHTABLE_SIZE: HashtableSizeOptions */
    {140, 27}, /* REDUCE_ALL: ReducerOptions */
    {141, 106}, /* CONV_3D_TRANSPOSE: Conv3DOptions */
    {142, 111}, /* VAR_HANDLE: VarHandleOptions */
    {143, 112}, /* READ_VARIABLE: ReadVariableOptions */
    {144, 113}, /* ASSIGN_VARIABLE: AssignVariableOptions */
    {145, 0}, /* BROADCAST_ARGS: none */
    {146, 114}, /* RANDOM_STANDARD_NORMAL: RandomOptions */
    {147, 115}, /* BUCKETIZE: BucketizeOptions */
    {148, 114}, /* RANDOM_UNIFORM: RandomOptions */
    {149, 114}, /* MULTINOMIAL: RandomOptions */
    {150, 116}, /* GELU: GeluOptions */
    {151, 117}, /* DYNAMIC_UPDATE_SLICE: DynamicUpdateSliceOptions */
    {152, 0}, /* RELU_0_TO_1: none */
    {153, 118}, /* UNSORTED_SEGMENT_PROD: UnsortedSegmentProdOptions */
    {154, 119}, /* UNSORTED_SEGMENT_MAX: UnsortedSegmentMaxOptions */
    {155, 121}, /* UNSORTED_SEGMENT_SUM: UnsortedSegmentSumOptions */
    {156, 122}, /* ATAN2: ATan2Options */
    {157, 120}, /* UNSORTED_SEGMENT_MIN: UnsortedSegmentMinOptions */
    {158, 123}, /* SIGN: SignOptions */
    {159, 124}, /* BITCAST: BitcastOptions */
    {160, 125}, /* BITWISE_XOR: BitwiseXorOptions */
    {161, 126}, /* RIGHT_SHIFT: RightShiftOptions */
};

bool xai_builtin_options_ok(int32_t code, uint8_t type, uint8_t *expected) {
  if (expected) *expected = 0;
  for (size_t i = 0; i < sizeof k_op_options / sizeof k_op_options[0]; i++) {
    if (k_op_options[i].code != code) continue;
    if (expected) *expected = k_op_options[i].type;
    /* Absent options are the table's defaults, as TFLite reads them. */
    return type == 0 || type == k_op_options[i].type;
  }
  return true; /* not a TFLite builtin: the resolver decides */
}

bool xai_builtin_options_known(int32_t code) {
  for (size_t i = 0; i < sizeof k_op_options / sizeof k_op_options[0]; i++)
    if (k_op_options[i].code == code) return true;
  return false;
}
