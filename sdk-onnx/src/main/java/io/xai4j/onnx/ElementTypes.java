package io.xai4j.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.spi.DataType;
import java.util.Arrays;

/** Conversions between ONNX element types ({@link TensorProto.DataType} numbers), ORT types and {@link DataType}. */
public final class ElementTypes {
    private ElementTypes() {
    }

    /** The SDK type of an ONNX element type number. */
    public static DataType fromOnnx(int elemType) {
        TensorProto.DataType t = TensorProto.DataType.forNumber(elemType);
        if (t == null) {
            return DataType.OTHER;
        }
        return switch (t) {
            case FLOAT -> DataType.FLOAT32;
            case DOUBLE -> DataType.FLOAT64;
            case FLOAT16 -> DataType.FLOAT16;
            case BFLOAT16 -> DataType.BFLOAT16;
            case INT8 -> DataType.INT8;
            case UINT8 -> DataType.UINT8;
            case INT16 -> DataType.INT16;
            case INT32 -> DataType.INT32;
            case INT64 -> DataType.INT64;
            case BOOL -> DataType.BOOL;
            case STRING -> DataType.STRING;
            default -> DataType.OTHER;
        };
    }

    /** The SDK type of an ORT tensor element type. */
    public static DataType fromOrt(TensorInfo.OnnxTensorType type) {
        return fromOnnx(onnxType(type));
    }

    /**
     * The ONNX element type number of an ORT tensor element type, 0 for one ONNX does not define. ORT numbers its
     * Java enum differently from ONNX, so the mapping goes by name.
     */
    public static int onnxType(TensorInfo.OnnxTensorType type) {
        String prefix = "ONNX_TENSOR_ELEMENT_DATA_TYPE_";
        String name = type.name().startsWith(prefix) ? type.name().substring(prefix.length()) : type.name();
        return Arrays.stream(TensorProto.DataType.values()).filter(t -> t.name().equals(name)).findFirst()
                .map(TensorProto.DataType::getNumber).orElse(TensorProto.DataType.UNDEFINED_VALUE);
    }

    /** The ORT Java type of an ONNX element type number. */
    public static OnnxJavaType javaType(int elemType) {
        return switch (elemType) {
            case TensorProto.DataType.FLOAT_VALUE -> OnnxJavaType.FLOAT;
            case TensorProto.DataType.UINT8_VALUE -> OnnxJavaType.UINT8;
            case TensorProto.DataType.INT8_VALUE -> OnnxJavaType.INT8;
            case TensorProto.DataType.INT16_VALUE -> OnnxJavaType.INT16;
            case TensorProto.DataType.INT32_VALUE -> OnnxJavaType.INT32;
            case TensorProto.DataType.INT64_VALUE -> OnnxJavaType.INT64;
            case TensorProto.DataType.BOOL_VALUE -> OnnxJavaType.BOOL;
            case TensorProto.DataType.FLOAT16_VALUE -> OnnxJavaType.FLOAT16;
            case TensorProto.DataType.DOUBLE_VALUE -> OnnxJavaType.DOUBLE;
            case TensorProto.DataType.BFLOAT16_VALUE -> OnnxJavaType.BFLOAT16;
            default -> throw new XaiException(ErrorCode.INVALID_INPUT, "unsupported tensor element type " + elemType);
        };
    }
}
