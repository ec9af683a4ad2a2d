package io.xai4j.image;

import io.xai4j.tensor.Tensor;
import java.util.List;

/**
 * A preprocessed batch: the model input {@code [N,C,H,W]} or {@code [N,H,W,C]}, and for each image the
 * {@link CropBox} its input covers in the original image.
 */
public record PreprocessedBatch(Tensor tensor, List<CropBox> geometry) {
    public PreprocessedBatch {
        geometry = List.copyOf(geometry);
    }
}
