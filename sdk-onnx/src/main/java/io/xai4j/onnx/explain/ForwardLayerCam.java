package io.xai4j.onnx.explain;

import java.util.Set;

/** A CAM computed from a layer's activations and forward passes alone: no parameters, no gradients. */
abstract class ForwardLayerCam implements ExportedMethod {
    @Override
    public final Set<String> parameters() {
        return Set.of();
    }

    @Override
    public final boolean explainsLayer() {
        return true;
    }

    @Override
    public final boolean needsGradients() {
        return false;
    }
}
