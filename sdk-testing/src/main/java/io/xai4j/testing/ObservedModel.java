package io.xai4j.testing;

import io.xai4j.layer.GraphView;
import io.xai4j.spi.GradientEngine;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.GradientResult;
import io.xai4j.spi.LayerInfo;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelCapability;
import io.xai4j.spi.ModelInfo;
import io.xai4j.spi.ModelSignature;
import io.xai4j.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A model that passes everything to another one and runs a hook before each call that evaluates it: a forward
 * pass, a gradient engine call, or a forward pass of one of its tails. Closing it closes only tails.
 */
final class ObservedModel implements Model {
    private final Model model;
    private final Runnable beforeCall;
    private final boolean owned;

    ObservedModel(Model model, Runnable beforeCall) {
        this(model, beforeCall, false);
    }

    private ObservedModel(Model model, Runnable beforeCall, boolean owned) {
        this.model = model;
        this.beforeCall = beforeCall;
        this.owned = owned;
    }

    @Override
    public ModelSignature signature() {
        return model.signature();
    }

    @Override
    public Map<String, Tensor> forward(Map<String, Tensor> inputs, Set<String> outputs) {
        beforeCall.run();
        return model.forward(inputs, outputs);
    }

    @Override
    public Set<ModelCapability> capabilities() {
        return model.capabilities();
    }

    @Override
    public List<LayerInfo> layers(Map<String, int[]> inputShapes) {
        return model.layers(inputShapes);
    }

    @Override
    public Optional<GradientEngine> gradients() {
        return model.gradients().map(engine -> new GradientEngine() {
            @Override
            public GradientResult vjp(GradientRequest request) {
                beforeCall.run();
                return engine.vjp(request);
            }

            @Override
            public long bytesPerRow(GradientRequest request) {
                return engine.bytesPerRow(request);
            }
        });
    }

    @Override
    public Optional<GraphView> graph() {
        return model.graph();
    }

    @Override
    public Model tail(String layer) {
        return new ObservedModel(model.tail(layer), beforeCall, true);
    }

    @Override
    public ModelInfo info() {
        return model.info();
    }

    @Override
    public void close() {
        if (owned) {
            model.close();
        }
    }
}
