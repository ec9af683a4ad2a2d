package io.xai4j.baseline;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.io.Npy;
import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The reference input that perturbation and path methods compare against. {@link #of(Tensor)} builds the
 * baseline for one example (shape without batch); it never modifies the example.
 */
public sealed interface Baseline {

    /** The baseline for one example, shaped like it. */
    Tensor of(Tensor example);

    /** The CLI spelling, e.g. {@code zeros}, {@code 0.5}, {@code mean}, {@code blur:3}. */
    String spec();

    record Zeros() implements Baseline {
        public Tensor of(Tensor example) {
            return Tensor.zeros(example.shape());
        }

        public String spec() {
            return "zeros";
        }
    }

    record Constant(float value) implements Baseline {
        public Tensor of(Tensor example) {
            return Tensor.full(value, example.shape());
        }

        public String spec() {
            return Float.toString(value);
        }
    }

    /** Every element set to the example's mean. */
    record Mean() implements Baseline {
        public Tensor of(Tensor example) {
            double sum = 0;
            for (int i = 0; i < example.size(); i++) {
                sum += example.get(i);
            }
            return Tensor.full((float) (sum / Math.max(1, example.size())), example.shape());
        }

        public String spec() {
            return "mean";
        }
    }

    /**
     * A Gaussian blur of the example with standard deviation {@code sigma} (in elements) over its spatial
     * axes: the last two axes, or the first two for a channels-last [H,W,C] example; axis 0 for rank 1.
     */
    record Blur(double sigma) implements Baseline {
        public Blur {
            if (!(sigma > 0)) {
                throw new IllegalArgumentException("blur sigma must be > 0, got " + sigma);
            }
        }

        public Tensor of(Tensor example) {
            int[] s = example.shape();
            Tensor out = example.copy();
            if (s.length == 1) {
                GaussianBlur.blurAxis(out, 0, sigma);
            } else if (s.length == 3 && s[2] <= 4 && s[0] > 4) {
                GaussianBlur.blurAxis(out, 0, sigma);
                GaussianBlur.blurAxis(out, 1, sigma);
            } else {
                GaussianBlur.blurAxis(out, s.length - 2, sigma);
                GaussianBlur.blurAxis(out, s.length - 1, sigma);
            }
            return out;
        }

        public String spec() {
            return "blur:" + sigma;
        }
    }

    /** A user-supplied tensor with the example's shape (or with a leading batch of 1). */
    record Given(Tensor tensor, String source) implements Baseline {
        /** @throws XaiException {@link ErrorCode#INVALID_PARAMETER} when the values are not all finite */
        public Given {
            if (tensor.hasNonFinite()) {
                throw new XaiException(ErrorCode.INVALID_PARAMETER, "baseline " + source + " holds NaN or infinite"
                        + " values; a baseline must be finite");
            }
        }

        public Tensor of(Tensor example) {
            Tensor t = tensor;
            if (t.rank() == example.rank() + 1 && t.dim(0) == 1) {
                t = t.row(0);
            }
            if (!Arrays.equals(t.shape(), example.shape())) {
                throw new XaiException(ErrorCode.SHAPE_MISMATCH, "baseline " + source + " has shape "
                        + Arrays.toString(tensor.shape()) + ", expected the input's shape " + Arrays.toString(example.shape()));
            }
            return t.copy();
        }

        public String spec() {
            return source;
        }
    }

    /**
     * Parses {@code zeros}, a number, {@code mean}, {@code blur} or {@code blur:SIGMA}, or a path to an
     * {@code .npy} file.
     */
    private static double finite(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("not finite: " + value);
        }
        return value;
    }

    static Baseline parse(String spec) {
        String s = spec.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        try {
            if (lower.equals("zeros") || lower.equals("zero")) {
                return new Zeros();
            }
            if (lower.equals("mean")) {
                return new Mean();
            }
            if (lower.equals("blur")) {
                return new Blur(5.0);
            }
            if (lower.startsWith("blur:")) {
                return new Blur(finite(Double.parseDouble(s.substring(5))));
            }
            if (lower.endsWith(".npy")) {
                return new Given(Npy.read(Path.of(s)), s);
            }
            return new Constant((float) finite(Float.parseFloat(lower.startsWith("constant:") ? s.substring(9) : s)));
        } catch (IllegalArgumentException e) {
            throw new XaiException(ErrorCode.INVALID_PARAMETER, "bad baseline '" + spec
                    + "'; valid baselines: zeros, a number (e.g. 0.5), mean, blur, blur:SIGMA, or a path to an .npy file", e);
        }
    }
}
