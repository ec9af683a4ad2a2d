package io.xai4j.onnx.explain;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.grad.GradientModel;
import io.xai4j.onnx.grad.OnnxAttributes;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Guided Grad-CAM: the input gradient under the {@value #RULES} rules times the layer's Grad-CAM map (ReLU
 * applied, from the layer gradient under the request's rules), resized to the input's height and width by nearest
 * neighbour (PyTorch's {@code interpolate(mode="nearest")}: source index {@code floor(y h / H)}) and broadcast over
 * the channels of an {@code [N,C,H,W]} input. Both backward passes share one forward pass
 * ({@link ExplainerGraph#merge}).
 */
final class GuidedCam implements ExportedMethod {
    static final String RULES = "guided-backprop";

    @Override
    public Set<String> parameters() {
        return Set.of();
    }

    @Override
    public boolean explainsLayer() {
        return true;
    }

    @Override
    public boolean differentiatesLayer() {
        return false;
    }

    @Override
    public String ruleSet() {
        return RULES;
    }

    @Override
    public void emit(ExplainerGraph g, Explained e) {
        String input = e.input();
        if (g.rank(input) != 4) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "method 'guided-grad-cam' needs an image batch [N,C,H,W]"
                    + " as input '" + input + "', got " + ExplainerGraph.describe(g.input(input)));
        }
        TargetSeed seed = TargetSeed.addForExamples(g);
        GradientModel layerGradients = e.gradients().build(e.layer(), List.of(e.layer()), e.ruleSet());
        Map<String, String> names = g.merge(layerGradients, "grad-cam/");
        g.op("Identity", List.of(seed.oneHot()), names.get(layerGradients.seedInput()));
        String map = new GradientCams(GradientCams.Kind.GRAD_CAM).map(g,
                names.get(layerGradients.activationOutputs().get(e.layer())),
                names.get(layerGradients.gradientOutputs().get(e.layer())), true, g.fresh("grad-cam/map"));
        String sizes = g.op("Concat", List.of(g.op("Shape", map, OnnxAttributes.of("start", 0L),
                OnnxAttributes.of("end", 2L)), g.op("Shape", input, OnnxAttributes.of("start", 2L))),
                OnnxAttributes.of("axis", 0L));
        String upsampled = g.op("Resize", List.of(map, "", "", sizes), OnnxAttributes.of("mode", "nearest"),
                OnnxAttributes.of("coordinate_transformation_mode", "asymmetric"),
                OnnxAttributes.of("nearest_mode", "floor"));
        String attribution = g.op("Mul", List.of(g.gradients().gradientOutputs().get(input), upsampled),
                g.fresh(ExplainerGraph.ATTRIBUTION));
        g.outputLike(attribution, input);
    }
}
