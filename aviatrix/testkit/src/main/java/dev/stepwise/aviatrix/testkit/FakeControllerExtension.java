package dev.stepwise.aviatrix.testkit;

import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that starts a fresh {@link FakeController} before each test and stops it
 * after; test methods can also take the fake as a parameter.
 *
 * <p>Default: a fake with {@link FakeController}'s defaults. Register it on an instance field so
 * every test gets its own fake. Not thread-safe: meant for one test at a time per instance.
 *
 * <pre>{@code
 * class MyToolIT {
 *     @RegisterExtension
 *     final FakeControllerExtension controller = FakeControllerExtension.with(fake -> fake.
 *         version("6.5.2608").
 *         gateway("spoke-1"));
 *
 *     @Test
 *     void upgrade_whenAllowed_reachesNextMinor(FakeController fake) {
 *         // ... point the tool at fake.uri() ...
 *     }
 * }
 * }</pre>
 */
public final class FakeControllerExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private final Consumer<FakeController.Builder> configuration;
    private FakeController fake;

    private FakeControllerExtension(Consumer<FakeController.Builder> configuration) {
        this.configuration = configuration;
    }

    /** @return an extension that starts fakes with every default */
    public static FakeControllerExtension withDefaults() {
        return new FakeControllerExtension(b -> { });
    }

    /**
     * @param configuration settings applied to each fake's builder
     * @return the extension
     */
    public static FakeControllerExtension with(Consumer<FakeController.Builder> configuration) {
        return new FakeControllerExtension(Objects.requireNonNull(configuration, "configuration"));
    }

    /**
     * @return the running fake of the current test
     * @throws IllegalStateException outside a test
     */
    public FakeController get() {
        if (fake == null) {
            throw new IllegalStateException("FakeControllerExtension has no running fake: call get() inside a test");
        }
        return fake;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        FakeController.Builder builder = FakeController.builder();
        configuration.accept(builder);
        fake = builder.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (fake != null) {
            fake.close();
            fake = null;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == FakeController.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return get();
    }
}
