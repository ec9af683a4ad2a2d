package io.xai4j.onnx.grad;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.OperatorSetIdProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a model of default-domain opset below 18 into opset 18: attributes that became inputs (Reduce*
 * axes, Split split, Squeeze/Unsqueeze axes, Pad pads, Clip bounds, Slice ranges, TopK k, Reshape shape),
 * Split's num_outputs, Softmax/LogSoftmax/Hardmax's flattening semantics before opset 13, Upsample and
 * opset-10 Resize, and attributes that were removed (consumed_inputs, broadcast, is_test, spatial).
 * Nodes inside subgraphs are left as they are.
 */
final class OpsetUpgrade {
    static final int TARGET = 18;
    private static final Set<String> REDUCE_18 = Set.of("ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",
            "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare");
    private static final Set<String> LEGACY_BROADCAST = Set.of("Add", "Sub", "Mul", "Div", "Pow", "And", "Or", "Xor",
            "Equal", "Greater", "Less", "PRelu", "Gemm");

    private final int from;
    private final Map<String, TensorInfo> infos;
    private final Set<String> used = new HashSet<>();
    private final List<TensorProto> newInitializers = new ArrayList<>();
    private int counter;

    private OpsetUpgrade(int from, Map<String, TensorInfo> infos) {
        this.from = from;
        this.infos = infos;
    }

