package io.xai4j.onnx;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.Dim;
import io.xai4j.spi.TensorSpec;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Checks inputs against a model's declared inputs before anything native is created. */
final class InputValidator {
    private InputValidator() {
    }

    /**
     * Validates names, ranks, fixed dimensions after the first, a shared batch size and finiteness. The first,
     * batch dimension may take any size even when the model declares it fixed (the model then runs it in chunks).
     *
     * @return the batch size (the shared leading dimension)
     */
    static int validate(List<TensorSpec> specs, Map<String, Tensor> inputs) {
        if (inputs == null) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "no inputs given; expected " + describe(specs));
        }
        for (String name : inputs.keySet()) {
            if (specs.stream().noneMatch(s -> s.name().equals(name))) {
                throw new XaiException(ErrorCode.INVALID_INPUT, "unknown input '" + name + "'; expected "
                        + describe(specs));
            }
        }
        int batch = -1;
        for (TensorSpec spec : specs) {
            Tensor t = inputs.get(spec.name());
            if (t == null) {
                throw new XaiException(ErrorCode.INVALID_INPUT, "missing input '" + spec.name() + "'; expected "
                        + describe(specs));
            }
            checkShape(spec, t.shape());
            if (t.rank() > 0) {
                if (batch >= 0 && t.dim(0) != batch) {
                    throw new XaiException(ErrorCode.SHAPE_MISMATCH, "inputs disagree on the batch size: input '"
                            + spec.name() + "' has " + t.dim(0) + " rows, another input has " + batch);
                }
                batch = t.dim(0);
            }
            if (t.hasNonFinite()) {
                throw new XaiException(ErrorCode.NON_FINITE_INPUT, "input '" + spec.name()
                        + "' contains NaN or infinite values at index " + firstNonFinite(t));
            }
        }
        return Math.max(batch, 1);
    }

    private static void checkShape(TensorSpec spec, int[] shape) {
        boolean ok = shape.length == spec.rank();
        for (int i = 1; ok && i < shape.length; i++) {
            Dim d = spec.shape().get(i);
            ok = !d.isFixed() || d.size() == shape[i];
        }
        if (!ok) {
            throw new XaiException(ErrorCode.SHAPE_MISMATCH, "input '" + spec.name() + "' has shape "
                    + Arrays.toString(shape) + ", expected " + spec.shapeString()
                    + " (any size for the first, batch dimension)");
        }
    }

    private static int firstNonFinite(Tensor t) {
        for (int i = 0; i < t.size(); i++) {
            if (!Float.isFinite(t.get(i))) {
                return i;
            }
        }
        return -1;
    }

    static String describe(List<TensorSpec> specs) {
        return specs.stream().map(s -> s.name() + s.shapeString()).collect(Collectors.joining(", "));
    }
}
