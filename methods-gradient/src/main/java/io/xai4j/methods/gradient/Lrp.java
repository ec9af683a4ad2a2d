package io.xai4j.methods.gradient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.family.gradient.Elementwise;
import io.xai4j.family.gradient.GradientJob;
import io.xai4j.family.gradient.GradientMethod;
import io.xai4j.gradient.GradientBatch;
import io.xai4j.io.RegularFiles;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Parameters;
import io.xai4j.spi.Requirement;
import io.xai4j.spi.backward.RuleSetReference;
import io.xai4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Layer-wise relevance propagation: the relevance of each input element under the {@link LrpRules}, for the
 * composite and rule parameters given. The target's score is distributed layer by layer down to the input (or
 * {@code --layer}), so the relevance sums to about the score; unless wrapped, the details report per example
 * {@code relevanceSum}, {@code targetScore} (of the tensor that was differentiated) and {@code conservationError},
 * {@code |relevanceSum - targetScore| / |targetScore|}.
 */
public final class Lrp extends GradientMethod {
    private static final String COMPOSITE_HELP = "the rule of each layer: epsilon-plus, epsilon-gamma-box, "
            + "epsilon-alpha2-beta1, one rule for every layer (epsilon, gamma, z-plus, alpha-beta, flat, w-square), "
            + "a list KEY:RULE;... (keys first, default, Conv, ConvTranspose, Gemm, MatMul) or a JSON file";
    private static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("lrp", MethodFamily.GRADIENT, "1.0",
            "Layer-wise relevance propagation: the target score distributed back to the input by per-layer rules",
            Set.of(Requirement.GRADIENTS), List.of(
                    ParameterSpec.text(LrpSettings.COMPOSITE, LrpSettings.DEFAULTS.get(LrpSettings.COMPOSITE),
                            COMPOSITE_HELP),
                    real(LrpSettings.EPSILON, "the epsilon rule's stabiliser"),
                    real(LrpSettings.GAMMA, "the gamma rule's extra weight on the contributions of each output's sign"),
                    real(LrpSettings.ALPHA, "the alpha-beta rule's weight on positive contributions"),
                    real(LrpSettings.BETA, "the alpha-beta rule's weight on negative contributions"),
                    real(LrpSettings.STABILIZER, "added to the other rules' denominators, with their sign"),
                    ParameterSpec.text(LrpSettings.LOW, LrpSettings.DEFAULTS.get(LrpSettings.LOW),
                            "the box rule's lowest input value, one or one per channel (default: pixel 0 after "
                                    + "ImageNet's mean and std)"),
                    ParameterSpec.text(LrpSettings.HIGH, LrpSettings.DEFAULTS.get(LrpSettings.HIGH),
                            "the box rule's highest input value, one or one per channel (default: pixel 255 after "
                                    + "ImageNet's mean and std; explain takes both from --preprocess for images)")));
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    private static ParameterSpec real(String name, String description) {
        return ParameterSpec.real(name, Double.parseDouble(LrpSettings.DEFAULTS.get(name)), 0, Double.MAX_VALUE,
                description);
    }

    @Override
    protected void validate(Parameters parameters, int[] exampleShape) {
        LrpSettings.of(ruleParameters(parameters));
    }

    @Override
    protected String ruleSet(Parameters parameters) {
        return new RuleSetReference(LrpRules.NAME, ruleParameters(parameters)).toString();
    }

    @Override
    protected String ruleSet() {
        return LrpRules.NAME;
    }

    /** The rule set's parameters: the method's, with a composite file read into its {@code KEY:RULE;...} form. */
    static Map<String, String> ruleParameters(Parameters parameters) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(LrpSettings.COMPOSITE, composite(parameters.getString(LrpSettings.COMPOSITE)).spec());
        for (String key : List.of(LrpSettings.EPSILON, LrpSettings.GAMMA, LrpSettings.ALPHA, LrpSettings.BETA,
                LrpSettings.STABILIZER)) {
            p.put(key, Double.toString(parameters.getDouble(key)));
        }
        p.put(LrpSettings.LOW, parameters.getString(LrpSettings.LOW));
        p.put(LrpSettings.HIGH, parameters.getString(LrpSettings.HIGH));
        return p;
    }

    /** A composite by name or list, or from a JSON file: an object from key to rule name. */
    static LrpComposite composite(String value) {
        if (!value.endsWith(".json")) {
            return LrpComposite.parse(value);
        }
        JsonNode root;
        try {
            root = JSON.readTree(RegularFiles.readText(Path.of(value), "LRP composite file",
                    ErrorCode.INVALID_PARAMETER));
        } catch (IOException e) {
            throw new XaiException(ErrorCode.INVALID_PARAMETER, "lrp: cannot read the composite file " + value + ": "
                    + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new XaiException(ErrorCode.INVALID_PARAMETER, "lrp: the composite file " + value + " must hold a"
                    + " JSON object from key (first, default, Conv, ...) to rule name, such as "
                    + "{\"first\": \"box\", \"Conv\": \"z-plus\", \"default\": \"epsilon\"}");
        }
        Map<String, String> entries = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new XaiException(ErrorCode.INVALID_PARAMETER, "lrp: in the composite file " + value + ", '"
                        + e.getKey() + "' must name a rule (one of " + LayerRule.labels() + "), got " + e.getValue());
            }
            entries.put(e.getKey(), e.getValue().asText());
        }
        return LrpComposite.of(entries);
    }

    @Override
    protected void attributeRows(GradientJob job, Tensor points, int[] exampleOf, Tensor out) {
        int rows = points.dim(0);
        double[] scores = new double[rows];
        job.stream(descriptor().name(), exampleOf, GradientJob.copyOf(points), (GradientBatch batch) -> {
            Elementwise.copy(batch.gradient(job.inputName()), out.rows(batch.start(), batch.start() + batch.size()),
                    false);
            for (int i = 0; i < batch.size(); i++) {
                scores[batch.start() + i] = batch.scores()[i];
            }
            job.keepOutputs(batch);
        });
        if (!job.isWrapped()) {
            List<Double> sums = new ArrayList<>();
            List<Double> targets = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                double sum = Elementwise.sum(out.row(r));
                sums.add(sum);
                targets.add(scores[r]);
                errors.add(Math.abs(sum - scores[r]) / Math.max(Math.abs(scores[r]), Double.MIN_NORMAL));
            }
            job.details().put("relevanceSum", sums);
            job.details().put("targetScore", targets);
            job.details().put("conservationError", errors);
        }
    }
}
