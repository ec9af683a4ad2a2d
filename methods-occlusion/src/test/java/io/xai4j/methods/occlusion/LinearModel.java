package io.xai4j.methods.occlusion;

import io.xai4j.spi.DataType;
import io.xai4j.spi.Dim;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelCapability;
import io.xai4j.spi.ModelInfo;
import io.xai4j.spi.ModelSignature;
import io.xai4j.spi.TensorSpec;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code y[n,k] = sum_j W[k][j] x[n,j] + b[k]} over the flattened example; counts its forward calls. Each
 * row is computed the same way whatever the batch, so batching cannot change results.
 */
final class LinearModel implements Model {
    private final int[] exampleShape;
    private final float[][] weights;
    private final float[] bias;
    final List<Integer> batchSizes = new ArrayList<>();

    LinearModel(int[] exampleShape, float[][] weights, float[] bias) {
        this.exampleShape = exampleShape.clone();
        this.weights = weights;
        this.bias = bias;
    }

    /** A model with {@code classes} outputs and random weights in [-1, 1). */
    static LinearModel random(long seed, int classes, int... exampleShape) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] w = new float[classes][Tensor.sizeOf(exampleShape)];
        float[] b = new float[classes];
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < w[k].length; j++) {
                w[k][j] = (float) (random.nextDouble() * 2 - 1);
            }
            b[k] = (float) random.nextDouble();
        }
        return new LinearModel(exampleShape, w, b);
    }

    float weight(int k, int j) {
        return weights[k][j];
    }

    int forwardCalls() {
        return batchSizes.size();
    }

    @Override
    public ModelSignature signature() {
        List<Dim> in = new ArrayList<>(List.of(Dim.symbolic("N")));
        for (int d : exampleShape) {
            in.add(Dim.fixed(d));
        }
        return new ModelSignature(List.of(new TensorSpec("x", DataType.FLOAT32, in)),
                List.of(new TensorSpec("y", DataType.FLOAT32, List.of(Dim.symbolic("N"), Dim.fixed(weights.length)))));
    }

    @Override
    public Map<String, Tensor> forward(Map<String, Tensor> inputs, Set<String> outputs) {
        Tensor x = inputs.get("x");
        if (!Arrays.equals(Arrays.copyOfRange(x.shape(), 1, x.rank()), exampleShape)) {
            throw new IllegalArgumentException("input shape " + Arrays.toString(x.shape()));
        }
        int n = x.dim(0);
        batchSizes.add(n);
        Tensor y = Tensor.zeros(n, weights.length);
        for (int r = 0; r < n; r++) {
            Tensor row = x.row(r);
            for (int k = 0; k < weights.length; k++) {
                double s = bias[k];
                for (int j = 0; j < row.size(); j++) {
                    s += (double) weights[k][j] * row.get(j);
                }
                y.set(r * weights.length + k, (float) s);
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
