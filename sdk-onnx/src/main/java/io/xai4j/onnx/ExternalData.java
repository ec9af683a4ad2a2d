package io.xai4j.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;
import java.nio.file.Path;

/**
 * Where ONNX Runtime finds the tensors a model stores as external data. A model loaded from bytes (as xai4j
 * loads the model, its gradient models and the probes of the gradient graph builder) has no location of its
 * own, so its sessions must be told the folder of the model file.
 */
public final class ExternalData {
    /** Session config key that makes ONNX Runtime resolve external data relative to a folder. */
    static final String FOLDER_CONFIG = "session.model_external_initializers_file_folder_path";

    private ExternalData() {
    }

    /** Makes sessions created with {@code options} read external data relative to {@code folder}; none when null. */
    public static void resolveFrom(SessionOptions options, Path folder) throws OrtException {
        if (folder != null) {
            options.addConfigEntry(FOLDER_CONFIG, folder.toAbsolutePath().toString());
        }
    }
}
