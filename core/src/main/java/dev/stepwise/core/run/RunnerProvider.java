package dev.stepwise.core.run;

/**
 * Service-provider interface through which {@link Runner#create()} finds Stepwise's engine, so the public API
 * never refers to the engine's classes. {@code stepwise-core} provides the one implementation and registers it in
 * {@code META-INF/services/dev.stepwise.core.run.RunnerProvider}; applications do not implement this.
 *
 * <p>A fat or shaded jar must keep that service file (with maven-shade-plugin: its
 * {@code ServicesResourceTransformer}); without it, {@link Runner#create()} throws an
 * {@link IllegalStateException} that says so.
 */
public interface RunnerProvider {

    /** A live runner on the system clock with no listeners and no journal. */
    Runner create();
}
