package io.xai4j.onnx.grad;

import ai.onnxruntime.OrtEnvironment;
import io.xai4j.error.ClosestNames;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.onnx.proto.Onnx.TensorShapeProto;
import io.xai4j.onnx.proto.Onnx.TypeProto;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import io.xai4j.spi.GradientRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Builds a {@link GradientModel}: the forward model plus a backward pass that computes the vector-Jacobian
 * products {@code seed^T * d output / d tensor} with standard ONNX ops.
 *
 * <p>Only nodes on paths from the tensors to differentiate with respect to ({@link #wrt}) to the seeded
 * tensor get backward nodes; gradients of tensors with fan-out are summed; integer and boolean tensors
 * (shape computations, indices) carry no gradient. Shapes come from one probe run of the model on ONNX
 * Runtime with the given input shapes; the batch axis stays symbolic in the emitted graph. Models below
 * opset 18 are upgraded to opset 18 first, and LSTM, GRU and RNN nodes on the gradient path are unrolled into
 * standard ops for the probed sequence length ({@link RecurrentUnroller}).
 */
public final class GradientGraphBuilder {
    /** Name of the seed input (made unique if the model already uses it). */
    public static final String SEED = "seed";
    /** Prefix of gradient outputs: {@code grad:<tensor>}. */
    public static final String GRADIENT_PREFIX = "grad:";
    /** Prefix of activation outputs that would clash with a model input: {@code act:<tensor>}. */
    public static final String ACTIVATION_PREFIX = "act:";

    private final ModelProto model;
    private Map<String, int[]> inputShapes = Map.of();
    private String output;
    private boolean throughSoftmax;
    private final Set<String> wrt = new LinkedHashSet<>();
    private final Set<String> activations = new LinkedHashSet<>();
    private String ruleSet = GradientRequest.EXACT;
    private RuleSets ruleSets;
    private Path externalDataFolder;

    private GradientGraphBuilder(ModelProto model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    public static GradientGraphBuilder forModel(ModelProto model) {
        return new GradientGraphBuilder(model);
    }

    /**
     * Concrete shapes of the model inputs, batch included, for the probe run. Inputs whose declared shape is fully
     * static may be left out.
     */
    public GradientGraphBuilder inputShapes(Map<String, int[]> shapes) {
        this.inputShapes = Map.copyOf(shapes);
        return this;
    }

    /** The output to differentiate; the model's first output by default. */
    public GradientGraphBuilder output(String name) {
        this.output = name;
        return this;
    }

    /** Seed the output itself even when it is produced by Softmax or LogSoftmax (default: seed the logits). */
    public GradientGraphBuilder differentiateThroughSoftmax(boolean through) {
        this.throughSoftmax = through;
        return this;
    }

    /** Tensors (model inputs or intermediate tensors) to differentiate with respect to. */
    public GradientGraphBuilder wrt(Collection<String> names) {
        wrt.addAll(names);
        return this;
    }

    public GradientGraphBuilder wrt(String... names) {
        return wrt(Arrays.asList(names));
    }

    /** Intermediate tensors whose forward values are returned too. */
    public GradientGraphBuilder activations(Collection<String> names) {
        activations.addAll(names);
        return this;
    }

    /** The backward rule set, {@code exact} by default. */
    public GradientGraphBuilder ruleSet(String name) {
        this.ruleSet = Objects.requireNonNull(name, "ruleSet");
        return this;
    }

    /** The rule sets {@link #ruleSet(String)} names one of; {@link RuleSets#classPath()} by default. */
    public GradientGraphBuilder ruleSets(RuleSets catalogue) {
        this.ruleSets = Objects.requireNonNull(catalogue, "ruleSets");
        return this;
    }

    /** The folder of the model file, where tensors stored as external data are found (none by default). */
    public GradientGraphBuilder externalDataFolder(Path folder) {
        this.externalDataFolder = folder;
        return this;
    }

    /** Probes the model on {@code env} and emits the gradient model. */
    public GradientModel build(OrtEnvironment env) {
        GraphProto graph = model.getGraph();
        if (graph.getOutputCount() == 0) {
            throw new XaiException(ErrorCode.INVALID_MODEL, "the model has no outputs");
        }
        RuleSets.Resolved rules = (ruleSets != null ? ruleSets : RuleSets.classPath()).resolve(ruleSet);
        Map<String, NodeProto> producers = new HashMap<>();
        graph.getNodeList().forEach(n -> n.getOutputList().forEach(o -> producers.put(o, n)));
        Set<String> runtimeInputs = ShapeProbe.runtimeInputs(graph).keySet();
        Set<String> known = new LinkedHashSet<>(runtimeInputs);
        graph.getNodeList().forEach(n -> n.getOutputList().stream().filter(o -> !o.isEmpty()).forEach(known::add));

        String out = output != null ? output : graph.getOutput(0).getName();
        List<String> outputNames = graph.getOutputList().stream().map(ValueInfoProto::getName).toList();
        if (!outputNames.contains(out)) {
            throw new XaiException(ErrorCode.UNKNOWN_TARGET, "unknown model output '" + out + "'; outputs: " + outputNames);
        }
        if (wrt.isEmpty()) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "no tensor to differentiate with respect to was given;"
                    + " model inputs: " + runtimeInputs);
        }
        checkKnown(wrt, known, "differentiate with respect to");
        checkKnown(activations, known, "return as activation");
        String seeded = out;
        NodeProto last = producers.get(out);
        if (!throughSoftmax && last != null && last.getDomain().isEmpty()
                && (last.getOpType().equals("Softmax") || last.getOpType().equals("LogSoftmax"))) {
            seeded = last.getInput(0);
        }

        ShapeProbe.Result probe = ShapeProbe.probe(env, model, inputShapes, externalDataFolder);
        Map<String, TensorInfo> infos = new HashMap<>(probe.infos());
        ModelProto upgraded = OpsetUpgrade.toOpset18(model, infos);
        upgraded = unrollRecurrent(upgraded, infos, seeded, runtimeInputs, probe.uniformInts());
        for (String w : wrt) {
            TensorInfo info = infos.get(w);
            if (info != null && !info.isFloat()) {
                throw new XaiException(ErrorCode.INVALID_ARGUMENT, "cannot differentiate with respect to '" + w
                        + "': its element type " + TensorProto.DataType.forNumber(info.elemType()) + " is not floating"
                        + " point (for token ids, differentiate with respect to the embedding output instead)");
            }
        }
        TensorInfo seededInfo = infos.get(seeded);
        if (seededInfo == null || !seededInfo.isFloat()) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "output '" + seeded + "' is not a floating-point tensor"
                    + " and cannot be differentiated");
        }
        Map<String, TensorProto> constants = constants(upgraded.getGraph());
        shapeDerivedConstants(upgraded.getGraph(), runtimeInputs, probe.intValues(), infos, constants);
        return new Emission(env, upgraded, infos, constants, rules, seeded, out, runtimeInputs).run();
    }

    /** Unrolls the recurrent nodes on the gradient path; returns {@code upgraded} itself when there are none. */
    private ModelProto unrollRecurrent(ModelProto upgraded, Map<String, TensorInfo> infos, String seeded,
            Set<String> runtimeInputs, Map<String, Long> probedUniform) {
        List<NodeProto> nodes = upgraded.getGraph().getNodeList();
        if (nodes.stream().noneMatch(RecurrentUnroller::isRecurrent)) {
            return upgraded;
        }
        Map<String, TensorProto> constants = constants(upgraded.getGraph());
        Set<String> dataDependent = dataDependent(upgraded.getGraph(), runtimeInputs);
        Function<String, Long> uniformInt = name -> {
            TensorProto c = constants.get(name);
            if (c != null) {
                long[] v = OnnxTensors.toLongs(c);
                return v.length > 0 && Arrays.stream(v).allMatch(x -> x == v[0]) ? v[0] : null;
            }
            return dataDependent.contains(name) ? null : probedUniform.get(name);
        };
        GradientPath path = GradientPath.of(nodes, wrt, seeded, t -> infos.get(t) != null && infos.get(t).isFloat());
        return RecurrentUnroller.unroll(upgraded, infos, uniformInt, path.active());
    }

    /**
     * The nodes that get backward nodes: those with an output that depends on a {@code wrt} tensor and leads to
     * the seeded tensor.
     *
     * @param dependsOnWrt floating-point tensors computed from a {@code wrt} tensor, and those tensors themselves
     * @param active       per node, whether it is on the gradient path
     */
    record GradientPath(Set<String> dependsOnWrt, boolean[] active) {
        static GradientPath of(List<NodeProto> nodes, Set<String> wrt, String seeded,
                Predicate<String> isFloat) {
            Set<String> dependsOnWrt = new HashSet<>(wrt);
            for (NodeProto n : nodes) {
                if (n.getInputList().stream().anyMatch(dependsOnWrt::contains)) {
                    n.getOutputList().stream().filter(isFloat).forEach(dependsOnWrt::add);
                }
            }
            Set<String> leadsToSeed = new HashSet<>(Set.of(seeded));
            boolean[] active = new boolean[nodes.size()];
            for (int i = nodes.size() - 1; i >= 0; i--) {
                NodeProto n = nodes.get(i);
                if (n.getOutputList().stream().anyMatch(o -> leadsToSeed.contains(o) && dependsOnWrt.contains(o))) {
                    active[i] = true;
                    n.getInputList().stream().filter(isFloat).forEach(leadsToSeed::add);
                }
            }
            return new GradientPath(dependsOnWrt, active);
        }
    }

    private static void checkKnown(Collection<String> names, Set<String> known, String what) {
        for (String n : names) {
            if (!known.contains(n)) {
                throw new XaiException(ErrorCode.UNKNOWN_LAYER, "cannot " + what + " unknown tensor '" + n
                        + "'; close names: " + ClosestNames.closest(n, known, 5));
            }
        }
    }

    /** One emission of a backward pass. */
    private final class Emission {
        private final OrtEnvironment env;
        private final ModelProto upgraded;
        private final Map<String, TensorInfo> infos;
        private final Map<String, BackwardRule> rules;
        private final boolean startsFromScore;
        private final Map<String, TensorProto> constants;
        private final String seeded;
        private final String out;
        private final Set<String> runtimeInputs;
        private final Map<String, List<String>> contributions = new HashMap<>();

        Emission(OrtEnvironment env, ModelProto upgraded, Map<String, TensorInfo> infos, Map<String, TensorProto> constants,
                RuleSets.Resolved rules, String seeded, String out, Set<String> runtimeInputs) {
            this.env = env;
            this.constants = constants;
            this.upgraded = upgraded;
            this.infos = infos;
            this.rules = rules.rules();
            this.startsFromScore = rules.startsFromScore();
            this.seeded = seeded;
            this.out = out;
            this.runtimeInputs = runtimeInputs;
        }

        GradientModel run() {
            GraphProto graph = upgraded.getGraph();
            List<NodeProto> forward = new ArrayList<>(graph.getNodeList());
            Set<String> used = new HashSet<>(infos.keySet());
            forward.forEach(n -> {
                used.addAll(n.getOutputList());
                used.add(n.getName());
            });
            graph.getInputList().forEach(v -> used.add(v.getName()));
            graph.getOutputList().forEach(v -> used.add(v.getName()));
            GraphEmitter emitter = new GraphEmitter(env, externalDataFolder, forward, infos, constants, used,
                    seeded);
            String seedName = emitter.freshName(SEED);

            GradientPath path = GradientPath.of(forward, wrt, seeded, this::isFloat);
            Set<String> dependsOnWrt = path.dependsOnWrt();
            boolean[] active = path.active();
            checkRules(forward, active);
            contributions.computeIfAbsent(seeded, k -> new ArrayList<>()).add(startsFromScore
                    ? seedTimesScore(emitter, seedName) : seedName);
            for (int i = forward.size() - 1; i >= 0; i--) {
                if (active[i]) {
                    backward(emitter, forward, i, dependsOnWrt);
                }
            }
            emitter.select(-1, new String[0], new boolean[0]);
            Map<String, String> gradientOutputs = new LinkedHashMap<>();
            for (String w : wrt) {
                String g = summed(emitter, w);
                if (g == null) {
                    g = emitter.zerosLike(w);
                }
                String name = emitter.freshName(GRADIENT_PREFIX + w);
                emitter.addNode(NodeProto.newBuilder().setOpType("Identity").addInput(g).addOutput(name)
                        .setName(emitter.freshName("grad/output_" + w)).build());
                gradientOutputs.put(w, name);
            }
            return assemble(graph, forward, emitter, seedName, gradientOutputs);
        }

        /** The seed times the seeded tensor, where a relevance rule set starts. */
        private String seedTimesScore(GraphEmitter emitter, String seedName) {
            String start = emitter.freshName("grad/relevance_" + seeded);
            emitter.addNode(NodeProto.newBuilder().setOpType("Mul").addInput(seedName).addInput(seeded)
                    .addOutput(start).setName(emitter.freshName("grad/Relevance_" + seeded)).build());
            return start;
        }

        private boolean isFloat(String tensor) {
            TensorInfo t = infos.get(tensor);
            return t != null && t.isFloat();
        }

        private void checkRules(List<NodeProto> forward, boolean[] active) {
            List<String> missing = new ArrayList<>();
            NodeProto first = null;
            for (int i = 0; i < forward.size(); i++) {
                NodeProto n = forward.get(i);
                if (active[i] && (!isDefaultDomain(n) || !rules.containsKey(n.getOpType()))) {
                    String op = isDefaultDomain(n) ? n.getOpType() : n.getDomain() + ":" + n.getOpType();
                    if (!missing.contains(op)) {
                        missing.add(op);
                    }
                    first = first == null ? n : first;
                }
            }
            if (first != null) {
                String op = isDefaultDomain(first) ? first.getOpType() : first.getDomain() + ":" + first.getOpType();
                throw new XaiException(ErrorCode.UNSUPPORTED_OP, "cannot differentiate op " + op + " (node '"
                        + nodeName(first) + "'): backward rule set '" + ruleSet + "' has no rule for it"
                        + (missing.size() > 1 ? "; ops without rules on the gradient path: " + missing : "")
                        + "; " + GraphEmitter.METHODS_WITHOUT_GRADIENTS);
            }
        }

        private void backward(GraphEmitter emitter, List<NodeProto> forward, int index, Set<String> dependsOnWrt) {
            NodeProto n = forward.get(index);
            String[] outGrads = new String[n.getOutputCount()];
            boolean any = false;
            for (int o = 0; o < outGrads.length; o++) {
                outGrads[o] = n.getOutput(o).isEmpty() ? null : summed(emitter, n.getOutput(o));
                any |= outGrads[o] != null;
            }
            if (!any) {
                return;
            }
            boolean[] needs = new boolean[n.getInputCount()];
            for (int i = 0; i < needs.length; i++) {
                String in = n.getInput(i);
                needs[i] = !in.isEmpty() && dependsOnWrt.contains(in) && isFloat(in);
            }
            emitter.select(index, outGrads, needs);
            List<String> grads = rules.get(n.getOpType()).backward(emitter);
            for (int i = 0; i < needs.length; i++) {
                String g = grads != null && i < grads.size() ? grads.get(i) : null;
                if (needs[i] && g != null) {
                    contributions.computeIfAbsent(n.getInput(i), k -> new ArrayList<>()).add(g);
                }
            }
        }

        private String summed(GraphEmitter emitter, String tensor) {
            List<String> parts = contributions.get(tensor);
            if (parts == null || parts.isEmpty()) {
                return null;
            }
            if (parts.size() > 1) {
                String sum = emitter.freshName("grad/sum_" + tensor);
                emitter.addNode(NodeProto.newBuilder().setOpType("Sum").addAllInput(parts).addOutput(sum)
                        .setName(emitter.freshName("grad/Sum_" + tensor)).build());
                parts.clear();
                parts.add(sum);
            }
            return parts.get(0);
        }

        private GradientModel assemble(GraphProto graph, List<NodeProto> forward, GraphEmitter emitter, String seedName,
                Map<String, String> gradientOutputs) {
            GraphProto.Builder g = graph.toBuilder().clearNode().addAllNode(forward)
                    .addAllNode(emitter.backwardNodes()).addAllInitializer(emitter.initializers());
            TensorInfo seedInfo = infos.get(seeded);
            String batchName = batchName(graph);
            g.addInput(valueInfo(seedName, seedInfo, batchName));
            Set<String> outputs = new HashSet<>();
            graph.getOutputList().forEach(o -> outputs.add(o.getName()));
            Map<String, String> activationOutputs = new LinkedHashMap<>();
            for (String a : activations) {
                if (outputs.contains(a)) {
                    activationOutputs.put(a, a);
                } else if (runtimeInputs.contains(a)) {
                    String name = emitter.freshName(ACTIVATION_PREFIX + a);
                    g.addNode(NodeProto.newBuilder().setOpType("Identity").addInput(a).addOutput(name)
                            .setName(emitter.freshName("grad/activation_" + a)).build());
                    g.addOutput(typedOutput(name, infos.get(a)));
                    activationOutputs.put(a, name);
                } else {
                    g.addOutput(typedOutput(a, infos.get(a)));
                    activationOutputs.put(a, a);
                }
            }
            gradientOutputs.forEach((w, name) -> g.addOutput(typedOutput(name, infos.get(w))));
            if (!outputs.contains(seeded) && !activations.contains(seeded)) {
                g.addOutput(typedOutput(seeded, seedInfo));
            }
            ModelProto result = upgraded.toBuilder().setGraph(g).build();
            List<String> forwardOutputs = graph.getOutputList().stream().map(ValueInfoProto::getName).toList();
            return new GradientModel(result, out, seeded, seedName, seedInfo.shape(), seedInfo.batchDependent(),
                    forwardOutputs, activationOutputs, gradientOutputs, rowBytes());
        }

        /** Bytes per batch row of the probed tensors that follow the batch (4 bytes per element). */
        private long rowBytes() {
            long bytes = 0;
            for (TensorInfo t : infos.values()) {
                int[] shape = t.shape();
                boolean[] batch = t.batchDependent();
                long elements = 1;
                int rows = 0;
                for (int i = 0; i < shape.length; i++) {
                    elements *= shape[i];
                    if (rows == 0 && batch[i]) {
                        rows = shape[i];
                    }
                }
                if (rows > 0) {
                    bytes += Float.BYTES * elements / rows;
                }
            }
            return bytes;
        }
    }

    private static boolean isDefaultDomain(NodeProto n) {
        return n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
    }

    static String nodeName(NodeProto n) {
        return n.getName().isEmpty() ? n.getOutput(0) : n.getName();
    }

    /** Initializers and Constant node values, by tensor name. */
    static Map<String, TensorProto> constants(GraphProto graph) {
        Map<String, TensorProto> constants = new HashMap<>();
        graph.getInitializerList().forEach(t -> constants.put(t.getName(), t));
        for (NodeProto n : graph.getNodeList()) {
            if (n.getOpType().equals("Constant") && isDefaultDomain(n)) {
                constantValue(n).ifPresent(t -> constants.put(n.getOutput(0), t));
            }
        }
        return constants;
    }

    /**
     * Adds the probed values of integer tensors computed only from shapes and constants (not from input values) and
     * equal at every probed batch size, such as Slice starts derived from a channel count.
     */
    private static void shapeDerivedConstants(GraphProto graph, Set<String> runtimeInputs, Map<String, long[]> values,
            Map<String, TensorInfo> infos, Map<String, TensorProto> constants) {
        Set<String> dataDependent = dataDependent(graph, runtimeInputs);
        values.forEach((name, v) -> {
            TensorInfo info = infos.get(name);
            if (!dataDependent.contains(name) && !constants.containsKey(name) && info != null) {
                long[] dims = Arrays.stream(info.shape()).asLongStream().toArray();
                constants.put(name, OnnxTensors.ofLongs(name, v, dims));
            }
        });
    }

    /** Tensors whose values depend on the values (not only the shapes) of the runtime inputs. */
    private static Set<String> dataDependent(GraphProto graph, Set<String> runtimeInputs) {
        Set<String> dataDependent = new HashSet<>(runtimeInputs);
        for (NodeProto n : graph.getNodeList()) {
            boolean shapeOnly = n.getOpType().equals("Shape") || n.getOpType().equals("Size");
            if (!shapeOnly && n.getInputList().stream().anyMatch(dataDependent::contains)) {
                dataDependent.addAll(n.getOutputList());
            }
        }
        return dataDependent;
    }

    private static java.util.Optional<TensorProto> constantValue(NodeProto n) {
        for (AttributeProto a : n.getAttributeList()) {
            switch (a.getName()) {
                case "value":
                    return java.util.Optional.of(a.getT());
                case "value_float":
                    return java.util.Optional.of(OnnxTensors.ofDoubles("", TensorProto.DataType.FLOAT_VALUE,
                            new double[] {a.getF()}));
                case "value_floats":
                    return java.util.Optional.of(OnnxTensors.ofDoubles("", TensorProto.DataType.FLOAT_VALUE,
                            a.getFloatsList().stream().mapToDouble(Float::doubleValue).toArray(), a.getFloatsCount()));
                case "value_int":
                    return java.util.Optional.of(OnnxTensors.ofLongs("", new long[] {a.getI()}));
                case "value_ints":
                    return java.util.Optional.of(OnnxTensors.ofLongs("",
                            a.getIntsList().stream().mapToLong(Long::longValue).toArray(), a.getIntsCount()));
                default:
                    break;
            }
        }
        return java.util.Optional.empty();
    }

    private static String batchName(GraphProto graph) {
        for (ValueInfoProto in : graph.getInputList()) {
            TensorShapeProto s = in.getType().getTensorType().getShape();
            if (s.getDimCount() > 0 && s.getDim(0).hasDimParam() && !s.getDim(0).getDimParam().isEmpty()) {
                return s.getDim(0).getDimParam();
            }
        }
        return "batch";
    }

    private static ValueInfoProto valueInfo(String name, TensorInfo info, String batchName) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (int i = 0; i < info.rank(); i++) {
            TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
            if (info.isDynamic(i)) {
                d.setDimParam(batchName);
            } else {
                d.setDimValue(info.dim(i));
            }
            shape.addDim(d);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(info.elemType()).setShape(shape))).build();
    }

    private static ValueInfoProto typedOutput(String name, TensorInfo info) {
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(info.elemType()))).build();
    }
}
