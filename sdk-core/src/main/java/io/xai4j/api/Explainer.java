package io.xai4j.api;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.explain.Explanation;
import io.xai4j.explain.Prediction;
import io.xai4j.explain.Predictions;
import io.xai4j.explain.Provenance;
import io.xai4j.inject.MethodRegistry;
import io.xai4j.layer.LayerSelector;
import io.xai4j.layer.SelectedLayer;
import io.xai4j.spi.Attribution;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.AttributionRequest;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelCapability;
import io.xai4j.spi.ModelInfo;
import io.xai4j.spi.Parameters;
import io.xai4j.spi.Requirement;
import io.xai4j.spi.TensorSpec;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.target.Target;
import io.xai4j.target.TargetResolver;
import io.xai4j.tensor.Tensor;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one entry point for explaining a prediction: validates the request, resolves the target, runs the method,
 * and returns explanations with the predictions and provenance. Used by the CLI and by embedders alike.
 *
 * <p>The model runs only as often as the explanation needs. A target that reads no output values (a class, a
 * slice, per-example lists of those, on an output whose shape beyond the batch is declared) is resolved before
 * the method runs, and the predictions come from the outputs the method returns ({@link Attribution#outputs()}:
 * gradient methods from their engine call at the inputs, CAM methods from their pass to the layer, occlusion and
 * feature ablation from their unperturbed evaluation). The Explainer runs a forward pass of its own only for
 * {@code top1} and {@code top:k} targets (or undeclared output shapes), which need the outputs first, and for
 * methods that return none (gradient-shap, the noise tunnels, rise, and methods that do not fill them).
 */
public final class Explainer {
    /** How many predicted classes each explanation lists. */
    public static final int TOP_PREDICTIONS = 5;
    /** The detail naming what the values mean, a {@link io.xai4j.spi.ValueKind} in lower case. */
    public static final String VALUES = "values";
    /** The detail holding each example's probability of its target (single-element targets only). */
    public static final String TARGET_PROBABILITY = "targetProbability";
    /** The detail holding, for a sequence output {@code [N,T,C]}, each example's predicted class per step. */
    public static final String PREDICTED_PER_STEP = "predictedPerStep";
    /** The detail describing the rows and columns of a {@code matrix:C} target's attribution. */
    public static final String TARGET_MATRIX = "targetMatrix";
    /** The detail holding a method's warnings (e.g. too few samples for the feature groups), a list of text. */
    public static final String WARNINGS = "warnings";

    private final MethodRegistry methods;

    @Inject
    public Explainer(MethodRegistry methods) {
        this.methods = methods;
    }

    public MethodRegistry methods() {
        return methods;
    }

    /**
     * Explains every example of {@code inputs} (batch first). Returns one explanation per resolved target:
     * one, or k for a top-k target. A {@link Target.Matrix} gives one explanation whose attribution is the
     * {@code [N, T_out, T_in]} step matrix, made by gradient methods that need no layer (others are refused first).
     */
    public List<Explanation> explain(Model model, Map<String, Tensor> inputs, ExplainOptions options) {
        long start = System.nanoTime();
        AttributionMethod method = methods.get(options.method());
        MethodDescriptor descriptor = method.descriptor();
        Parameters parameters = Parameters.parse(descriptor, options.parameters());
        checkRequirements(descriptor, model, options);
        if (options.target() instanceof Target.Matrix m) {
            StepMatrix.checkMethod(m, descriptor, methods);
        }
        String inputName = options.inputName() == null ? model.signature().firstInput().name() : options.inputName();
        model.signature().input(inputName);
        InputValidation.check(model.signature().inputs(), inputs);
        SelectedLayer layer = descriptor.requires(Requirement.LAYER) || options.layer() != null
                ? LayerSelector.select(model, shapesOfOneRow(inputs), options.layer(), options.target().output())
                : null;
        String layerName = layer == null ? options.layer() : layer.tensor();

        ForwardPass pass = new ForwardPass(model, inputs);
        int examples = inputs.get(inputName).dim(0);
        boolean needsOutputs = TargetResolver.needsOutputs(options.target(), model.signature());
        StepMatrix matrix = null;
        List<ResolvedTarget> targets;
        if (options.target() instanceof Target.Matrix m) {
            matrix = new StepMatrix(m, needsOutputs
                    ? TargetResolver.resolveSteps(m, model.signature(), pass.outputs(null), options.classNames())
                    : TargetResolver.resolveSteps(m, model.signature(), examples, options.classNames()), examples);
            targets = List.of(matrix.rows());
        } else {
            targets = needsOutputs
                    ? TargetResolver.resolve(options.target(), model.signature(), pass.outputs(null),
                            options.classNames())
                    : TargetResolver.resolve(options.target(), model.signature(), examples, options.classNames());
        }

        List<Explanation> explanations = new ArrayList<>();
        for (ResolvedTarget target : targets) {
            long attributionStart = System.nanoTime();
            AttributionContext context = new AttributionContext(model, options.batcher(), options.seed(),
                    options.ruleSet(), methods);
            AttributionRequest request = new AttributionRequest(inputs, inputName, target, parameters,
                    Optional.ofNullable(layerName));
            Attribution attribution = matrix == null ? method.attribute(context, request)
                    : matrix.attribute(method, context, request);
            double attributionMillis = millisSince(attributionStart);
            Tensor predicted = pass.ran() ? pass.outputs(null).get(target.output())
                    : returnedOutput(descriptor, attribution, target, examples)
                            .orElseGet(() -> pass.outputs(target.output()).get(target.output()));
            Map<String, Double> timings = new LinkedHashMap<>();
            if (pass.ran()) {
                timings.put("forward", pass.millis());
            }
            timings.put("attribution", attributionMillis);
            timings.put("total", millisSince(start));
            explanations.add(new Explanation(descriptor.name(), options.target().spec(),
                    matrix == null ? target.labels() : matrix.labels(),
                    attribution.tensors(), predictions(predicted, options.classNames()),
                    details(descriptor, layer, attribution, target, predicted, options.classNames()),
                    provenance(descriptor, parameters, model.info(), options, layerName,
                            timings)));
        }
        return explanations;
    }

    /** The target's output as the method returned it for the examples' inputs, when it did. */
    private static Optional<Tensor> returnedOutput(MethodDescriptor descriptor, Attribution attribution,
            ResolvedTarget target, int examples) {
        Tensor t = attribution.outputs().get(target.output());
        if (t != null && (t.rank() == 0 || t.dim(0) != examples)) {
            throw new XaiException(ErrorCode.INTERNAL, "method '" + descriptor.name() + "' returned output '"
                    + target.output() + "' of shape " + Arrays.toString(t.shape()) + " for " + examples + " examples");
        }
        return Optional.ofNullable(t);
    }

    private void checkRequirements(MethodDescriptor descriptor, Model model, ExplainOptions options) {
        if (descriptor.requires(Requirement.GRADIENTS) && !model.capabilities().contains(ModelCapability.GRADIENTS)) {
            throw new XaiException(ErrorCode.MISSING_CAPABILITY, "method '" + descriptor.name()
                    + "' needs gradients, which this model's backend does not provide; methods that work without them: "
                    + methodsWithout(Requirement.GRADIENTS));
        }
    }

    private String methodsWithout(Requirement requirement) {
        return methods.descriptors().stream().filter(d -> !d.requires(requirement)).map(MethodDescriptor::name)
                .collect(Collectors.joining(", "));
    }

    private static List<List<Prediction>> predictions(Tensor output, List<String> classNames) {
        List<List<Prediction>> result = new ArrayList<>();
        for (int i = 0; i < output.dim(0); i++) {
            Tensor row = output.row(i);
            result.add(Predictions.top(row, Math.min(TOP_PREDICTIONS, row.size()), classNames));
        }
        return result;
    }

    /**
     * The method's details, after what its values mean ({@code values}), each example's target probability
     * ({@code targetProbability}, for single-element targets), each step's predicted class for sequence outputs
     * ({@code predictedPerStep}) and the chosen layer and how it was found.
     */
    private static Map<String, Object> details(MethodDescriptor descriptor, SelectedLayer layer,
            Attribution attribution, ResolvedTarget target, Tensor output, List<String> classNames) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(VALUES, descriptor.values().toString());
        if (output.rank() == 3) {
            details.put(PREDICTED_PER_STEP, Predictions.perStep(output, classNames));
        }
        List<Double> probabilities = target.examples() == output.dim(0) ? target.probabilities(output) : null;
        if (probabilities != null) {
            details.put(TARGET_PROBABILITY, probabilities);
        }
        if (layer != null) {
            details.put("layer", layer.tensor());
            details.put("layerShape", layer.shape());
            details.put("layerSelection", (layer.automatic() ? "automatic: " : "given: ") + layer.reason());
        }
        details.putAll(attribution.details());
        return details;
    }

    private static Map<String, int[]> shapesOfOneRow(Map<String, Tensor> inputs) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        inputs.forEach((name, t) -> {
            int[] s = t.shape();
            if (s.length > 0) {
                s[0] = 1;
            }
            shapes.put(name, s);
        });
        return shapes;
    }

    private static Provenance provenance(MethodDescriptor descriptor, Parameters parameters, ModelInfo info,
            ExplainOptions options, String layer, Map<String, Double> timings) {
        return new Provenance(descriptor.name(), descriptor.version(), parameters.asText(), options.target().spec(),
                info.source(), info.sha256(), info.backend(), info.device(), Provenance.currentSdkVersion(),
                options.seed(), options.preprocessing(), layer, options.ruleSet(),
                options.inputSources(), Instant.now(), timings);
    }

    private static double millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e6;
    }

    /** The Explainer's own forward pass, run at most once per call and only when asked for. */
    private static final class ForwardPass {
        private final Model model;
        private final Map<String, Tensor> inputs;
        private Map<String, Tensor> outputs;
        private double millis;

        ForwardPass(Model model, Map<String, Tensor> inputs) {
            this.model = model;
            this.inputs = inputs;
        }

        /** The outputs of the pass, run now if it has not run: every output, or only {@code output} when given. */
        Map<String, Tensor> outputs(String output) {
            if (outputs == null) {
                long start = System.nanoTime();
                outputs = output == null ? model.forward(inputs) : model.forward(inputs, Set.of(output));
                millis = millisSince(start);
            }
            return outputs;
        }

        boolean ran() {
            return outputs != null;
        }

        double millis() {
            return millis;
        }
    }

    /**
     * Shape, presence and finiteness checks on the inputs, with messages giving expected and got. The first axis
     * holds the examples and may take any size: models declared with a fixed batch run larger or smaller batches
     * too ({@link Model#forward}).
     */
    static final class InputValidation {
        private InputValidation() {
        }

        static void check(List<TensorSpec> specs, Map<String, Tensor> inputs) {
            for (String name : inputs.keySet()) {
                if (specs.stream().noneMatch(s -> s.name().equals(name))) {
                    throw new XaiException(ErrorCode.INVALID_INPUT, "unknown input '" + name + "'; the model's inputs are "
                            + specs.stream().map(s -> s.name() + s.shapeString()).collect(Collectors.joining(", ")));
                }
            }
            int batch = -1;
            for (TensorSpec spec : specs) {
                Tensor t = inputs.get(spec.name());
                if (t == null) {
                    throw new XaiException(ErrorCode.INVALID_INPUT, "missing input '" + spec.name() + "' "
                            + spec.shapeString() + "; given: " + inputs.keySet());
                }
                int[] shape = t.shape();
                if (!spec.acceptsExamples(shape)) {
                    throw new XaiException(ErrorCode.SHAPE_MISMATCH, "input '" + spec.name() + "' has shape "
                            + Arrays.toString(shape) + ", but the model's input " + spec.shapeString()
                            + " takes examples of shape " + spec.exampleShapeString() + ", batch first");
                }
                if (batch >= 0 && shape[0] != batch) {
                    throw new XaiException(ErrorCode.SHAPE_MISMATCH, "inputs disagree on the batch size: " + batch
                            + " and " + shape[0] + " (input '" + spec.name() + "')");
                }
                batch = shape[0];
                if (t.hasNonFinite()) {
                    throw new XaiException(ErrorCode.NON_FINITE_INPUT, "input '" + spec.name()
                            + "' contains NaN or infinite values");
                }
            }
        }
    }
}
