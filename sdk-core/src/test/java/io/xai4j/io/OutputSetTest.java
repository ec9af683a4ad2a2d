package io.xai4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    static final Set<String> NAMES = Set.of("a.npy", "b.png", "c.json", "d.npy");
    static final OutputSet SET = new OutputSet(NAMES);

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
        Files.writeString(dir.resolve(".b.png.5f3a9c.tmp"), "half a picture");
        SET.write(dir, set("new", false));
        assertThat(entries(dir)).containsExactlyInAnyOrder(".xai4j.lock", "a.npy", "b.png", "c.json", "notes.txt");
        assertThat(tags(dir)).containsExactly(Map.entry("a.npy", "new"), Map.entry("b.png", "new"),
                Map.entry("c.json", "new"));
        assertThat(dir.resolve("notes.txt")).hasContent("mine");
    }

    @Test
    void aFailureBetweenMovesIntoAFolderHoldingOtherFilesPutsTheWholeOldSetBack() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        SET.write(dir, set("old", true));
        OutputSet failing = new OutputSet(NAMES, step -> {
            if (step.equals("move b.png")) {
                throw new UncheckedIOException(new IOException("No space left on device"));
            }
        });
        assertThatThrownBy(() -> failing.write(dir, set("new", false))).hasMessageContaining("No space left on device");
        assertThat(tags(dir)).containsExactly(Map.entry("a.npy", "old"), Map.entry("b.png", "old"),
                Map.entry("c.json", "old"), Map.entry("d.npy", "old"));
        assertThat(entries(dir)).containsExactlyInAnyOrder(".xai4j.lock", "a.npy", "b.png", "c.json", "d.npy",
                "notes.txt");
        assertThat(parentEntries()).containsExactly("out");
    }

    @Test
    void aFolderInTheWayOfAFileIsRefusedAndTheOldSetKept() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("out"));
        SET.write(dir, Map.of("a.npy", out -> out.write("old".getBytes(StandardCharsets.UTF_8))));
        Files.writeString(Files.createDirectories(dir.resolve("c.json")).resolve("kept.txt"), "kept");
        assertThatThrownBy(() -> SET.write(dir, set("new", false)))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR))
                .hasMessageContaining("c.json is a folder");
        assertThat(dir.resolve("a.npy")).hasContent("old");
        assertThat(dir.resolve("c.json").resolve("kept.txt")).hasContent("kept");
        assertThat(entries(dir)).containsExactlyInAnyOrder(".xai4j.lock", "a.npy", "c.json");
    }

    /**
     * A writer killed before each rename in turn, into a folder holding other files: the folder is completed by the
     * next reader to the whole new set once the journal is written, and is the whole old set before.
     */
    @Test
    void aWriterKilledBetweenMovesLeavesASetThatRecoveryCompletes() throws Exception {
        List<String> killedAt = new ArrayList<>();
        for (int step = 0; ; step++) {
            Path dir = Files.createDirectories(tmp.resolve("out-" + step));
            Files.writeString(dir.resolve("notes.txt"), "mine");
            SET.write(dir, set("old", true));
            Process writer = haltingWriter(dir, "new", step);
            if (writer.waitFor() == 0) {
                break;
            }
            assertThat(writer.exitValue()).isEqualTo(OutputSetHaltingWriter.HALTED);
            String killedBefore = new String(writer.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            killedAt.add(killedBefore);
            boolean journalled = !killedBefore.equals("journal");
            assertThat(dir.resolve(MoveJournal.FILE).toFile().exists()).as("journal before %s", killedBefore)
                    .isEqualTo(journalled);
            OutputSet.recover(dir);
            Map<String, String> tags = tags(dir);
            if (journalled) {
                assertThat(tags).as("killed before %s", killedBefore).containsExactly(Map.entry("a.npy", "new"),
                        Map.entry("b.png", "new"), Map.entry("c.json", "new"));
            } else {
                assertThat(tags).as("killed before %s", killedBefore).hasSize(4).containsValues("old");
                assertThat(Set.copyOf(tags.values())).containsExactly("old");
            }
            assertThat(entries(dir)).as("killed before %s", killedBefore).containsExactlyInAnyOrder(
                    Stream.concat(Stream.of(".xai4j.lock", "notes.txt"), tags.keySet().stream()).toArray(String[]::new));
        }
        assertThat(killedAt).containsExactly("journal", "aside d.npy", "aside a.npy", "aside b.png", "aside c.json",
                "move a.npy", "move b.png", "move c.json");
        assertThat(parentEntries()).allMatch(name -> name.startsWith("out-"));
    }

    @Test
    void theNextWriteCompletesAKilledWritersSetBeforeWritingItsOwn() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        SET.write(dir, set("old", true));
        assertThat(haltingWriter(dir, "new", 6).waitFor()).isEqualTo(OutputSetHaltingWriter.HALTED);
        assertThat(tags(dir)).as("half moved: the rest set aside").containsExactly(Map.entry("a.npy", "new"));
        List<String> seen = new ArrayList<>();
        new OutputSet(NAMES, step -> seen.add(step + ":" + tagsUnchecked(dir))).write(dir, set("next", true));
        assertThat(seen.get(0)).isEqualTo("journal:{a.npy=new, b.png=new, c.json=new}");
        assertThat(tags(dir)).containsValues("next").hasSize(4);
        assertThat(Set.copyOf(tags(dir).values())).containsExactly("next");
        assertThat(parentEntries()).containsExactly("out");
    }

    @Test
    void aWriterKilledBetweenItsTwoFolderRenamesLeavesTheOldSetToBePutBack() throws Exception {
        Path dir = tmp.resolve("out");
        SET.write(dir, set("old", true));
        Process writer = haltingWriter(dir, "new", 0);
        assertThat(writer.waitFor()).isEqualTo(OutputSetHaltingWriter.HALTED);
        assertThat(new String(writer.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim()).isEqualTo("rename");
        assertThat(dir).doesNotExist();
        OutputSet.recover(dir);
        assertThat(tags(dir)).containsValues("old").hasSize(4);
        assertThat(Set.copyOf(tags(dir).values())).containsExactly("old");
        assertThat(parentEntries()).containsExactly("out");
    }

    @Test
    void aJournalNamingFilesOutsideTheFolderIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("out"));
        Files.createDirectories(dir.resolve(".xai4j-incoming-1-2"));
        Files.writeString(dir.resolve(MoveJournal.FILE), ".xai4j-incoming-1-2\nput ../notes.txt\n");
        assertThatThrownBy(() -> OutputSet.recover(dir))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR))
                .hasMessageContaining("put ../notes.txt").hasMessageContaining(MoveJournal.FILE);
    }

    private Process haltingWriter(Path dir, String tag, int step) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                OutputSetHaltingWriter.class.getName(), dir.toString(), tag, String.valueOf(step))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static Map<String, String> tagsUnchecked(Path dir) {
        try {
            return tags(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
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
