package dev.stepwise.examples.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of every Stepwise library module — core, aws, aviatrix and their testkits — never shows a type from
 * an {@code internal} package: no public or protected constructor, method or field of a public type in a public
 * package names one, so users compile only against supported types and the internals can change freely; and no
 * class of a public package refers to an internal class at all, so the dependency runs one way.
 */
class ApiBoundaryTest {
    private static final String[] LIBRARY_PACKAGES = {"dev/stepwise/core/", "dev/stepwise/aws/", "dev/stepwise/aviatrix/",
        "dev/stepwise/report/", "dev/stepwise/micrometer/"};

    @Test
    void publicApi_neverExposesAnInternalType() throws Exception {
        List<String> classes = libraryClasses();
        assertThat(classes).as("library classes found on the class path").hasSizeGreaterThan(100);
        List<String> leaks = new ArrayList<>();
        for (String name : classes) {
            if (name.contains(".internal.")) {
                continue;
            }
            Class<?> c = Class.forName(name, false, getClass().getClassLoader());
            if (!isVisible(c)) {
                continue;
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                check(c, k, leaks);
            }
            for (Method m : c.getDeclaredMethods()) {
                if (!m.isSynthetic() && !m.isBridge()) {
                    check(c, m, leaks);
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (isApi(f.getModifiers(), c) && leaks(f.getGenericType())) {
                    leaks.add(c.getName() + "." + f.getName() + ": " + f.getGenericType().getTypeName());
                }
            }
            Type sup = c.getGenericSuperclass();
            if (sup != null && leaks(sup)) {
                leaks.add(c.getName() + " extends " + sup.getTypeName());
            }
            for (Type i : c.getGenericInterfaces()) {
                if (leaks(i)) {
                    leaks.add(c.getName() + " implements " + i.getTypeName());
                }
            }
        }
        assertThat(leaks).as("public API members that name an internal type").isEmpty();
    }

    /**
     * No class of a public package refers to an internal one at all — not in a signature, not in a method body,
     * not by a fully qualified name: its compiled class names no {@code dev/stepwise/.../internal/} class. Public
     * code reaches the engine only through {@link java.util.ServiceLoader} ({@code RunnerProvider}).
     */
    @Test
    void publicPackages_neverReferToAnInternalClass() throws Exception {
        List<String> classes = libraryClasses();
        List<String> refs = new ArrayList<>();
        for (String name : classes) {
            if (!name.contains(".internal.")) {
                internalReferences(name).forEach(r -> refs.add(name + " -> " + r));
            }
        }
        assertThat(refs).as("references from public packages to internal classes").isEmpty();
    }

    /** The byte-level detector itself: the engine's provider, an internal class, names internal classes. */
    @Test
    void internalReferences_seesAReferenceInACompiledClass() throws Exception {
        assertThat(internalReferences("dev.stepwise.core.internal.DefaultRunnerProvider"))
                .contains("dev/stepwise/core/internal/DefaultRunner");
        assertThat(internalReferences("dev.stepwise.core.run.RunResult")).isEmpty();
    }

    private static final java.util.regex.Pattern INTERNAL_REF =
            java.util.regex.Pattern.compile("dev/stepwise/[a-z/]*?internal/[A-Za-z0-9_$]+");

    /** The internal class names in {@code className}'s constant pool (class files keep names as plain text). */
    private static java.util.Set<String> internalReferences(String className) throws IOException {
        try (java.io.InputStream in = ApiBoundaryTest.class.getClassLoader()
                .getResourceAsStream(className.replace('.', '/') + ".class")) {
            assertThat(in).as("class file of " + className).isNotNull();
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            java.util.Set<String> out = new java.util.TreeSet<>();
            java.util.regex.Matcher m = INTERNAL_REF.matcher(text);
            while (m.find()) {
                out.add(m.group());
            }
            return out;
        }
    }

    /** The detector itself: it must see an internal type directly, in a type argument and in an array. */
    @Test
    void leaks_findsAnInternalTypeWhereverItIsNamed() throws Exception {
        Class<?> internal = Class.forName("dev.stepwise.core.internal.Json");
        assertThat(leaks(internal)).isTrue();
        assertThat(leaks(java.lang.reflect.Array.newInstance(internal, 0).getClass())).isTrue();
        assertThat(leaks(Holder.class.getDeclaredField("list").getGenericType())).isTrue();
        assertThat(leaks(String.class)).isFalse();
    }

    /** Names an internal type in a type argument, for the detector's own test. */
    private static final class Holder {
        @SuppressWarnings("unused")
        private List<dev.stepwise.core.internal.Json> list;
    }

    private static boolean isVisible(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return !c.isAnonymousClass() && !c.isLocalClass();
    }

    private static boolean isApi(int modifiers, Class<?> owner) {
        return Modifier.isPublic(modifiers) || (Modifier.isProtected(modifiers) && !Modifier.isFinal(owner.getModifiers()));
    }

    private static void check(Class<?> c, Executable e, List<String> leaks) {
        if (!isApi(e.getModifiers(), c)) {
            return;
        }
        List<Type> types = new ArrayList<>(List.of(e.getGenericParameterTypes()));
        types.addAll(List.of(e.getGenericExceptionTypes()));
        if (e instanceof Method m) {
            types.add(m.getGenericReturnType());
        }
        for (Type t : types) {
            if (leaks(t)) {
                leaks.add(c.getName() + "." + e.getName() + ": " + t.getTypeName());
            }
        }
    }

    private static boolean leaks(Type t) {
        return leaks(t, new java.util.HashSet<>());
    }

    /** Whether {@code t} names an internal type; {@code seen} stops at recursive bounds such as {@code S extends X<S>}. */
    private static boolean leaks(Type t, java.util.Set<Type> seen) {
        if (!seen.add(t)) {
            return false;
        }
        if (t instanceof Class<?> k) {
            return k.isArray() ? leaks(k.getComponentType(), seen) : k.getName().contains(".internal.")
                    && k.getName().startsWith("dev.stepwise.");
        }
        if (t instanceof ParameterizedType p) {
            return leaks(p.getRawType(), seen) || Stream.of(p.getActualTypeArguments()).anyMatch(a -> leaks(a, seen));
        }
        if (t instanceof GenericArrayType g) {
            return leaks(g.getGenericComponentType(), seen);
        }
        if (t instanceof WildcardType w) {
            return Stream.of(w.getUpperBounds()).anyMatch(b -> leaks(b, seen))
                    || Stream.of(w.getLowerBounds()).anyMatch(b -> leaks(b, seen));
        }
        if (t instanceof TypeVariable<?> v) {
            return Stream.of(v.getBounds()).anyMatch(b -> leaks(b, seen));
        }
        return false;
    }

    /** Every class of the library modules on this test's class path, as directories or jars. */
    private static List<String> libraryClasses() throws IOException {
        List<String> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(f -> f.toString().endsWith(".class")).forEach(f -> add(p.relativize(f).toString()
                            .replace(File.separatorChar, '/'), out));
                }
            } else if (entry.endsWith(".jar") && entry.contains("stepwise")) {
                try (JarFile jar = new JarFile(entry)) {
                    Enumeration<JarEntry> e = jar.entries();
                    while (e.hasMoreElements()) {
                        add(e.nextElement().getName(), out);
                    }
                }
            }
        }
        return out;
    }

    private static void add(String path, List<String> out) {
        if (!path.endsWith(".class") || path.endsWith("module-info.class") || path.endsWith("package-info.class")) {
            return;
        }
        for (String pkg : LIBRARY_PACKAGES) {
            if (path.startsWith(pkg)) {
                out.add(path.substring(0, path.length() - ".class".length()).replace('/', '.'));
                return;
            }
        }
    }
}
