package io.xai4j.api;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.explain.Explanation;
import io.xai4j.family.gradient.Elementwise;
import io.xai4j.inject.MethodRegistry;
import io.xai4j.spi.Attribution;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.AttributionRequest;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.Requirement;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.target.Target;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A {@link Target.Matrix} explained in one method call: every example is repeated once per output step, row
 * {@code n * T + t} seeded with class C at step t ({@link ResolvedTarget} of {@code N * T} rows), so a gradient method
 * differentiates all steps together in batched engine calls. The rows' attributions, summed over every axis after
 * the first (the input's time axis), form the {@code [N, T_out, T_in]} matrix.
 */
final class StepMatrix {
    private final Target.Matrix target;
    private final ResolvedTarget rows;
    private final int examples;
    private final int steps;

    StepMatrix(Target.Matrix target, ResolvedTarget rows, int examples) {
        this.target = target;
        this.rows = rows;
        this.examples = examples;
        this.steps = rows.examples() / examples;
    }

    /** Gradient methods that attribute to a tensor of their own choosing (no layer needed) accept a matrix target. */
    static boolean accepts(MethodDescriptor method) {
        return method.family() == MethodFamily.GRADIENT && !method.requires(Requirement.LAYER);
    }

    /** @throws XaiException {@link ErrorCode#UNKNOWN_TARGET} listing the methods that accept the target */
    static void checkMethod(Target.Matrix target, MethodDescriptor method, MethodRegistry methods) {
        if (!accepts(method)) {
            throw new XaiException(ErrorCode.UNKNOWN_TARGET, "method '" + method.name() + "' cannot explain target '"
                    + target.spec() + "': the step matrix takes one gradient per output step; methods that can: "
                    + methods.descriptors().stream().filter(StepMatrix::accepts).map(MethodDescriptor::name)
                    .collect(Collectors.joining(", ")));
        }
    }

    /** The per-row target: class C at each step of each example. */
    ResolvedTarget rows() {
        return rows;
    }

    /** Per example, a label such as {@code class 3 (noun), output step x input step}. */
    List<String> labels() {
        String label = rows.labels().get(0).replaceFirst(" at step t=0$", "") + ", output step x input step";
        return Collections.nCopies(examples, label);
    }

    /** Runs {@code method} on every example repeated once per output step and returns the matrix attribution. */
    Attribution attribute(AttributionMethod method, AttributionContext context, AttributionRequest request) {
        Map<String, Tensor> repeated = new LinkedHashMap<>();
        request.inputs().forEach((name, t) -> repeated.put(name, repeatEach(t)));
        Attribution rowAttribution = method.attribute(context, new AttributionRequest(repeated,
                request.inputName(), rows, request.parameters(), request.layer()));
        Map<String, Tensor> matrices = new LinkedHashMap<>();
        rowAttribution.tensors().forEach((name, t) -> matrices.put(name, matrix(name, t)));
        Map<String, Object> details = perExample(rowAttribution.details());
        int inputSteps = matrices.values().iterator().next().dim(2);
        details.put(Explainer.TARGET_MATRIX, "rows: output steps 0.." + (steps - 1) + " of class " + target.index()
                + "; columns: steps 0.." + (inputSteps - 1) + " of '" + matrices.keySet().iterator().next()
                + "', summed over its other axes");
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        rowAttribution.outputs().forEach((name, t) -> {
            if (t.rank() > 0 && t.dim(0) == rows.examples()) {
                outputs.put(name, firstOfEach(t));
            }
        });
        return new Attribution(matrices, details, outputs);
    }

    /** Of {@code [N * T, ...]} rows, row {@code n * T} of each example n: {@code [N, ...]}. */
    private Tensor firstOfEach(Tensor t) {
        List<Tensor> parts = new ArrayList<>();
        for (int n = 0; n < examples; n++) {
            parts.add(t.rows(n * steps, n * steps + 1));
        }
        return Tensor.concat(parts);
    }

    /** {@code [N, ...]} to {@code [N * T, ...]}, row {@code n * T + t} a copy of row n. */
    private Tensor repeatEach(Tensor t) {
        List<Tensor> parts = new ArrayList<>();
        for (int n = 0; n < examples; n++) {
            parts.add(t.rows(n, n + 1).repeatRows(steps));
        }
        return Tensor.concat(parts);
    }

    /** {@code [N * T, T_in, ...]} rows to the {@code [N, T, T_in]} matrix, summed over the axes after T_in. */
    private Tensor matrix(String name, Tensor rowAttribution) {
        if (rowAttribution.rank() < 2) {
            throw new XaiException(ErrorCode.SHAPE_MISMATCH, "target '" + target.spec() + "' needs an attribution"
                    + " with a step axis after the batch, but the attribution of '" + name + "' has shape "
                    + Arrays.toString(rowAttribution.shape()));
        }
        int inputSteps = rowAttribution.dim(1);
        Tensor out = Tensor.zeros(examples, steps, inputSteps);
        for (int r = 0; r < rows.examples(); r++) {
            Tensor row = rowAttribution.row(r);
            for (int s = 0; s < inputSteps; s++) {
                out.set(r * inputSteps + s, (float) Elementwise.sum(row.row(s)));
            }
        }
        return out;
    }

    /** Per-example details given per row ({@code N * T} entries) regrouped as one list of T per example. */
    private Map<String, Object> perExample(Map<String, Object> details) {
        Map<String, Object> out = new LinkedHashMap<>();
        details.forEach((key, value) -> {
            if (Explanation.PER_EXAMPLE_DETAILS.contains(key) && value instanceof List<?> list
                    && list.size() == rows.examples()) {
                List<Object> grouped = new ArrayList<>();
                for (int n = 0; n < examples; n++) {
                    grouped.add(List.copyOf(list.subList(n * steps, (n + 1) * steps)));
                }
                out.put(key, grouped);
            } else {
                out.put(key, value);
            }
        });
        return out;
    }
}
