package io.xai4j.onnx;

import ai.onnxruntime.TensorInfo;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.spi.DataType;

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
        return fromOnnx(type.value);
    }
}
