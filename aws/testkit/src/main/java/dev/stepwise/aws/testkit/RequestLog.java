package dev.stepwise.aws.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What the proxy received: requests per operation and each SendCommand. Thread-safe. */
final class RequestLog {

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final List<SentCommand> commands = new ArrayList<>();

    public void record(String operation) {
        counts.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
    }

    public long count(String operation) {
        AtomicLong n = counts.get(operation);
        return n == null ? 0 : n.get();
    }

    public long total() {
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    public synchronized void recordCommand(SentCommand command) {
        commands.add(command);
    }

    public synchronized List<SentCommand> commands() {
        return List.copyOf(commands);
    }

    public synchronized void clear() {
        counts.clear();
        commands.clear();
    }
}
