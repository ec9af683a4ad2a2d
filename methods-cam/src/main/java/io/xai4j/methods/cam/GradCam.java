package io.xai4j.methods.cam;

import io.xai4j.family.cam.CamJob;
import io.xai4j.family.cam.ChannelWeightedCam;
import io.xai4j.family.cam.Maps;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grad-CAM (Selvaraju et al. 2017): channel weights are the spatial mean of the gradients. Parameters keep only
 * positive or negative weights ({@code channels}) and only the {@code top-k} largest; the kept weights, ranked,
 * go to the details as {@code channelWeights} (per example, {@code {channel, weight}} in descending order).
 * With {@code channels=negative} the map shows where the score would drop; use it with {@code relu=false}.
 */
public final class GradCam extends ChannelWeightedCam {
    static final String RELU = "relu";
    static final String CHANNELS = "channels";
    static final String TOP_K = "top-k";
    private static final MethodDescriptor DESCRIPTOR = descriptor("grad-cam",
            "Grad-CAM: layer activations weighted by the spatial mean of their gradients", gradientsAndLayer(),
            List.of(ParameterSpec.bool(RELU, true, "set negative map values to zero"),
                    ParameterSpec.choice(CHANNELS, "all", List.of("all", "positive", "negative"),
                            "keep all channel weights, or only the positive or only the negative ones"),
                    ParameterSpec.integer(TOP_K, 0, 0, Integer.MAX_VALUE,
                            "keep only the K channels with the largest weights (0: all)")));

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected double[] channelWeights(Tensor activations, Tensor gradients) {
        return Maps.meanGradients(activations, gradients);
    }

    @Override
    protected boolean relu(CamJob job) {
        return job.parameters().getBoolean(RELU);
    }

    @Override
    protected double[] adjust(CamJob job, int example, double[] weights) {
        String channels = job.parameters().getString(CHANNELS);
        double[] w = weights.clone();
        for (int c = 0; c < w.length; c++) {
            if (channels.equals("positive") && w[c] < 0 || channels.equals("negative") && w[c] > 0) {
                w[c] = 0;
            }
        }
        List<Integer> ranked = new ArrayList<>();
        for (int c = 0; c < w.length; c++) {
            if (channels.equals("all") || w[c] != 0) {
                ranked.add(c);
            }
        }
        ranked.sort(Comparator.comparingDouble((Integer c) -> -w[c]).thenComparing(c -> c));
        int k = job.parameters().getInt(TOP_K);
        if (k > 0 && k < ranked.size()) {
            for (int c : ranked.subList(k, ranked.size())) {
                w[c] = 0;
            }
            ranked = ranked.subList(0, k);
        }
        record(job, example, ranked, w);
        return w;
    }

    @SuppressWarnings("unchecked")
    private static void record(CamJob job, int example, List<Integer> ranked, double[] w) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (int c : ranked) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("channel", c);
            e.put("weight", (float) w[c]);
            entries.add(e);
        }
        List<Object> all = (List<Object>) job.details().computeIfAbsent("channelWeights", k -> new ArrayList<>());
        all.add(example, entries);
    }
}
