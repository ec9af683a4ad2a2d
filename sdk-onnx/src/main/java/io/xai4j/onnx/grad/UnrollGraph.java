package io.xai4j.onnx.grad;

import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Emits the standard-op nodes that replace one recurrent node, with fresh names, and records the shape of every
 * tensor it creates. Shapes are given with {@link #BATCH} for the batch axis, which takes the probed batch size and
 * stays symbolic in the gradient graph when the batch is dynamic.
 */
final class UnrollGraph {
    /** Marks the batch axis in a shape. */
    static final int BATCH = -1;

    final List<NodeProto> nodes = new ArrayList<>();
    final List<TensorProto> initializers = new ArrayList<>();
    private final Set<String> used;
    private final Map<String, TensorInfo> infos;
    private final String prefix;
    private final int elemType;
    private final int batch;
    private final boolean batchDynamic;
    private int counter;

    UnrollGraph(Set<String> used, Map<String, TensorInfo> infos, String prefix, int elemType, int batch,
            boolean batchDynamic) {
        this.used = used;
        this.infos = infos;
        this.prefix = prefix;
        this.elemType = elemType;
        this.batch = batch;
        this.batchDynamic = batchDynamic;
    }

    static int[] shape(int... dims) {
        return dims;
    }

    /** Adds a one-output node of the recurrent node's element type and returns its output. */
    String op(String opType, int[] shape, List<String> inputs, AttributeProto... attrs) {
        return typedOp(opType, elemType, shape, inputs, attrs);
    }

    /** Adds a one-output node whose output has element type {@code type} and returns its output. */
    String typedOp(String opType, int type, int[] shape, List<String> inputs, AttributeProto... attrs) {
        String out = fresh(opType.toLowerCase());
        record(out, type, shape);
        nodes.add(node(opType, inputs, List.of(out), attrs));
        return out;
    }

    /** The recorded shape of {@code x}, batch-dependent axes as {@link #BATCH}. */
    int[] shapeOf(String x) {
        TensorInfo info = infos.get(x);
        int[] s = info.shape();
        for (int i = 0; i < s.length; i++) {
            s[i] = info.isDynamic(i) ? BATCH : s[i];
        }
        return s;
    }

    /** Splits {@code x} along {@code axis} into parts of the given sizes. */
    String[] split(String x, int axis, int... sizes) {
        TensorInfo in = infos.get(x);
        String[] parts = new String[sizes.length];
        long[] lengths = new long[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            parts[i] = fresh("split");
            int[] s = in.shape();
            s[axis] = sizes[i];
            infos.put(parts[i], new TensorInfo(parts[i], in.elemType(), s, in.batchDependent()));
            lengths[i] = sizes[i];
        }
        nodes.add(node("Split", List.of(x, longs(lengths)), List.of(parts), OnnxAttributes.of("axis", (long) axis)));
        return parts;
    }

    /** Copies {@code value} into the existing tensor {@code name} (an output of the replaced node). */
    void identity(String value, String name) {
        nodes.add(node("Identity", List.of(value), List.of(name)));
    }

    /** A constant of the recurrent node's element type: a scalar for one value, else 1-D. */
    String floats(double... values) {
        long[] dims = values.length == 1 ? new long[0] : new long[] {values.length};
        return constant(OnnxTensors.ofDoubles("", elemType, values, dims), elemType, values.length == 1
                ? new int[0] : new int[] {values.length});
    }

    /** A 1-D INT64 constant. */
    String longs(long... values) {
        return constant(OnnxTensors.ofLongs("", values, values.length), TensorProto.DataType.INT64_VALUE,
                new int[] {values.length});
    }

    /** A scalar INT64 constant. */
    String longScalar(long value) {
        return constant(OnnxTensors.ofLongs("", new long[] {value}), TensorProto.DataType.INT64_VALUE, new int[0]);
    }

    private String constant(TensorProto t, int type, int[] shape) {
        String name = fresh("const");
        initializers.add(t.toBuilder().setName(name).build());
        record(name, type, shape);
        return name;
    }

    private void record(String name, int type, int[] shape) {
        int[] s = shape.clone();
        boolean[] dynamic = new boolean[s.length];
        for (int i = 0; i < s.length; i++) {
            if (s[i] == BATCH) {
                s[i] = batch;
                dynamic[i] = batchDynamic;
            }
        }
        infos.put(name, new TensorInfo(name, type, s, dynamic));
    }

    private NodeProto node(String opType, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(opType).setName(fresh(opType)).addAllInput(inputs)
                .addAllOutput(outputs);
        for (AttributeProto a : attrs) {
            b.addAttribute(a);
        }
        return b.build();
    }

    private String fresh(String hint) {
        String name = prefix + hint;
        while (!used.add(name)) {
            name = prefix + hint + "_" + (++counter);
        }
        return name;
    }
}
