package io.xai4j.onnx.grad;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.ElementTypes;
import io.xai4j.onnx.ExternalData;
import io.xai4j.onnx.TensorConversion;
import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The {@link BackwardContext} of the graph builder: collects backward nodes and initializers. */
final class GraphEmitter implements BackwardContext {
    static final String METHODS_WITHOUT_GRADIENTS = "methods that need no gradients still work: perturbation methods"
            + " (occlusion, rise, feature-ablation) and activation-only CAMs (activation-map, eigen-cam, score-cam,"
            + " ablation-cam)";

    private final OrtEnvironment env;
    private final Path externalData;
    private final List<NodeProto> forward;
    private final Map<String, TensorInfo> infos;
    private final Map<String, TensorProto> constants;
    private final Set<String> usedNames;
    private final List<NodeProto> backward = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private final Map<String, String> shapeCache = new HashMap<>();
    private final Map<String, String> constantCache = new HashMap<>();
    private int counter;
    private Map<String, Integer> producers;
    private Map<String, List<Integer>> consumers;
    private final String seeded;

    private int nodeIndex;
    private String[] outputGradients;
    private boolean[] needs;

    GraphEmitter(OrtEnvironment env, Path externalData, List<NodeProto> forward, Map<String, TensorInfo> infos,
            Map<String, TensorProto> constants, Set<String> usedNames, String seeded) {
        this.env = env;
        this.seeded = seeded;
        this.externalData = externalData;
        this.forward = forward;
        this.infos = infos;
        this.constants = constants;
        this.usedNames = usedNames;
    }

    void select(int index, String[] outputGradients, boolean[] needs) {
        this.nodeIndex = index;
        this.outputGradients = outputGradients;
        this.needs = needs;
    }

    List<NodeProto> backwardNodes() {
        return backward;
    }

    List<TensorProto> initializers() {
        return initializers;
    }

    void addNode(NodeProto node) {
        backward.add(node);
    }

    @Override
    public NodeProto node() {
        return nodeIndex < 0 ? null : forward.get(nodeIndex);
    }

    @Override
    public int inputCount() {
        return node().getInputCount();
    }

    @Override
    public String input(int i) {
        return i < node().getInputCount() ? node().getInput(i) : "";
    }

    @Override
    public String output(int i) {
        return i < node().getOutputCount() ? node().getOutput(i) : "";
    }

    @Override
    public TensorInfo info(String tensor) {
        TensorInfo t = infos.get(tensor);
        if (t == null) {
            throw new XaiException(ErrorCode.INTERNAL, "no shape is known for tensor '" + tensor + "'");
        }
        return t;
    }

    @Override
    public String outputGradient(int i) {
        return i < outputGradients.length ? outputGradients[i] : null;
    }

    @Override
    public boolean needsGradient(int i) {
        return i < needs.length && needs[i];
    }

    @Override
    public Optional<TensorProto> constantValue(String tensor) {
        return Optional.ofNullable(constants.get(tensor));
    }

    @Override
    public String requireOutput(int i) {
        NodeProto n = node();
        if (i < n.getOutputCount() && !n.getOutput(i).isEmpty()) {
            return n.getOutput(i);
        }
        String name = freshName(n.getOutput(0) + "_out" + i);
        NodeProto.Builder b = n.toBuilder();
        while (b.getOutputCount() <= i) {
            b.addOutput("");
        }
        b.setOutput(i, name);
        forward.set(nodeIndex, b.build());
        return name;
    }

    @Override
    public String emit(String opType, List<String> inputs, AttributeProto... attributes) {
        return emit(opType, inputs, 1, attributes).get(0);
    }

    @Override
    public List<String> emit(String opType, List<String> inputs, int outputs, AttributeProto... attributes) {
        String base = node() == null ? opType : opType + "_" + node().getOutput(0);
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(opType).addAllInput(inputs)
                .setName(freshName("grad/" + base)).addAllAttribute(Arrays.asList(attributes));
        List<String> outs = new ArrayList<>(outputs);
        for (int i = 0; i < outputs; i++) {
            String o = freshName("grad/" + base);
            outs.add(o);
            b.addOutput(o);
        }
        backward.add(b.build());
        return outs;
    }

    @Override
    public String initializer(TensorProto value) {
        String name = freshName("grad/const");
        initializers.add(value.toBuilder().setName(name).build());
        return name;
    }

    @Override
    public String scalar(double value, String like) {
        int type = info(like).elemType();
        return constantCache.computeIfAbsent("s" + type + ":" + value,
                k -> initializer(OnnxTensors.ofDoubles("", type, new double[] {value})));
    }

