package io.xai4j.onnx.grad;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Conversions between Java arrays and ONNX Runtime tensors of any numeric element type. */
final class OrtValues {
    private OrtValues() {
    }

    static OnnxJavaType javaType(int onnxElemType) {
        OnnxJavaType t = OnnxJavaType.mapFromOnnxTensorType(OnnxTensorType.mapFromInt(onnxElemType));
        if (t == OnnxJavaType.UNKNOWN || t == OnnxJavaType.STRING) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "unsupported tensor element type " + onnxElemType);
        }
        return t;
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
