package dev.stepwise.core.journal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * JSON-lines journals in a directory: {@code <runId>.jsonl}, with {@code <runId>.lock} beside it.
 *
 * <h2>One writer per run</h2>
 * A writer holds an exclusive operating-system lock ({@link FileChannel#tryLock()}) on {@code <runId>.lock} from
 * {@code open} to {@code close}; a second writer — in another process or in this one — is refused at once with a
 * {@link JournalLockedException} naming the holder. The operating system releases the lock when its holder dies,
 * so a killed runner never leaves a stale lock. The holder writes who it is (process id, host, since when) into the
 * lock file after it gets the lock, for the refusal to quote; the lock is the truth, that text only a label (a
 * refused writer that cannot read it says "unknown"). Lock files stay after their run: deleting the lock file of a
 * live run would let a second writer in, and its holder stops at its next durable write when it sees its lock file
 * gone.
 *
 * <p>The lock is on a file of its own, not on the journal, because on POSIX systems closing <em>any</em> descriptor
 * of a file drops every lock the process holds on it: a resume reading the journal in the holder's own process
 * would silently unlock it. Nothing but this store opens lock files, and within one JVM a second writer is refused
 * from the held-lock table below without opening the file.
 *
 * <h2>Appends</h2>
 * Every line is appended ({@link StandardOpenOption#APPEND}): never written at a position read earlier. Reads take
 * no lock. A durable line is forced to the disk, and then the store checks that the file at the journal's path is
 * still the one it opened (same file key): a journal deleted, moved or replaced mid-run, or a write that fails
 * (disk full, permissions), makes the append throw a {@link JournalLostException} naming the path, and every later
 * append of that writer too.
 *
 * <p>Records that must reach a running holder from outside (a decision taken elsewhere) must not need its lock:
 * they will go to a journal id of their own beside the run's, not into the held run journal.
 */
final class FileJournalStore implements JournalStore {
    /**
     * Locks this JVM holds, by the lock file's identity, with their holder text. Consulted before a lock file is
     * opened, so that a second writer in this JVM never opens (and, closing, unlocks) a held lock file.
     */
    private static final Map<Object, String> HELD = new HashMap<>();
    /**
     * Channels that found a lock held by this JVM outside {@link #HELD} (another copy of this class, or user code):
     * closing them would drop that lock at the operating-system level, so they are kept open for the JVM's life.
     */
    private static final List<FileChannel> PINNED = new ArrayList<>();
    /** How often a refused writer reads a lock file whose holder has not written its text yet, 10 ms apart. */
    private static final int HOLDER_TEXT_READS = 50;

    private final Path dir;

    FileJournalStore(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    private static void checkRunId(String runId) {
        if (!runId.matches("[A-Za-z0-9_.-]{1,128}")) {
            throw new JournalException("runId \"" + runId + "\" does not match [A-Za-z0-9_.-]{1,128}");
        }
    }

    private Path file(String runId) {
        checkRunId(runId);
        return dir.resolve(runId + ".jsonl");
    }

    private Path lockFile(String runId) {
        checkRunId(runId);
        return dir.resolve(runId + ".lock");
    }

    @Override
    public JournalWriter open(String runId, boolean create) throws IOException {
        Path f = file(runId);
        if (create) {
            Files.createDirectories(dir);
            if (Files.exists(f)) {
                throw new JournalException("A journal for run " + runId + " already exists in " + dir);
            }
        } else if (!Files.exists(f)) {
            throw new JournalException("No journal for run " + runId + " in " + dir);
        }
        Lock lock = Lock.take(runId, lockFile(runId), f);
        try {
            FileChannel ch;
            try {
                ch = create ? FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.APPEND)
                        : FileChannel.open(f, StandardOpenOption.APPEND);
            } catch (FileAlreadyExistsException e) {
                throw new JournalException("A journal for run " + runId + " already exists in " + dir, e);
            } catch (NoSuchFileException e) {
                throw new JournalException("No journal for run " + runId + " in " + dir, e);
            }
            try {
                Object key = identity(f);
                if (!create) {
                    terminateTornLine(f, ch);
                }
                return new Writer(runId, f, ch, key, lock);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            lock.release();
            throw e;
        }
    }

    /** What identifies the file at {@code path}: its file key (device and inode), or its real path where there is none. */
    private static Object identity(Path path) throws IOException {
        Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        return key != null ? key : path.toRealPath();
    }

    /** A crash can leave half a line; the next line must start on a line of its own. */
    private static void terminateTornLine(Path f, FileChannel append) throws IOException {
        try (FileChannel read = FileChannel.open(f, StandardOpenOption.READ)) {
            long size = read.size();
            if (size == 0) {
                return;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            read.read(last, size - 1);
            if (last.get(0) != '\n') {
                append.write(ByteBuffer.wrap(new byte[] {'\n'}));
            }
        }
    }

    @Override
    public RunJournal read(String runId) throws IOException {
        Path f = file(runId);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            throw new JournalException("No journal for run " + runId + " in " + dir, e);
        }
        return RunJournal.parse(runId, bytes);
    }

    @Override
    public boolean exists(String runId) {
        return Files.exists(file(runId));
    }

    @Override
    public List<String> runIds() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .sorted(Comparator.comparing(p -> p.toFile().lastModified()))
                    .forEach(p -> out.add(p.getFileName().toString().replaceFirst("\\.jsonl$", "")));
        }
        return out;
    }

    @Override
    public String toString() {
        return "JournalStore.directory(" + dir + ")";
    }

    /** The exclusive lock on one run's lock file, taken by {@link #take} and given back by {@link #release}. */
    private static final class Lock {
        private final Path path;
        private final FileChannel channel;
        private final FileLock lock;
        private final Object key;

        private Lock(Path path, FileChannel channel, FileLock lock, Object key) {
            this.path = path;
            this.channel = channel;
            this.lock = lock;
            this.key = key;
        }

        /**
         * Locks {@code lockFile} for run {@code runId}, or refuses naming the holder.
         *
         * @throws JournalLockedException when another writer, in this process or another, holds it
         */
        static Lock take(String runId, Path lockFile, Path journal) throws IOException {
            synchronized (HELD) {
                Object existing = identityIfExists(lockFile);
                if (existing != null && HELD.containsKey(existing)) {
                    throw locked(runId, journal, HELD.get(existing));
                }
                FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = null;
                try {
                    lock = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    PINNED.add(ch);
                    throw locked(runId, journal, "another writer in this process (pid " + ProcessHandle.current().pid()
                            + ") that did not lock it through this store");
                } finally {
                    if (lock == null && !PINNED.contains(ch)) {
                        ch.close();
                    }
                }
                if (lock != null) {
                    try {
                        Object key = identity(lockFile);
                        String holder = Holder.describe();
                        ch.truncate(0);
                        ByteBuffer text = ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8));
                        while (text.hasRemaining()) {
                            ch.write(text, text.position());
                        }
                        HELD.put(key, holder);
                        return new Lock(lockFile, ch, lock, key);
                    } catch (IOException | RuntimeException e) {
                        ch.close();
                        throw e;
                    }
                }
            }
            // another process holds it; its text may take a moment to appear, so it is read outside the monitor
            throw locked(runId, journal, holderWrittenIn(lockFile));
        }

        /** Whether the file at this lock's path is still the one locked (not deleted or replaced). */
        boolean stillAtItsPath() {
            try {
                return key.equals(identity(path));
            } catch (IOException e) {
                return false;
            }
        }

        Path path() {
            return path;
        }

        void release() throws IOException {
            synchronized (HELD) {
                HELD.remove(key);
                try {
                    if (channel.isOpen()) {
                        // the holder text only names a live holder; a lock file left behind says nobody
                        channel.truncate(0);
                    }
                } catch (IOException e) {
                    // the text is only a label: the lock below is released either way
                } finally {
                    try {
                        lock.release();
                    } finally {
                        channel.close();
                    }
                }
            }
        }

        private static Object identityIfExists(Path path) throws IOException {
            try {
                return identity(path);
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        /**
         * The holder text of a lock another process holds. A refusal can come in the instant between the holder's
         * lock and its writing that text, so an empty or half-written text is read again for a moment.
         */
        private static String holderWrittenIn(Path lockFile) {
            for (int i = 0; i < HOLDER_TEXT_READS; i++) {
                try {
                    String text = new String(Files.readAllBytes(lockFile), StandardCharsets.UTF_8);
                    if (text.endsWith("\n") && !text.isBlank()) {
                        return text.strip();
                    }
                    Thread.sleep(10);
                } catch (IOException e) {
                    return "unknown";
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "unknown";
                }
            }
            return "unknown";
        }

        private static JournalLockedException locked(String runId, Path journal, String holder) {
            return new JournalLockedException("The journal of run " + runId + " (" + journal + ") is held by " + holder
                    + ": another runner is resuming or running it, so this one may not write it (nothing was "
                    + "written). Wait for that runner to finish, or stop it: its lock goes when its process ends",
                    holder);
        }
    }

    /** Who this process is, as lock files and refusals name it. */
    private static final class Holder {
        private static final String HOST = host();

        static String describe() {
            return "pid " + ProcessHandle.current().pid() + " on host " + HOST + " (thread "
                    + Thread.currentThread().getName() + ") since " + Instant.now();
        }

        private static String host() {
            String env = System.getenv("HOSTNAME");
            if (env != null && !env.isBlank()) {
                return env;
            }
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "unknown-host";
            }
        }
    }

    private static final class Writer implements JournalWriter {
        private final String runId;
        private final Path path;
        private final FileChannel ch;
        private final Object key;
        private final Lock lock;
        /** Why this journal can no longer be written; every later append throws it again. */
        private JournalLostException lost;
        private boolean closed;

        Writer(String runId, Path path, FileChannel ch, Object key, Lock lock) {
            this.runId = runId;
            this.path = path;
            this.ch = ch;
            this.key = key;
            this.lock = lock;
        }

        @Override
        public void append(JournalEntry entry, boolean durable) {
            if (closed) {
                throw new IllegalStateException("the journal writer of run " + runId + " is closed");
            }
            if (lost != null) {
                throw lost;
            }
            ByteBuffer buf = ByteBuffer.wrap((JournalCodec.encode(entry) + "\n").getBytes(StandardCharsets.UTF_8));
            try {
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (durable) {
                    ch.force(false);
                }
            } catch (IOException e) {
                throw lost("could not be written (" + e + ")", e);
            }
            if (durable) {
                checkStillThere();
            }
        }

        /**
         * A forced line is only durable if the file is still reachable at its path: one unlinked or replaced takes
         * its lines with it, and a resume would read another file or none.
         */
        private void checkStillThere() {
            Object now;
            try {
                now = identity(path);
            } catch (NoSuchFileException e) {
                throw lost("is gone: there is no file at that path any more (deleted, or its folder was)", e);
            } catch (IOException e) {
                throw lost("could not be checked (" + e + ")", e);
            }
            if (!key.equals(now)) {
                throw lost("was replaced: the file at that path is not the one this run was writing", null);
            }
            if (!lock.stillAtItsPath()) {
                throw lost("lost its lock: the lock file " + lock.path() + " was deleted or replaced, so another "
                        + "runner could take the run", null);
            }
        }

        private JournalLostException lost(String what, Throwable cause) {
            lost = new JournalLostException("The journal of run " + runId + " at " + path + " " + what + "; the run "
                    + "stopped before its next change, since it could no longer be resumed from its journal. Check by "
                    + "hand what its last step did", path.toString(), cause);
            return lost;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                ch.close();
            } finally {
                lock.release();
            }
        }
    }
}