    @Override
    public String int64s(long... values) {
        return constantCache.computeIfAbsent("i" + Arrays.toString(values),
                k -> initializer(OnnxTensors.ofLongs("", values, values.length)));
    }

    @Override
    public String shapeOf(String tensor) {
        String cached = shapeCache.get(tensor);
        if (cached == null) {
            cached = emit("Shape", List.of(tensor));
            shapeCache.put(tensor, cached);
        }
        return cached;
    }

    @Override
    public String zerosLike(String tensor) {
        TensorProto zero = OnnxTensors.ofDoubles("value", info(tensor).elemType(), new double[] {0}, 1);
        return emit("ConstantOfShape", List.of(shapeOf(tensor)), OnnxAttributes.of("value", zero));
    }

    @Override
    public String reduceToShape(String gradient, TensorInfo gradientInfo, String target) {
        TensorInfo t = info(target);
        int big = gradientInfo.rank();
        int small = t.rank();
        List<Long> axes = new ArrayList<>();
        for (int i = 0; i < big; i++) {
            int j = i - (big - small);
            if (j < 0) {
                axes.add((long) i);
            } else if (!t.isDynamic(j) && t.dim(j) == 1 && (gradientInfo.isDynamic(i) || gradientInfo.dim(i) != 1)) {
                axes.add((long) i);
            }
        }
        String g = gradient;
        if (!axes.isEmpty()) {
            g = emit("ReduceSum", List.of(g, int64s(axes.stream().mapToLong(Long::longValue).toArray())),
                    OnnxAttributes.of("keepdims", 1L));
        }
        if (big != small) {
            g = emit("Reshape", List.of(g, shapeOf(target)));
        }
        return g;
    }

    @Override
    public Map<String, double[]> evaluate(ModelProto model, Map<String, TensorProto> inputs) {
        Map<String, OnnxTensor> feed = new HashMap<>();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            ExternalData.resolveFrom(opts, externalData);
            try (OrtSession session = env.createSession(model.toByteArray(), opts)) {
                for (Map.Entry<String, TensorProto> e : inputs.entrySet()) {
                    TensorProto t = e.getValue();
                    int[] shape = t.getDimsList().stream().mapToInt(Long::intValue).toArray();
                    feed.put(e.getKey(), TensorConversion.toOrt(env, OnnxTensors.toDoubles(t), shape,
                            ElementTypes.javaType(t.getDataType())));
                }
                Map<String, double[]> out = new HashMap<>();
                try (OrtSession.Result r = session.run(feed)) {
                    for (Map.Entry<String, OnnxValue> e : r) {
                        out.put(e.getKey(), TensorConversion.toDoubles((OnnxTensor) e.getValue()));
                    }
                }
                return out;
            }
        } catch (OrtException e) {
            throw new XaiException(ErrorCode.MODEL_EXECUTION, "export-time evaluation for the gradient of "
                    + describeNode() + " failed: " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public String freshName(String hint) {
        String name = hint;
        while (!usedNames.add(name)) {
            name = hint + "_" + (++counter);
        }
        return name;
    }

    @Override
    public RuntimeException unsupported(String what) {
        return new XaiException(ErrorCode.UNSUPPORTED_OP, "cannot differentiate " + describeNode() + ": " + what
                + "; " + METHODS_WITHOUT_GRADIENTS);
    }

    @Override
    public Optional<NodeProto> producer(String tensor) {
        indexNodes();
        Integer i = producers.get(tensor);
        return i == null ? Optional.empty() : Optional.of(forward.get(i));
    }

    @Override
    public List<NodeProto> consumers(String tensor) {
        indexNodes();
        return consumers.getOrDefault(tensor, List.of()).stream().map(forward::get).toList();
    }

    @Override
    public boolean isSeeded(String tensor) {
        return tensor.equals(seeded);
    }

    private void indexNodes() {
        if (producers != null) {
            return;
        }
        producers = new HashMap<>();
        consumers = new HashMap<>();
        for (int i = 0; i < forward.size(); i++) {
            int index = i;
            forward.get(i).getOutputList().stream().filter(o -> !o.isEmpty()).forEach(o -> producers.put(o, index));
            forward.get(i).getInputList().stream().filter(t -> !t.isEmpty()).distinct()
                    .forEach(t -> consumers.computeIfAbsent(t, k -> new ArrayList<>()).add(index));
        }
    }

    String describeNode() {
        NodeProto n = node();
        return "op " + n.getOpType() + " (node '" + (n.getName().isEmpty() ? n.getOutput(0) : n.getName()) + "')";
    }
}
