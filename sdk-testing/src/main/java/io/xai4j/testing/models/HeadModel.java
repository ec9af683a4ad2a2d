package io.xai4j.testing.models;

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

/** The part of an {@link AnalyticModel} after its layer ({@link AnalyticModel#tail}): layer values in, output out. */
final class HeadModel implements Model {
    private final AnalyticModel whole;

    HeadModel(AnalyticModel whole) {
        this.whole = whole;
    }

    @Override
    public ModelSignature signature() {
        List<Dim> shape = new ArrayList<>(List.of(Dim.symbolic("N")));
        Arrays.stream(whole.layerShape(1)).skip(1).forEach(d -> shape.add(Dim.fixed(d)));
        return new ModelSignature(List.of(new TensorSpec(AnalyticModel.LAYER, DataType.FLOAT32, shape)),
                List.of(whole.outputSpec()));
    }

    @Override
    public Map<String, Tensor> forward(Map<String, Tensor> inputs, Set<String> outputs) {
        Tensor act = inputs.get(AnalyticModel.LAYER);
        if (act == null || act.rank() == 0 || !Arrays.equals(act.shape(), whole.layerShape(act.dim(0)))) {
            throw new IllegalArgumentException("tail input " + (act == null ? "missing" : Arrays.toString(act.shape())));
        }
        return Map.of(AnalyticModel.OUTPUT, whole.head(act));
    }

    @Override
    public Set<ModelCapability> capabilities() {
        return Set.of(ModelCapability.DYNAMIC_BATCH);
    }

    @Override
    public ModelInfo info() {
        return whole.info();
    }

    @Override
    public void close() {
    }
}
