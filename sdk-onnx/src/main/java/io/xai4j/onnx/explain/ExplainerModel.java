package io.xai4j.onnx.explain;

import io.xai4j.onnx.proto.Onnx.ModelProto;
import java.util.List;

/**
 * An explainer model: the model plus the nodes that explain it.
 *
 * @param model       the ONNX model
 * @param method      the exported method
 * @param input       the explained model input
 * @param targetInput the int64 input of one class index per example; -1 (any negative) explains the predicted class
 * @param outputs     the graph outputs: the model's own, then {@code attribution}, {@code target_class} and the
 *                    method's others
 */
public record ExplainerModel(ModelProto model, String method, String input, String targetInput, List<String> outputs) {
    public ExplainerModel {
        outputs = List.copyOf(outputs);
    }
}
