package io.xai4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.io.ExplanationFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkWriteTest extends LocalSparkTest {
    @Test
    void aTaskThatFailsOnceLeavesEachRowExactlyOnce(@TempDir Path out) throws IOException {
        Dataset<Row> rows = imageRows(2);
        Dataset<Row> failingOnce = rows.mapPartitions(new FailFirstAttempt(3), Encoders.row(rows.schema()));
        SparkExplainer explainer = SparkExplainer.builder(spark, model).method("grad-cam").batchSize(2).build();

        List<Row> summary = explainer.write(failingOnce, out, images.toUri().toString()).collectAsList();

        assertThat(FailFirstAttempt.FAILED).as("the injected failure happened").isTrue();
        assertThat(summary).hasSize(SparkTests.DEMO_IMAGES.size());
        assertThat(summary.stream().map(r -> r.<String>getAs("path")).distinct()).hasSize(summary.size());
        assertThat(summary).allSatisfy(r -> assertThat(r.<String>getAs(OutputColumns.ERROR)).isNull());
        assertThat(Files.readAllLines(jsonPart(out)).size() + otherParts(out)).isEqualTo(summary.size());
        for (Row r : summary) {
            String folder = r.getAs(OutputColumns.OUTPUT);
            assertThat(folder).matches("[ab]/[a-z0-9-]+\\.png");
            try (Stream<Path> files = Files.list(out.resolve("files").resolve(folder))) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .contains(ExplanationFiles.ATTRIBUTION, ExplanationFiles.HEATMAP, ExplanationFiles.JSON)
                        .allSatisfy(name -> assertThat(name).doesNotStartWith("."));
            }
        }
        try (Stream<Path> folders = Files.list(out.resolve("files"))) {
            assertThat(folders.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a", "b");
        }
    }

    private static Path jsonPart(Path out) throws IOException {
        try (Stream<Path> parts = Files.list(out.resolve("summary"))) {
            return parts.filter(p -> p.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
        }
    }

    private static long otherParts(Path out) throws IOException {
        Path first = jsonPart(out);
        try (Stream<Path> parts = Files.list(out.resolve("summary"))) {
            long lines = 0;
            for (Path p : parts.filter(p -> p.getFileName().toString().endsWith(".json") && !p.equals(first))
                    .toList()) {
                lines += Files.readAllLines(p).size();
            }
            return lines;
        }
    }

    /** Fails the first attempt of partition 0 when it reads row {@code failAt}, once per JVM. */
    static final class FailFirstAttempt implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        static volatile boolean FAILED;
        private final int failAt;

        FailFirstAttempt(int failAt) {
            this.failAt = failAt;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            TaskContext task = TaskContext.get();
            boolean fail = task.attemptNumber() == 0 && task.partitionId() == 0;
            return new Iterator<>() {
                private int read;

                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public Row next() {
                    if (fail && read++ == failAt) {
                        FAILED = true;
                        throw new IllegalStateException("failure injected into the first attempt");
                    }
                    return rows.next();
                }
            };
        }
    }
}
