package io.xai4j.spark;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.image.Images;
import io.xai4j.image.Layout;
import io.xai4j.image.PreprocessedBatch;
import io.xai4j.image.Preprocessing;
import io.xai4j.io.LoadedInput;
import io.xai4j.spi.Dim;
import io.xai4j.spi.TensorSpec;
import io.xai4j.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import scala.collection.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One row's input, decoded for the model: image bytes preprocessed as the settings say, or an array of numbers
 * reshaped to one example.
 *
 * @param id     the row's name in the summary and in the output folders
 * @param input  the example as a batch of one, with the image for pictures
 * @param target the row's target spec
 */
record RowInput(String id, LoadedInput input, String target) {
    /** Decodes {@code row}; an unreadable input is an {@link XaiException} naming the row. */
    static RowInput of(Row row, String id, ExplainSettings settings, TensorSpec spec) {
        int column = row.fieldIndex(settings.inputColumn());
        if (row.isNullAt(column)) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "row " + id + ": column '" + settings.inputColumn()
                    + "' is null");
        }
        Object value = row.get(column);
        LoadedInput input = value instanceof byte[] bytes ? image(bytes, id, settings, spec)
                : tensor(value, row, id, settings, spec);
        return new RowInput(id, input, target(row, settings));
    }

    private static LoadedInput image(byte[] bytes, String id, ExplainSettings settings, TensorSpec spec) {
        BufferedImage image = Images.decode(bytes, id);
        Preprocessing forModel = Preprocessing.parse(settings.preprocessing()).forInput(spec);
        PreprocessedBatch batch = forModel.apply(image);
        return new LoadedInput(Path.of(fileName(id)), batch.tensor(), image, batch.geometry().get(0),
                forModel.layout(), forModel.describe());
    }

    private static LoadedInput tensor(Object value, Row row, String id, ExplainSettings settings, TensorSpec spec) {
        float[] data = numbers(value, id, settings.inputColumn());
        int[] shape = settings.shapeColumn() == null ? declaredExampleShape(spec, id)
                : numbersAsInts(row.get(row.fieldIndex(settings.shapeColumn())), id, settings.shapeColumn());
        if (Tensor.sizeOf(shape) != data.length) {
            throw new XaiException(ErrorCode.SHAPE_MISMATCH, "row " + id + ": " + data.length + " numbers in column '"
                    + settings.inputColumn() + "' do not make an example of shape " + Arrays.toString(shape)
                    + " for model input '" + spec.name() + "' " + spec.shapeString());
        }
        int[] batched = new int[shape.length + 1];
        batched[0] = 1;
        System.arraycopy(shape, 0, batched, 1, shape.length);
        if (!spec.acceptsExamples(batched)) {
            throw new XaiException(ErrorCode.SHAPE_MISMATCH, "row " + id + ": example shape "
                    + Arrays.toString(shape) + " does not fit model input '" + spec.name() + "' "
                    + spec.shapeString());
        }
        return new LoadedInput(Path.of(fileName(id)), Tensor.of(data, batched), null, null, Layout.NCHW, null);
    }

    private static int[] declaredExampleShape(TensorSpec spec, String id) {
        List<Dim> dims = spec.shape().subList(1, spec.rank());
        if (dims.stream().anyMatch(d -> !d.isFixed())) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "row " + id + ": model input '" + spec.name() + "' "
                    + spec.shapeString() + " has symbolic example dimensions; give each row's shape in a column"
                    + " (shapeColumn)");
        }
        return dims.stream().mapToInt(d -> (int) d.size()).toArray();
    }

    private static String target(Row row, ExplainSettings settings) {
        if (settings.targetColumn() == null) {
            return settings.target();
        }
        int column = row.fieldIndex(settings.targetColumn());
        return row.isNullAt(column) ? settings.target() : String.valueOf(row.get(column));
    }

    private static float[] numbers(Object value, String id, String column) {
        List<?> list = list(value, id, column);
        float[] data = new float[list.size()];
        for (int i = 0; i < data.length; i++) {
            if (!(list.get(i) instanceof Number n)) {
                throw new XaiException(ErrorCode.INVALID_INPUT, "row " + id + ": column '" + column + "' holds "
                        + (list.get(i) == null ? "a null" : "a " + list.get(i).getClass().getSimpleName())
                        + " at position " + i + "; expected numbers");
            }
            data[i] = n.floatValue();
        }
        return data;
    }

    private static int[] numbersAsInts(Object value, String id, String column) {
        float[] numbers = numbers(value, id, column);
        int[] ints = new int[numbers.length];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = (int) numbers[i];
            if (ints[i] != numbers[i] || ints[i] <= 0) {
                throw new XaiException(ErrorCode.INVALID_INPUT, "row " + id + ": column '" + column + "' holds "
                        + numbers[i] + "; a shape needs positive whole numbers");
            }
        }
        return ints;
    }

    private static List<?> list(Object value, String id, String column) {
        if (value instanceof Seq<?> seq) {
            return CollectionConverters.asJava(seq);
        }
        if (value instanceof List<?> list) {
            return list;
        }
        throw new XaiException(ErrorCode.INVALID_INPUT, "row " + id + ": column '" + column + "' holds a "
                + value.getClass().getSimpleName() + "; expected image bytes (binary) or an array of numbers");
    }

    /** The last segment of a row id, for the file name of its pictures' provenance. */
    private static String fileName(String id) {
        String name = id.substring(id.lastIndexOf('/') + 1);
        return name.isEmpty() ? "row" : name;
    }
}
