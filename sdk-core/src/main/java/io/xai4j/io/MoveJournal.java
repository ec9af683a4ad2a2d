package io.xai4j.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The roll-forward journal of a set moved file by file into a folder that holds other files too: {@value #FILE} in
 * that folder names a hidden folder beside it that holds the complete new files ({@code .xai4j-incoming-...}), the
 * files to put, in order, and the earlier set's files to drop. It is written, atomically, once that folder holds the
 * whole set, and deleted once every file is in place, so after a kill at any point the next one to take the folder's
 * lock either finds no journal (the old set is whole; a leftover incoming folder is deleted) or completes the moves
 * (the new set is whole). A failure that is not a kill rolls back instead: the replaced files are kept in the
 * incoming folder until the end for that. Every method runs under the folder's lock.
 */
final class MoveJournal {
    static final String FILE = ".xai4j-journal";
    private static final String INCOMING = ".xai4j-incoming-";
    private static final String REPLACED = ".replaced";
    private static final String PUT = "put ";
    private static final String DROP = "drop ";

    private final Path dir;
    private final Path incoming;
    private final List<String> put;
    private final List<String> drop;

    private MoveJournal(Path dir, Path incoming, List<String> put, List<String> drop) {
        this.dir = dir;
        this.incoming = incoming;
        this.put = List.copyOf(put);
        this.drop = List.copyOf(drop);
    }

    /**
     * Moves the staged set into {@code dir}: the staging folder into it as the incoming folder, then the journal,
     * then each file, reporting each step to {@code steps} before it is taken.
     *
     * @param put  the staged files, in the order they are moved
     * @param drop the earlier set's files the new one lacks
     */
    static void moveIn(Path staging, Path dir, String suffix, List<String> put, List<String> drop,
            Consumer<String> steps) throws IOException {
        MoveJournal journal = new MoveJournal(dir, dir.resolve(INCOMING + suffix), put, drop);
        Files.move(staging, journal.incoming, StandardCopyOption.ATOMIC_MOVE);
        try {
            steps.accept("journal");
            journal.save();
            journal.rollForward(steps);
        } catch (IOException | RuntimeException | Error e) {
            try {
                journal.rollBack();
            } catch (IOException | RuntimeException undo) {
                e.addSuppressed(undo);   // the journal stays: the next writer or reader completes the set
            }
            throw e;
        }
        journal.finish();
    }

    /**
     * Completes the set an interrupted writer left in {@code dir}, if any, and deletes incoming folders no journal
     * names (their writer was killed before it wrote one: the old set is still whole).
     */
    static void recover(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE + ".tmp"));
        Path file = dir.resolve(FILE);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            MoveJournal journal = read(dir, file);
            if (Files.isDirectory(journal.incoming, LinkOption.NOFOLLOW_LINKS)) {
                journal.rollForward(step -> { });
            }
            journal.finish();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().startsWith(INCOMING)).toList()) {
                OutputSet.deleteRecursively(p);
            }
        }
    }

    /** Whether {@code dir} holds a journal or an incoming folder, so that a reader should {@link #recover} it. */
    static boolean pending(Path dir) throws IOException {
        if (Files.exists(dir.resolve(FILE), LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.anyMatch(p -> p.getFileName().toString().startsWith(INCOMING));
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Whether {@code name} is one of the journal's own files in a result folder. */
    static boolean isOwnFile(String name) {
        return name.equals(FILE) || name.equals(FILE + ".tmp") || name.startsWith(INCOMING);
    }

    /**
     * Moves each replaced file aside, then each new file in whose move is still pending (its staged copy still
     * exists); idempotent, so a second run completes what a killed one began.
     */
    private void rollForward(Consumer<String> steps) throws IOException {
        for (String name : put) {
            if (Files.isDirectory(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(dir.resolve(name) + " is a folder, not a file of an earlier set; move it away");
            }
        }
        Path replaced = Files.createDirectories(incoming.resolve(REPLACED));
        List<String> aside = new ArrayList<>(drop);
        put.stream().filter(name -> exists(incoming.resolve(name))).forEach(aside::add);
        for (String name : aside) {
            if (exists(dir.resolve(name))) {
                steps.accept("aside " + name);
                if (exists(replaced.resolve(name))) {
                    Files.delete(dir.resolve(name));   // a copy of this name is already kept
                } else {
                    Files.move(dir.resolve(name), replaced.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                }
            }
        }
        for (String name : put) {
            if (exists(incoming.resolve(name))) {
                steps.accept("move " + name);
                Files.move(incoming.resolve(name), dir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Takes the new files out again and puts the replaced ones back, then deletes the journal. */
    private void rollBack() throws IOException {
        for (String name : put) {
            if (!exists(incoming.resolve(name)) && exists(dir.resolve(name))) {
                Files.move(dir.resolve(name), incoming.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Path replaced = incoming.resolve(REPLACED);
        if (Files.isDirectory(replaced)) {
            try (Stream<Path> files = Files.list(replaced)) {
                for (Path p : files.toList()) {
                    Files.move(p, dir.resolve(p.getFileName()), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        finish();
    }

    private void finish() throws IOException {
        Files.deleteIfExists(dir.resolve(FILE));
        OutputSet.deleteRecursively(incoming);
    }

    private void save() throws IOException {
        StringBuilder text = new StringBuilder(incoming.getFileName() + "\n");
        put.forEach(name -> text.append(PUT).append(name).append('\n'));
        drop.forEach(name -> text.append(DROP).append(name).append('\n'));
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static MoveJournal read(Path dir, Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).startsWith(INCOMING) || !isPlainName(lines.get(0))) {
            throw new IOException("not a journal of xai4j output sets: " + file + "; delete it if no set is missing");
        }
        List<String> put = new ArrayList<>();
        List<String> drop = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> list = line.startsWith(PUT) ? put : line.startsWith(DROP) ? drop : null;
            String name = list == null ? "" : line.substring((list == put ? PUT : DROP).length());
            if (list == null || !isPlainName(name) || isOwnFile(name)) {
                throw new IOException("bad line '" + line + "' in the journal " + file);
            }
            list.add(name);
        }
        return new MoveJournal(dir, dir.resolve(lines.get(0)), put, drop);
    }

    private static boolean isPlainName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0
                && name.indexOf('\\') < 0 && name.indexOf('\0') < 0;
    }

    private static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }
}
