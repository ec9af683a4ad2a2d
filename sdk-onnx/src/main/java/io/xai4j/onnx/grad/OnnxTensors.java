package io.xai4j.onnx.grad;

import com.google.protobuf.ByteString;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.onnx.proto.Onnx.TensorProto.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Converts {@link TensorProto} values to and from Java arrays. */
public final class OnnxTensors {
    private OnnxTensors() {
    }

    /** True for the floating-point element types that carry gradients. */
    public static boolean isFloat(int elemType) {
        return elemType == DataType.FLOAT_VALUE || elemType == DataType.DOUBLE_VALUE
                || elemType == DataType.FLOAT16_VALUE || elemType == DataType.BFLOAT16_VALUE;
    }

    public static long[] dims(TensorProto t) {
        return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    /** The values of a numeric tensor as doubles. */
    public static double[] toDoubles(TensorProto t) {
        int n = (int) numel(t);
        double[] out = new double[n];
        ByteBuffer raw = t.hasRawData() ? t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN) : null;
        switch (t.getDataType()) {
            case DataType.FLOAT_VALUE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = raw != null ? raw.getFloat(4 * i) : t.getFloatData(i);
                }
            }
            case DataType.DOUBLE_VALUE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = raw != null ? raw.getDouble(8 * i) : t.getDoubleData(i);
                }
            }
            default -> {
                long[] l = toLongs(t);
                for (int i = 0; i < n; i++) {
                    out[i] = l[i];
                }
            }
        }
        return out;
    }

    /** The values of an integer tensor as longs. */
    public static long[] toLongs(TensorProto t) {
        int n = (int) numel(t);
        long[] out = new long[n];
        ByteBuffer raw = t.hasRawData() ? t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN) : null;
        switch (t.getDataType()) {
            case DataType.INT64_VALUE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = raw != null ? raw.getLong(8 * i) : t.getInt64Data(i);
                }
            }
            case DataType.INT32_VALUE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = raw != null ? raw.getInt(4 * i) : t.getInt32Data(i);
                }
            }
            case DataType.INT8_VALUE, DataType.UINT8_VALUE, DataType.BOOL_VALUE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = raw != null ? raw.get(i) : t.getInt32Data(i);
                }
            }
            case DataType.FLOAT_VALUE, DataType.DOUBLE_VALUE -> {
                double[] d = toDoubles(t);
                for (int i = 0; i < n; i++) {
                    out[i] = (long) d[i];
                }
            }
            default -> throw new XaiException(ErrorCode.UNSUPPORTED_OP, "cannot read constant tensor '"
                    + t.getName() + "' of element type " + t.getDataType());
        }
        return out;
    }

    public static long numel(TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) {
            n *= d;
        }
        return n;
    }

    /** A FLOAT or DOUBLE tensor holding {@code values} (raw little-endian data). */
    public static TensorProto ofDoubles(String name, int elemType, double[] values, long... dims) {
        ByteBuffer buf;
        if (elemType == DataType.DOUBLE_VALUE) {
            buf = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : values) {
                buf.putDouble(v);
            }
        } else if (elemType == DataType.FLOAT_VALUE) {
            buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : values) {
                buf.putFloat((float) v);
            }
        } else {
            throw new XaiException(ErrorCode.UNSUPPORTED_OP, "gradients are computed in float or double only, not in"
                    + " element type " + DataType.forNumber(elemType));
        }
        buf.flip();
        return TensorProto.newBuilder().setName(name).setDataType(elemType).addAllDims(box(dims))
                .setRawData(ByteString.copyFrom(buf)).build();
    }

    /** An INT64 tensor. */
    public static TensorProto ofLongs(String name, long[] values, long... dims) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(DataType.INT64_VALUE)
                .addAllDims(box(dims));
        for (long v : values) {
            b.addInt64Data(v);
        }
        return b.build();
    }

    private static java.util.List<Long> box(long[] dims) {
        java.util.List<Long> l = new java.util.ArrayList<>(dims.length);
        for (long d : dims) {
            l.add(d);
        }
        return l;
    }
}
