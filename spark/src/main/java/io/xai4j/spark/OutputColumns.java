package io.xai4j.spark;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.explain.Explanation;
import io.xai4j.explain.ExplanationJson;
import io.xai4j.explain.Prediction;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/** The columns an explanation adds to each row, in order. */
final class OutputColumns {
    static final String ATTRIBUTION = "attribution";
    static final String ATTRIBUTION_SHAPE = "attribution_shape";
    static final String TARGET = "target_label";
    static final String PREDICTION = "prediction";
    static final String PREDICTION_LABEL = "prediction_label";
    static final String PREDICTION_SCORE = "prediction_score";
    static final String EXPLANATION = "explanation";
    static final String METRICS = "metrics";
    static final String OUTPUT = "output_folder";
    static final String ERROR = "error";

    private static final List<StructField> FIELDS = List.of(
            DataTypes.createStructField(ATTRIBUTION, DataTypes.createArrayType(DataTypes.FloatType, false), true),
            DataTypes.createStructField(ATTRIBUTION_SHAPE, DataTypes.createArrayType(DataTypes.IntegerType, false),
                    true),
            DataTypes.createStructField(TARGET, DataTypes.StringType, true),
            DataTypes.createStructField(PREDICTION, DataTypes.IntegerType, true),
            DataTypes.createStructField(PREDICTION_LABEL, DataTypes.StringType, true),
            DataTypes.createStructField(PREDICTION_SCORE, DataTypes.DoubleType, true),
            DataTypes.createStructField(EXPLANATION, DataTypes.StringType, true),
            DataTypes.createStructField(METRICS, DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType,
                    true), true),
            DataTypes.createStructField(OUTPUT, DataTypes.StringType, true),
            DataTypes.createStructField(ERROR, DataTypes.StringType, true));

    private OutputColumns() {
    }

    /** The input schema with the explanation's columns appended; a name taken by the input is refused. */
    static StructType appendTo(StructType input) {
        List<String> taken = Arrays.asList(input.fieldNames());
        StructType schema = input;
        for (StructField field : FIELDS) {
            if (taken.contains(field.name())) {
                throw new XaiException(ErrorCode.INVALID_ARGUMENT, "the input already has a column '" + field.name()
                        + "', which the explanation adds; rename or drop it first (added columns: "
                        + String.join(", ", names()) + ")");
            }
            schema = schema.add(field);
        }
        return schema;
    }

    static List<String> names() {
        return FIELDS.stream().map(StructField::name).toList();
    }

    static DataType type(String name) {
        return FIELDS.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow().dataType();
    }

    /** {@code row} with the values of one example's explanation, and its metric scores if any, appended. */
    static Row explained(Row row, Explanation e, Map<String, Double> metrics, String outputFolder,
            boolean withAttribution) {
        Tensor a = e.attribution();
        int[] shape = Arrays.copyOfRange(a.shape(), 1, a.rank());
        Prediction best = e.predictions().isEmpty() || e.predictions().get(0).isEmpty() ? null
                : e.predictions().get(0).get(0);
        return append(row, withAttribution ? a.toArray() : null, withAttribution ? shape : null,
                e.targetLabels().isEmpty() ? null : e.targetLabels().get(0),
                best == null ? null : best.index(), best == null ? null : best.label(),
                best == null ? null : best.score(),
                ExplanationJson.toJsonLine(e, ExplanationJson.TensorData.SUMMARY),
                metrics.isEmpty() ? null : CollectionConverters.asScala(metrics), outputFolder, null);
    }

    /** {@code row} with only the error column set. */
    static Row failed(Row row, String error) {
        return append(row, null, null, null, null, null, null, null, null, null, error);
    }

    private static Row append(Row row, Object... values) {
        Object[] all = new Object[row.length() + values.length];
        for (int i = 0; i < row.length(); i++) {
            all[i] = row.get(i);
        }
        System.arraycopy(values, 0, all, row.length(), values.length);
        return RowFactory.create(all);
    }
}
