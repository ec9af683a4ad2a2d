package io.xai4j.onnx.grad;

import com.google.protobuf.ByteString;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.AttributeProto.AttributeType;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.onnx.proto.Onnx.TensorProto.DataType;
import io.xai4j.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Converts between the ONNX protobuf forms and the plain Java values of the core backward-rule SPI. */
final class CoreConversions {
    private static final Set<Integer> READABLE_CONSTANTS = Set.of(DataType.FLOAT_VALUE, DataType.DOUBLE_VALUE,
            DataType.INT64_VALUE, DataType.INT32_VALUE, DataType.INT8_VALUE, DataType.UINT8_VALUE, DataType.BOOL_VALUE);
    static final String ACCEPTED_ATTRIBUTES = "Long, Integer, Double, Float, String, long[], int[], float[], double[],"
            + " a List of Long, Integer, Double, Float or String, or a Tensor";

    private CoreConversions() {
    }

    /**
     * The attribute protos of plain values; {@code where} names the emitting rule for errors.
     *
     * @throws XaiException PLUGIN_FAILURE for a value of another type
     */
    static AttributeProto[] toAttributes(Map<String, Object> attributes, String opType, String where) {
        AttributeProto[] out = new AttributeProto[attributes.size()];
        int i = 0;
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            out[i++] = toAttribute(e.getKey(), e.getValue(), opType, where);
        }
        return out;
    }

    private static AttributeProto toAttribute(String name, Object value, String opType, String where) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name);
        if (value instanceof Long || value instanceof Integer) {
            b.setType(AttributeType.INT).setI(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            b.setType(AttributeType.FLOAT).setF(((Number) value).floatValue());
        } else if (value instanceof String s) {
            b.setType(AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
        } else if (value instanceof long[] ls) {
            b.setType(AttributeType.INTS);
            for (long l : ls) {
                b.addInts(l);
            }
        } else if (value instanceof int[] ns) {
            b.setType(AttributeType.INTS);
            for (int n : ns) {
                b.addInts(n);
            }
        } else if (value instanceof float[] fs) {
            b.setType(AttributeType.FLOATS);
            for (float f : fs) {
                b.addFloats(f);
            }
        } else if (value instanceof double[] ds) {
            b.setType(AttributeType.FLOATS);
            for (double d : ds) {
                b.addFloats((float) d);
            }
        } else if (value instanceof Tensor t) {
            b.setType(AttributeType.TENSOR).setT(toProto(t));
        } else if (value instanceof List<?> list && allOf(list, Long.class, Integer.class)) {
            b.setType(AttributeType.INTS);
            list.forEach(v -> b.addInts(((Number) v).longValue()));
        } else if (value instanceof List<?> list && allOf(list, Double.class, Float.class)) {
            b.setType(AttributeType.FLOATS);
            list.forEach(v -> b.addFloats(((Number) v).floatValue()));
        } else if (value instanceof List<?> list && allOf(list, String.class, String.class)) {
            b.setType(AttributeType.STRINGS);
            list.forEach(v -> b.addStrings(ByteString.copyFromUtf8((String) v)));
        } else {
            throw new XaiException(ErrorCode.PLUGIN_FAILURE, "the backward rule of " + where + " emitted " + opType
                    + " with attribute '" + name + "' of unsupported value " + describe(value)
                    + "; attribute values are " + ACCEPTED_ATTRIBUTES);
        }
        return b.build();
    }

    /** Whether every element is an instance of {@code a} or {@code b}; true for the empty list. */
    private static boolean allOf(List<?> list, Class<?> a, Class<?> b) {
        return list.stream().allMatch(v -> a.isInstance(v) || b.isInstance(v));
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof List<?> list) {
            return "List " + list.stream().map(v -> v == null ? "null" : v.getClass().getSimpleName()).distinct().toList();
        }
        return value.getClass().getSimpleName();
    }

    /** A float32 tensor proto holding a copy of {@code t}. */
    static TensorProto toProto(Tensor t) {
        ByteBuffer buf = ByteBuffer.allocate(4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < t.size(); i++) {
            buf.putFloat(t.get(i));
        }
        buf.flip();
        TensorProto.Builder b = TensorProto.newBuilder().setDataType(DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(buf));
        for (int d : t.shape()) {
            b.addDims(d);
        }
        return b.build();
    }

    /** The value of a constant as float32, or empty for element types other than float, double, ints and bool. */
    static Optional<Tensor> toTensor(TensorProto t) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || !READABLE_CONSTANTS.contains(t.getDataType())) {
            return Optional.empty();
        }
        double[] values = OnnxTensors.toDoubles(t);
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return Optional.of(Tensor.of(floats, t.getDimsList().stream().mapToInt(Long::intValue).toArray()));
    }
}
