package dev.stepwise.core.notify;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A notifier that records what it was given and, when told to, fails. */
final class Recorder implements Notifier {
    final List<Notice> notices = new CopyOnWriteArrayList<>();
    private final String name;
    private final boolean fails;

    private Recorder(String name, boolean fails) {
        this.name = name;
        this.fails = fails;
    }

    static Recorder working(String name) {
        return new Recorder(name, false);
    }

    static Recorder failing(String name) {
        return new Recorder(name, true);
    }

    @Override
    public void send(Notice notice) {
        if (fails) {
            throw new NotifyException(name + " is down");
        }
        notices.add(notice);
    }

    @Override
    public String destination() {
        return name;
    }

    /** Every subject and body, for looking for what must not be there. */
    String allText() {
        StringBuilder b = new StringBuilder();
        notices.forEach(n -> b.append(n.subject()).append('\n').append(n.body()).append('\n').append(n.source()));
        return b.toString();
    }
}
