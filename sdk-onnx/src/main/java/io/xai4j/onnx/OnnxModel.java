package io.xai4j.onnx;

import com.google.protobuf.ByteString;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import ai.onnxruntime.OrtSession.SessionOptions;
import io.xai4j.layer.GraphView;
import io.xai4j.onnx.grad.GradientCache;
import io.xai4j.onnx.grad.OnnxGradientEngine;
import io.xai4j.onnx.grad.RuleSets;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.spi.Dim;
import io.xai4j.spi.GradientEngine;
import io.xai4j.spi.LayerInfo;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelCapability;
import io.xai4j.spi.ModelInfo;
import io.xai4j.spi.ModelOptions;
import io.xai4j.spi.ModelSignature;
import io.xai4j.spi.TensorSpec;
import io.xai4j.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * An ONNX model run by ONNX Runtime. One session serves the declared outputs; sessions over a copy of the
 * model that also outputs requested intermediate tensors are created on demand and cached per set of
 * tensors. A model exported with a fixed batch (of 1 or more rows) is made batch-dynamic when a verified rewrite
 * allows it, otherwise batches run in chunks of the fixed batch. Thread-safe.
 */
public final class OnnxModel implements Model {
    /** How the model handles batches. */
    public enum BatchMode {
        /** The model declares a symbolic batch. */
        DYNAMIC,
        /** A fixed batch was rewritten to a symbolic batch and verified. */
        REWRITTEN,
        /**
         * A fixed batch that could not be rewritten, of rows that do not depend on each other: batches run in
         * chunks of the fixed batch (one row at a time for a batch of 1), the last one padded.
         */
        SEQUENTIAL,
        /** A fixed batch whose rows depend on each other (or no inputs): shapes must match the declaration. */
        FIXED
    }

    private final ModelProto working;
    private final SessionFactory factory;
    private final OrtRunner main;
    private final BatchMode batchMode;
    private final int fixedBatch;
    private final ModelSignature signature;
    private final ModelInfo info;
    private final RuleSets ruleSets;
    private final Map<String, GraphTensor> produced = new LinkedHashMap<>();
    private final Map<Set<String>, OrtRunner> withIntermediates = new ConcurrentHashMap<>();
    private final Map<String, List<LayerInfo>> layersByShapes = new ConcurrentHashMap<>();
    private OnnxGradientEngine gradientEngine;
    private SessionOptions gradientOptions;
    private volatile boolean closed;
    private volatile OnnxGraphView graphView;

    private OnnxModel(ModelProto working, SessionFactory factory, OrtRunner main, BatchMode batchMode, int fixedBatch,
                      ModelProto original, ModelInfo info, RuleSets ruleSets) {
        this.working = working;
        this.factory = factory;
        this.main = main;
        this.batchMode = batchMode;
        this.fixedBatch = fixedBatch;
        this.signature = new ModelSignature(main.inputs(), main.outputs());
        this.info = info;
        this.ruleSets = ruleSets;
        Set<String> kept = Graphs.producedTensors(working.getGraph()).stream().map(GraphTensor::name)
                .collect(Collectors.toSet());
        Graphs.producedTensors(original.getGraph()).stream().filter(t -> kept.contains(t.name()))
                .forEach(t -> produced.put(t.name(), t));
    }

    /**
     * Loads a model file; see {@link ModelOptions} for the device, threads and the rule sets its gradients may use
     * besides the built-in and class-path ones.
     */
    public static OnnxModel load(Path file, ModelOptions options) {
        ModelOptions opts = options == null ? ModelOptions.defaults() : options;
        RuleSets ruleSets = RuleSets.with(opts.ruleSets());
        OnnxModels.LoadedModel loaded = OnnxModels.load(file);
        SessionFactory factory = SessionFactory.select(opts, loaded.directory());
        String source = "'" + file.getFileName() + "'";
        OrtRunner original = factory.open(loaded.bytes(), source);
        ModelInfo info = new ModelInfo(String.valueOf(file.getFileName()), loaded.sha256(), "onnxruntime",
                factory.device().toString());
        try {
            requireUsable(original, source);
            return DynamicBatch.prepare(loaded.proto(), original, factory, source,
                    (working, runner, mode, fixed) -> new OnnxModel(working, factory, runner, mode, fixed,
                            loaded.proto(), info, ruleSets));
        } catch (RuntimeException e) {
            original.close();
            throw e;
        }
    }

