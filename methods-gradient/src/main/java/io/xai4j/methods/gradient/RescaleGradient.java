package io.xai4j.methods.gradient;

import io.xai4j.family.gradient.Elementwise;
import io.xai4j.family.gradient.GradientJob;
import io.xai4j.family.gradient.GradientMethod;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * DeepLift's attribution against one or more baselines per example, as Captum's {@code DeepLift} and
 * {@code DeepLiftShap}: for each baseline {@code b}, {@code (x - b) m(x, b)} with the multipliers {@code m} of the
 * {@link DeepLiftRules}, from one (input, baseline) row pair that shares an engine call; averaged over the
 * baselines. Unless wrapped, the details report {@code convergenceDelta}, per example
 * {@code sum(attribution) - (f(x) - mean_b f(b))}, DeepLift's summation-to-delta error, with {@code f} the target
 * score of the tensor that was differentiated (the logits before a trailing Softmax), read from the same calls.
 */
abstract class RescaleGradient extends GradientMethod {

    /** The baselines of one example {@code [B, ...]}, in the attributed tensor's space. */
    protected abstract Tensor baselines(GradientJob job, int example);

    @Override
    protected final String ruleSet() {
        return DeepLiftRules.NAME;
    }

    @Override
    protected final void attributeRows(GradientJob job, Tensor points, int[] exampleOf, Tensor out) {
        int rows = points.dim(0);
        int[] counts = new int[rows];
        List<Integer> pairRow = new ArrayList<>();
        List<Integer> pairBaseline = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            counts[r] = baselines(job, exampleOf[r]).dim(0);
            for (int b = 0; b < counts[r]; b++) {
                pairRow.add(r);
                pairBaseline.add(b);
            }
        }
        int[] rowExamples = new int[2 * pairRow.size()];
        for (int i = 0; i < rowExamples.length; i++) {
            rowExamples[i] = exampleOf[pairRow.get(i / 2)];
        }
        double[] scoreDifference = new double[rows];
        Tensor difference = Tensor.zeros(points.row(0).shape());
        job.stream(descriptor().name(), rowExamples, 2, (start, end, batchRows) -> {
            for (int i = start; i < end; i++) {
                int r = pairRow.get(i / 2);
                batchRows.row(i - start).copyFrom(i % 2 == 0 ? points.row(r)
                        : baselines(job, exampleOf[r]).row(pairBaseline.get(i / 2)));
            }
        }, batch -> {
            Tensor gradient = batch.gradient(job.inputName());
            for (int i = 0; i < batch.size(); i += 2) {
                int pair = (batch.start() + i) / 2;
                int r = pairRow.get(pair);
                float weight = 1f / counts[r];
                Elementwise.difference(points.row(r), baselines(job, exampleOf[r]).row(pairBaseline.get(pair)),
                        difference);
                Elementwise.addProduct(out.row(r), difference, gradient.row(i), weight);
                scoreDifference[r] += ((double) batch.scores()[i] - batch.scores()[i + 1]) * weight;
            }
        });
        if (!job.isWrapped()) {
            List<Double> deltas = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                deltas.add(Elementwise.sum(out.row(r)) - scoreDifference[r]);
            }
            job.details().put("convergenceDelta", deltas);
        }
    }
}
