package dev.stepwise.core.run;

import java.util.Iterator;
import java.util.ServiceLoader;

/** Finds the engine's {@link RunnerProvider} on first use and keeps its default runner. */
final class Engines {
    /** Set once found; two threads finding it at once find the same immutable runner, so no lock is needed. */
    private static volatile Runner found;

    private Engines() {
    }

    /**
     * The engine's default runner.
     *
     * @throws IllegalStateException on every call while no provider is on the class path, saying what is missing
     */
    static Runner defaultRunner() {
        Runner r = found;
        if (r == null) {
            r = load();
            found = r;
        }
        return r;
    }

    private static Runner load() {
        Iterator<RunnerProvider> providers = ServiceLoader.load(RunnerProvider.class,
                RunnerProvider.class.getClassLoader()).iterator();
        if (!providers.hasNext()) {
            throw new IllegalStateException("Runner.create() found no Stepwise engine: the class path has no "
                    + "META-INF/services/" + RunnerProvider.class.getName() + " (stepwise-core ships one; a shaded "
                    + "or merged jar must keep service files, e.g. maven-shade-plugin's ServicesResourceTransformer)");
        }
        return providers.next().create();
    }
}
