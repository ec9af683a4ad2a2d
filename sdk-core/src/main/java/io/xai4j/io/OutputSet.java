package io.xai4j.io;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a set of files that belong together (one explanation's NPY, PNG and JSON) so that the folder holds the
 * whole new set, the whole previous one, or nothing, never a mix. Every file is first written into a hidden
 * temporary folder beside the target, {@code .<name>.xai4j-<pid>-<random>.tmp}; then:
 * <ul>
 *   <li>when the target folder is missing, or holds only files this set owns (an earlier run's set, with any
 *   temporary file a killed writer left in it), the temporary folder is renamed into its place, the old set first
 *   being renamed aside ({@code .<name>.xai4j-<pid>-<random>.old}), to be deleted once the new one is in place.
 *   Concurrent writers each rename whole folders, so the last one wins with its
 *   complete set;</li>
 *   <li>when the target folder holds anything else (other files, subfolders), the files are renamed into it one by
 *   one, and owned files the new set lacks are removed, under a lock ({@code .xai4j.lock} in the folder) that
 *   keeps concurrent writers, threads or processes, from mixing their files, and with a roll-forward journal
 *   ({@link MoveJournal}): a writer killed between two moves leaves the journal, and the next write into the
 *   folder, or {@link #recover}, completes the new set before anything else.</li>
 * </ul>
 * A failure while writing leaves the target untouched and removes the temporary folder. Temporary folders left by
 * killed processes (their process id no longer runs) are deleted by the next write beside them, except an earlier
 * set renamed aside by a writer killed before it could rename its own into place: that one is put back. So after a
 * kill at any point, the next write, or a reader that calls {@link #recover} first, finds the whole old set or the
 * whole new one.
 */
public final class OutputSet {
    /** The lock file used when the set is moved into a folder holding other files. */
    public static final String LOCK_FILE = ".xai4j.lock";
    private static final String MARK = ".xai4j-";
    private static final Pattern TEMPORARY = Pattern.compile("\\.(.*)\\.xai4j-(\\d+)-[0-9a-f]+\\.(tmp|old)");
    private static final Pattern LEFTOVER = Pattern.compile("\\.(.+)\\.[0-9a-f]+\\.tmp");
    private static final int MAX_SWAPS = 100;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private final Set<String> owned;
    private final Consumer<String> steps;

    /** A writer of sets whose files may be among {@code owned}: the names an earlier set in the folder may have. */
    public OutputSet(Set<String> owned) {
        this(owned, step -> { });
    }

    /** As {@link #OutputSet(Set)}, telling {@code steps} of each rename before it is made (to test kills between). */
    OutputSet(Set<String> owned, Consumer<String> steps) {
        this.owned = Set.copyOf(owned);
        this.steps = steps;
    }

    /**
     * Makes the set in {@code dir} whole before it is read: completes one that a killed writer left half moved into
     * a folder that holds other files too, and puts back one that a killed writer had renamed aside. Every write
     * does this first; a reader of a folder that a writer may have been killed in calls it.
     *
     * @throws XaiException {@link ErrorCode#IO_ERROR} naming the folder and the reason
     */
    public static void recover(Path dir) {
        Path target = dir.toAbsolutePath().normalize();
        if (target.getParent() != null && Files.isDirectory(target.getParent())) {
            removeStaleTemporaries(target.getParent());
        }
        try {
            if (MoveJournal.pending(target)) {
                underLock(target, () -> MoveJournal.recover(target));
            }
        } catch (IOException e) {
            throw IoErrors.of("complete the output set in", target, e);
        }
    }

    /** Whether {@code name} is one of the files a set may hold. */
    public boolean owns(String name) {
        return owned.contains(name);
    }

    /**
     * Writes {@code files} (file name to content, in order) into {@code dir} as one set.
     *
     * @return the written files, in the order given
     * @throws XaiException {@link ErrorCode#IO_ERROR} naming the file or folder and the reason
     */
    public List<Path> write(Path dir, Map<String, AtomicFiles.Content> files) {
        Path target = dir.toAbsolutePath().normalize();
        if (target.getParent() == null || target.getFileName() == null) {
            throw new XaiException(ErrorCode.IO_ERROR, "cannot write into " + dir + ": give a folder below the root");
        }
        for (String name : files.keySet()) {
            if (!owned.contains(name)) {
                throw new IllegalArgumentException("file " + name + " is not among the set's names " + owned);
            }
        }
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw IoErrors.of("create the folder", target.getParent(), e);
        }
        removeStaleTemporaries(target.getParent());
        Path staging = sibling(target, "tmp");
        try {
            Files.createDirectory(staging);
            for (Map.Entry<String, AtomicFiles.Content> file : files.entrySet()) {
                try (OutputStream out = Files.newOutputStream(staging.resolve(file.getKey()),
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    file.getValue().writeTo(out);
                }
            }
        } catch (IOException e) {
            XaiException error = IoErrors.of("write", target.resolve(currentFile(staging, files)), e);
            deleteQuietly(staging, error);
            throw error;
        } catch (RuntimeException | Error e) {
            deleteQuietly(staging, e);
            throw e;
        }
        try {
            swapIn(staging, target, List.copyOf(files.keySet()));
        } catch (IOException e) {
            XaiException error = IoErrors.of("write", target, e);
            deleteQuietly(staging, error);
            throw error;
        }
        List<Path> written = new ArrayList<>();
        for (String name : files.keySet()) {
            written.add(dir.resolve(name));
        }
        return written;
    }

    /**
     * Renames the staging folder to the target; an existing set there is renamed aside first, and deleted once the
     * new one is in place (put back if it could not be).
     */
    private void swapIn(Path staging, Path target, List<String> names) throws IOException {
        List<Path> asides = new ArrayList<>();
        try {
            replaceFolder(staging, target, names, asides);
        } catch (IOException | RuntimeException | Error e) {
            try {
                putBackOrDelete(asides, target);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        putBackOrDelete(asides, target);
    }

    private void replaceFolder(Path staging, Path target, List<String> names, List<Path> asides) throws IOException {
        IOException contention = null;
        for (int attempt = 0; attempt < MAX_SWAPS; attempt++) {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                if (!holdsOnlyOwnedFiles(target)) {
                    moveInUnderLock(staging, target, names);
                    return;
                }
                Path old = sibling(target, "old");
                try {
                    Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                } catch (NoSuchFileException gone) {
                    continue;   // another writer moved it aside first
                }
                asides.add(old);
            }
            try {
                steps.accept("rename");
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                return;
            } catch (FileSystemException e) {
                if (!isTaken(e)) {
                    throw e;
                }
                contention = e;   // another writer's set arrived first: replace it as a whole on the next attempt
            }
        }
        throw new IOException("other writers kept replacing it; gave up after " + MAX_SWAPS + " attempts", contention);
    }

    /** Whether a rename failed because another writer's folder took the target first. */
    private static boolean isTaken(FileSystemException e) {
        return e instanceof FileAlreadyExistsException || e instanceof DirectoryNotEmptyException
                || "Directory not empty".equals(e.getReason());
    }

    /** Deletes the sets renamed aside; when the target is missing (the new set failed), puts the last one back. */
    private static void putBackOrDelete(List<Path> asides, Path target) throws IOException {
        for (int i = asides.size() - 1; i >= 0; i--) {
            putBackOrDelete(asides.get(i), target);
        }
    }

    private static void putBackOrDelete(Path aside, Path target) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE);
                return;
            } catch (FileSystemException e) {
                if (!isTaken(e) && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                // another writer's set is there now, or another process put this one back first
            }
        }
        deleteRecursively(aside);
    }

    /**
     * Moves each staged file into a folder that holds other things too, under a lock across threads and processes,
     * completing first a set a killed writer left there.
     */
    private void moveInUnderLock(Path staging, Path target, List<String> names) throws IOException {
        Files.createDirectories(target);
        List<String> drop = owned.stream().filter(name -> !names.contains(name)).sorted().toList();
        underLock(target, () -> {
            MoveJournal.recover(target);
            removeLeftovers(target);
            MoveJournal.moveIn(staging, target, ProcessHandle.current().pid() + "-" + randomHex(), names, drop,
                    steps);
        });
    }

    /** Deletes the temporary files that writers killed in {@link AtomicFiles} left of owned files in {@code dir}. */
    private void removeLeftovers(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (!owned.contains(name) && isOwnedOrLeftover(name)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** An action on a folder's files. */
    private interface FolderAction {
        void run() throws IOException;
    }

    /** Runs {@code action} holding the folder's lock: first among this process's threads, then among processes. */
    private static void underLock(Path dir, FolderAction action) throws IOException {
        ReentrantLock local = LOCKS.computeIfAbsent(dir, t -> new ReentrantLock());
        local.lock();
        try (FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            action.run();
        } finally {
            local.unlock();
        }
    }

    /** Whether {@code dir} is missing or holds nothing but files with owned names. */
    private boolean holdsOnlyOwnedFiles(Path dir) throws IOException {
        try {
            if (!Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isDirectory()) {
                throw new FileAlreadyExistsException(dir.toString());
            }
        } catch (NoSuchFileException e) {
            return true;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            // Not isRegularFile: an entry of a folder another writer just renamed aside no longer resolves.
            return entries.allMatch(p -> isOwnedOrLeftover(p.getFileName().toString())
                    && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return true;
        }
    }

    /**
     * Whether {@code name} is an owned file, or the temporary of one that {@link AtomicFiles} left when killed
     * ({@code .heatmap.png.<hex>.tmp}, as earlier versions wrote each file); such a leftover goes with the old set.
     */
    private boolean isOwnedOrLeftover(String name) {
        Matcher m = LEFTOVER.matcher(name);
        return owned.contains(name) || m.matches() && owned.contains(m.group(1));
    }

    /**
     * Deletes the temporary folders in {@code parent} whose writing process no longer runs (killed while writing),
     * but puts back an earlier set renamed aside whose folder is missing (its writer was killed between the two
     * renames). A folder that cannot be deleted is left: another process may be deleting it at the same time.
     */
    static void removeStaleTemporaries(Path parent) {
        List<Path> stale;
        try (Stream<Path> entries = Files.list(parent)) {
            stale = entries.filter(OutputSet::isStale).toList();
        } catch (IOException e) {
            throw IoErrors.of("list", parent, e);
        }
        for (Path p : stale) {
            Matcher m = TEMPORARY.matcher(p.getFileName().toString());
            try {
                if (m.matches() && m.group(3).equals("old")) {
                    putBackOrDelete(p, parent.resolve(m.group(1)));
                } else {
                    deleteRecursively(p);
                }
            } catch (IOException e) {
                // left for the next write: another process may be deleting or putting back the same folder
            }
        }
    }

    private static boolean isStale(Path p) {
        Matcher m = TEMPORARY.matcher(p.getFileName().toString());
        if (!m.matches()) {
            return false;
        }
        long pid = Long.parseLong(m.group(2));
        return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }

    private static Path sibling(Path target, String kind) {
        return target.resolveSibling("." + target.getFileName() + MARK + ProcessHandle.current().pid() + "-"
                + randomHex() + "." + kind);
    }

    private static String randomHex() {
        return Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
    }

    /** The first file not yet complete in the staging folder, for the error message. */
    private static String currentFile(Path staging, Map<String, AtomicFiles.Content> files) {
        List<String> names = new ArrayList<>(files.keySet());
        for (int i = names.size() - 1; i >= 0; i--) {
            if (Files.exists(staging.resolve(names.get(i)))) {
                return names.get(i);
            }
        }
        return names.isEmpty() ? "" : names.get(0);
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // already gone
        }
    }

    /** Deletes a temporary folder; a failure is added to {@code error} when there is one. */
    private static void deleteQuietly(Path dir, Throwable error) {
        try {
            deleteRecursively(dir);
        } catch (IOException cleanup) {
            if (error != null) {
                error.addSuppressed(cleanup);
            }
        }
    }
}
