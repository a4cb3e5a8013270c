package dev.stepwise.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every {@code ```jshell} block of README.md, as printed, in a JShell started the way README says
 * (the default imports plus examples/jshell/stepwise.jsh), so the snippets cannot rot.
 */
class ReadmeSnippetsIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern FENCE = Pattern.compile("```jshell\\n(.*?)```", Pattern.DOTALL);

    @TestFactory
    Stream<DynamicTest> readme_jshellBlocks_runAsPrinted() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher m = FENCE.matcher(readme);
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertThat(blocks).as("README has jshell blocks").isNotEmpty();
        String startup = Files.readString(ROOT.resolve("examples/jshell/stepwise.jsh"));
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            String block = blocks.get(i);
            String firstLine = block.lines().findFirst().orElse("");
            tests.add(DynamicTest.dynamicTest("block " + (i + 1) + ": " + firstLine, () -> run(startup, block)));
        }
        return tests.stream();
    }

    private static void run(String startup, String block) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JShell shell = JShell.builder().executionEngine("local")
                .out(new PrintStream(out, true, StandardCharsets.UTF_8))
                .err(new PrintStream(out, true, StandardCharsets.UTF_8)).build()) {
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            for (String entry : cp.split(File.pathSeparator)) {
                shell.addToClasspath(entry);
            }
            eval(shell, "import java.time.*;\nimport java.util.*;\nimport java.util.function.*;\n", out);
            eval(shell, startup, out);
            eval(shell, block, out);
        }
    }

    /**
     * Feeds source line by line, as JShell's prompt does: a snippet runs as soon as the lines so far complete
     * it (which is why README chains end lines with a dot). Fails on any rejected snippet or exception.
     */
    private static void eval(JShell shell, String source, ByteArrayOutputStream out) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        StringBuilder pending = new StringBuilder();
        for (String line : source.split("\n", -1)) {
            pending.append(line).append('\n');
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(pending.toString());
            while (info.completeness().isComplete()) {
                run(shell, info.source(), out);
                pending = new StringBuilder(info.remaining());
                info = analysis.analyzeCompletion(pending.toString());
            }
            if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                pending = new StringBuilder();
            }
        }
        if (!pending.toString().isBlank()) {
            fail("README snippet never completes: " + pending);
        }
    }

    private static void run(JShell shell, String snippet, ByteArrayOutputStream out) {
        for (SnippetEvent e : shell.eval(snippet)) {
            if (e.status() == Snippet.Status.REJECTED) {
                String why = shell.diagnostics(e.snippet())
                        .map(d -> d.getMessage(java.util.Locale.ROOT)).reduce((a, b) -> a + "; " + b).orElse("");
                fail("README snippet rejected: " + snippet.strip() + "\n  " + why + "\n  output so far: " + out);
            }
            if (e.exception() != null) {
                fail("README snippet threw " + e.exception() + ": " + snippet.strip() + "\n  output so far: " + out);
            }
        }
    }
}
