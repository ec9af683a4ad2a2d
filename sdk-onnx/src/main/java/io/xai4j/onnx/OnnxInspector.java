package io.xai4j.onnx;

import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.spi.ModelOptions;
import java.nio.file.Path;
import java.util.Map;

/** Describes a model file: its inputs, outputs and every intermediate tensor with its shape. */
public final class OnnxInspector {
    private OnnxInspector() {
    }

    /**
     * Inspects a model on the CPU.
     *
     * @param inputShapes concrete input shapes for the probe run; null or empty uses the declared shapes with
     *                    every symbolic dimension set to 1
     */
    public static ModelInspection inspect(Path model, Map<String, int[]> inputShapes) {
        try (OnnxModel m = OnnxModel.load(model, ModelOptions.defaults())) {
            return inspect(m, inputShapes);
        }
    }

    /** Inspects a loaded model. */
    public static ModelInspection inspect(OnnxModel model, Map<String, int[]> inputShapes) {
        Map<String, int[]> shapes = inputShapes == null || inputShapes.isEmpty() ? model.unitInputShapes() : inputShapes;
        ModelProto proto = model.proto();
        String producer = (proto.getProducerName() + " " + proto.getProducerVersion()).trim();
        return new ModelInspection(model.info(), proto.getIrVersion(), Graphs.opset(proto), producer,
                model.batchMode().name().toLowerCase(java.util.Locale.ROOT), model.signature().inputs(),
                model.signature().outputs(), model.layers(shapes));
    }
}
