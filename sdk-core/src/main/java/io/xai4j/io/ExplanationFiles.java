package io.xai4j.io;

import io.xai4j.api.Explainer;
import io.xai4j.explain.Agreement;
import io.xai4j.explain.Explanation;
import io.xai4j.explain.ExplanationJson;
import io.xai4j.family.cam.Maps;
import io.xai4j.image.CropBox;
import io.xai4j.image.Layout;
import io.xai4j.image.Png;
import io.xai4j.render.Figure;
import io.xai4j.render.Heatmap;
import io.xai4j.render.HeatmapStyle;
import io.xai4j.render.Plots;
import io.xai4j.render.ScalarMap;
import io.xai4j.render.ScaledMap;
import io.xai4j.spi.ValueKind;
import io.xai4j.tensor.Tensor;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes one explanation as {@code attribution.npy}, {@code heatmap.png} and {@code explanation.json} (and, for a
 * layer map over an image, {@code cam.npy}), and the agreement of several as {@code agreement.json}. Everything is
 * rendered in memory first; the files are then written as one {@link OutputSet}, so the folder holds the whole new
 * set, the whole previous one or nothing, never a mix or a half-written file.
 */
public final class ExplanationFiles {
    public static final String ATTRIBUTION = "attribution.npy";
    public static final String HEATMAP = "heatmap.png";
    public static final String JSON = "explanation.json";
    public static final String CAM = "cam.npy";
    public static final String AGREEMENT = "agreement.json";
    private static final int MIN_PICTURE_SIDE = 256;
    private static final OutputSet SET = new OutputSet(Set.of(ATTRIBUTION, HEATMAP, JSON, CAM));

    private ExplanationFiles() {
    }

    /** As {@link #write(Explanation, LoadedInput, HeatmapStyle, Path)} with the default style. */
    public static List<Path> write(Explanation explanation, LoadedInput input, Path dir) {
        return write(explanation, input, HeatmapStyle.defaults(), dir);
    }

