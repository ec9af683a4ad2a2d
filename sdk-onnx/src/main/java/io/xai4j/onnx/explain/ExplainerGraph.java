package io.xai4j.onnx.explain;

import com.google.protobuf.ByteString;
import io.xai4j.onnx.grad.GradientModel;
import io.xai4j.onnx.grad.OnnxAttributes;
import io.xai4j.onnx.grad.OnnxTensors;
import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.onnx.proto.Onnx.TensorShapeProto;
import io.xai4j.onnx.proto.Onnx.TypeProto;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The graph of an explainer model under construction: a {@link GradientModel}'s graph whose seed input is
 * replaced by nodes added here. Emits nodes with fresh names, renames tensors, and assembles the nodes in
 * topological order with the chosen outputs.
 */
final class ExplainerGraph {
    /** The attribution output (made unique if the model uses the name). */
    static final String ATTRIBUTION = "attribution";

    private final GradientModel gradients;
    private final GraphProto.Builder graph;
    private final List<NodeProto> nodes;
    private final Set<String> used = new HashSet<>();
    private final List<ValueInfoProto> outputs = new ArrayList<>();
    private final List<ValueInfoProto> modelOutputs;
    private final String batch;
    private final int seedType;
    private String targetInput;
    private int counter;

    ExplainerGraph(GradientModel gradients) {
        this.gradients = gradients;
        GraphProto g = gradients.model().getGraph();
        this.graph = g.toBuilder().clearNode().clearOutput();
        this.modelOutputs = g.getOutputList().stream().filter(v -> gradients.forwardOutputs().contains(v.getName()))
                .toList();
        this.nodes = new ArrayList<>(g.getNodeList());
        g.getInputList().forEach(v -> used.add(v.getName()));
        g.getOutputList().forEach(v -> used.add(v.getName()));
        g.getInitializerList().forEach(t -> used.add(t.getName()));
        for (NodeProto n : nodes) {
            used.addAll(n.getInputList());
            used.addAll(n.getOutputList());
            used.add(n.getName());
        }
        this.seedType = input(gradients.seedInput()).getType().getTensorType().getElemType();
        List<ValueInfoProto> inputs = new ArrayList<>(graph.getInputList());
        inputs.removeIf(v -> v.getName().equals(gradients.seedInput()));
        graph.clearInput().addAllInput(inputs);
        this.batch = batchName(inputs);
    }

    GradientModel gradients() {
        return gradients;
    }

    /** The element type of the seed, which the added nodes compute. */
    int seedType() {
        return seedType;
    }

    /** The graph input {@code name}. */
    ValueInfoProto input(String name) {
        return graph.getInputList().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no graph input '" + name + "'"));
    }

    /** The graph inputs fed at run time (not initializers), as far as added so far. */
    List<ValueInfoProto> runtimeInputs() {
        Set<String> initializers = new HashSet<>();
        graph.getInitializerList().forEach(t -> initializers.add(t.getName()));
        return graph.getInputList().stream().filter(v -> !initializers.contains(v.getName())).toList();
    }

    /** The declared rank of graph input {@code name}. */
    int rank(String name) {
        return input(name).getType().getTensorType().getShape().getDimCount();
    }

    /** The elements of one example of graph input {@code name}, its symbolic axes counted as 1. */
    long exampleElements(String name) {
        long elements = 1;
        List<TensorShapeProto.Dimension> dims = input(name).getType().getTensorType().getShape().getDimList();
        for (TensorShapeProto.Dimension d : dims.subList(Math.min(1, dims.size()), dims.size())) {
            elements *= d.hasDimValue() && d.getDimValue() > 0 ? d.getDimValue() : 1;
        }
        return elements;
    }

    /** The name of the symbolic batch dimension. */
    String batch() {
        return batch;
    }

    String fresh(String hint) {
        String name = hint;
        while (!used.add(name)) {
            name = hint + "_" + (++counter);
        }
        return name;
    }

    /** Adds a node of {@code type} and returns its output. */
    String op(String type, List<String> inputs, AttributeProto... attributes) {
        return op(type, inputs, fresh("explain/" + type), attributes);
    }

    /** Adds a node of {@code type} writing {@code output}. */
    String op(String type, List<String> inputs, String output, AttributeProto... attributes) {
        used.add(output);
        nodes.add(NodeProto.newBuilder().setOpType(type).setName(fresh("explain/" + type + "_node"))
                .addAllInput(inputs).addOutput(output).addAllAttribute(Arrays.asList(attributes)).build());
        return output;
    }

    String op(String type, String a, AttributeProto... attributes) {
        return op(type, List.of(a), attributes);
    }

    String op(String type, String a, String b, AttributeProto... attributes) {
        return op(type, List.of(a, b), attributes);
    }

    /** A constant int64 tensor of shape {@code dims} (a scalar when none). */
    String longs(long[] values, long... dims) {
        return constant(OnnxTensors.ofLongs("", values, dims));
    }

