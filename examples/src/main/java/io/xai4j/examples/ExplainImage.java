package io.xai4j.examples;

import io.xai4j.api.ExplainOptions;
import io.xai4j.api.Xai;
import io.xai4j.explain.Explanation;
import io.xai4j.io.ExplanationFiles;
import io.xai4j.io.LoadedInput;
import io.xai4j.spi.Model;
import java.nio.file.Path;

/** Explains an image with Grad-CAM and saves the overlay: {@code ExplainImage MODEL IMAGE OUT_DIR}. */
public final class ExplainImage {
    public static void main(String[] args) {
        Xai xai = Xai.discover();                                  // the methods and backends on the class path
        try (Model model = xai.open(Path.of(args[0]))) {
            LoadedInput image = xai.load(model, Path.of(args[1])); // resized, cropped and normalised as for ImageNet
            Explanation explanation = xai.explain(model, image, ExplainOptions.builder("grad-cam").build()).get(0);
            ExplanationFiles.write(explanation, image, Path.of(args[2]));   // heatmap.png, attribution.npy, JSON
            System.out.println(explanation.targetLabels().get(0) + " at layer " + explanation.details().get("layer"));
        }
    }
}
