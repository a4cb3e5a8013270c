package dev.stepwise.core.run;

import java.util.Iterator;
import java.util.ServiceLoader;

/** Finds the engine's {@link RunnerProvider} once, on first use. */
final class Engines {
    private Engines() {
    }

    static Runner defaultRunner() {
        return Holder.DEFAULT;
    }

    /** Loaded lazily and once: the JVM initialises this class on the first {@link Runner#create()}. */
    private static final class Holder {
        static final Runner DEFAULT = load();

        private static Runner load() {
            Iterator<RunnerProvider> found = ServiceLoader.load(RunnerProvider.class, RunnerProvider.class.getClassLoader())
                    .iterator();
            if (!found.hasNext()) {
                throw new IllegalStateException("Runner.create() found no Stepwise engine: the class path has no "
                        + "META-INF/services/" + RunnerProvider.class.getName() + " (stepwise-core ships one; a shaded "
                        + "or merged jar must keep service files, e.g. maven-shade-plugin's ServicesResourceTransformer)");
            }
            return found.next().create();
        }
    }
}
