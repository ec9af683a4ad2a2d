package io.xai4j.onnx.grad;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Conversions between Java arrays and ONNX Runtime tensors of any numeric element type. */
final class OrtValues {
    private OrtValues() {
    }

    /** The ONNX Runtime Java type of an ONNX element type ({@code TensorProto.DataType} number). */
    static OnnxJavaType javaType(int onnxElemType) {
        return switch (onnxElemType) {
            case 1 -> OnnxJavaType.FLOAT;
            case 2 -> OnnxJavaType.UINT8;
            case 3 -> OnnxJavaType.INT8;
            case 5 -> OnnxJavaType.INT16;
            case 6 -> OnnxJavaType.INT32;
            case 7 -> OnnxJavaType.INT64;
            case 9 -> OnnxJavaType.BOOL;
            case 10 -> OnnxJavaType.FLOAT16;
            case 11 -> OnnxJavaType.DOUBLE;
            case 16 -> OnnxJavaType.BFLOAT16;
            default -> throw new XaiException(ErrorCode.INVALID_INPUT, "unsupported tensor element type " + onnxElemType);
        };
    }

    /** The ONNX element type ({@code TensorProto.DataType} number) of an ONNX Runtime tensor, 0 if it has none. */
    static int onnxElemType(OnnxJavaType type) {
        return switch (type) {
            case FLOAT -> 1;
            case UINT8 -> 2;
            case INT8 -> 3;
            case INT16 -> 5;
            case INT32 -> 6;
            case INT64 -> 7;
            case STRING -> 8;
            case BOOL -> 9;
            case FLOAT16 -> 10;
            case DOUBLE -> 11;
            case BFLOAT16 -> 16;
            default -> 0;
        };
    }

    static long[] longShape(int[] shape) {
        return Arrays.stream(shape).asLongStream().toArray();
    }

    /** A tensor of the given ONNX element type holding {@code values} (null for zeros), converted as needed. */
    static OnnxTensor create(OrtEnvironment env, int onnxElemType, int[] shape, double[] values) throws OrtException {
        OnnxJavaType type = javaType(onnxElemType);
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(1, n * type.size)).order(ByteOrder.nativeOrder());
        if (values != null) {
            for (int i = 0; i < n; i++) {
                double v = values[i];
                switch (type) {
                    case FLOAT -> buf.putFloat(v2f(v));
                    case DOUBLE -> buf.putDouble(v);
                    case INT64 -> buf.putLong((long) v);
                    case INT32 -> buf.putInt((int) v);
                    case INT16 -> buf.putShort((short) v);
                    case INT8, UINT8 -> buf.put((byte) v);
                    case BOOL -> buf.put((byte) (v != 0 ? 1 : 0));
                    default -> throw new XaiException(ErrorCode.INVALID_INPUT, "cannot fill a tensor of type " + type);
                }
            }
        }
        buf.position(0);
        buf.limit(n * type.size);
        return OnnxTensor.createTensor(env, buf, longShape(shape), type);
    }

    private static float v2f(double v) {
        return (float) v;
    }

    /** The values of a numeric tensor as doubles. */
    static double[] toDoubles(OnnxTensor t) {
        ai.onnxruntime.TensorInfo info = t.getInfo();
        int n = (int) info.getNumElements();
        double[] out = new double[n];
        switch (info.type) {
            case FLOAT -> {
                var b = t.getFloatBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = b.get(i);
                }
            }
            case DOUBLE -> t.getDoubleBuffer().get(out);
            case INT64 -> {
                var b = t.getLongBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = b.get(i);
                }
            }
            case INT32 -> {
                var b = t.getIntBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = b.get(i);
                }
            }
            default -> {
                ByteBuffer b = t.getByteBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = b.get(i);
                }
            }
        }
        return out;
    }

    /** The values of a FLOAT tensor (converted from other numeric types). */
    static float[] toFloats(OnnxTensor t) {
        if (t.getInfo().type == OnnxJavaType.FLOAT) {
            var b = t.getFloatBuffer();
            float[] out = new float[b.remaining()];
            b.get(out);
            return out;
        }
        double[] d = toDoubles(t);
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (float) d[i];
        }
        return out;
    }

    static int[] shape(OnnxTensor t) {
        return Arrays.stream(t.getInfo().getShape()).mapToInt(Math::toIntExact).toArray();
    }
}
