package io.xai4j.target;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.Dim;
import io.xai4j.spi.ModelSignature;
import io.xai4j.spi.TensorSpec;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds a {@link Target} to the examples of a batch, given the model's outputs for that batch, or for targets that
 * read no output values ({@link #needsOutputs}) given only the declared output shape and the number of examples.
 *
 * <ul>
 *   <li>A null output name means the model's first output.</li>
 *   <li>{@link Target.ClassIndex}: on a row of shape {@code [C]} the index itself; on a row of higher rank
 *       the class is on the last axis and is summed over the other non-batch axes.</li>
 *   <li>{@link Target.Predicted} and {@link Target.TopK}: the arg-max (k best) of the row, flattened when its
 *       rank is above 1; top-k gives k resolved targets, the j-th holding each example's j-th best element.</li>
 *   <li>{@link Target.Slice}: one range per non-batch axis; missing trailing ranges cover their whole axis.</li>
 *   <li>{@link Target.PerExample}: one target per example, each resolved on its own example's row.</li>
 * </ul>
 */
public final class TargetResolver {
    private final ModelSignature signature;
    /** The outputs, or null when resolving from the declared shapes. */
    private final Map<String, Tensor> outputs;
    private final int examples;
    private final List<String> classNames;

    private TargetResolver(ModelSignature signature, Map<String, Tensor> outputs, int examples,
            List<String> classNames) {
        this.signature = signature;
        this.outputs = outputs;
        this.examples = examples;
        this.classNames = classNames == null ? List.of() : List.copyOf(classNames);
    }

    /** Resolves {@code target} with labels such as {@code class 3}. */
    public static List<ResolvedTarget> resolve(Target target, ModelSignature signature, Map<String, Tensor> outputs) {
        return resolve(target, signature, outputs, List.of());
    }

    /**
     * Resolves {@code target}; {@code classNames} (may be empty) turns labels into {@code class 3 (triangle)}.
     *
     * @throws XaiException {@link ErrorCode#UNKNOWN_TARGET} for unknown outputs, out-of-range classes or ranges;
     *                      {@link ErrorCode#INVALID_ARGUMENT} when per-example targets do not match the batch
     */
    public static List<ResolvedTarget> resolve(Target target, ModelSignature signature, Map<String, Tensor> outputs,
            List<String> classNames) {
        return new TargetResolver(signature, outputs, -1, classNames).resolve(target);
    }

    /**
     * Whether resolving {@code target} needs the model's output values: for {@code top1} and {@code top:k} (alone or
     * among per-example targets), and for an output whose shape beyond the batch is not fully declared. Other
     * targets resolve with {@link #resolve(Target, ModelSignature, int, List)}, before the model runs.
     */
    public static boolean needsOutputs(Target target, ModelSignature signature) {
        List<Target> singles = target instanceof Target.PerExample p ? p.targets() : List.of(target);
        if (singles.stream().anyMatch(t -> t instanceof Target.Predicted || t instanceof Target.TopK)) {
            return true;
        }
        TensorSpec spec = signature.outputs().stream().filter(s -> s.name().equals(target.output() == null
                ? signature.firstOutput().name() : target.output())).findFirst().orElse(null);
        return spec != null && spec.shape().stream().skip(1).anyMatch(d -> !d.isFixed());
    }

    /**
     * Resolves a target that needs no output values ({@link #needsOutputs} is false) for {@code examples} examples,
     * from the output's declared shape, with the same checks and messages as from the outputs.
     *
     * @throws IllegalArgumentException when the target needs the outputs
     */
    public static List<ResolvedTarget> resolve(Target target, ModelSignature signature, int examples,
            List<String> classNames) {
        if (needsOutputs(target, signature)) {
            throw new IllegalArgumentException("target '" + target.spec() + "' needs the model's outputs");
        }
        return new TargetResolver(signature, null, examples, classNames).resolve(target);
    }

    /**
     * Resolves a matrix target into one row per example and output step: row {@code n * T + t} is class C at step t
     * of example n, in an output {@code [N,T,C]}.
     *
     * @throws XaiException {@link ErrorCode#UNKNOWN_TARGET} when the output is not {@code [N,T,C]} or the class is
     *                      out of range
     */
    public static ResolvedTarget resolveSteps(Target.Matrix target, ModelSignature signature,
            Map<String, Tensor> outputs, List<String> classNames) {
        return new TargetResolver(signature, outputs, -1, classNames).steps(target);
    }

    /**
     * As {@link #resolveSteps(Target.Matrix, ModelSignature, Map, List)} from the output's declared shape, for
     * {@code examples} examples, when {@link #needsOutputs} is false.
     *
     * @throws IllegalArgumentException when the output's shape is not fully declared
     */
    public static ResolvedTarget resolveSteps(Target.Matrix target, ModelSignature signature, int examples,
            List<String> classNames) {
        if (needsOutputs(target, signature)) {
            throw new IllegalArgumentException("target '" + target.spec() + "' needs the model's outputs");
        }
        return new TargetResolver(signature, null, examples, classNames).steps(target);
    }

    private ResolvedTarget steps(Target.Matrix target) {
        String name = outputName(target);
        Rows output = output(name, target);
        int[] rowShape = output.rowShape();
        if (rowShape.length != 2) {
            int[] shape = new int[rowShape.length + 1];
            shape[0] = output.examples();
            System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
            throw new XaiException(ErrorCode.UNKNOWN_TARGET, "target '" + target.spec() + "' needs a per-step output"
                    + " [N,T,C] (a class per step), but output '" + name + "' has shape " + Arrays.toString(shape)
                    + "; use a class index or top1 instead");
        }
        int steps = rowShape[0];
        int classes = rowShape[1];
        if (target.index() >= classes) {
            throw new XaiException(ErrorCode.UNKNOWN_TARGET, "class " + target.index() + " is out of range for output '"
                    + name + "' with " + classes + " classes (valid: matrix:0..matrix:" + (classes - 1) + ")");
        }
        List<int[]> indices = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int n = 0; n < output.examples(); n++) {
            for (int t = 0; t < steps; t++) {
                indices.add(new int[] {t * classes + target.index()});
                labels.add(classLabel(target.index()) + " at step t=" + t);
            }
        }
        return new ResolvedTarget(name, indices, labels);
    }

    private List<ResolvedTarget> resolve(Target target) {
        if (target instanceof Target.Matrix) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "target '" + target.spec() + "' is a matrix of one"
                    + " target per output step; resolve it with resolveSteps (the Explainer does)");
        }
        if (target instanceof Target.TopK topK) {
            return resolveTopK(topK);
        }
        if (target instanceof Target.PerExample perExample) {
            return List.of(resolvePerExample(perExample));
        }
        String name = outputName(target);
        Rows output = output(name, target);
        List<int[]> indices = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int example = 0; example < output.examples(); example++) {
            Element e = resolveSingle(target, name, output, example);
            indices.add(e.indices());
            labels.add(e.label());
        }
        return List.of(new ResolvedTarget(name, indices, labels));
    }

    private List<ResolvedTarget> resolveTopK(Target.TopK topK) {
        String name = outputName(topK);
        Tensor output = output(name, topK).values();
        int examples = output.dim(0);
        int rowSize = isSequence(output.row(0).shape()) ? output.dim(-1) : output.rowSize();
        if (topK.k() > rowSize) {
            throw new XaiException(ErrorCode.UNKNOWN_TARGET, "target '" + topK.spec() + "' asks for the top "
                    + topK.k() + " elements, but output '" + name + "' has only " + rowSize + " per example"
                    + " (valid: top:1..top:" + rowSize + ")");
        }
        int[][] best = new int[examples][];
        for (int example = 0; example < examples; example++) {
            best[example] = bestIndices(output.row(example), topK.k());
        }
        List<ResolvedTarget> result = new ArrayList<>(topK.k());
        for (int j = 0; j < topK.k(); j++) {
            List<int[]> indices = new ArrayList<>(examples);
            List<String> labels = new ArrayList<>(examples);
            for (int example = 0; example < examples; example++) {
                int index = best[example][j];
                indices.add(new int[] {index});
                labels.add(rankLabel(j + 1, index, output.row(example).shape()));
            }
            result.add(new ResolvedTarget(name, indices, labels));
        }
        return result;
    }

    private ResolvedTarget resolvePerExample(Target.PerExample perExample) {
        List<Target> targets = perExample.targets();
        String name = outputName(targets.get(0));
        for (int i = 1; i < targets.size(); i++) {
            String other = outputName(targets.get(i));
            if (!other.equals(name)) {
                throw new XaiException(ErrorCode.INVALID_ARGUMENT, "per-example targets '" + perExample.spec()
                        + "' must all read one output, but example 0 reads '" + name + "' and example " + i
                        + " reads '" + other + "'");
            }
        }
        Rows output = output(name, perExample);
        if (targets.size() != output.examples()) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "per-example targets '" + perExample.spec()
                    + "' give " + targets.size() + " targets, but the batch has " + output.examples()
                    + " examples; give exactly one target per example");
        }
        List<int[]> indices = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int example = 0; example < targets.size(); example++) {
            Element e = resolveSingle(targets.get(example), name, output, example);
            indices.add(e.indices());
            labels.add(e.label());
        }
        return new ResolvedTarget(name, indices, labels);
    }

    private Element resolveSingle(Target target, String name, Rows output, int example) {
        if (target instanceof Target.ClassIndex c) {
            return classIndex(c, name, output.rowShape());
        }
        if (target instanceof Target.Predicted) {
            int index = bestIndices(output.values().row(example), 1)[0];
            return new Element(new int[] {index}, rankLabel(1, index, output.rowShape()));
        }
        if (target instanceof Target.Slice s) {
            return slice(s, name, output.rowShape());
        }
        throw new IllegalStateException("not a single target: " + target);
    }

    private Element classIndex(Target.ClassIndex target, String name, int[] rowShape) {
        int classes = rowShape.length == 0 ? 1 : rowShape[rowShape.length - 1];
        int index = target.index();
        if (index >= classes) {
            throw new XaiException(ErrorCode.UNKNOWN_TARGET, "class " + index + " is out of range for output '"
                    + name + "' with " + classes + " classes (valid: 0.." + (classes - 1) + ")");
        }
        if (isSequence(rowShape)) {
            int last = rowShape[0] - 1;
            return new Element(new int[] {last * classes + index}, classLabel(index) + " at the last step (t=" + last
                    + ")");
        }
        int rowSize = Tensor.sizeOf(rowShape);
        int[] indices = new int[rowSize / classes];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i * classes + index;
        }
        return new Element(indices, classLabel(index));
    }

    private Element slice(Target.Slice target, String name, int[] rowShape) {
        List<IndexRange> ranges = target.ranges();
        if (ranges.size() > rowShape.length) {
            throw new XaiException(ErrorCode.UNKNOWN_TARGET, "slice target '" + target.spec() + "' gives "
                    + ranges.size() + " ranges, but output '" + name + "' has " + rowShape.length
                    + " non-batch axes " + Arrays.toString(rowShape) + "; give at most one range per non-batch axis");
        }
        int[] start = new int[rowShape.length];
        int[] end = rowShape.clone();
        for (int axis = 0; axis < ranges.size(); axis++) {
            IndexRange r = ranges.get(axis);
            int size = rowShape[axis];
            int[] bounds = r.bounds(size);
            if (bounds == null) {
                throw new XaiException(ErrorCode.UNKNOWN_TARGET, "range " + r + " on non-batch axis " + axis
                        + " of output '" + name + "' " + Arrays.toString(rowShape) + " is out of bounds or empty: the"
                        + " axis has " + size + " elements (valid indices 0.." + (size - 1) + ", or -" + size
                        + "..-1 from the end)");
            }
            start[axis] = bounds[0];
            end[axis] = bounds[1];
        }
        return new Element(boxIndices(rowShape, start, end), name + target.ranges().stream()
                .map(IndexRange::toString).collect(Collectors.joining(",", "[", "]")));
    }

    /** Flat row-major indices of the box {@code [start, end)} in a tensor of the given shape. */
    private static int[] boxIndices(int[] shape, int[] start, int[] end) {
        int count = 1;
        for (int axis = 0; axis < shape.length; axis++) {
            count *= end[axis] - start[axis];
        }
        int[] out = new int[count];
        int[] pos = start.clone();
        for (int n = 0; n < count; n++) {
            int flat = 0;
            for (int axis = 0; axis < shape.length; axis++) {
                flat = flat * shape[axis] + pos[axis];
            }
            out[n] = flat;
            for (int axis = shape.length - 1; axis >= 0; axis--) {
                if (++pos[axis] < end[axis]) {
                    break;
                }
                pos[axis] = start[axis];
            }
        }
        return out;
    }

    /**
     * Whether a row is a sequence {@code [T,C]}: its class and top-k targets read the last step (a sequence model's
     * prediction is usually its last step's); a slice such as {@code [:,3]} sums over steps.
     */
    static boolean isSequence(int[] rowShape) {
        return rowShape.length == 2;
    }

    /** The k best flat indices of a row: of its last step for a sequence row, else of the whole row. */
    private static int[] bestIndices(Tensor row, int k) {
        if (!isSequence(row.shape())) {
            return topIndices(row, k);
        }
        int offset = (row.dim(0) - 1) * row.dim(1);
        int[] best = topIndices(row.row(row.dim(0) - 1), k);
        for (int i = 0; i < best.length; i++) {
            best[i] += offset;
        }
        return best;
    }

    /** The flat indices of the k largest elements, best first; ties go to the lower index, NaN ranks last. */
    public static int[] topIndices(Tensor row, int k) {
        float[] a = row.array();
        int off = row.offset();
        int[] best = new int[k];
        int filled = 0;
        for (int i = 0; i < row.size(); i++) {
            float v = a[off + i];
            int pos = filled;
            while (pos > 0 && greater(v, a[off + best[pos - 1]])) {
                pos--;
            }
            if (pos < k) {
                int last = Math.min(filled, k - 1);
                System.arraycopy(best, pos, best, pos + 1, last - pos);
                best[pos] = i;
                filled = Math.min(filled + 1, k);
            }
        }
        return best;
    }

    private static boolean greater(float v, float other) {
        return !Float.isNaN(v) && (v > other || Float.isNaN(other));
    }

    private String outputName(Target target) {
        if (target.output() == null) {
            return signature.firstOutput().name();
        }
        if (!signature.outputNames().contains(target.output())) {
            throw new XaiException(ErrorCode.UNKNOWN_TARGET, "target '" + target.spec() + "' names output '"
                    + target.output() + "', which the model does not have; the model's outputs are "
                    + signature.outputs().stream().map(s -> "'" + s.name() + "' " + s.shapeString())
                    .collect(Collectors.joining(", ")));
        }
        return target.output();
    }

    /** The rows of output {@code name}: computed, or (without outputs) as declared, for the given examples. */
    private Rows output(String name, Target target) {
        int[] shape;
        Tensor values = null;
        if (outputs == null) {
            List<Dim> declared = signature.output(name).shape();
            shape = new int[declared.size()];
            for (int axis = 0; axis < shape.length; axis++) {
                shape[axis] = axis == 0 ? examples : (int) declared.get(axis).size();
            }
        } else {
            values = outputs.get(name);
            if (values == null) {
                throw new XaiException(ErrorCode.INTERNAL, "output '" + name + "' needed by target '" + target.spec()
                        + "' was not computed; computed outputs: " + outputs.keySet());
            }
            shape = values.shape();
        }
        if (shape.length == 0) {
            TensorSpec spec = signature.output(name);
            throw new XaiException(ErrorCode.UNKNOWN_TARGET, "output '" + name + "' " + spec.shapeString()
                    + " is a scalar without a batch axis and cannot be a target");
        }
        int[] rowShape = Arrays.copyOfRange(shape, 1, shape.length);
        if (shape[0] > 0 && Tensor.sizeOf(rowShape) == 0) {
            throw new XaiException(ErrorCode.UNKNOWN_TARGET, "output '" + name + "' has shape "
                    + Arrays.toString(shape) + " with no elements per example and cannot be a target");
        }
        return new Rows(shape[0], rowShape, values);
    }

    /** An output's examples and row shape, with its values when computed. */
    private record Rows(int examples, int[] rowShape, Tensor values) {
    }

    private String classLabel(int index) {
        String label = "class " + index;
        return index < classNames.size() ? label + " (" + classNames.get(index) + ")" : label;
    }

    private String rankLabel(int rank, int flatIndex, int[] rowShape) {
        String what;
        if (isSequence(rowShape)) {
            int cls = flatIndex % rowShape[1];
            what = "class " + cls + (cls < classNames.size() ? ", " + classNames.get(cls) : "") + ", at the last step t="
                    + (rowShape[0] - 1);
        } else if (rowShape.length <= 1) {
            what = "class " + flatIndex + (flatIndex < classNames.size() ? ", " + classNames.get(flatIndex) : "");
        } else {
            int[] pos = new int[rowShape.length];
            int rest = flatIndex;
            for (int axis = rowShape.length - 1; axis >= 0; axis--) {
                pos[axis] = rest % rowShape[axis];
                rest /= rowShape[axis];
            }
            what = "element " + Arrays.stream(pos).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));
        }
        return "top-" + rank + " (" + what + ")";
    }

    private record Element(int[] indices, String label) {
    }
}
