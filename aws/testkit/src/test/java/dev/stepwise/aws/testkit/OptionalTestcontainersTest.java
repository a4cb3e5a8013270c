package dev.stepwise.aws.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** Regression guard: Testcontainers is an optional dependency, so its absence must cost only the Docker path. */
class OptionalTestcontainersTest {

    @Test
    void dockerAvailable_whenTestcontainersMissingFromClasspath_isFalseWithoutLinkageError() throws Exception {
        URL testkit = MotoDiscovery.class.getProtectionDomain().getCodeSource().getLocation();
        URL slf4j = Logger.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader userClasspath = new URLClassLoader(new URL[] {testkit, slf4j},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> discovery = Class.forName(MotoDiscovery.class.getName(), true, userClasspath);
            Object defaults = discovery.getMethod("defaults").invoke(null);
            Class<?> support = Class.forName("dev.stepwise.aws.testkit.DockerSupport", true, userClasspath);

            java.lang.reflect.Method present = support.getDeclaredMethod("testcontainersPresent");
            present.setAccessible(true); // DockerSupport is package-private; this loader is another runtime package
            assertThat(present.invoke(null)).isEqualTo(false);
            assertThat(discovery.getMethod("dockerAvailable").invoke(defaults)).isEqualTo(false);
        }
        assertThat(Class.forName("org.testcontainers.DockerClientFactory"))
                .as("this module's own test classpath does have Testcontainers").isNotNull();
    }
}
