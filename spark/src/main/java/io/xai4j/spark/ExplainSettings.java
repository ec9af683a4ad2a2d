package io.xai4j.spark;

import io.xai4j.api.ExplainOptions;
import io.xai4j.metric.Evaluation;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Spark explanation job does, as plain serializable values that travel with the tasks to the executors.
 *
 * @param method         the method name, e.g. {@code saliency}
 * @param parameters     method parameters as text, as on the command line
 * @param target         the target for rows without a target column value, e.g. {@code top1} or {@code 3}
 * @param targetColumn   the column holding each row's target (an integer class or a target spec), or null
 * @param inputColumn    the column holding the input: image bytes, or an array of numbers
 * @param shapeColumn    for array inputs of models with symbolic example dimensions, the column of each row's
 *                       example shape; null to take the model's declared example shape
 * @param idColumn       the column naming each row in the summary and the output folders; null for the
 *                       {@code path} column of binary-file sources, else partition and row number
 * @param preprocessing  the image preprocessing preset or spec, e.g. {@code imagenet}
 * @param layer          the layer of layer methods, or null
 * @param ruleSet        the backward rule set, or null for {@code exact}
 * @param classNames     the class names, or an empty list
 * @param batchSize      rows per model call inside a partition
 * @param seed           the seed of random methods
 * @param threads        ONNX Runtime's threads per model call; 0 for Spark's cores per task ({@code spark.task.cpus})
 * @param metrics        the metrics to score each row's explanation with, each with its parameters as text
 */
public record ExplainSettings(String method, Map<String, String> parameters, String target, String targetColumn,
        String inputColumn, String shapeColumn, String idColumn, String preprocessing, String layer, String ruleSet,
        List<String> classNames, int batchSize, long seed, int threads, Map<String, Map<String, String>> metrics)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public ExplainSettings {
        parameters = new LinkedHashMap<>(parameters);
        classNames = List.copyOf(classNames);
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        metrics.forEach((name, values) -> copy.put(name, new LinkedHashMap<>(values)));
        metrics = copy;
    }

    /** The metrics as the SDK's evaluation takes them. */
    List<Evaluation.Choice> metricChoices() {
        return metrics.entrySet().stream().map(e -> new Evaluation.Choice(e.getKey(), e.getValue())).toList();
    }

    /**
     * The SDK options for a batch of rows with the given target specs (joined per example), sources (the row ids)
     * and preprocessing (null for tensors).
     */
    ExplainOptions options(List<String> targets, List<String> sources, String preprocessingUsed) {
        ExplainOptions.Builder options = ExplainOptions.builder(method).target(String.join(";", targets))
                .params(parameters).seed(seed).classNames(classNames).inputSources(sources);
        if (preprocessingUsed != null) {
            options.preprocessing(preprocessingUsed);
        }
        if (layer != null) {
            options.layer(layer);
        }
        if (ruleSet != null) {
            options.ruleSet(ruleSet);
        }
        return options.build();
    }
}
