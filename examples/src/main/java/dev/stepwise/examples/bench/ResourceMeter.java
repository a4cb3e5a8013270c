package dev.stepwise.examples.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Measures the whole JVM while a piece of work runs: wall time, process CPU time, and bytes allocated on the
 * heap by every thread, including threads that end before the measurement does (a rollout's worker pool).
 *
 * <p>Allocation is counted from the garbage collector's side, which sees all threads on JDK 17 (per-thread
 * counters lose threads that have ended): bytes allocated = heap used at the end − heap used at the start +
 * bytes every collection in between freed. It is exact up to the last GC notification, which the JVM
 * delivers asynchronously; {@link #stop()} waits briefly for it.
 *
 * <p>Not thread-safe: one measurement at a time.
 */
final class ResourceMeter implements AutoCloseable {
    /** What one measurement saw. */
    record Sample(long wallNanos, long cpuNanos, long allocatedBytes) {
    }

    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final AtomicLong freed = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = (n, h) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            GcInfo gc = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
            freed.addAndGet(used(gc.getMemoryUsageBeforeGc()) - used(gc.getMemoryUsageAfterGc()));
            collections.incrementAndGet();
        }
    };
    private long wallStart;
    private long cpuStart;
    private long heapStart;

    ResourceMeter() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) {
                e.addNotificationListener(listener, null, null);
                emitters.add(e);
            }
        }
    }

    private static long used(Map<String, MemoryUsage> pools) {
        return pools.values().stream().mapToLong(MemoryUsage::getUsed).sum();
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    void start() {
        freed.set(0);
        collections.set(0);
        heapStart = heapUsed();
        cpuStart = os.getProcessCpuTime();
        wallStart = System.nanoTime();
    }

    Sample stop() {
        long wall = System.nanoTime() - wallStart;
        long cpu = os.getProcessCpuTime() - cpuStart;
        long heapEnd = heapUsed();
        long seen = collections.get();
        // GC notifications arrive on a JMX thread shortly after the collection; give the last one a moment.
        long deadline = System.nanoTime() + 200_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (collections.get() == seen) {
                break;
            }
            seen = collections.get();
        }
        return new Sample(wall, cpu, Math.max(0, heapEnd - heapStart + freed.get()));
    }

    @Override
    public void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // Already gone: nothing to undo.
            }
        }
    }
}
