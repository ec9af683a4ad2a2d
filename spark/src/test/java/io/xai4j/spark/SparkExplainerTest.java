package io.xai4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.api.ExplainOptions;
import io.xai4j.api.Explainer;
import io.xai4j.api.Xai;
import io.xai4j.error.XaiException;
import io.xai4j.explain.Explanation;
import io.xai4j.metric.Evaluation;
import io.xai4j.metric.MetricRegistry;
import io.xai4j.spi.Model;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class SparkExplainerTest extends LocalSparkTest {
    @Test
    void resultsEqualThoseOfTheJavaApiBitForBit() {
        for (String method : List.of("saliency", "grad-cam", "integrated-gradients")) {
            SparkExplainer explainer = SparkExplainer.builder(spark, model).method(method).batchSize(3).build();
            List<Row> rows = explainer.explain(imageRows(2)).collectAsList();
            assertThat(rows).hasSize(SparkTests.DEMO_IMAGES.size());
            Xai xai = Xai.discover();
            try (Model plain = xai.open(model)) {
                for (Row row : rows) {
                    assertThat(row.<String>getAs(OutputColumns.ERROR)).isNull();
                    Path file = Path.of(URI.create(row.getAs("path")));
                    Explanation expected = xai.explain(plain, xai.load(plain, file),
                            ExplainOptions.builder(method).build()).get(0);
                    float[] got = floats(row.getList(row.fieldIndex(OutputColumns.ATTRIBUTION)));
                    assertThat(got).as(method + " " + file).containsExactly(expected.attribution().toArray());
                    assertThat(row.<Integer>getAs(OutputColumns.PREDICTION))
                            .isEqualTo(expected.predictions().get(0).get(0).index());
                    assertThat(row.<String>getAs(OutputColumns.TARGET)).isEqualTo(expected.targetLabels().get(0));
                }
            }
        }
    }

    @Test
    void eachRowCarriesItsMetricScoresAsTheJavaApiComputesThem() {
        Map<String, String> deletion = Map.of("steps", "12");
        List<Row> rows = SparkExplainer.builder(spark, model).metric("deletion", deletion).batchSize(4).build()
                .explain(imageRows(1)).collectAsList();
        Xai xai = Xai.discover();
        Evaluation evaluation = new Evaluation(new Explainer(xai.methods()), MetricRegistry.discover());
        try (Model plain = xai.open(model)) {
            for (Row row : rows) {
                Path file = Path.of(URI.create(row.getAs("path")));
                double expected = evaluation.evaluate(plain, Map.of("image", xai.load(plain, file).tensor()),
                        ExplainOptions.builder("saliency").build(), List.of(new Evaluation.Choice("deletion",
                                deletion)), List.of(), null).get(0).results().get(0).scores()[0];
                scala.collection.Map<String, Object> metrics = row.getAs(OutputColumns.METRICS);
                assertThat(((Number) metrics.apply("deletion")).doubleValue()).as(file.toString())
                        .isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-6 * Math.abs(expected)));
            }
        }
        assertThatThrownBy(() -> SparkExplainer.builder(spark, model).metric("deletoin", Map.of()).build())
                .isInstanceOf(XaiException.class).hasMessageContaining("deletion");
    }

    @Test
    void aMetricOpensItsSecondModelOnTheExecutor() {
        // the model itself as the "randomised" model: the maps are the same, so the rank correlation is 1
        List<Row> rows = SparkExplainer.builder(spark, model).metric("data-randomisation", Map.of("model",
                model.toString())).batchSize(4).build().explain(imageRows(1)).collectAsList();
        assertThat(rows).isNotEmpty();
        for (Row row : rows) {
            assertThat(row.<String>getAs(OutputColumns.ERROR)).isNull();
            scala.collection.Map<String, Object> metrics = row.getAs(OutputColumns.METRICS);
            assertThat(((Number) metrics.apply("data-randomisation")).doubleValue()).isGreaterThan(0.999);
        }
    }

    @Test
    void eachRowTakesItsTargetFromTheTargetColumn() {
        Dataset<Row> rows = imageRows(1).withColumn("label", org.apache.spark.sql.functions.lit(3));
        List<Row> out = SparkExplainer.builder(spark, model).targetColumn("label").build().explain(rows)
                .collectAsList();
        assertThat(out).allSatisfy(r -> assertThat(r.<String>getAs(OutputColumns.TARGET)).startsWith("class 3"));
    }

    @Test
    void aBadRowIsReportedInItsRowAndTheOthersGoOn() {
        Dataset<Row> rows = imageRows(1).union(spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create(
                "file:/broken.png", new java.sql.Timestamp(0), 3L, new byte[] {1, 2, 3})), imageRows(1).schema()));
        List<Row> out = SparkExplainer.builder(spark, model).batchSize(4).build().explain(rows).collectAsList();
        Map<String, String> errors = new HashMap<>();
        out.forEach(r -> errors.put(r.getAs("path"), r.getAs(OutputColumns.ERROR)));
        assertThat(errors).hasSize(SparkTests.DEMO_IMAGES.size() + 1);
        assertThat(errors.get("file:/broken.png")).contains("file:/broken.png").contains("not a recognised image");
        assertThat(errors.entrySet().stream().filter(e -> e.getValue() == null)).hasSize(SparkTests.DEMO_IMAGES.size());
    }

    @Test
    void badSettingsAreRefusedOnTheDriverBeforeAnyTask() {
        assertThatThrownBy(() -> SparkExplainer.builder(spark, model).method("salincy").build())
                .isInstanceOf(XaiException.class).hasMessageContaining("saliency");
        assertThatThrownBy(() -> SparkExplainer.builder(spark, model).target("top:3").build())
                .isInstanceOf(XaiException.class).hasMessageContaining("a row takes one target");
        assertThatThrownBy(() -> SparkExplainer.builder(spark, data.resolve("missing.onnx")).build())
                .isInstanceOf(XaiException.class).hasMessageContaining("missing.onnx");
        SparkExplainer explainer = SparkExplainer.builder(spark, model).inputColumn("pixels").build();
        assertThatThrownBy(() -> explainer.explain(imageRows(1))).isInstanceOf(XaiException.class)
                .hasMessageContaining("no column 'pixels'").hasMessageContaining("content");
    }

    private static float[] floats(List<Object> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).floatValue();
        }
        return out;
    }
}
