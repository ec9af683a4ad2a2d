package io.xai4j.metric.localisation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.image.CropBox;
import io.xai4j.image.Images;
import io.xai4j.io.RegularFiles;
import io.xai4j.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the object of an image truly is, in the original image's pixels: boxes (each for a class, or for any
 * class) or a mask image. {@link #mask} brings it onto the model input the image became.
 */
public sealed interface GroundTruth {

    /**
     * The region of the explained class on a model input of {@code height x width} pixels that shows {@code view} of
     * the original image: {@code [H,W]}, 1 inside and 0 outside; a pixel is inside when its centre is.
     *
     * @param view        the region of the original image the input shows (null: the whole image, at the input's size)
     * @param targetNames the names of the explained class: its index as text and its label, e.g. {@code 0}, {@code
     *                    circle}
     * @return the mask, or null when no region belongs to the class
     */
    Tensor mask(CropBox view, int height, int width, Collection<String> targetNames);

    /** A box {@code [x0, x1) x [y0, y1)} of the class {@code label}, or of any class when the label is null. */
    record Box(double x0, double y0, double x1, double y1, String label) {
        boolean contains(double x, double y) {
            return x >= x0 && x < x1 && y >= y0 && y < y1;
        }
    }

    /** Boxes; several boxes of a class are one region. */
    record Boxes(List<Box> boxes) implements GroundTruth {
        public Boxes {
            boxes = List.copyOf(boxes);
        }

        @Override
        public Tensor mask(CropBox view, int height, int width, Collection<String> targetNames) {
            List<Box> own = boxes.stream().filter(b -> b.label() == null || targetNames.contains(b.label())).toList();
            return own.isEmpty() ? null
                    : sample(view, height, width, (x, y) -> own.stream().anyMatch(b -> b.contains(x, y)));
        }
    }

    /** A mask image of the original's size: inside where a pixel's brightest channel is at least 128. */
    record MaskImage(BufferedImage image, String source) implements GroundTruth {
        @Override
        public Tensor mask(CropBox view, int height, int width, Collection<String> targetNames) {
            return sample(view == null ? CropBox.full(image) : view, height, width, (x, y) -> {
                int rgb = image.getRGB(Math.min((int) x, image.getWidth() - 1), Math.min((int) y, image.getHeight() - 1));
                return Math.max(rgb >> 16 & 0xff, Math.max(rgb >> 8 & 0xff, rgb & 0xff)) >= 128;
            });
        }
    }

    /** Reads a mask image (PNG, JPEG, BMP). */
    static GroundTruth readMask(Path file) {
        return new MaskImage(Images.read(file), file.toString());
    }

    /**
     * Reads boxes from JSON: an object from image file name to a list of objects, each {@code {"box": [x0, y0, x1,
     * y1], "class": "circle"}} with the class as a label or an index (optional: a box without one holds the object
     * of any explained class). Boxes are in the original image's pixels, {@code x1} and {@code y1} exclusive.
     *
     * @throws XaiException {@link ErrorCode#INVALID_INPUT} naming the file and entry that is wrong
     */
    static Map<String, GroundTruth> readBoxes(Path json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(RegularFiles.readText(json, "boxes file", ErrorCode.INVALID_INPUT));
        } catch (IOException e) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "cannot read boxes from " + json + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw badBoxes(json, "expected an object from image file name to a list of {\"box\": [x0, y0, x1, y1], "
                    + "\"class\": NAME}");
        }
        Map<String, GroundTruth> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> image = it.next();
            if (!image.getValue().isArray()) {
                throw badBoxes(json, "the entry of '" + image.getKey() + "' is not a list of boxes");
            }
            List<Box> boxes = new ArrayList<>();
            for (JsonNode object : image.getValue()) {
                JsonNode box = object.get("box");
                if (box == null || !box.isArray() || box.size() != 4 || !allNumbers(box)
                        || box.get(2).asDouble() <= box.get(0).asDouble() || box.get(3).asDouble() <= box.get(1).asDouble()) {
                    throw badBoxes(json, "image '" + image.getKey() + "' has a box that is not [x0, y0, x1, y1] "
                            + "with x0 < x1 and y0 < y1: " + object);
                }
                JsonNode label = object.get("class");
                boxes.add(new Box(box.get(0).asDouble(), box.get(1).asDouble(), box.get(2).asDouble(),
                        box.get(3).asDouble(), label == null || label.isNull() ? null : label.asText()));
            }
            out.put(image.getKey(), new Boxes(boxes));
        }
        return out;
    }

    private static boolean allNumbers(JsonNode array) {
        for (JsonNode v : array) {
            if (!v.isNumber()) {
                return false;
            }
        }
        return true;
    }

    private static XaiException badBoxes(Path json, String message) {
        return new XaiException(ErrorCode.INVALID_INPUT, "bad boxes file " + json + ": " + message);
    }

    /** Inside test at original-image coordinates. */
    @FunctionalInterface
    interface Inside {
        boolean at(double x, double y);
    }

    private static Tensor sample(CropBox view, int height, int width, Inside inside) {
        CropBox v = view == null ? CropBox.full(width, height) : view;
        Tensor mask = Tensor.zeros(height, width);
        for (int i = 0; i < height; i++) {
            double y = v.y() + (i + 0.5) * v.height() / height;
            for (int j = 0; j < width; j++) {
                if (inside.at(v.x() + (j + 0.5) * v.width() / width, y)) {
                    mask.set(i * width + j, 1);
                }
            }
        }
        return mask;
    }
}
