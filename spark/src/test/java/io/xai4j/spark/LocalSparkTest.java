package io.xai4j.spark;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** A test class on a local Spark session ({@link SparkTests#localSpark()}) with the demo model and images. */
abstract class LocalSparkTest {
    static SparkSession spark;
    @TempDir
    static Path data;
    static Path model;
    static Path images;

    @BeforeAll
    static void start() {
        spark = SparkTests.localSpark();
        model = SparkTests.demoModel(data);
        images = SparkTests.demoImages(data.resolve("images"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** The demo images as Spark's binaryFile source reads them, in {@code partitions} partitions. */
    static Dataset<Row> imageRows(int partitions) {
        return spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(images.toString())
                .repartition(partitions);
    }
}
