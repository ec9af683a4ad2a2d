package io.xai4j.metric;

import io.xai4j.api.ExplainOptions;
import io.xai4j.api.Explainer;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.explain.Explanation;
import io.xai4j.family.perturbation.Regions;
import io.xai4j.image.CropBox;
import io.xai4j.metric.localisation.GroundTruth;
import io.xai4j.spi.Model;
import io.xai4j.spi.Parameters;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.target.Target;
import io.xai4j.target.TargetResolver;
import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Explains inputs with a method and scores the explanations with metrics: what {@code xai4j evaluate} runs for
 * each input and method. Models that metrics open (the second model of {@code data-randomisation}) are opened once
 * and kept until {@link #close()}. Thread-safe.
 */
public final class Evaluation implements AutoCloseable {
    private final Explainer explainer;
    private final MetricRegistry metrics;
    private final MetricContext.Models opener;
    private final Map<Path, Model> opened = new LinkedHashMap<>();

    /** An evaluation whose metrics open no other models. */
    public Evaluation(Explainer explainer, MetricRegistry metrics) {
        this(explainer, metrics, null);
    }

    /**
     * @param opener opens the model files metrics ask for (e.g. {@code file -> xai.open(file, options)}), or null
     */
    public Evaluation(Explainer explainer, MetricRegistry metrics, MetricContext.Models opener) {
        this.explainer = explainer;
        this.metrics = metrics;
        this.opener = opener;
    }

    /** A metric and its parameter values (text or typed). */
    public record Choice(String metric, Map<String, ?> parameters) {
        public Choice {
            parameters = Map.copyOf(parameters);
        }
    }

    /**
     * One explanation with its scores.
     *
     * @param explanation the explanation (one target of every example)
     * @param target      the target it explains, resolved
     * @param regions     each example's true region of the target at the input's pixels (null where not known;
     *                    empty when none is)
     * @param results     one result per metric, in the order asked
     * @param millis      the time of each metric, by name
     */
    public record Scored(Explanation explanation, ResolvedTarget target, List<Tensor> regions,
            List<MetricResult> results, Map<String, Double> millis) {
    }

    public MetricRegistry metrics() {
        return metrics;
    }

    /**
     * The chosen metrics with their parameters, given as on the command line: {@code METRIC.KEY} goes to that
     * metric, a plain {@code KEY} to every chosen metric that takes it.
     *
     * @throws io.xai4j.error.XaiException for an unknown metric, or a key that no chosen metric takes
     */
    public List<Choice> choices(List<String> names, Map<String, String> parameters) {
        if (names.stream().anyMatch(String::isBlank)) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "--metric has a blank name " + names + "; name metrics"
                    + " separated by commas, e.g. --metric deletion,insertion; the metrics are " + metrics.names());
        }
        Map<String, Map<String, String>> byMetric = new LinkedHashMap<>();
        for (String metric : names) {
            metrics.get(metric);
            byMetric.put(metric, new LinkedHashMap<>());
        }
        parameters.forEach((key, value) -> {
            if (key.isBlank()) {
                throw new XaiException(ErrorCode.INVALID_ARGUMENT, "--metric-param '" + key + "=" + value + "' has no"
                        + " name; write [METRIC.]KEY=VALUE, e.g. deletion.steps=20");
            }
            int dot = key.indexOf('.');
            if (dot > 0 && byMetric.containsKey(key.substring(0, dot))) {
                byMetric.get(key.substring(0, dot)).put(key.substring(dot + 1), value);
                return;
            }
            List<String> takers = names.stream()
                    .filter(m -> metrics.get(m).descriptor().parameter(key).isPresent()).toList();
            if (takers.isEmpty()) {
                throw new XaiException(ErrorCode.UNKNOWN_PARAMETER, "--metric-param " + key + " is taken by none of "
                        + "the metrics " + names + (dot > 0 ? " (and '" + key.substring(0, dot) + "' is not among them)"
                        : ""));
            }
            takers.forEach(m -> byMetric.get(m).put(key, value));
        });
        List<Choice> out = new ArrayList<>();
        byMetric.forEach((metric, values) -> out.add(new Choice(metric, values)));
        return out;
    }

    /**
     * Checks every metric name and parameter before any work.
     *
     * @throws io.xai4j.error.XaiException for an unknown metric or a bad parameter value
     */
    public void check(List<Choice> choices) {
        for (Choice c : choices) {
            metrics.get(c.metric()).descriptor().parse(c.parameters());
        }
    }

    /**
     * Explains {@code inputs} (every model input, batch first) as {@code options} say and scores each explanation
     * (one per resolved target) with the chosen metrics.
     *
     * @param truths the true region of each example, or null entries (and an empty list) where not known
     * @param view   the region of the original image the inputs show, for the true regions (null: the whole image)
     */
    public List<Scored> evaluate(Model model, Map<String, Tensor> inputs, ExplainOptions options, List<Choice> choices,
            List<GroundTruth> truths, CropBox view) {
        check(choices);
        List<Explanation> explanations = explainer.explain(model, inputs, options);
        Map<String, Tensor> outputs = model.forward(inputs);
        List<ResolvedTarget> targets = TargetResolver.resolve(options.target(), model.signature(), outputs,
                options.classNames());
        String inputName = options.inputName() != null ? options.inputName() : model.signature().firstInput().name();
        MetricContext context = new MetricContext(model, options.batcher(), options.seed(),
                (changed, changedInputs, target) -> explainer.explain(changed, changedInputs,
                        options.withTarget(fixed(target, outputs.get(target.output()), options.target())))
                        .get(0).attribution(), opener == null ? null : this::open);
        List<Scored> scored = new ArrayList<>();
        for (int t = 0; t < explanations.size(); t++) {
            Explanation explanation = explanations.get(t);
            ResolvedTarget target = targets.get(t);
            Tensor output = outputs.get(target.output());
            List<Tensor> regions = regions(truths, view, inputs.get(inputName), target, output.dim(-1),
                    options.classNames());
            List<MetricResult> results = new ArrayList<>();
            Map<String, Double> millis = new LinkedHashMap<>();
            for (Choice c : choices) {
                Metric metric = metrics.get(c.metric());
                Parameters parameters = metric.descriptor().parse(c.parameters());
                long start = System.nanoTime();
                MetricRequest request = new MetricRequest(inputs, inputName, target, explanation.attribution(),
                        explanation.details(), regions, parameters);
                results.add(metric.descriptor().needs(MetricNeed.GROUND_TRUTH) && regions.isEmpty()
                        ? MetricResult.notApplicable(c.metric(), request.examples(), "no true region (boxes or mask) "
                                + "given for this input")
                        : metric.evaluate(context, request));
                millis.put(c.metric(), (System.nanoTime() - start) / 1e6);
            }
            scored.add(new Scored(explanation, target, regions, results, millis));
        }
        return scored;
    }

    /** The model in {@code file}, opened on first use and kept until {@link #close()}. */
    private synchronized Model open(Path file) {
        Path key = file.toAbsolutePath().normalize();
        Model model = opened.get(key);
        if (model == null) {
            model = opener.open(file);
            opened.put(key, model);
        }
        return model;
    }

    /** Closes the models that metrics opened. */
    @Override
    public synchronized void close() {
        opened.values().forEach(Model::close);
        opened.clear();
    }

    /**
     * The target that explains the classes of {@code resolved} again, whatever a changed model or input predicts:
     * each example's class of a classifier output {@code [N,C]}; other targets as given.
     */
    private static Target fixed(ResolvedTarget resolved, Tensor output, Target given) {
        if (output.rank() != 2 || resolved.indices().stream().anyMatch(i -> i.length != 1)) {
            return given;
        }
        return new Target.PerExample(resolved.indices().stream()
                .<Target>map(i -> new Target.ClassIndex(resolved.output(), i[0])).toList());
    }

    /** Each example's true region of its target, at the input's pixels; empty when none is known. */
    private static List<Tensor> regions(List<GroundTruth> truths, CropBox view, Tensor input, ResolvedTarget target,
            int classes, List<String> classNames) {
        int[] example = java.util.Arrays.copyOfRange(input.shape(), 1, input.rank());
        if (truths.stream().allMatch(java.util.Objects::isNull) || example.length < 2 || example.length > 3) {
            return List.of();
        }
        int[] spatial = Regions.spatialAxes(example);
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < target.examples(); i++) {
            GroundTruth truth = i < truths.size() ? truths.get(i) : null;
            int[] flat = target.indices().get(i);
            Set<String> names = new LinkedHashSet<>();
            for (int f : flat) {
                int c = f % classes;
                names.add(Integer.toString(c));
                if (c < classNames.size()) {
                    names.add(classNames.get(c));
                }
            }
            out.add(truth == null ? null : truth.mask(view, example[spatial[0]], example[spatial[1]], names));
        }
        return out;
    }
}
