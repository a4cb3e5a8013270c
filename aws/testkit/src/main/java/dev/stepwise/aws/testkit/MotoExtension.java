package dev.stepwise.aws.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that provides the shared {@link MotoServer} and a {@link FillInProxy} in front of it,
 * both reset before each test.
 *
 * <p>Test methods, constructors and lifecycle methods may declare {@code MotoServer} or {@code FillInProxy}
 * parameters. Before each test, Moto's state is reset ({@code POST /moto-api/reset}) and the proxy's
 * scenario, faults and counts are cleared. One proxy serves a test class (registered statically or with
 * {@code @ExtendWith}) and is closed after it; registered on an instance field, one proxy per test.
 * When no Moto can be found the tests fail with {@link MotoUnavailableException}; they are never skipped.
 * Because the server is shared and reset, tests using this extension must not run concurrently.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * @ExtendWith(MotoExtension.class)
 * class PatchingIT {
 *     @Test
 *     void install_whenPatchesMissing_installsThem(FillInProxy proxy) {
 *         proxy.scenario().managedInstance("i-0123456789abcdef0", "Windows");
 *         // build SDK clients with endpointOverride(proxy.endpoint()) ...
 *     }
 * }
 *
 * // or, to reach the objects from fields:
 * @RegisterExtension static final MotoExtension MOTO = MotoExtension.create();
 * ... MOTO.proxy().scenario() ...
 * }</pre>
 */
public final class MotoExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MotoExtension.class);

    private FillInProxy proxy;

    /** For {@code @ExtendWith}; prefer {@link #create()} in code. */
    public MotoExtension() {
    }

    /** @return a new extension, for {@code @RegisterExtension} */
    public static MotoExtension create() {
        return new MotoExtension();
    }

    /** @return the shared Moto server */
    public MotoServer server() {
        return MotoServer.shared();
    }

    /**
     * @return the proxy of the running test class
     * @throws IllegalStateException before the extension has run for a test
     */
    public synchronized FillInProxy proxy() {
        if (proxy == null) {
            throw new IllegalStateException("the fill-in proxy starts with the first test; use it inside a test"
                    + " or a @BeforeEach method");
        }
        return proxy;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ensureProxy(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        FillInProxy p = ensureProxy(context);
        MotoServer.shared().reset();
        p.reset();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == MotoServer.class || type == FillInProxy.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == MotoServer.class) {
            return MotoServer.shared();
        }
        if (type == FillInProxy.class) {
            return ensureProxy(context);
        }
        throw new ParameterResolutionException("MotoExtension cannot resolve " + type.getName());
    }

    private synchronized FillInProxy ensureProxy(ExtensionContext context) {
        if (proxy == null) {
            FillInProxy started = FillInProxy.start(MotoServer.shared());
            proxy = started;
            context.getStore(NAMESPACE).put(FillInProxy.class, (AutoCloseable) () -> release(started));
        }
        return proxy;
    }

    private synchronized void release(FillInProxy started) {
        started.close();
        if (proxy == started) {
            proxy = null;
        }
    }
}
