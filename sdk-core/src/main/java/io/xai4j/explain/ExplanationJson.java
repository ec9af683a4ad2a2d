package io.xai4j.explain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.tensor.Tensor;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads {@link Explanation}s as pretty-printed JSON. Tensors are written as
 * {@code {"shape":[...],"data":[...]}} with {@link TensorData#INCLUDE}, or as their shape and summary statistics
 * ({@code min} and {@code max} as float32, {@code sum}, {@code meanAbs}, {@code nonFinite}) with
 * {@link TensorData#SUMMARY}, when the tensors are stored elsewhere (an NPY file). Floats round-trip exactly; NaN and infinities are written as strings.
 */
public final class ExplanationJson {
    /** How attribution tensors are written. */
    public enum TensorData {
        /** Shape and every element: the JSON alone reproduces the explanation. */
        INCLUDE,
        /** Shape and summary statistics only. */
        SUMMARY
    }

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private ExplanationJson() {
    }

    /** Writes {@code explanation} to {@code file}, replacing it. */
    public static void write(Explanation explanation, Path file, TensorData tensorData) {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            write(explanation, out, tensorData);
        } catch (IOException e) {
            throw new XaiException(ErrorCode.IO_ERROR, "cannot write explanation to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code explanation} to {@code out}, which stays open. */
    public static void write(Explanation explanation, OutputStream out, TensorData tensorData) {
        write(explanation, out, tensorData, false);
    }

    private static void write(Explanation explanation, OutputStream out, TensorData tensorData, boolean oneLine) {
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            if (oneLine) {
                g.setPrettyPrinter(new MinimalPrettyPrinter());
            } else {
                g.useDefaultPrettyPrinter();
            }
            g.writeStartObject();
            g.writeStringField("method", explanation.method());
            g.writeObjectFieldStart("target");
            g.writeStringField("spec", explanation.targetSpec());
            g.writeObjectField("labels", explanation.targetLabels());
            g.writeEndObject();
            g.writeObjectFieldStart("attributions");
            for (Map.Entry<String, Tensor> e : explanation.attributions().entrySet()) {
                g.writeFieldName(e.getKey());
                writeTensor(g, e.getValue(), tensorData);
            }
            g.writeEndObject();
            g.writeObjectField("predictions", explanation.predictions());
            g.writeObjectField("details", explanation.details());
            writeProvenance(g, explanation.provenance());
            g.writeEndObject();
        } catch (IOException e) {
            throw new XaiException(ErrorCode.IO_ERROR, "cannot write explanation JSON: " + e.getMessage(), e);
        }
    }

    /** The JSON text of {@code explanation}. */
    public static String toJson(Explanation explanation, TensorData tensorData) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(explanation, out, tensorData, false);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The JSON text of {@code explanation} on one line, as a JSON Lines record holds it. */
    public static String toJsonLine(Explanation explanation, TensorData tensorData) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(explanation, out, tensorData, true);
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Reads an explanation written with {@link TensorData#INCLUDE}.
     *
     * @throws XaiException {@link ErrorCode#CORRUPT_FILE} when the file is not an explanation or a tensor has no data
     */
    public static Explanation read(Path file) {
        return read(file, Map.of());
    }

    /**
     * Reads an explanation, taking the attribution tensors named in {@code tensors} from there (e.g. loaded from
     * NPY files) instead of from the JSON; their shapes must match the recorded ones.
     */
    public static Explanation read(Path file, Map<String, Tensor> tensors) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), tensors);
        } catch (IOException e) {
            throw new XaiException(ErrorCode.IO_ERROR, "cannot read explanation " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads an explanation written with {@link TensorData#INCLUDE} from {@code in}, which stays open. */
    public static Explanation read(InputStream in) {
        return read(in, "the explanation JSON", Map.of());
    }

    private static Explanation read(InputStream in, String source, Map<String, Tensor> tensors) {
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            throw new XaiException(ErrorCode.CORRUPT_FILE, source + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new XaiException(ErrorCode.IO_ERROR, "cannot read " + source + ": " + e.getMessage(), e);
        }
        try {
            return new JsonReader(source, tensors).explanation(root);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new XaiException(ErrorCode.CORRUPT_FILE, source + " is not a valid explanation: " + e.getMessage(), e);
        }
    }

    private static void writeTensor(JsonGenerator g, Tensor t, TensorData tensorData) throws IOException {
        g.writeStartObject();
        g.writeFieldName("shape");
        int[] shape = t.shape();
        g.writeArray(shape, 0, shape.length);
        if (tensorData == TensorData.INCLUDE) {
            g.writeArrayFieldStart("data");
            float[] a = t.array();
            for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                g.writeNumber(a[i]);
            }
            g.writeEndArray();
        } else {
            TensorSummary s = TensorSummary.of(t);
            g.writeNumberField("min", (float) s.min());
            g.writeNumberField("max", (float) s.max());
            g.writeNumberField("sum", s.sum());
            g.writeNumberField("meanAbs", s.meanAbs());
            g.writeNumberField("nonFinite", s.nonFinite());
        }
        g.writeEndObject();
    }

    private static void writeProvenance(JsonGenerator g, Provenance p) throws IOException {
        g.writeObjectFieldStart("provenance");
        g.writeStringField("method", p.method());
        g.writeStringField("methodVersion", p.methodVersion());
        g.writeObjectField("parameters", p.parameters());
        g.writeStringField("target", p.target());
        g.writeStringField("modelSource", p.modelSource());
        g.writeStringField("modelSha256", p.modelSha256());
        g.writeStringField("backend", p.backend());
        g.writeStringField("device", p.device());
        g.writeStringField("sdkVersion", p.sdkVersion());
        g.writeNumberField("seed", p.seed());
        g.writeStringField("preprocessing", p.preprocessing());
        g.writeStringField("layer", p.layer());
        g.writeStringField("ruleSet", p.ruleSet());
        g.writeObjectField("inputSources", p.inputSources());
        g.writeStringField("createdAt", p.createdAt().toString());
        g.writeObjectField("timingsMillis", p.timingsMillis());
        g.writeEndObject();
    }

    /** Converts a parsed tree back into an explanation; malformed content raises IllegalArgumentException. */
    private record JsonReader(String source, Map<String, Tensor> given) {

        Explanation explanation(JsonNode root) {
            JsonNode target = field(root, "target");
            Map<String, Tensor> attributions = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : field(root, "attributions").properties()) {
                attributions.put(e.getKey(), tensor(e.getKey(), e.getValue()));
            }
            for (String name : given.keySet()) {
                if (!attributions.containsKey(name)) {
                    throw new XaiException(ErrorCode.INVALID_ARGUMENT, "tensor '" + name + "' is not an attribution of "
                            + source + "; its attributions are " + attributions.keySet());
                }
            }
            List<List<Prediction>> predictions = new ArrayList<>();
            for (JsonNode example : field(root, "predictions")) {
                List<Prediction> list = new ArrayList<>();
                for (JsonNode p : example) {
                    list.add(new Prediction(field(p, "index").intValue(), text(p, "label"),
                            number(field(p, "probability")), number(field(p, "score"))));
                }
                predictions.add(list);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> details = (Map<String, Object>) value(field(root, "details"));
            return new Explanation(text(root, "method"), text(target, "spec"), strings(field(target, "labels")),
                    attributions, predictions, details, provenance(field(root, "provenance")));
        }

        private Provenance provenance(JsonNode p) {
            Map<String, String> parameters = new LinkedHashMap<>();
            field(p, "parameters").properties().forEach(e -> parameters.put(e.getKey(), e.getValue().asText()));
            Map<String, Double> timings = new LinkedHashMap<>();
            field(p, "timingsMillis").properties().forEach(e -> timings.put(e.getKey(), number(e.getValue())));
            return new Provenance(text(p, "method"), text(p, "methodVersion"), parameters, text(p, "target"),
                    text(p, "modelSource"), text(p, "modelSha256"), text(p, "backend"), text(p, "device"),
                    text(p, "sdkVersion"), field(p, "seed").longValue(), text(p, "preprocessing"), text(p, "layer"),
                    text(p, "ruleSet"), strings(field(p, "inputSources")), Instant.parse(text(p, "createdAt")), timings);
        }

        private Tensor tensor(String name, JsonNode node) {
            JsonNode shapeNode = field(node, "shape");
            int[] shape = new int[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).intValue();
            }
            Tensor supplied = given.get(name);
            if (supplied != null) {
                if (!Arrays.equals(supplied.shape(), shape)) {
                    throw new XaiException(ErrorCode.SHAPE_MISMATCH, "tensor '" + name + "' has shape "
                            + Arrays.toString(supplied.shape()) + ", but " + source + " records "
                            + Arrays.toString(shape));
                }
                return supplied;
            }
            JsonNode data = node.get("data");
            if (data == null) {
                throw new XaiException(ErrorCode.CORRUPT_FILE, "attribution '" + name + "' in " + source
                        + " holds only a summary (it was written without tensor data); read it together with the "
                        + "tensor, e.g. loaded from the attribution NPY file");
            }
            float[] values = new float[data.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = Float.parseFloat(data.get(i).asText());
            }
            return Tensor.of(values, shape);
        }

        private JsonNode field(JsonNode node, String name) {
            JsonNode value = node.get(name);
            if (value == null) {
                throw new IllegalArgumentException("missing field '" + name + "'");
            }
            return value;
        }

        private String text(JsonNode node, String name) {
            JsonNode value = field(node, name);
            return value.isNull() ? null : value.asText();
        }

        private List<String> strings(JsonNode array) {
            List<String> out = new ArrayList<>();
            array.forEach(n -> out.add(n.asText()));
            return out;
        }

        private static double number(JsonNode node) {
            return node.isTextual() ? Double.parseDouble(node.asText()) : node.doubleValue();
        }

        private static Object value(JsonNode node) {
            switch (node.getNodeType()) {
                case NULL:
                    return null;
                case BOOLEAN:
                    return node.booleanValue();
                case STRING:
                    return node.textValue();
                case NUMBER:
                    return node.isIntegralNumber() ? node.numberValue() : (Object) node.doubleValue();
                case ARRAY:
                    List<Object> list = new ArrayList<>();
                    node.forEach(n -> list.add(value(n)));
                    return list;
                case OBJECT:
                    Map<String, Object> map = new LinkedHashMap<>();
                    node.properties().forEach(e -> map.put(e.getKey(), value(e.getValue())));
                    return map;
                default:
                    throw new IllegalArgumentException("unsupported JSON value " + node);
            }
        }
    }
}
