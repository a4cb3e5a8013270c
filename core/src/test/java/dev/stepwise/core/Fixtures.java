package dev.stepwise.core;

import dev.stepwise.core.plan.Key;
import dev.stepwise.core.run.RunEvent;
import dev.stepwise.core.run.RunListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keys and helpers shared by the core tests. */
final class Fixtures {
    static final Key<String> INSTANCE_ID = Key.of("InstanceId", String.class);
    static final Key<Integer> MISSING = Key.of("missing", Integer.class);
    static final Key<String> IMAGE = Key.of("backupImageId", String.class);
    static final Key<String> PASSWORD = Key.secret("Password", String.class);

    private Fixtures() {
    }

    /** Records every event, in order. */
    static final class Recorder implements RunListener {
        final List<RunEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(RunEvent event) {
            events.add(event);
        }

        List<String> names() {
            return events.stream().map(e -> e.getClass().getSimpleName()).toList();
        }
    }
}