    /** The default-domain opset version the model imports (1 when it imports none). */
    static int defaultOpset(ModelProto model) {
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                return (int) o.getVersion();
            }
        }
        return 1;
    }

    /**
     * Returns the model at opset 18 or above (unchanged if it already is); {@code infos} receives the shapes
     * of tensors the rewrite introduces.
     */
    static ModelProto toOpset18(ModelProto model, Map<String, TensorInfo> infos) {
        int from = defaultOpset(model);
        if (from >= TARGET) {
            return model;
        }
        OpsetUpgrade u = new OpsetUpgrade(from, infos);
        GraphProto graph = model.getGraph();
        graph.getNodeList().forEach(n -> {
            u.used.addAll(n.getOutputList());
            u.used.add(n.getName());
        });
        graph.getInitializerList().forEach(t -> u.used.add(t.getName()));
        graph.getInputList().forEach(v -> u.used.add(v.getName()));
        List<NodeProto> nodes = new ArrayList<>();
        for (NodeProto n : graph.getNodeList()) {
            if (n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx")) {
                nodes.addAll(u.convert(n));
            } else {
                nodes.add(n);
            }
        }
        ModelProto.Builder b = model.toBuilder().setIrVersion(Math.max(model.getIrVersion(), 8));
        b.clearOpsetImport();
        boolean set = false;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                if (!set) {
                    b.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(TARGET));
                    set = true;
                }
            } else {
                b.addOpsetImport(o);
            }
        }
        if (!set) {
            b.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(TARGET));
        }
        b.setGraph(graph.toBuilder().clearNode().addAllNode(nodes).addAllInitializer(u.newInitializers));
        return b.build();
    }

    private List<NodeProto> convert(NodeProto node) {
        NodeProto n = OnnxAttributes.without(node, "consumed_inputs");
        String op = n.getOpType();
        if (from < 7 && LEGACY_BROADCAST.contains(op)) {
            if (OnnxAttributes.has(n, "axis") && OnnxAttributes.getInt(n, "broadcast", 0) == 1) {
                throw new XaiException(ErrorCode.UNSUPPORTED_OP, "cannot upgrade op " + op + " (node '"
                        + GradientGraphBuilder.nodeName(n) + "') from opset " + from + ": legacy broadcasting with an"
                        + " axis attribute; re-export the model at opset 7 or later");
            }
            n = OnnxAttributes.without(n, "broadcast");
        }
        if (REDUCE_18.contains(op) || (op.equals("ReduceSum") && from < 13)) {
            return List.of(attributeToInput(n, "axes", 1));
        }
        switch (op) {
            case "Squeeze", "Unsqueeze":
                return List.of(from < 13 ? attributeToInput(n, "axes", 1) : n);
            case "Split":
                return List.of(split(n));
            case "Pad":
                return List.of(from < 11 ? pad(n) : n);
            case "Clip":
                return List.of(from < 11 ? clip(n) : n);
            case "Slice":
                if (from < 10) {
                    NodeProto s = attributeToInput(n, "starts", 1);
                    s = attributeToInput(s, "ends", 2);
                    return List.of(attributeToInput(s, "axes", 3));
                }
                return List.of(n);
            case "TopK":
                return List.of(from < 10 ? attributeToInput(n, "k", 1) : n);
            case "Reshape":
                return List.of(from < 5 ? attributeToInput(n, "shape", 1) : n);
            case "Dropout":
                return List.of(from < 12 ? NodeProto.newBuilder(n).clearAttribute().clearInput().addInput(n.getInput(0)).build() : n);
            case "BatchNormalization":
                return List.of(OnnxAttributes.without(n, "spatial", "is_test"));
            case "Concat":
                return List.of(from < 4 && !OnnxAttributes.has(n, "axis")
                        ? n.toBuilder().addAttribute(OnnxAttributes.of("axis", 1L)).build() : n);
            case "Softmax", "LogSoftmax", "Hardmax":
                return from < 13 ? softmax(n) : List.of(n);
            case "Upsample":
                return List.of(upsample(n));
            case "Resize":
                return List.of(from < 11 ? upsample(n) : n);
            default:
                return List.of(n);
        }
    }

    /** Moves an INTS (or INT) attribute to input {@code index}, padding skipped optional inputs. */
    private NodeProto attributeToInput(NodeProto n, String attribute, int index) {
        var a = OnnxAttributes.find(n, attribute);
        if (a.isEmpty()) {
            return n;
        }
        long[] values = a.get().getType() == AttributeProto.AttributeType.INT ? new long[] {a.get().getI()}
                : a.get().getIntsList().stream().mapToLong(Long::longValue).toArray();
        return withInput(OnnxAttributes.without(n, attribute), index, constant(OnnxTensors.ofLongs("", values, values.length)));
    }

    private NodeProto withInput(NodeProto n, int index, String name) {
        NodeProto.Builder b = n.toBuilder();
        while (b.getInputCount() <= index) {
            b.addInput("");
        }
        return b.setInput(index, name).build();
    }

    private String constant(TensorProto t) {
        String name = fresh("upgrade_const");
        newInitializers.add(t.toBuilder().setName(name).build());
        return name;
    }

    private String fresh(String hint) {
        String name = hint;
        while (!used.add(name)) {
            name = hint + "_" + (++counter);
        }
        return name;
    }

    private NodeProto split(NodeProto n) {
        NodeProto s = from < 13 ? attributeToInput(n, "split", 1) : n;
        boolean hasSplit = s.getInputCount() > 1 && !s.getInput(1).isEmpty();
        if (!hasSplit && !OnnxAttributes.has(s, "num_outputs")) {
            s = s.toBuilder().addAttribute(OnnxAttributes.of("num_outputs", (long) s.getOutputCount())).build();
        }
        return s;
    }

    private NodeProto pad(NodeProto n) {
        long[] pads = OnnxAttributes.getInts(n, "paddings", OnnxAttributes.getInts(n, "pads", new long[0]));
        float value = OnnxAttributes.getFloat(n, "value", 0f);
        NodeProto p = OnnxAttributes.without(n, "pads", "paddings", "value");
        p = withInput(p, 1, constant(OnnxTensors.ofLongs("", pads, pads.length)));
        if (value != 0f) {
            int type = infos.get(n.getInput(0)).elemType();
            p = withInput(p, 2, constant(OnnxTensors.ofDoubles("", type, new double[] {value})));
        }
        return p;
    }

    private NodeProto clip(NodeProto n) {
        int type = infos.get(n.getInput(0)).elemType();
        NodeProto c = OnnxAttributes.without(n, "min", "max");
        if (OnnxAttributes.has(n, "min")) {
            c = withInput(c, 1, constant(OnnxTensors.ofDoubles("", type, new double[] {OnnxAttributes.getFloat(n, "min", 0)})));
        }
        if (OnnxAttributes.has(n, "max")) {
            c = withInput(c, 2, constant(OnnxTensors.ofDoubles("", type, new double[] {OnnxAttributes.getFloat(n, "max", 0)})));
        }
        return c;
    }

    /** Before opset 13 these ops flatten the input to 2-D at {@code axis} (default 1). */
    private List<NodeProto> softmax(NodeProto n) {
        TensorInfo x = infos.get(n.getInput(0));
        int rank = x.rank();
        long axis = OnnxAttributes.getInt(n, "axis", 1);
        axis = axis < 0 ? axis + rank : axis;
        NodeProto base = OnnxAttributes.without(n, "axis");
        if (axis == rank - 1) {
            return List.of(base.toBuilder().addAttribute(OnnxAttributes.of("axis", (long) -1)).build());
        }
        int rows = 1;
        int cols = 1;
        boolean dynamicRows = false;
        for (int i = 0; i < rank; i++) {
            if (i < axis) {
                rows *= x.dim(i);
                dynamicRows |= x.isDynamic(i);
            } else {
                cols *= x.dim(i);
            }
        }
        String flat = fresh(n.getOutput(0) + "_flat");
        String soft = fresh(n.getOutput(0) + "_2d");
        String shape = fresh(n.getOutput(0) + "_shape");
        TensorInfo twoD = new TensorInfo(flat, x.elemType(), new int[] {rows, cols}, new boolean[] {dynamicRows, false});
        infos.put(flat, twoD);
        infos.put(soft, new TensorInfo(soft, x.elemType(), twoD.shape(), twoD.batchDependent()));
        String name = GradientGraphBuilder.nodeName(n);
        return List.of(
                NodeProto.newBuilder().setOpType("Flatten").setName(fresh(name + "_flatten")).addInput(n.getInput(0))
                        .addOutput(flat).addAttribute(OnnxAttributes.of("axis", axis)).build(),
                base.toBuilder().clearInput().addInput(flat).clearOutput().addOutput(soft)
                        .addAttribute(OnnxAttributes.of("axis", (long) -1)).build(),
                NodeProto.newBuilder().setOpType("Shape").setName(fresh(name + "_shape")).addInput(n.getInput(0))
                        .addOutput(shape).build(),
                NodeProto.newBuilder().setOpType("Reshape").setName(fresh(name + "_reshape")).addInput(soft)
                        .addInput(shape).addOutput(n.getOutput(0)).build());
    }

    /** Upsample (any opset) and Resize-10 become Resize-18 with asymmetric coordinates. */
    private NodeProto upsample(NodeProto n) {
        String scales;
        double[] scaleValues = null;
        if (OnnxAttributes.has(n, "scales")) {
            scaleValues = OnnxAttributes.find(n, "scales").get().getFloatsList().stream().mapToDouble(Float::doubleValue).toArray();
            scales = constant(OnnxTensors.ofDoubles("", TensorProto.DataType.FLOAT_VALUE, scaleValues, scaleValues.length));
        } else {
            scales = n.getInput(1);
        }
        String mode = OnnxAttributes.getString(n, "mode", "nearest");
        if (mode.equals("bilinear")) {
            mode = "linear";
        }
        NodeProto.Builder b = NodeProto.newBuilder().setOpType("Resize").setName(n.getName()).addInput(n.getInput(0))
                .addInput("").addInput(scales).addOutput(n.getOutput(0))
                .addAttribute(OnnxAttributes.of("mode", mode))
                .addAttribute(OnnxAttributes.of("coordinate_transformation_mode", "asymmetric"));
        if (mode.equals("nearest")) {
            TensorInfo x = infos.get(n.getInput(0));
            TensorInfo y = infos.get(n.getOutput(0));
            boolean down = false;
            for (int i = 0; x != null && y != null && i < x.rank(); i++) {
                down |= y.dim(i) < x.dim(i);
            }
            b.addAttribute(OnnxAttributes.of("nearest_mode", down ? "ceil" : "floor"));
        }
        return b.build();
    }
}
