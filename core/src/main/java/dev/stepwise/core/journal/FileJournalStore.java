package dev.stepwise.core.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** JSON-lines journals in a directory; {@code force()} makes a durable line reach the disk. */
final class FileJournalStore implements JournalStore {
    private final Path dir;

    FileJournalStore(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    private Path file(String runId) {
        if (!runId.matches("[A-Za-z0-9_.-]{1,128}")) {
            throw new IllegalArgumentException("runId \"" + runId + "\" does not match [A-Za-z0-9_.-]{1,128}");
        }
        return dir.resolve(runId + ".jsonl");
    }

    @Override
    public JournalWriter open(String runId, boolean create) throws IOException {
        Files.createDirectories(dir);
        Path f = file(runId);
        FileChannel ch;
        try {
            ch = create ? FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
                    : FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new JournalException("A journal for run " + runId + " already exists in " + dir, e);
        } catch (NoSuchFileException e) {
            throw new JournalException("No journal for run " + runId + " in " + dir, e);
        }
        if (!create) {
            ch.position(ch.size());
            terminateTornLine(ch);
        }
        return new Writer(ch);
    }

    /** A crash can leave half a line; the next line must start on a line of its own. */
    private static void terminateTornLine(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == 0) {
            return;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        ch.read(last, size - 1);
        if (last.get(0) != '\n') {
            ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
        }
    }

    @Override
    public RunJournal read(String runId) throws IOException {
        Path f = file(runId);
        if (!Files.exists(f)) {
            throw new JournalException("No journal for run " + runId + " in " + dir);
        }
        return RunJournal.parse(runId, Files.readAllBytes(f));
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

    private static final class Writer implements JournalWriter {
        private final FileChannel ch;

        Writer(FileChannel ch) {
            this.ch = ch;
        }

        @Override
        public void append(JournalEntry entry, boolean durable) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap((JournalCodec.encode(entry) + "\n").getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (durable) {
                ch.force(false);
            }
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
