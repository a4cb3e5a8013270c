package dev.stepwise.core.internal;

import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.RunnerProvider;

/** Registered in {@code META-INF/services}: how {@link Runner#create()} reaches {@link DefaultRunner}. */
public final class DefaultRunnerProvider implements RunnerProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public DefaultRunnerProvider() {
    }

    @Override
    public Runner create() {
        return DefaultRunner.create();
    }
}
