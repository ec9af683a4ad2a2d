package io.xai4j.metric;

import io.xai4j.spi.DataType;
import io.xai4j.spi.Dim;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelCapability;
import io.xai4j.spi.ModelInfo;
import io.xai4j.spi.ModelSignature;
import io.xai4j.spi.TensorSpec;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** {@code y[n,k] = b[k] + sum_j W[k][j] x[n,j]} over examples of any shape, with seeded weights; records batch sizes. */
final class LinearModel implements Model {
    final int[] exampleShape;
    final double[][] weights;
    final double[] bias;
    final List<Integer> batches = new ArrayList<>();

    LinearModel(long seed, int classes, int... exampleShape) {
        this.exampleShape = exampleShape;
        SplittableRandom random = new SplittableRandom(seed);
        int size = Tensor.sizeOf(exampleShape);
        weights = new double[classes][size];
        bias = new double[classes];
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < size; j++) {
                weights[k][j] = random.nextDouble(-1, 1);
            }
            bias[k] = random.nextDouble(-1, 1);
        }
    }

    /** The exact attribution of class {@code k} against a zero baseline: {@code W[k] * x}, shaped like {@code x}. */
    Tensor inputTimesGradient(Tensor x, int k) {
        Tensor a = Tensor.zeros(x.shape());
        int size = weights[k].length;
        for (int e = 0; e < x.size(); e++) {
            a.set(e, (float) (weights[k][e % size] * x.get(e)));
        }
        return a;
    }

    double score(Tensor example, int k) {
        double s = bias[k];
        for (int j = 0; j < example.size(); j++) {
            s += weights[k][j] * example.get(j);
        }
        return s;
    }

    @Override
    public ModelSignature signature() {
        List<Dim> dims = new ArrayList<>(List.of(Dim.symbolic("N")));
        IntStream.of(exampleShape).forEach(d -> dims.add(Dim.fixed(d)));
        return new ModelSignature(List.of(new TensorSpec("x", DataType.FLOAT32, dims)),
                List.of(new TensorSpec("y", DataType.FLOAT32, List.of(Dim.symbolic("N"), Dim.fixed(bias.length)))));
    }

    @Override
    public Map<String, Tensor> forward(Map<String, Tensor> inputs, Set<String> outputs) {
        Tensor x = inputs.get("x");
        int n = x.dim(0);
        batches.add(n);
        Tensor y = Tensor.zeros(n, bias.length);
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < bias.length; k++) {
                y.set(r * bias.length + k, (float) score(x.row(r), k));
            }
        }
        return Map.of("y", y);
    }

    @Override
    public Set<ModelCapability> capabilities() {
        return Set.of(ModelCapability.DYNAMIC_BATCH);
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo("linear", "0", "java", "cpu");
    }

    @Override
    public void close() {
    }
}
