package dev.stepwise.core.rollout;

import dev.stepwise.core.run.TimeSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

/**
 * A virtual clock kept in a file, so that several JVMs share one time line: a child process killed mid-soak leaves
 * the clock where it stood, the parent test moves it on ("six days later"), and the resumed child reads it there.
 * Waits never sleep, as with {@link dev.stepwise.core.run.VirtualTimeSource}: {@link #await} moves the file's
 * instant forward by the time waited, unless the latch is already released; so durations are exact however busy
 * the machine is.
 *
 * <p>The file holds one ISO-8601 instant, padded to a fixed width. Every read and write takes an exclusive {@link FileLock} on it (between
 * processes) inside a JVM-wide monitor (a JVM may not hold two overlapping locks on one file). Thread-safe and
 * process-safe.
 */
final class FileClock implements TimeSource {
    /** One monitor for every FileClock of this JVM: overlapping FileLocks from one JVM throw. */
    private static final Object JVM_LOCK = new Object();
    /** Wider than any instant's ISO-8601 text, which is padded with spaces to it. */
    private static final int WIDTH = 48;

    private final Path file;

    private FileClock(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /** A clock reading {@code file}, which must already hold an instant (see {@link #create}). */
    static FileClock at(Path file) {
        return new FileClock(file);
    }

    /** Creates (or resets) {@code file} at {@code start} and returns a clock reading it. */
    static FileClock create(Path file, Instant start) {
        FileClock c = new FileClock(file);
        c.update(old -> start);
        return c;
    }

    @Override
    public Instant now() {
        return update(UnaryOperator.identity());
    }

    /** Moves the clock forward by {@code d}, for a test that lets time pass between two processes. */
    Instant advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("duration " + d + " must not be negative");
        }
        return update(t -> t.plus(d));
    }

    /** Moves the clock forward to {@code t}; an instant already past is an error in the test. */
    Instant advanceTo(Instant t) {
        return update(now -> {
            if (t.isBefore(now)) {
                throw new IllegalArgumentException("the clock is at " + now + ", past " + t);
            }
            return t;
        });
    }

    @Override
    public boolean await(CountDownLatch wakeUp, Duration duration) {
        if (wakeUp.getCount() == 0) {
            return true;
        }
        if (!duration.isNegative() && !duration.isZero()) {
            advance(duration);
        }
        return wakeUp.getCount() == 0;
    }

    /** Virtual, so a step's attempts run inline and no timeout thread races the clock. */
    @Override
    public boolean isVirtual() {
        return true;
    }

    private Instant update(UnaryOperator<Instant> change) {
        synchronized (JVM_LOCK) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
                ByteBuffer buf = ByteBuffer.allocate((int) ch.size());
                while (buf.hasRemaining() && ch.read(buf) >= 0) {
                    // read it all
                }
                String text = new String(buf.array(), StandardCharsets.UTF_8).trim();
                Instant before = text.isEmpty() ? null : Instant.parse(text);
                Instant after = change.apply(before);
                if (after == null) {
                    throw new IllegalStateException("the clock file " + file + " holds no instant: create it first");
                }
                if (!after.equals(before)) {
                    // one write of a fixed width, so a process killed mid-update leaves the old instant or the new
                    ByteBuffer line = ByteBuffer.wrap(String.format("%-" + WIDTH + "s", after)
                            .getBytes(StandardCharsets.UTF_8));
                    while (line.hasRemaining()) {
                        ch.write(line, line.position());
                    }
                    ch.force(false);
                }
                return after;
            } catch (IOException e) {
                throw new UncheckedIOException("the clock file " + file + " could not be read or written", e);
            }
        }
    }

    @Override
    public String toString() {
        return "FileClock{" + file + "}";
    }
}
