package io.xai4j.spark;

import io.xai4j.api.ExplainOptions;
import io.xai4j.api.Xai;
import io.xai4j.image.Images;
import io.xai4j.image.Preprocessing;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Images per second per core: the Spark job in local mode on one core against the plain Java API in one thread,
 * on the same images (the demo samples, repeated) and the same batch size, rounds alternating; prints medians. The
 * Spark job also runs on twice the images, and the difference gives its rate per additional image, without the
 * fixed cost of a job (planning, code generation, scheduling).
 * Run by {@code tools/spark/bench.sh}: {@code SparkThroughput MODEL IMAGES METHOD ROUNDS}.
 */
public final class SparkThroughput {
    private static final int BATCH = 16;

    private SparkThroughput() {
    }

    public static void main(String[] args) throws IOException {
        Path modelFile = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        String method = args[2];
        int rounds = Integer.parseInt(args[3]);
        List<byte[]> images = images(count);
        SparkSession spark = SparkSession.builder().master("local[1]").appName("xai4j throughput")
                .config("spark.ui.enabled", "false").getOrCreate();
        StructType schema = new StructType().add("path", DataTypes.StringType).add("content", DataTypes.BinaryType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            rows.add(RowFactory.create("image-" + i + ".png", images.get(i)));
        }
        Dataset<Row> frame = spark.createDataFrame(rows, schema).coalesce(1).cache();
        Dataset<Row> twice = frame.union(frame).coalesce(1).cache();
        frame.count();
        twice.count();
        SparkExplainer explainer = SparkExplainer.builder(spark, modelFile).method(method).batchSize(BATCH)
                .threads(1).build();
        Xai xai = Xai.discover();
        try (Model model = xai.open(modelFile, new ModelOptions("cpu", false, 1))) {
            double[] sparkSeconds = new double[rounds];
            double[] sparkTwiceSeconds = new double[rounds];
            double[] plainSeconds = new double[rounds];
            for (int r = -1; r < rounds; r++) { // round -1 warms both up
                long start = System.nanoTime();
                explainer.explain(frame).write().format("noop").mode(SaveMode.Overwrite).save();
                double s = (System.nanoTime() - start) / 1e9;
                start = System.nanoTime();
                explainer.explain(twice).write().format("noop").mode(SaveMode.Overwrite).save();
                double s2 = (System.nanoTime() - start) / 1e9;
                start = System.nanoTime();
                plain(xai, model, images, method);
                double p = (System.nanoTime() - start) / 1e9;
                if (r >= 0) {
                    sparkSeconds[r] = s;
                    sparkTwiceSeconds[r] = s2;
                    plainSeconds[r] = p;
                }
            }
            double spark1 = median(sparkSeconds);
            double plain1 = median(plainSeconds);
            double perImage = median(difference(sparkTwiceSeconds, sparkSeconds)) / count;
            System.out.printf("%s on %s, %d images, batch %d, 1 core, medians of %d rounds:%n", method,
                    modelFile.getFileName(), count, BATCH, rounds);
            System.out.printf("  Spark local[1]: %.2f images/s; Java API: %.2f images/s; Spark / Java API time:"
                    + " %.3f%n", count / spark1, count / plain1, spark1 / plain1);
            System.out.printf("  Spark per additional image: %.2f images/s; its time / Java API time per image:"
                    + " %.3f%n", 1 / perImage, perImage / (plain1 / count));
        } finally {
            spark.stop();
        }
    }

    /** What the Spark job does per row, on the plain API: decode, preprocess, explain in batches, per row out. */
    private static void plain(Xai xai, Model model, List<byte[]> images, String method) {
        Preprocessing preprocessing = Preprocessing.IMAGENET.forInput(model.signature().firstInput());
        for (int start = 0; start < images.size(); start += BATCH) {
            List<Tensor> batch = new ArrayList<>();
            for (int i = start; i < Math.min(images.size(), start + BATCH); i++) {
                batch.add(preprocessing.apply(Images.decode(images.get(i), "image-" + i)).tensor());
            }
            Tensor input = Tensor.concat(batch);
            var e = xai.explain(model, Map.of(model.signature().firstInput().name(), input),
                    ExplainOptions.builder(method).build()).get(0);
            for (int i = 0; i < batch.size(); i++) {
                e.example(i).attribution().toArray();
            }
        }
    }

    private static List<byte[]> images(int count) throws IOException {
        List<byte[]> samples = new ArrayList<>();
        for (String name : SparkTests.DEMO_IMAGES) {
            try (var in = SparkThroughput.class.getResourceAsStream("/io/xai4j/cli/demo/samples/" + name)) {
                samples.add(in.readAllBytes());
            }
        }
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            images.add(samples.get(i % samples.size()));
        }
        return images;
    }

    private static double[] difference(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