    /**
     * Refuses a model that cannot be explained whatever the input: one without outputs, or whose input holds more
     * elements than a tensor can (2^31 - 1), which would otherwise show as negative sizes later.
     */
    private static void requireUsable(OrtRunner runner, String source) {
        if (runner.outputs().isEmpty()) {
            throw new XaiException(ErrorCode.INVALID_MODEL, "model " + source + " has no outputs, so there is nothing"
                    + " to explain; export it with its output tensors");
        }
        for (TensorSpec input : runner.inputs()) {
            long elements = 1;
            for (Dim dim : input.shape()) {
                if (dim.isFixed() && dim.size() > 0) {
                    elements = dim.size() > Integer.MAX_VALUE / elements ? Long.MAX_VALUE : elements * dim.size();
                }
            }
            if (elements > Integer.MAX_VALUE) {
                throw new XaiException(ErrorCode.INVALID_MODEL, "model " + source + " declares input '" + input.name()
                        + "' " + input.shapeString() + ", more than " + Integer.MAX_VALUE + " elements, the most a tensor"
                        + " holds");
            }
        }
    }

    /** The backward rule sets this model's gradients may use: built in, on the class path, and given at load. */
    public RuleSets ruleSets() {
        return ruleSets;
    }

    public BatchMode batchMode() {
        return batchMode;
    }

