package io.xai4j.onnx;

import io.xai4j.tensor.Tensor;

/** Plain-Java reference computations of the test models. */
final class Reference {
    private Reference() {
    }

    static Tensor linear(Tensor x) {
        float[] w = TestModels.linearWeights();
        int n = x.dim(0);
        float[] y = new float[n * 3];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < 3; o++) {
                float s = TestModels.LINEAR_BIAS[o];
                for (int i = 0; i < 6; i++) {
                    s += x.at(r, i) * w[o * 6 + i];
                }
                y[r * 3 + o] = s;
            }
        }
        return Tensor.of(y, n, 3);
    }

    /** The fixed-batch CNN of {@link TestModels#fixedBatchCnn} for one row x[1,4,4]. */
    static float[] cnnRow(Tensor x) {
        float[] flat = new float[32];
        for (int c = 0; c < 2; c++) {
            float bias = c == 0 ? 0.1f : -0.2f;
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    float s = bias;
                    for (int ki = 0; ki < 3; ki++) {
                        for (int kj = 0; kj < 3; kj++) {
                            int yi = i + ki - 1;
                            int xj = j + kj - 1;
                            if (yi >= 0 && yi < 4 && xj >= 0 && xj < 4) {
                                int k = c * 9 + ki * 3 + kj;
                                s += x.at(0, yi, xj) * ((k % 5 - 2) * 0.25f);
                            }
                        }
                    }
                    flat[c * 16 + i * 4 + j] = Math.max(s, 0f);
                }
            }
        }
        float[] bias = {0.5f, 0f, -0.5f};
        double[] logits = new double[3];
        double max = Double.NEGATIVE_INFINITY;
        for (int o = 0; o < 3; o++) {
            double s = bias[o];
            for (int i = 0; i < 32; i++) {
                int k = o * 32 + i;
                s += flat[i] * (((k * 7) % 11 - 5) * 0.05f);
            }
            logits[o] = s;
            max = Math.max(max, s);
        }
        double sum = 0;
        for (int o = 0; o < 3; o++) {
            logits[o] = Math.exp(logits[o] - max);
            sum += logits[o];
        }
        float[] probs = new float[3];
        for (int o = 0; o < 3; o++) {
            probs[o] = (float) (logits[o] / sum);
        }
        return probs;
    }
}
