package io.xai4j.explain;

import io.xai4j.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The result of explaining a batch for one target: attributions, what the model predicted, and provenance.
 * Serialise with {@link ExplanationJson}.
 *
 * @param method       the method name
 * @param targetSpec   the target specification, e.g. {@code top:3}
 * @param targetLabels per example, the resolved target, e.g. {@code top-2 (class 5)}
 * @param attributions attribution tensors by the name of the tensor they explain (an input or a layer), batch
 *                     first, in order
 * @param predictions  per example, the model's best classes
 * @param details      method-specific values (e.g. a convergence delta); JSON-compatible values only: strings,
 *                     booleans, integers, doubles, lists and maps of those
 * @param provenance   how the explanation was made
 */
public record Explanation(String method, String targetSpec, List<String> targetLabels,
        Map<String, Tensor> attributions, List<List<Prediction>> predictions, Map<String, Object> details,
        Provenance provenance) {
    /**
     * The details of the shipped methods that hold one entry per example, which {@link #example} keeps only the
     * example's entry of; other details describe the whole call and are kept as they are.
     */
    public static final Set<String> PER_EXAMPLE_DETAILS = Set.of("convergenceDelta", "channelWeights",
            "attributionPerToken", "firstComponentShare");

    public Explanation {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(provenance, "provenance");
        targetLabels = targetLabels == null ? List.of() : List.copyOf(targetLabels);
        attributions = Collections.unmodifiableMap(new LinkedHashMap<>(attributions));
        predictions = predictions == null ? List.of() : predictions.stream().map(List::copyOf).toList();
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** The number of examples explained: the rows of the attributions. */
    public int examples() {
        return attribution().dim(0);
    }

    /**
     * Example {@code i} alone, as if it had been explained by itself: its rows of the attributions (a batch of
     * one), its target (its own part of a per-example spec), target label and predictions, its entries of the
     * {@link #PER_EXAMPLE_DETAILS}, and an input source of the form {@code batch.npy[i]} when one file held all
     * examples, or its own source when each example had one.
     */
    public Explanation example(int i) {
        int n = examples();
        if (n == 1) {
            return this;
        }
        Map<String, Tensor> rows = new LinkedHashMap<>();
        attributions.forEach((name, t) -> rows.put(name, t.rows(i, i + 1)));
        Map<String, Object> own = new LinkedHashMap<>();
        details.forEach((key, value) -> own.put(key, PER_EXAMPLE_DETAILS.contains(key) && value instanceof List<?> l
                && l.size() == n ? List.of(l.get(i)) : value));
        Provenance p = provenance;
        List<String> sources = p.inputSources().size() == 1 ? List.of(p.inputSources().get(0) + "[" + i + "]")
                : entry(p.inputSources(), i, n);
        return new Explanation(method, ownTarget(targetSpec, i, n), entry(targetLabels, i, n), rows,
                entry(predictions, i, n), own, new Provenance(p.method(), p.methodVersion(), p.parameters(),
                        ownTarget(p.target(), i, n), p.modelSource(), p.modelSha256(), p.backend(), p.device(),
                        p.sdkVersion(), p.seed(), p.preprocessing(), p.layer(), p.ruleSet(), sources, p.createdAt(),
                        p.timingsMillis()));
    }

    /** Example {@code i}'s own target of a per-example spec ({@code 3;5;top1}); any other spec as it is. */
    private static String ownTarget(String spec, int i, int n) {
        if (spec == null) {
            return null;
        }
        String[] perExample = spec.split(";", -1);
        return perExample.length == n ? perExample[i].trim() : spec;
    }

    private static <T> List<T> entry(List<T> perExample, int i, int n) {
        return perExample.size() == n ? List.of(perExample.get(i)) : perExample;
    }

    /** The first (usually the only) attribution tensor. */
    public Tensor attribution() {
        if (attributions.isEmpty()) {
            throw new IllegalStateException("explanation of method '" + method + "' holds no attribution tensor");
        }
        return attributions.values().iterator().next();
    }
}
