package io.xai4j.io;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.image.CropBox;
import io.xai4j.image.Images;
import io.xai4j.image.Layout;
import io.xai4j.image.PreprocessedBatch;
import io.xai4j.image.Preprocessing;
import io.xai4j.spi.TensorSpec;
import io.xai4j.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One input file turned into a model input: an image (with its original pixels and the region the model saw, for
 * overlays), a batch of one, or an NPY tensor of one example or of several. The command line reads its inputs this
 * way.
 *
 * @param source the file
 * @param tensor the model input, batch first: one row for an image, one per example for an NPY tensor
 * @param image  the original image, or null for NPY input
 * @param box    the region of the original image the model saw, or null
 * @param layout the channel layout of the tensor (NCHW for NPY input)
 * @param preprocessing what made the tensor from the image, for provenance; null for NPY input
 */
public record LoadedInput(Path source, Tensor tensor, BufferedImage image, CropBox box, Layout layout,
        String preprocessing) {
    /** The image file extensions read as images. */
    public static final List<String> IMAGE_EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp");

    /**
     * Reads {@code file} for the model input {@code spec}: an image, preprocessed for it, or an .npy tensor used as
     * it is: one example (the input's shape without its first, batch axis) or a batch of examples (the input's
     * rank, any number of rows, whatever batch size the model declares).
     *
     * @throws XaiException {@link ErrorCode#INVALID_INPUT} for an unreadable or unsupported file,
     *                      {@link ErrorCode#SHAPE_MISMATCH} for a tensor whose examples do not fit the input
     */
    public static LoadedInput load(Path file, TensorSpec spec, Preprocessing preprocessing) {
        if (!Files.exists(file)) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "input file " + file + " does not exist");
        }
        String ext = InputFiles.extension(file);
        if (ext.equals("npy")) {
            Tensor t = Npy.read(file);
            if (t.rank() == spec.rank() - 1) {
                t = t.unsqueeze0();
            }
            if (t.rank() != spec.rank() || t.dim(0) == 0 || !spec.acceptsExamples(t.shape())) {
                String example = spec.exampleShapeString();
                throw new XaiException(ErrorCode.SHAPE_MISMATCH, "input " + file + " has shape "
                        + Arrays.toString(Npy.read(file).shape()) + ", but model input '" + spec.name() + "' "
                        + spec.shapeString() + " takes examples of shape " + example + ": give one example "
                        + example + " or a batch " + (example.equals("[]") ? "[N]" : "[N," + example.substring(1)));
            }
            return new LoadedInput(file, t, null, null, Layout.NCHW, null);
        }
        if (!IMAGE_EXTENSIONS.contains(ext)) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "unsupported input file " + file
                    + "; supported: images (" + String.join(", ", IMAGE_EXTENSIONS) + ") and .npy tensors");
        }
        BufferedImage image = Images.read(file);
        Preprocessing forModel = preprocessing.forInput(spec);
        PreprocessedBatch batch = forModel.apply(image);
        return new LoadedInput(file, batch.tensor(), image, batch.geometry().get(0), forModel.layout(),
                forModel.describe());
    }

    /** The number of examples: the rows of {@link #tensor()}. */
    public int examples() {
        return tensor.dim(0);
    }

    /** Example {@code i} alone, a batch of one (a view of the tensor), with this input's file and image. */
    public LoadedInput example(int i) {
        return examples() == 1 ? this : new LoadedInput(source, tensor.rows(i, i + 1), image, box, layout, preprocessing);
    }

    /** The file name without its extension, e.g. {@code cat} for {@code cat.png}. */
    public String stem() {
        return InputFiles.stem(source);
    }
}
