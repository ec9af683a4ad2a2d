package io.xai4j.onnx.explain;

import io.xai4j.baseline.Baseline;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.proto.Onnx.TensorShapeProto;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;

/**
 * A baseline fixed at export time, as a constant that broadcasts over the examples: {@code zeros}, a number, or a
 * tensor of one example's shape (an {@code .npy} file; {@code [1, ...]} too). Baselines computed from each example
 * ({@code mean}, {@code blur}) cannot be exported.
 */
final class FixedBaseline {
    private FixedBaseline() {
    }

    /** The constant holding {@code baseline} for the examples of graph input {@code input}. */
    static String add(ExplainerGraph g, Baseline baseline, String input, String method) {
        if (baseline instanceof Baseline.Zeros) {
            return g.floats(new double[] {0});
        }
        if (baseline instanceof Baseline.Constant c) {
            return g.floats(new double[] {c.value()});
        }
        if (baseline instanceof Baseline.Given given) {
            return g.floats(values(given.tensor()), exampleDims(g, given, input));
        }
        throw new XaiException(ErrorCode.INVALID_PARAMETER, "baseline=" + baseline.spec() + " cannot be exported;"
                + " exported " + method + " takes baseline=zeros, a constant such as baseline=0.5, or an .npy file of"
                + " one example's shape");
    }

    /** The number of baselines {@code B} of a distribution {@code [B, ...]} (or one example) for input {@code input}. */
    static int count(Tensor distribution, ExplainerGraph g, String input) {
        return distribution.rank() == g.rank(input) ? distribution.dim(0) : 1;
    }

    /**
     * The baselines of a distribution {@code [B, ...]} (or one example) as a constant {@code [B, 1, ...]} that
     * broadcasts over the examples.
     */
    static String rows(ExplainerGraph g, Tensor distribution, String input, String source) {
        int count = count(distribution, g, input);
        Tensor first = distribution.rank() == g.rank(input) ? distribution.row(0) : distribution;
        long[] one = exampleDims(g, new Baseline.Given(first, source), input);
        long[] dims = new long[one.length + 1];
        dims[0] = count;
        System.arraycopy(one, 0, dims, 1, one.length);
        return g.floats(values(distribution), dims);
    }

    /** {@code [1, ...]}: the given tensor's dimensions, which must match the input's fixed ones. */
    private static long[] exampleDims(ExplainerGraph g, Baseline.Given given, String input) {
        Tensor t = given.tensor();
        int[] shape = t.shape();
        if (shape.length == g.rank(input)) {
            shape = Arrays.copyOfRange(shape, 1, shape.length);
            if (t.dim(0) != 1) {
                throw mismatch(given, g, input);
            }
        }
        TensorShapeProto declared = g.input(input).getType().getTensorType().getShape();
        if (shape.length != declared.getDimCount() - 1) {
            throw mismatch(given, g, input);
        }
        long[] dims = new long[shape.length + 1];
        dims[0] = 1;
        for (int i = 0; i < shape.length; i++) {
            TensorShapeProto.Dimension d = declared.getDim(i + 1);
            if (!d.hasDimValue() || d.getDimValue() != shape[i]) {
                throw mismatch(given, g, input);
            }
            dims[i + 1] = shape[i];
        }
        return dims;
    }

    private static double[] values(Tensor t) {
        double[] v = new double[t.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.get(i);
        }
        return v;
    }

    private static XaiException mismatch(Baseline.Given given, ExplainerGraph g, String input) {
        return new XaiException(ErrorCode.SHAPE_MISMATCH, "baseline " + given.spec() + " has shape "
                + Arrays.toString(given.tensor().shape()) + "; an exported baseline needs one example of input '"
                + input + "' " + ExplainerGraph.describe(g.input(input)) + " with every axis but the batch fixed");
    }
}
