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
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.onnx.proto.Onnx.TensorShapeProto;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Finds the concrete shape and element type of every tensor by running the model once on zeros with all
 * intermediates exposed as outputs. A second run with the batch size plus one marks the batch-dependent axes.
 */
final class ShapeProbe {
    /** Integer tensors up to this many elements have their values recorded. */
    private static final int MAX_RECORDED = 4096;

    /**
     * The outcome of a probe.
     *
     * @param infos     shape and element type of every tensor
     * @param intValues values of small integer tensors that were equal in every probe run
     * @param uniformInts small integer tensors whose elements all had one value, the same in every probe run
     */
    record Result(Map<String, TensorInfo> infos, Map<String, long[]> intValues, Map<String, Long> uniformInts) {
    }

    private ShapeProbe() {
    }

    /** Graph inputs that are not initializers, by name. */
    static Map<String, ValueInfoProto> runtimeInputs(GraphProto graph) {
        Set<String> inits = new HashSet<>();
        graph.getInitializerList().forEach(t -> inits.add(t.getName()));
        Map<String, ValueInfoProto> inputs = new LinkedHashMap<>();
        for (ValueInfoProto v : graph.getInputList()) {
            if (!inits.contains(v.getName())) {
                inputs.put(v.getName(), v);
            }
        }
        return inputs;
    }

    static Result probe(OrtEnvironment env, ModelProto model, Map<String, int[]> inputShapes, Path externalData) {
        GraphProto graph = model.getGraph();
        Map<String, ValueInfoProto> inputs = runtimeInputs(graph);
        Map<String, int[]> shapes = new LinkedHashMap<>();
        Map<String, int[]> shapesPlusOne = new LinkedHashMap<>();
        boolean anyDynamic = false;
        for (ValueInfoProto in : inputs.values()) {
            int[] s = inputShapes.get(in.getName());
            TensorShapeProto declared = in.getType().getTensorType().getShape();
            if (s == null && in.getType().getTensorType().hasShape()
                    && declared.getDimList().stream().allMatch(TensorShapeProto.Dimension::hasDimValue)) {
                s = declared.getDimList().stream().mapToInt(d -> (int) d.getDimValue()).toArray();
            }
            if (s == null) {
                throw new XaiException(ErrorCode.INVALID_ARGUMENT, "no shape given for model input '" + in.getName()
                        + "'; shapes are needed for inputs " + inputs.keySet());
            }
            if (declared.getDimCount() != 0 && declared.getDimCount() != s.length) {
                throw new XaiException(ErrorCode.SHAPE_MISMATCH, "input '" + in.getName() + "' has rank "
                        + declared.getDimCount() + " but shape " + Arrays.toString(s) + " was given");
            }
            shapes.put(in.getName(), s.clone());
            int[] p = s.clone();
            boolean dynamicBatch = s.length > 0 && (declared.getDimCount() == 0 || !declared.getDim(0).hasDimValue());
            if (dynamicBatch) {
                p[0] += 1;
                anyDynamic = true;
            }
            shapesPlusOne.put(in.getName(), p);
        }
        ModelProto probeModel = exposeAll(model);
        Map<String, long[]> values = new HashMap<>();
        Map<String, TensorInfo> first = run(env, probeModel, inputs, shapes, values, externalData);
        Map<String, Long> uniform = uniform(values);
        if (anyDynamic) {
            Map<String, long[]> secondValues = new HashMap<>();
            Map<String, TensorInfo> second = run(env, probeModel, inputs, shapesPlusOne, secondValues, externalData);
            Map<String, Long> secondUniform = uniform(secondValues);
            uniform.entrySet().removeIf(e -> !e.getValue().equals(secondUniform.get(e.getKey())));
            values.entrySet().removeIf(e -> !Arrays.equals(e.getValue(), secondValues.get(e.getKey())));
            Map<String, TensorInfo> merged = new HashMap<>();
            for (TensorInfo a : first.values()) {
                TensorInfo b = second.get(a.name());
                boolean[] dyn = new boolean[a.rank()];
                int[] bs = b == null ? a.shape() : b.shape();
                for (int i = 0; i < dyn.length; i++) {
                    dyn[i] = bs.length == dyn.length && bs[i] != a.shape()[i];
                }
                merged.put(a.name(), new TensorInfo(a.name(), a.elemType(), a.shape(), dyn));
            }
            first = merged;
        }
        for (TensorProto init : graph.getInitializerList()) {
            int[] s = init.getDimsList().stream().mapToInt(Long::intValue).toArray();
            first.putIfAbsent(init.getName(), new TensorInfo(init.getName(), init.getDataType(), s, new boolean[s.length]));
        }
        return new Result(first, values, uniform);
    }

    private static Map<String, Long> uniform(Map<String, long[]> values) {
        Map<String, Long> uniform = new HashMap<>();
        values.forEach((name, v) -> {
            if (v.length > 0 && Arrays.stream(v).allMatch(x -> x == v[0])) {
                uniform.put(name, v[0]);
            }
        });
        return uniform;
    }

    private static ModelProto exposeAll(ModelProto model) {
        GraphProto.Builder g = model.getGraph().toBuilder();
        Set<String> outputs = new LinkedHashSet<>();
        g.getOutputList().forEach(o -> outputs.add(o.getName()));
        for (NodeProto n : model.getGraph().getNodeList()) {
            for (String o : n.getOutputList()) {
                if (!o.isEmpty() && outputs.add(o)) {
                    g.addOutput(ValueInfoProto.newBuilder().setName(o));
                }
            }
        }
        return model.toBuilder().setGraph(g).build();
    }

    private static Map<String, TensorInfo> run(OrtEnvironment env, ModelProto model, Map<String, ValueInfoProto> inputs,
            Map<String, int[]> shapes, Map<String, long[]> values, Path externalData) {
        Map<String, TensorInfo> infos = new HashMap<>();
        Map<String, OnnxTensor> feed = new HashMap<>();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            ExternalData.resolveFrom(opts, externalData);
            try (OrtSession session = env.createSession(model.toByteArray(), opts)) {
                for (ValueInfoProto in : inputs.values()) {
                    int type = in.getType().getTensorType().getElemType();
                    int[] s = shapes.get(in.getName());
                    feed.put(in.getName(), TensorConversion.toOrt(env, null, s, ElementTypes.javaType(type)));
                    infos.put(in.getName(), new TensorInfo(in.getName(), type, s, new boolean[s.length]));
                }
                try (OrtSession.Result result = session.run(feed)) {
                    for (Map.Entry<String, OnnxValue> e : result) {
                        if (e.getValue() instanceof OnnxTensor t) {
                            int[] s = TensorConversion.ints(t.getInfo().getShape());
                            int type = ElementTypes.onnxType(t.getInfo().onnxType);
                            infos.put(e.getKey(), new TensorInfo(e.getKey(), type, s, new boolean[s.length]));
                            if ((type == 7 || type == 6) && t.getInfo().getNumElements() <= MAX_RECORDED) {
                                values.put(e.getKey(), Arrays.stream(TensorConversion.toDoubles(t))
                                        .mapToLong(d -> (long) d).toArray());
                            }
                        }
                    }
                }
            }
        } catch (OrtException e) {
            throw new XaiException(ErrorCode.MODEL_EXECUTION, "the shape probe run of the model failed for input shapes "
                    + describe(shapes) + ": " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
        return infos;
    }

    static String describe(Map<String, int[]> shapes) {
        StringBuilder b = new StringBuilder("{");
        shapes.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k).append('=').append(Arrays.toString(v)));
        return b.append('}').toString();
    }
}
