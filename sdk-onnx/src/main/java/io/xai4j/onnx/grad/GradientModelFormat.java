package io.xai4j.onnx.grad;

import io.xai4j.onnx.OnnxModels;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.StringStringEntryProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores a {@link GradientModel}'s description in its ONNX {@code metadata_props} (keys {@code xai4j.gradient.*}),
 * so that one file holds a cache entry. Initializers equal to the source model's (its weights) are not stored but
 * named, and taken from the source model on reading: an entry holds the backward graph and its own constants only.
 * The entry's key includes the source model's SHA-256, so they are the same weights.
 */
final class GradientModelFormat {
    private static final String PREFIX = "xai4j.gradient.";

    private GradientModelFormat() {
    }

    /** The entry of {@code m}, built from {@code source}, whose weights it references rather than copies. */
    static ModelProto write(GradientModel m, String key, ModelProto source) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("key", key);
        props.put("output", m.differentiatedOutput());
        props.put("seeded", m.seededTensor());
        props.put("seed_input", m.seedInput());
        props.put("seed_shape", String.join(",", Arrays.stream(m.seedShape()).mapToObj(String::valueOf).toList()));
        boolean[] dynamic = m.seedBatchDependent();
        List<String> flags = new ArrayList<>();
        for (boolean d : dynamic) {
            flags.add(d ? "1" : "0");
        }
        props.put("seed_batch", String.join(",", flags));
        props.put("forward_outputs", String.join("\n", m.forwardOutputs()));
        props.put("activations", pairs(m.activationOutputs()));
        props.put("gradients", pairs(m.gradientOutputs()));
        props.put("row_bytes", String.valueOf(m.rowBytes()));
        ModelProto.Builder b = m.model().toBuilder();
        props.put("model_initializers", String.join("\n", removeShared(b.getGraphBuilder(), source)));
        props.put("checksum", OnnxModels.sha256(b.build().toByteArray()));
        props.forEach((k, v) -> b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(PREFIX + k).setValue(v)));
        return b.build();
    }

    /** Removes the initializers equal to one of {@code source}'s; returns their names. */
    private static List<String> removeShared(GraphProto.Builder graph, ModelProto source) {
        Map<String, TensorProto> weights = new HashMap<>();
        source.getGraph().getInitializerList().forEach(t -> weights.put(t.getName(), t));
        List<String> shared = new ArrayList<>();
        for (int i = graph.getInitializerCount() - 1; i >= 0; i--) {
            TensorProto t = graph.getInitializer(i);
            if (t.equals(weights.get(t.getName()))) {
                shared.add(t.getName());
                graph.removeInitializer(i);
            }
        }
        return shared;
    }

    /**
     * Reads an entry written by {@link #write}; throws IllegalArgumentException when it is incomplete, another key's,
     * its graph and constants no longer match the SHA-256 recorded when it was written (a damaged file), or it names
     * weights {@code source} lacks.
     */
    static GradientModel read(ModelProto stored, String key, ModelProto source) {
        Map<String, String> props = new LinkedHashMap<>();
        ModelProto.Builder model = stored.toBuilder().clearMetadataProps();
        for (StringStringEntryProto p : stored.getMetadataPropsList()) {
            if (p.getKey().startsWith(PREFIX)) {
                props.put(p.getKey().substring(PREFIX.length()), p.getValue());
            } else {
                model.addMetadataProps(p);
            }
        }
        if (!key.equals(props.get("key"))) {
            throw new IllegalArgumentException("the entry was written for another key or is incomplete");
        }
        if (!OnnxModels.sha256(model.build().toByteArray()).equals(require(props, "checksum"))) {
            throw new IllegalArgumentException("its content does not match its checksum");
        }
        Map<String, TensorProto> weights = new HashMap<>();
        source.getGraph().getInitializerList().forEach(t -> weights.put(t.getName(), t));
        for (String name : lines(require(props, "model_initializers"))) {
            TensorProto weight = weights.get(name);
            if (weight == null) {
                throw new IllegalArgumentException("it uses weight '" + name + "', which the model lacks");
            }
            model.getGraphBuilder().addInitializer(weight);
        }
        ModelProto graph = model.build();
        int[] shape = ints(require(props, "seed_shape"));
        int[] flags = ints(require(props, "seed_batch"));
        if (flags.length != shape.length || !model.hasGraph()) {
            throw new IllegalArgumentException("the entry's seed description or graph is incomplete");
        }
        boolean[] dynamic = new boolean[flags.length];
        for (int i = 0; i < flags.length; i++) {
            dynamic[i] = flags[i] == 1;
        }
        return new GradientModel(graph, require(props, "output"), require(props, "seeded"),
                require(props, "seed_input"), shape, dynamic, lines(require(props, "forward_outputs")),
                unpair(require(props, "activations")), unpair(require(props, "gradients")),
                Long.parseLong(require(props, "row_bytes")));
    }

    private static String require(Map<String, String> props, String name) {
        String v = props.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the entry lacks " + PREFIX + name);
        }
        return v;
    }

    private static String pairs(Map<String, String> map) {
        List<String> lines = new ArrayList<>();
        map.forEach((k, v) -> lines.add(k + "\t" + v));
        return String.join("\n", lines);
    }

    private static Map<String, String> unpair(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : lines(text)) {
            int tab = line.indexOf('\t');
            if (tab < 0) {
                throw new IllegalArgumentException("malformed entry line '" + line + "'");
            }
            map.put(line.substring(0, tab), line.substring(tab + 1));
        }
        return map;
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("\n", -1));
    }

    private static int[] ints(String text) {
        try {
            return text.isEmpty() ? new int[0] : Arrays.stream(text.split(",")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed numbers '" + text + "'", e);
        }
    }
}
