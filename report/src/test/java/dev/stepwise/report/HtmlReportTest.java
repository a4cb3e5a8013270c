package dev.stepwise.report;

import static dev.stepwise.report.Samples.SCRIPT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.plan.Effect;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.rollout.RolloutResult;
import dev.stepwise.core.rollout.TargetResult;
import dev.stepwise.core.rollout.WaveResult;
import dev.stepwise.core.run.Failure;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.StepResult;
import dev.stepwise.core.run.StepStatus;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class HtmlReportTest {

    @Test
    void toHtml_whenLiveRun_isWellFormedXmlWithDiagramTimelineAndTable() throws Exception {
        Document doc = parse(HtmlReport.of(Samples.plan(), Samples.liveRun("db-2")).toHtml());

        assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("html");
        assertThat(text(doc, "/html/head/title")).contains("patch-host").contains("SUCCEEDED");
        assertThat(count(doc, "//svg[@class='plan']")).isEqualTo(1);
        assertThat(count(doc, "//svg[@class='timeline']")).isEqualTo(1);
        assertThat(count(doc, "//table[@class='steps']/tbody/tr")).isEqualTo(Samples.liveRun("db-2").steps().size());
    }

    @Test
    void toHtml_whenLiveRun_listsEveryRowWithStatusAttemptsAndFailure() throws Exception {
        RunResult run = Samples.liveRun("db-2");
        Document doc = parse(HtmlReport.of(Samples.plan(), run).toHtml());

        for (StepResult s : run.steps()) {
            assertThat(text(doc, "//table[@class='steps']//span[@class='name'][.=\"" + s.name().replace("\"", "") + "\"]"))
                    .as("row %s", s.name()).isEqualTo(s.name());
        }
        String installRow = text(doc, "//table[@class='steps']/tbody/tr[td/span[@class='name']='install']");
        assertThat(installRow).contains("FAILED").contains("IllegalStateException: install failed: " + SCRIPT);
        assertThat(text(doc, "//table[@class='steps']/tbody/tr[td/span[@class='name']='backup']"))
                .contains("SUCCEEDED").contains("40.0 s");
    }

    @Test
    void toHtml_whenTextHoldsMarkup_escapesEveryPiece() throws Exception {
        String html = HtmlReport.of(Samples.plan(), Samples.liveRun("db-2")).toHtml();

        assertThat(html.toLowerCase(Locale.ROOT)).doesNotContain("<script").doesNotContain("<b onmouseover")
                .doesNotContain("<i>done");
        assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        // the text survives, as text: in the output, the failure and the plan description
        assertThat(text(parse(html), "//body")).contains("output with markup " + SCRIPT + " & ampersand");
    }

    @Test
    void toHtml_whenStepNameFromJsonHoldsMarkup_escapesIt() throws Exception {
        // a result read back with fromJson is not checked against the plan's naming rules
        RunResult forged = RunResult.builder().plan("patch-host").fingerprint("f").runId("run-1")
                .status(RunStatus.FAILED).reason("<img src=x onerror=alert(1)>").start(Instant.EPOCH)
                .end(Instant.EPOCH.plusSeconds(3)).inputs(Map.of("k", "<svg onload=alert(1)>"))
                .failure(Failure.of("java.lang.IllegalStateException", "</td></tr></table><script>x()</script>"))
                .steps(List.of(StepResult.builder().name(SCRIPT).kind(StepResult.Kind.STEP).effect(Effect.MUTATING)
                        .status(StepStatus.FAILED).attempts(1).start(Instant.EPOCH).end(Instant.EPOCH.plusSeconds(3))
                        .output("\u0000\u0007 control characters").build()))
                .build();

        String html = HtmlReport.of(Samples.plan(), forged).toHtml();

        assertThat(html.toLowerCase(Locale.ROOT)).doesNotContain("<script").doesNotContain("<img").doesNotContain("<svg onload");
        Document doc = parse(html);
        assertThat(text(doc, "//table[@class='steps']//span[@class='name']")).isEqualTo(SCRIPT);
    }

    @Test
    void toHtml_loadsNothingFromOutside() {
        String html = HtmlReport.of(Samples.plan(), Samples.liveRun("db-2")).and(Samples.plan(), Samples.rollout(false))
                .toHtml().toLowerCase(Locale.ROOT);

        assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain("src=")
                .doesNotContain("href=").doesNotContain("url(").doesNotContain("@import").doesNotContain("<link")
                .doesNotContain("<img").doesNotContain("<iframe").doesNotContain("<object");
        assertThat(html).contains("content-security-policy").contains("default-src 'none'");
    }

    @Test
    void toHtml_whenDryRun_showsPredictionsAndConditions() {
        String html = HtmlReport.of(Samples.plan(), Samples.dryRun("db-2")).toHtml();

        assertThat(html).contains("DRY RUN").contains("<b>ec2:CreateImage</b>")
                .contains("InstanceId=db-2").contains("install 3 patches").contains("only if the scan still finds them")
                .contains("st-PREDICTED");
    }

    @Test
    void toHtml_neverShowsSecretInputValues() {
        String html = HtmlReport.of(Samples.plan(), Samples.liveRun("db-1")).toHtml();

        assertThat(html).doesNotContain("s3cr3t-token").contains("****");
    }

    @Test
    void toHtml_drawsMutatingAndReadOnlyStepsDifferentlyAndBranchesAsDiamonds() throws Exception {
        Plan plan = Samples.plan();
        Document doc = parse(HtmlReport.of(plan, Samples.liveRun("db-1")).toHtml());

        long mutating = plan.steps().stream().filter(s -> s.effect() == Effect.MUTATING).count();
        assertThat(count(doc, "//svg[@class='plan']//g[@class='step mut']/rect")).isEqualTo(mutating);
        assertThat(count(doc, "//svg[@class='plan']//g[@class='step ro']/rect")).isEqualTo(plan.steps().size() - mutating);
        assertThat(count(doc, "//svg[@class='plan']//g[@class='branch']/polygon")).isEqualTo(1);
        assertThat(count(doc, "//svg[@class='plan']//g[@class='check']/polygon")).isEqualTo(1);
        assertThat(count(doc, "//svg[@class='plan']//g[@class='end']/rect")).isEqualTo(1);
        // db-1 is missing nothing: the run took the "no" arm, so the end ran and the backup was skipped
        assertThat(text(doc, "//svg[@class='plan']//g[@class='step mut'][title='backup']")).contains("SKIPPED");
        assertThat(text(doc, "//svg[@class='plan']//g[@class='end']")).contains("SUCCEEDED");
    }

    @Test
    void toHtml_whenLiveRun_drawsATimelineBarForEveryRowThatRan() throws Exception {
        RunResult run = Samples.liveRun("db-2");
        Document doc = parse(HtmlReport.of(Samples.plan(), run).toHtml());

        long ran = run.steps().stream().filter(s -> s.start() != null && s.end() != null).count();
        assertThat(count(doc, "//svg[@class='timeline']//rect[contains(@class,'bar')]")).isEqualTo(ran).isPositive();
        assertThat(count(doc, "//svg[@class='timeline']//text[contains(@class,'label')]")).isEqualTo(run.steps().size());
    }

    @Test
    void toHtml_whenRollout_containsEveryWaveTargetAndCheckpoint() throws Exception {
        RolloutResult rolled = Samples.rollout(false);
        Document doc = parse(HtmlReport.of(Samples.plan(), rolled).toHtml());

        for (WaveResult w : rolled.waves()) {
            assertThat(text(doc, "//table[@class='waves']")).contains(w.name());
            for (TargetResult t : w.targets()) {
                assertThat(text(doc, "//table[@class='targets']/tbody/tr/td[@class='name'][starts-with(.,'" + t.target() + "')]/.."))
                        .as("target %s", t.target()).contains(t.status().name().replace('_', ' '));
                assertThat(text(doc, "//svg[@class='timeline']")).contains(t.target());
            }
        }
        assertThat(rolled.targets()).hasSize(5);
        assertThat(text(doc, "//ul[@class='checkpoints']")).contains("soak").contains("approval");
        // every target that ran has its own step table, folded away
        assertThat(count(doc, "//tr[@class='detail']//table[@class='steps']")).isEqualTo(5);
        // db-9's precondition fails, within production's error budget of one
        assertThat(text(doc, "//table[@class='targets']/tbody/tr[td[@class='name']='db-9']")).contains("FAILED");
    }

    @Test
    void toHtml_whenRollout_countsStatusesPerStepOnTheDiagram() throws Exception {
        Document doc = parse(HtmlReport.of(Samples.plan(), Samples.rollout(false)).toHtml());

        // five targets described their host; db-2 failed its install
        assertThat(text(doc, "//svg[@class='plan']//g[title='describe host — read the host&apos;s facts' or starts-with(title,'describe host')]"))
                .contains("5 succeeded");
        assertThat(text(doc, "//svg[@class='plan']//g[starts-with(title,'install')]")).contains("1 failed");
    }

    @Test
    void of_whenRolloutWithoutPlan_drawsTheDiagramFromTheRows() throws Exception {
        Document doc = parse(HtmlReport.of(Samples.rollout(true)).toHtml());

        assertThat(text(doc, "//body")).contains("Drawn from a target's rows");
        assertThat(count(doc, "//svg[@class='plan']//g[@class='step mut']")).isEqualTo(2);
        assertThat(count(doc, "//svg[@class='plan']//g[@class='branch']")).isEqualTo(1);
    }

    @Test
    void and_addsSectionsInOrderAndTitledSetsTheHeading() throws Exception {
        HtmlReport report = HtmlReport.of(Samples.plan(), Samples.dryRun("db-1")).and(Samples.plan(), Samples.liveRun("db-1"))
                .titled("Tuesday <maintenance>");
        Document doc = parse(report.toHtml());

        assertThat(count(doc, "//section")).isEqualTo(2);
        assertThat(text(doc, "/html/head/title")).isEqualTo("Tuesday <maintenance>");
        assertThat(text(doc, "(//section)[1]/h2")).contains("DRY RUN");
        assertThat(text(doc, "(//section)[2]/h2")).doesNotContain("DRY RUN");
        assertThat(report.toString()).startsWith("HtmlReport{Tuesday <maintenance>: run ");
    }

    @Test
    void toHtml_whenDefaultLocaleUsesDecimalCommas_svgNumbersStillUseDots() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            String html = HtmlReport.of(Samples.plan(), Samples.liveRun("db-2")).toHtml();
            Matcher coordinates = Pattern.compile(" (x|y|x1|y1|x2|y2|width|height|rx)=\"([^\"]*)\"").matcher(html);
            int seen = 0;
            while (coordinates.find()) {
                assertThat(coordinates.group(2)).as(coordinates.group()).matches("-?\\d+(\\.\\d+)?");
                seen++;
            }
            Matcher points = Pattern.compile(" points=\"([^\"]*)\"").matcher(html);
            while (points.find()) {
                assertThat(points.group(1).split(" ")).allMatch(p -> p.matches("-?\\d+(\\.\\d)?,-?\\d+(\\.\\d)?"), points.group());
                seen++;
            }
            assertThat(seen).isGreaterThan(50);
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void writeTo_createsParentDirectoriesAndWritesThePage(@TempDir Path dir) throws Exception {
        HtmlReport report = HtmlReport.of(Samples.plan(), Samples.liveRun("db-1"));
        Path file = report.writeTo(dir.resolve("a/b/report.html"));

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(report.toHtml());
    }

    @Test
    void of_whenNullArguments_throwsNamingThem() {
        assertThatThrownBy(() -> HtmlReport.of(null, Samples.liveRun("db-1"))).isInstanceOf(NullPointerException.class)
                .hasMessage("plan");
        assertThatThrownBy(() -> HtmlReport.of(Samples.plan(), (RunResult) null)).isInstanceOf(NullPointerException.class)
                .hasMessage("result");
    }

    static Document parse(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    static String text(Document doc, String xpath) throws Exception {
        NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        assertThat(out).as("nodes matching %s", xpath).isNotEmpty();
        return String.join("\n", out);
    }

    static long count(Document doc, String xpath) throws Exception {
        return ((NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET)).getLength();
    }
}