    /**
     * Writes the files of one example (a batch of one) into {@code dir}, created if missing: the heatmap over the
     * input's image, or a plot for a tensor input, drawn as the values' meaning says (the {@code values} detail)
     * unless {@code style} sets a sign; titled and with a colour bar. A single-channel layer map over an image is
     * also written at the input's resolution, scaled to 0..1 as pytorch-grad-cam returns it ({@code cam.npy},
     * {@code [1,H,W]}).
     *
     * @return the heatmap, the attribution and the JSON file, in that order, then {@code cam.npy} when written
     */
    public static List<Path> write(Explanation explanation, LoadedInput input, HeatmapStyle style, Path dir) {
        Tensor attribution = explanation.attribution();
        Tensor row = attribution.row(0);
        BufferedImage picture = picture(explanation, input, style);
        Tensor cam = isLayerMap(explanation, input) ? camAtInputResolution(row, input) : null;
        byte[] data = Npy.toBytes(attribution);
        String text = ExplanationJson.toJson(explanation, ExplanationJson.TensorData.SUMMARY);
        Map<String, AtomicFiles.Content> files = new LinkedHashMap<>();
        files.put(HEATMAP, out -> Png.write(picture, out));
        files.put(ATTRIBUTION, out -> out.write(data));
        files.put(JSON, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
        if (cam != null) {
            files.put(CAM, out -> out.write(Npy.toBytes(cam)));
        }
        return SET.write(dir, files);
    }

    /**
     * The picture {@link #write} saves as {@code heatmap.png}: the overlay on the input's image, a plot for a
     * tensor input, or the output step x input step matrix of a {@code matrix:C} target, with its title and colour
     * bar.
     */
    public static BufferedImage picture(Explanation explanation, LoadedInput input, HeatmapStyle style) {
        Tensor row = explanation.attribution().row(0);
        style = style.withLayout(layoutOf(explanation, input));
        ValueKind kind = valueKind(explanation);
        if (explanation.details().containsKey(Explainer.TARGET_MATRIX)) {
            Plots.Panel panel = Plots.matrix(row, style, kind);
            return Figure.compose(title(explanation, input), panel.image(), panel.scaled());
        }
        if (input.image() != null) {
            ScaledMap scaled = ScaledMap.of(row, style, kind);
            return Figure.compose(title(explanation, input), overlay(input, scaled), scaled);
        }
        Plots.Panel panel = Plots.plot(row, style, kind, stepPredictions(explanation, row));
        return Figure.compose(title(explanation, input), panel.image(), panel.scaled());
    }

    /** What an explanation's values mean, from its {@code values} detail; signed when it has none. */
    public static ValueKind valueKind(Explanation explanation) {
        Object values = explanation.details().get(Explainer.VALUES);
        if (values == null) {
            return ValueKind.SIGNED;
        }
        try {
            return ValueKind.valueOf(values.toString().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return ValueKind.SIGNED;
        }
    }

    /**
     * The picture's title lines: the method; the target with its probability; the input and its top prediction.
     */
    public static List<String> title(Explanation explanation, LoadedInput input) {
        String target = explanation.targetLabels().isEmpty() ? explanation.targetSpec() : explanation.targetLabels().get(0);
        Object p = explanation.details().get(Explainer.TARGET_PROBABILITY);
        String probability = p instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Number n
                ? String.format(Locale.ROOT, ", p=%.3f", n.doubleValue()) : "";
        List<String> lines = new ArrayList<>(List.of(explanation.method(), "target " + target + probability));
        String third = input.source() == null ? "" : String.valueOf(input.source().getFileName());
        if (!explanation.predictions().isEmpty() && !explanation.predictions().get(0).isEmpty()) {
            var top = explanation.predictions().get(0).get(0);
            third += (third.isEmpty() ? "" : ": ") + String.format(Locale.ROOT, "predicted %s (p=%.3f)",
                    top.label(), top.probability());
        }
        if (!third.isEmpty()) {
            lines.add(third);
        }
        return lines;
    }

    /** Writes {@code agreement.json} into {@code dir} and returns its path. */
    public static Path writeAgreement(List<Agreement> pairs, Path dir) {
        Path file = dir.resolve(AGREEMENT);
        AtomicFiles.write(file, Agreement.toJson(pairs));
        return file;
    }

    /** The layout of an explanation's map: input attributions follow the input's, layer maps are [N,1,h,w]. */
    public static Layout layoutOf(Explanation explanation, LoadedInput input) {
        return explanation.provenance().layer() == null ? input.layout() : Layout.NCHW;
    }

    /** The predicted class per step of a sequence output, when the attribution has as many steps; else none. */
    private static List<String> stepPredictions(Explanation explanation, Tensor row) {
        if (!(explanation.details().get(Explainer.PREDICTED_PER_STEP) instanceof List<?> all) || all.isEmpty()
                || !(all.get(0) instanceof List<?> steps)) {
            return List.of();
        }
        int[] shape = row.shape();
        int lead = 0;
        while (lead < shape.length - 1 && shape[lead] == 1) {
            lead++;
        }
        return shape.length - lead == 2 && shape[lead] == steps.size()
                ? steps.stream().map(String::valueOf).toList() : List.of();
    }

    private static boolean isLayerMap(Explanation explanation, LoadedInput input) {
        int[] shape = explanation.attribution().shape();
        return input.image() != null && explanation.details().containsKey("layer") && shape.length == 4
                && shape[1] == 1;
    }

    /**
     * A layer map {@code [1,h,w]} at the input's height and width: scaled to [0, 1] (min subtracted, divided by
     * the max), then resized bilinearly, as pytorch-grad-cam's {@code scale_cam_image}; {@code [1,H,W]}.
     */
    public static Tensor camAtInputResolution(Tensor map, LoadedInput input) {
        int[] shape = input.tensor().shape();
        boolean chw = input.layout() == Layout.NCHW;
        int height = shape[chw ? shape.length - 2 : shape.length - 3];
        int width = shape[chw ? shape.length - 1 : shape.length - 2];
        float[] v = Maps.minMax(map.toArray());
        int h = map.dim(-2);
        int w = map.dim(-1);
        return Tensor.of(new ScalarMap(h, w, v).resize(height, width).values(), 1, height, width);
    }

    /** The overlay on the original image, enlarged by a whole factor when the image is under 256 pixels. */
    private static BufferedImage overlay(LoadedInput input, ScaledMap scaled) {
        BufferedImage image = input.image();
        int factor = Math.max(1, MIN_PICTURE_SIDE / Math.max(image.getWidth(), image.getHeight()));
        if (factor == 1) {
            return Heatmap.overlay(image, scaled, input.box());
        }
        BufferedImage large = new BufferedImage(image.getWidth() * factor, image.getHeight() * factor,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = large.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, large.getWidth(), large.getHeight(), null);
        g.dispose();
        CropBox box = input.box() == null ? null : new CropBox(input.box().x() * factor, input.box().y() * factor,
                input.box().width() * factor, input.box().height() * factor);
        return Heatmap.overlay(large, scaled, box);
    }
}