    /** A 1-D int64 constant. */
    String ints(long... values) {
        return longs(values, values.length);
    }

    /** A constant float tensor of shape {@code dims} (a scalar when none). */
    String floats(double[] values, long... dims) {
        return constant(OnnxTensors.ofDoubles("", TensorProto.DataType.FLOAT_VALUE, values, dims));
    }

    /** Per example, the sum of {@code tensor} (of rank {@code rank}) over all axes but the batch. */
    String sumPerExample(String tensor, int rank) {
        if (rank < 2) {
            return tensor;
        }
        long[] exampleAxes = new long[rank - 1];
        Arrays.setAll(exampleAxes, i -> i + 1);
        return op("ReduceSum", List.of(tensor, ints(exampleAxes)), OnnxAttributes.of("keepdims", 0L));
    }

    /** An initializer holding {@code value}, under a fresh name. */
    String constant(TensorProto value) {
        String name = fresh("explain/const");
        graph.addInitializer(value.toBuilder().setName(name));
        return name;
    }

    /** Makes every node that reads {@code tensor} read {@code replacement} instead. */
    void redirectReads(String tensor, String replacement) {
        used.add(replacement);
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            if (n.getInputList().contains(tensor)) {
                NodeProto.Builder b = n.toBuilder();
                for (int j = 0; j < b.getInputCount(); j++) {
                    if (b.getInput(j).equals(tensor)) {
                        b.setInput(j, replacement);
                    }
                }
                nodes.set(i, b.build());
            }
        }
    }

    /** Renames the tensor {@code tensor} (its producer's output and every read) to {@code replacement}. */
    void rename(String tensor, String replacement) {
        redirectReads(tensor, replacement);
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            if (n.getOutputList().contains(tensor)) {
                NodeProto.Builder b = n.toBuilder();
                for (int j = 0; j < b.getOutputCount(); j++) {
                    if (b.getOutput(j).equals(tensor)) {
                        b.setOutput(j, replacement);
                    }
                }
                nodes.set(i, b.build());
            }
        }
    }

    /**
     * Adds the nodes of another gradient model of the same model, {@code other}, and returns the names its tensors
     * have here; see {@link #merge(GraphProto, Map, String)}. Model inputs are shared, and the other's seed input
     * becomes a tensor the caller must compute.
     */
    Map<String, String> merge(GradientModel other, String prefix) {
        return merge(other.model().getGraph(), Map.of(other.seedInput(), fresh(prefix + other.seedInput())), prefix);
    }

    /**
     * Adds the forward pass of the gradient model (the nodes its model outputs and seeded tensor need) once more,
     * reading the graph inputs from the tensors {@code inputs} names, and returns the names its tensors have here. An
     * input key may also be a tensor the model computes: the copy then reads it from the tensor named, and leaves out
     * what only computed it.
     */
    Map<String, String> copyForward(Map<String, String> inputs, String prefix) {
        GraphProto own = gradients.model().getGraph();
        Set<String> outputs = new HashSet<>(gradients.forwardOutputs());
        outputs.add(gradients.seededTensor());
        Set<String> produced = new HashSet<>();
        own.getNodeList().forEach(n -> produced.addAll(n.getOutputList()));
        Map<String, String> feeds = new HashMap<>();
        Map<String, String> cuts = new HashMap<>();
        inputs.forEach((tensor, source) -> {
            if (produced.contains(tensor)) {
                String placeholder = fresh(prefix + tensor + "/fed");
                cuts.put(tensor, placeholder);
                feeds.put(placeholder, source);
            } else {
                feeds.put(tensor, source);
            }
        });
        List<NodeProto> forward = own.getNodeList().stream().map(n -> {
            NodeProto.Builder b = n.toBuilder().clearInput();
            n.getInputList().forEach(in -> b.addInput(cuts.getOrDefault(in, in)));
            return b.build();
        }).toList();
        return merge(own.toBuilder().clearNode().addAllNode(TopologicalOrder.needed(forward, outputs)).build(), feeds,
                prefix);
    }

    /**
     * Adds the nodes of {@code other}, a graph over the same weights, and returns the names its tensors have here.
     * Its inputs are read from the tensors {@code inputs} names, or from the graph input of the same name. A node that
     * computes what a node here computes (same op, attributes and inputs) is not added: its outputs are those of the
     * node here, so work both share runs once. Equal initializers are shared; the rest is added under fresh names
     * starting with {@code prefix}.
     */
    private Map<String, String> merge(GraphProto other, Map<String, String> inputs, String prefix) {
        Map<String, String> names = new HashMap<>(inputs);
        Map<String, TensorProto> initializers = new HashMap<>();
        graph.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        for (TensorProto t : other.getInitializerList()) {
            if (t.equals(initializers.get(t.getName()))) {
                names.put(t.getName(), t.getName());
            } else {
                String name = fresh(prefix + t.getName());
                graph.addInitializer(t.toBuilder().setName(name));
                names.put(t.getName(), name);
            }
        }
        Map<ByteString, Integer> computed = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            computed.putIfAbsent(computation(nodes.get(i)), i);
        }
        for (NodeProto n : other.getNodeList()) {
            NodeProto.Builder b = n.toBuilder().clearInput();
            n.getInputList().forEach(in -> b.addInput(in.isEmpty() ? in : names.getOrDefault(in, in)));
            NodeProto mapped = b.build();
            Integer same = deterministic(n) ? computed.get(computation(mapped)) : null;
            if (same != null) {
                NodeProto.Builder existing = nodes.get(same).toBuilder();
                for (int k = 0; k < n.getOutputCount(); k++) {
                    if (n.getOutput(k).isEmpty()) {
                        continue;
                    }
                    while (existing.getOutputCount() <= k) {
                        existing.addOutput("");
                    }
                    if (existing.getOutput(k).isEmpty()) {
                        existing.setOutput(k, fresh(prefix + n.getOutput(k)));
                    }
                    names.put(n.getOutput(k), existing.getOutput(k));
                }
                nodes.set(same, existing.build());
                continue;
            }
            NodeProto.Builder added = mapped.toBuilder().clearOutput().setName(fresh(prefix + n.getName()));
            n.getOutputList().forEach(out -> {
                String name = out.isEmpty() ? out : fresh(prefix + out);
                names.put(out, name);
                added.addOutput(name);
            });
            nodes.add(added.build());
            computed.putIfAbsent(computation(added.build()), nodes.size() - 1);
        }
        return names;
    }

    /** What a node computes: the node without its name and outputs. */
    private static ByteString computation(NodeProto n) {
        return n.toBuilder().clearName().clearOutput().build().toByteString();
    }

    private static boolean deterministic(NodeProto n) {
        return !n.getOpType().startsWith("Random") && !n.getOpType().equals("Multinomial")
                && !n.getOpType().equals("Bernoulli") && !n.getOpType().equals("Dropout");
    }

    /** The target input, once added. */
    String targetInput() {
        return targetInput;
    }

    void targetInput(String name) {
        targetInput = name;
    }

    /** Adds a graph input. */
    void addInput(ValueInfoProto input) {
        used.add(input.getName());
        graph.addInput(input);
    }

    /** Adds a graph output {@code tensor} of element type {@code type} with {@code dims} (-1: batch, -2: unknown). */
    void output(String tensor, int type, long... dims) {
        outputs.add(valueInfo(tensor, type, dims));
    }

    /** The model's own outputs, as the model describes them. */
    List<ValueInfoProto> modelOutputs() {
        return modelOutputs;
    }

    /** Adds a graph output {@code tensor} of the seed's type and the shape of the graph input {@code like}. */
    void outputLike(String tensor, String like) {
        ValueInfoProto in = input(like);
        outputs.add(in.toBuilder().setName(tensor).setType(in.getType().toBuilder().setTensorType(
                in.getType().getTensorType().toBuilder().setElemType(seedType))).build());
    }

    /** Adds a graph output with an existing description (a model output). */
    void output(ValueInfoProto description) {
        outputs.add(description);
    }

    /** A tensor description whose dimensions of -1 are the batch and of -2 unknown. */
    ValueInfoProto valueInfo(String name, int type, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d == -1 ? TensorShapeProto.Dimension.newBuilder().setDimParam(batch)
                    : d < 0 ? TensorShapeProto.Dimension.newBuilder()
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type).setShape(shape))).build();
    }

    /** The assembled graph: the nodes the added outputs need, in a topological order (stable), and the outputs. */
    GraphProto build() {
        Set<String> names = new HashSet<>();
        outputs.forEach(o -> names.add(o.getName()));
        return graph.addAllNode(TopologicalOrder.of(TopologicalOrder.needed(nodes, names))).addAllOutput(outputs)
                .build();
    }

    /** The shape of a tensor description, e.g. {@code [N, 3, 224, 224]}. */
    static String describe(ValueInfoProto v) {
        List<String> dims = new ArrayList<>();
        for (TensorShapeProto.Dimension d : v.getType().getTensorType().getShape().getDimList()) {
            dims.add(d.hasDimValue() ? String.valueOf(d.getDimValue()) : d.getDimParam().isEmpty() ? "?" : d.getDimParam());
        }
        return "[" + String.join(", ", dims) + "]";
    }

    private static String batchName(List<ValueInfoProto> inputs) {
        for (ValueInfoProto in : inputs) {
            TensorShapeProto s = in.getType().getTensorType().getShape();
            if (s.getDimCount() > 0 && !s.getDim(0).getDimParam().isEmpty()) {
                return s.getDim(0).getDimParam();
            }
        }
        return "batch";
    }
}
