package io.xai4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.Dim;
import io.xai4j.spi.ModelSignature;
import io.xai4j.spi.TensorSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Class names, in index order: from a text file (one per line; blank lines are skipped), a JSON file (an array of
 * names, or an object from index to a name or to a list whose last entry is the name, as
 * {@code imagenet_class_index.json}), or a built-in list ({@value #IMAGENET}: the 1000 ImageNet classes, as
 * torchvision names them).
 */
public final class Labels {
    /** The built-in ImageNet-1k names. */
    public static final String IMAGENET = "imagenet";
    private static final int IMAGENET_CLASSES = 1000;

    private Labels() {
    }

    /** Class names chosen for a model, and a note to show when they were chosen without being asked for. */
    public record Choice(List<String> names, String note) {
    }

    /**
     * Reads a labels file, or the built-in list {@value #IMAGENET} when {@code spec} names it.
     *
     * @throws XaiException {@link ErrorCode#INVALID_INPUT} naming the file when it cannot be read or parsed
     */
    public static List<String> resolve(String spec) {
        return IMAGENET.equalsIgnoreCase(spec.trim()) ? imagenet() : read(Path.of(spec));
    }

    /**
     * @throws XaiException {@link ErrorCode#INVALID_INPUT} naming the file when it cannot be read or parsed
     */
    public static List<String> read(Path file) {
        String text = RegularFiles.readText(file, "labels file", ErrorCode.INVALID_INPUT);
        String start = text.stripLeading();
        if (file.toString().endsWith(".json") || start.startsWith("[") || start.startsWith("{")) {
            return json(text, file);
        }
        return text.lines().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The 1000 ImageNet class names, in index order. */
    public static List<String> imagenet() {
        try (InputStream in = Labels.class.getResourceAsStream("imagenet.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException | NullPointerException e) {
            throw new XaiException(ErrorCode.INTERNAL, "the built-in ImageNet labels are missing", e);
        }
    }

    /**
     * The names for a model: the given ones, else ImageNet's when the first output has 1000 classes (with a note
     * saying so), else none.
     */
    public static Choice forModel(List<String> given, ModelSignature signature) {
        if (!given.isEmpty()) {
            return new Choice(given, null);
        }
        TensorSpec output = signature.firstOutput();
        List<Dim> shape = output.shape();
        if (!shape.isEmpty() && shape.get(shape.size() - 1).isFixed()
                && shape.get(shape.size() - 1).size() == IMAGENET_CLASSES) {
            return new Choice(imagenet(), "output '" + output.name() + "' has 1000 classes: using the built-in"
                    + " ImageNet labels (give --labels FILE for others)");
        }
        return new Choice(List.of(), null);
    }

    private static List<String> json(String text, Path file) {
        try {
            JsonNode root = new ObjectMapper().readTree(text);
            List<String> names = new ArrayList<>();
            if (root.isArray()) {
                root.forEach(n -> names.add(name(n)));
                return names;
            }
            if (root.isObject()) {
                Map<Integer, String> byIndex = new TreeMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    byIndex.put(Integer.parseInt(e.getKey().trim()), name(e.getValue()));
                }
                int expected = 0;
                for (int index : byIndex.keySet()) {
                    if (index != expected++) {
                        throw new XaiException(ErrorCode.INVALID_INPUT, "labels file " + file + " lacks index "
                                + (expected - 1) + "; the indices must run 0, 1, 2, ... without gaps");
                    }
                }
                return List.copyOf(byIndex.values());
            }
        } catch (IOException | NumberFormatException e) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "cannot parse labels file " + file + " as JSON: "
                    + e.getMessage() + "; expected [\"name\", ...] or {\"0\": \"name\", ...}", e);
        }
        throw new XaiException(ErrorCode.INVALID_INPUT, "labels file " + file + " holds JSON that is neither an array"
                + " nor an object; expected [\"name\", ...] or {\"0\": \"name\", ...}");
    }

    private static String name(JsonNode n) {
        return n.isArray() && !n.isEmpty() ? n.get(n.size() - 1).asText() : n.asText();
    }
}
