package io.xai4j.examples;

import io.xai4j.api.ExplainOptions;
import io.xai4j.api.Xai;
import io.xai4j.explain.Explanation;
import io.xai4j.spi.Model;
import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;

/** Explains a text classifier's class 2 by token, with integrated gradients: {@code ExplainTokens MODEL}. */
public final class ExplainTokens {
    public static void main(String[] args) {
        Xai xai = Xai.discover();
        try (Model model = xai.open(Path.of(args[0]))) {
            Tensor ids = Tensor.of(new float[] {3, 17, 5, 29, 11, 8, 36, 2, 0, 0}, 1, 10);   // one sequence
            Tensor mask = Tensor.of(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, 1, 10);
            ExplainOptions options = ExplainOptions.builder("integrated-gradients").target("2").param("steps", 16).build();
            Explanation explanation = xai.explain(model, Map.of("ids", ids, "mask", mask), options).get(0);
            System.out.println(explanation.details().get("attributionPerToken"));   // one score per token
        }
    }
}
