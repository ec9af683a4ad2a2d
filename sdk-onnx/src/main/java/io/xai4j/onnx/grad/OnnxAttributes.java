package io.xai4j.onnx.grad;

import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.AttributeProto.AttributeType;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reads node attributes with defaults and makes new attributes. */
public final class OnnxAttributes {
    private OnnxAttributes() {
    }

    public static Optional<AttributeProto> find(NodeProto node, String name) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public static boolean has(NodeProto node, String name) {
        return find(node, name).isPresent();
    }

    public static long getInt(NodeProto node, String name, long defaultValue) {
        return find(node, name).map(AttributeProto::getI).orElse(defaultValue);
    }

    public static float getFloat(NodeProto node, String name, float defaultValue) {
        return find(node, name).map(AttributeProto::getF).orElse(defaultValue);
    }

    public static String getString(NodeProto node, String name, String defaultValue) {
        return find(node, name).map(a -> a.getS().toString(StandardCharsets.UTF_8)).orElse(defaultValue);
    }

    /** The ints of an attribute, or {@code defaultValue} (may be null) when absent. */
    public static long[] getInts(NodeProto node, String name, long[] defaultValue) {
        return find(node, name).map(a -> a.getIntsList().stream().mapToLong(Long::longValue).toArray())
                .orElse(defaultValue);
    }

    /** An INT attribute; for a one-element INTS attribute pass an array: {@code of(name, new long[] {v})}. */
    public static AttributeProto of(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(value).build();
    }

    public static AttributeProto of(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF(value).build();
    }

    public static AttributeProto of(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(value)).build();
    }

    public static AttributeProto of(String name, long... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
        for (long v : values) {
            b.addInts(v);
        }
        return b.build();
    }

    public static AttributeProto of(String name, TensorProto value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.TENSOR).setT(value).build();
    }

    /** Returns {@code node} without the named attributes. */
    public static NodeProto without(NodeProto node, String... names) {
        NodeProto.Builder b = node.toBuilder().clearAttribute();
        outer:
        for (AttributeProto a : node.getAttributeList()) {
            for (String n : names) {
                if (a.getName().equals(n)) {
                    continue outer;
                }
            }
            b.addAttribute(a);
        }
        return b.build();
    }
}
