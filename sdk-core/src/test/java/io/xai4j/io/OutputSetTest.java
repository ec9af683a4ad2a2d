package io.xai4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputSetTest {
    static final OutputSet SET = new OutputSet(Set.of("a.npy", "b.png", "c.json", "d.npy"));

    @TempDir
    Path tmp;

    /** A set whose every file holds {@code tag}; with {@code extra}, also d.npy. */
    static Map<String, AtomicFiles.Content> set(String tag, boolean extra) {
        Map<String, AtomicFiles.Content> files = new LinkedHashMap<>();
        for (String name : extra ? List.of("a.npy", "b.png", "c.json", "d.npy") : List.of("a.npy", "b.png", "c.json")) {
            files.put(name, out -> out.write((tag + " " + "x".repeat(4096)).getBytes(StandardCharsets.UTF_8)));
        }
        return files;
    }

    /** The tag of each file in {@code dir}, by name (lock files left out). */
    static Map<String, String> tags(Path dir) throws IOException {
        Map<String, String> tags = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (SET.owns(name)) {
                    tags.put(name, Files.readString(f).split(" ")[0]);
                }
            }
        }
        return tags;
    }

    private List<String> parentEntries() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFailureBetweenFilesLeavesThePreviousSetAndNoTemporaries() throws Exception {
        Path dir = tmp.resolve("out");
        SET.write(dir, set("old", true));
        Map<String, AtomicFiles.Content> failing = set("new", false);
        failing.put("b.png", out -> {
            out.write(1);
            throw new IOException("No space left on device");
        });
        assertThatThrownBy(() -> SET.write(dir, failing))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR))
                .hasMessageContaining("b.png").hasMessageContaining("No space left on device");
        assertThat(tags(dir)).containsExactly(Map.entry("a.npy", "old"), Map.entry("b.png", "old"),
                Map.entry("c.json", "old"), Map.entry("d.npy", "old"));
        assertThat(parentEntries()).containsExactly("out");
    }

    @Test
    void aFailureOnAFirstWriteLeavesNothing() {
        Path dir = tmp.resolve("out");
        Map<String, AtomicFiles.Content> failing = set("new", false);
        failing.put("c.json", out -> {
            throw new IllegalStateException("crash");
        });
        assertThatThrownBy(() -> SET.write(dir, failing)).hasMessage("crash");
        assertThat(dir).doesNotExist();
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void aNewSetReplacesTheWholeOldOneIncludingFilesItLacks() throws Exception {
        Path dir = tmp.resolve("out");
        SET.write(dir, set("old", true));
        SET.write(dir, set("new", false));
        assertThat(tags(dir)).containsExactly(Map.entry("a.npy", "new"), Map.entry("b.png", "new"),
                Map.entry("c.json", "new"));
        assertThat(parentEntries()).containsExactly("out");
    }

    @Test
    void temporariesOfKilledWritersAreRemovedAndNeverReachTheResult() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path stale = Files.createDirectories(tmp.resolve(".out.xai4j-" + gone.pid() + "-1f.tmp"));
        Files.writeString(stale.resolve("a.npy"), "stale");
        Path live = Files.createDirectories(tmp.resolve(".out.xai4j-" + ProcessHandle.current().pid() + "-2e.tmp"));
        SET.write(tmp.resolve("out"), set("new", false));
        assertThat(stale).doesNotExist();
        assertThat(live).exists();
        assertThat(tags(tmp.resolve("out"))).containsValues("new", "new", "new").hasSize(3);
    }

    @Test
    void aTemporaryFileLeftInAResultFolderByAKilledWriterGoesWithTheOldSet() throws Exception {
        Path dir = tmp.resolve("out");
        SET.write(dir, set("old", false));
        Files.writeString(dir.resolve(".b.png.5f3a9c.tmp"), "half a picture");
        SET.write(dir, set("new", false));
        assertThat(tags(dir)).containsValues("new", "new", "new").hasSize(3);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("a.npy", "b.png", "c.json");
        }
    }

    @Test
    void aFolderHoldingOtherFilesKeepsThemAndGetsTheWholeSet() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        SET.write(dir, set("old", true));
        SET.write(dir, set("new", false));
        assertThat(tags(dir)).containsExactly(Map.entry("a.npy", "new"), Map.entry("b.png", "new"),
                Map.entry("c.json", "new"));
        assertThat(dir.resolve("notes.txt")).hasContent("mine");
    }

    @Test
    void concurrentWritersNeverLeaveAMixedSet() throws Exception {
        for (boolean shared : new boolean[] {false, true}) {
            Path dir = Files.createDirectories(tmp.resolve("out-" + shared));
            if (shared) {
                Files.writeString(dir.resolve("notes.txt"), "mine");
            }
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                String tag = "w" + w;
                boolean extra = w % 2 == 0;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 30; i++) {
                        SET.write(dir, set(tag, extra));
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
            pool.shutdown();
            Map<String, String> tags = tags(dir);
            assertThat(Set.copyOf(tags.values())).as("one writer's set in %s: %s", dir, tags).hasSize(1);
            int writer = Integer.parseInt(tags.values().iterator().next().substring(1));
            assertThat(tags).hasSize(writer % 2 == 0 ? 4 : 3);
        }
        assertThat(parentEntries()).containsExactly("out-false", "out-true");
    }

    @Test
    void concurrentProcessesNeverLeaveAMixedSet() throws Exception {
        for (boolean shared : new boolean[] {false, true}) {
            Path dir = Files.createDirectories(tmp.resolve("procs-" + shared));
            if (shared) {
                Files.writeString(dir.resolve("notes.txt"), "mine");
            }
            String java = ProcessHandle.current().info().command().orElse("java");
            List<Process> writers = new ArrayList<>();
            for (String tag : List.of("p0", "p1", "p2")) {
                writers.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                        OutputSetWriter.class.getName(), dir.toString(), tag).inheritIO().start());
            }
            for (Process writer : writers) {
                assertThat(writer.waitFor()).isZero();
            }
            Map<String, String> tags = tags(dir);
            assertThat(Set.copyOf(tags.values())).as("one writer's set: %s", tags).hasSize(1);
            assertThat(tags).hasSize(tags.values().iterator().next().hashCode() % 2 == 0 ? 4 : 3);
        }
    }
}