    /** The batch size the model file fixes, or 0 when its batch is symbolic. */
    public int fixedBatch() {
        return fixedBatch;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public Map<String, Tensor> forward(Map<String, Tensor> inputs, Set<String> outputs) {
        ensureOpen();
        int batch = InputValidator.validate(signature.inputs(), inputs);
        if (batchMode == BatchMode.FIXED && fixedBatch > 0 && batch != fixedBatch) {
            throw new XaiException(ErrorCode.SHAPE_MISMATCH, "model " + info.source() + " runs batches of exactly "
                    + fixedBatch + " rows, got " + batch + ": its input '" + signature.firstInput().name() + "' is fixed"
                    + " at " + signature.firstInput().shapeString() + " and its rows depend on each other, so they"
                    + " cannot be run in other numbers; methods that run other batch sizes cannot explain it");
        }
        if (outputs == null || outputs.isEmpty()) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "no outputs requested; the model's outputs are "
                    + signature.outputNames());
        }
        Set<String> extra = new TreeSet<>(outputs);
        extra.removeAll(signature.outputNames());
        OrtRunner runner = extra.isEmpty() ? main : runnerFor(extra);
        if (batchMode == BatchMode.SEQUENTIAL) {
            return FixedBatches.forward(inputs, fixedBatch, chunk -> runner.run(chunk, outputs));
        }
        return runner.run(inputs, outputs);
    }

    private OrtRunner runnerFor(Set<String> extra) {
        Map<String, Integer> types = new LinkedHashMap<>();
        for (String name : extra) {
            GraphTensor t = produced.get(name);
            if (t == null || t.elemType() == 0) {
                throw new XaiException(ErrorCode.UNKNOWN_LAYER, "'" + name + "' is neither an output nor an"
                        + " intermediate tensor of the model; outputs are " + signature.outputNames()
                        + ", intermediate tensors include " + produced.keySet().stream().limit(12).toList()
                        + (produced.size() > 12 ? " and " + (produced.size() - 12) + " more (see layers())" : ""));
            }
            types.put(name, t.elemType());
        }
        OrtRunner runner = withIntermediates.computeIfAbsent(Set.copyOf(extra), k -> factory.open(
                Graphs.exposeOutputs(working, types).toByteArray(), "the model with intermediate outputs " + k));
        if (closed) {
            close();
            ensureOpen();
        }
        return runner;
    }

    @Override
    public Set<ModelCapability> capabilities() {
        return batchMode == BatchMode.DYNAMIC || batchMode == BatchMode.REWRITTEN
                ? EnumSet.of(ModelCapability.DYNAMIC_BATCH, ModelCapability.INTERMEDIATES, ModelCapability.GRADIENTS)
                : EnumSet.of(ModelCapability.INTERMEDIATES, ModelCapability.GRADIENTS);
    }

    /**
     * The gradient engine over this model's graph (the batch-dynamic copy when one was made). Gradient graphs
     * are built on first use per request shape and kept with their sessions until the model is closed. A
     * model that runs in chunks of its fixed batch gets gradients in the same chunks.
     */
    @Override
    public synchronized Optional<GradientEngine> gradients() {
        ensureOpen();
        if (gradientEngine == null) {
            gradientOptions = factory.newOptions();
            gradientEngine = new OnnxGradientEngine(working, factory.environment(), gradientOptions,
                    GradientCache.fromEnvironment(), factory.modelDirectory(), ruleSets);
        }
        return Optional.of(batchMode == BatchMode.SEQUENTIAL ? FixedBatches.gradients(gradientEngine, fixedBatch)
                : gradientEngine);
    }

    /**
     * Every tensor nodes produce, in topological order, with the concrete shape of one probe run on zeros
     * of the given input shapes. Results are kept per input shapes; the probe's session is closed after the run.
     */
    @Override
    public List<LayerInfo> layers(Map<String, int[]> inputShapes) {
        Map<String, int[]> shapes = inputShapes == null ? Map.of() : inputShapes;
        String key = new TreeMap<>(shapes).entrySet().stream().map(e -> e.getKey() + Arrays.toString(e.getValue()))
                .collect(Collectors.joining(";"));
        return layersByShapes.computeIfAbsent(key, k -> probeLayers(shapes));
    }

    private List<LayerInfo> probeLayers(Map<String, int[]> inputShapes) {
        Map<String, Tensor> zeros = new LinkedHashMap<>();
        inputShapes.forEach((name, shape) -> zeros.put(name, Tensor.zeros(shape)));
        Set<String> names = produced.values().stream().filter(t -> t.elemType() != 0).map(GraphTensor::name)
                .collect(Collectors.toCollection(TreeSet::new));
        Map<String, Tensor> values = forward(zeros, names);
        names.removeAll(signature.outputNames());
        OrtRunner probe = withIntermediates.remove(Set.copyOf(names));
        if (probe != null) {
            probe.close();
        }
        List<LayerInfo> layers = new ArrayList<>();
        for (GraphTensor t : produced.values()) {
            Tensor v = values.get(t.name());
            if (v != null) {
                List<Long> shape = Arrays.stream(v.shape()).asLongStream().boxed().toList();
                layers.add(new LayerInfo(t.name(), t.opType(), t.node(), shape));
            }
        }
        return List.copyOf(layers);
    }

    /** A read-only view of the (batch-dynamic) graph, built on first use. */
    @Override
    public Optional<GraphView> graph() {
        OnnxGraphView view = graphView;
        if (view == null) {
            view = new OnnxGraphView(working.getGraph());
            graphView = view;
        }
        return Optional.of(view);
    }

    /**
     * The part of the model after {@code layer}, in its own session: its only input is the layer and its outputs
     * are the model outputs that depend on it.
     */
    @Override
    public Model tail(String layer) {
        ensureOpen();
        return openTail(TailGraph.cut(working, layer), "after " + layer);
    }

    /**
     * The part of the model that computes {@code output} from {@code tensor}, in its own session. Its inputs are
     * {@code tensor} and the model inputs that part still reads (they stay fixed while the tensor varies).
     *
     * @param tensor a model input or a tensor some node produces
     * @param output an output or an intermediate tensor of the model
     * @throws XaiException {@link ErrorCode#UNKNOWN_LAYER} for an unknown tensor
     */
    public Model tail(String tensor, String output) {
        return tail(tensor, output, UnaryOperator.identity());
    }

    /**
     * As {@link #tail(String, String)}, with the part's graph rewritten by {@code rewrite} before its session opens;
     * the rewrite may add nodes and outputs, which the returned model's signature then lists.
     */
    public Model tail(String tensor, String output, UnaryOperator<ModelProto> rewrite) {
        ensureOpen();
        return openTail(rewrite.apply(TailGraph.of(working, tensor, List.of(output))), "from " + tensor + " to "
                + output);
    }

    private Model openTail(ModelProto tail, String part) {
        OrtRunner runner = factory.open(tail.toByteArray(), "the part of " + info.source() + " " + part);
        ModelInfo tailInfo = new ModelInfo(info.source() + " " + part, info.sha256(), info.backend(), info.device());
        return new TailModel(runner, tailInfo, batchMode == BatchMode.SEQUENTIAL ? fixedBatch : 0);
    }

    /**
     * A copy with the initializers named in {@code replacements} holding the given values (float32, in the
     * initializer's shape), in its own session; the model file is never changed. Its gradients are cached apart from
     * this model's (the cache is keyed by the graph's bytes).
     */
    @Override
    public Model withWeights(Map<String, Tensor> replacements) {
        ensureOpen();
        ModelProto.Builder copy = working.toBuilder();
        Set<String> missing = new TreeSet<>(replacements.keySet());
        var graph = copy.getGraphBuilder();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            TensorProto t = graph.getInitializer(i);
            Tensor value = replacements.get(t.getName());
            if (value == null) {
                continue;
            }
            missing.remove(t.getName());
            int[] dims = t.getDimsList().stream().mapToInt(Long::intValue).toArray();
            if (!Arrays.equals(dims, value.shape())) {
                throw new XaiException(ErrorCode.INVALID_ARGUMENT, "weight '" + t.getName() + "' has shape "
                        + Arrays.toString(dims) + ", its replacement " + Arrays.toString(value.shape()));
            }
            ByteBuffer bytes = ByteBuffer.allocate(4 * value.size()).order(ByteOrder.LITTLE_ENDIAN);
            for (int e = 0; e < value.size(); e++) {
                bytes.putFloat(value.get(e));
            }
            graph.setInitializer(i, TensorProto.newBuilder().setName(t.getName()).addAllDims(t.getDimsList())
                    .setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(bytes.array())));
        }
        if (!missing.isEmpty()) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "no weights named " + missing + " in " + info.source());
        }
        ModelProto changed = copy.build();
        OrtRunner runner = factory.open(changed.toByteArray(), info.source() + " with replaced weights");
        ModelInfo changedInfo = new ModelInfo(info.source() + " (replaced weights)",
                OnnxModels.sha256(changed.toByteArray()), info.backend(), info.device());
        return new OnnxModel(changed, factory, runner, batchMode, fixedBatch, changed, changedInfo, ruleSets);
    }

    /** The tensors nodes produce, in topological order (no run needed). */
    public List<GraphTensor> graphTensors() {
        return List.copyOf(produced.values());
    }

    /** The model proto sessions are built from (the batch-dynamic copy when one was made). */
    /** The folder of the model file, where tensors it stores as external data are found. */
    public Path directory() {
        return factory.modelDirectory();
    }

    public ModelProto proto() {
        return working;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    /** Input shapes with every symbolic dimension set to 1. */
    public Map<String, int[]> unitInputShapes() {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (TensorSpec s : signature.inputs()) {
            shapes.put(s.name(), s.shape().stream().mapToInt(d -> d.isFixed() ? (int) d.size() : 1).toArray());
        }
        return shapes;
    }

    private void ensureOpen() {
        if (closed) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "the model " + info.source() + " has been closed");
        }
    }

    @Override
    public void close() {
        closed = true;
        RuntimeException failure = closeGradients();
        List<OrtRunner> runners = new ArrayList<>(withIntermediates.values());
        withIntermediates.clear();
        runners.add(main);
        for (OrtRunner r : runners) {
            try {
                r.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private synchronized RuntimeException closeGradients() {
        try {
            if (gradientEngine != null) {
                gradientEngine.close();
            }
            return null;
        } catch (RuntimeException e) {
            return e;
        } finally {
            if (gradientOptions != null) {
                gradientOptions.close();
            }
            gradientEngine = null;
            gradientOptions = null;
        }
    }
}
