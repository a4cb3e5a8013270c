package dev.stepwise.aws.patch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.Testbed;
import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.aws.testkit.Patch;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Issue #18 item 7: production in its own account. The production context assumes a role in account 222222222222;
 * Moto serves the credentials STS returns for it as that account, so production's instances are invisible to the
 * non-production context and the reverse.
 */
class PatchFidelityAccountsIT {
    @RegisterExtension
    static final MotoExtension MOTO = MotoExtension.create();

    private FillInProxy proxy;
    private AwsContext dev;
    private AwsContext prod;

    @BeforeEach
    void setUp() {
        proxy = MOTO.proxy();
        dev = Testbed.context(proxy);
        prod = Testbed.context(proxy).toBuilder().assumeRole("arn:aws:iam::222222222222:role/patching").build();
    }

    @AfterEach
    void tearDown() {
        prod.close();
        dev.close();
    }

    private String instance(AwsContext aws, String env) {
        String id = aws.ec2().runInstances(r -> r.imageId(Testbed.LINUX_AMI).instanceType(InstanceType.T3_MEDIUM)
                .minCount(1).maxCount(1).tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                        .tags(Tag.builder().key("Env").value(env).build()).build())).instances().get(0).instanceId();
        proxy.scenario().managedInstance(id, "Linux");
        proxy.scenario().patches(id, Patch.missing("openssl.x86_64").withTitle("openssl.x86_64:1:1.0.2k-24.amzn2"));
        return id;
    }

    @Test
    void run_withProductionInASecondAccount_comparesAcrossAndInstallsThere() {
        String d = instance(dev, "dev");
        String p = instance(prod, "prod");
        assertThat(dev.ec2().describeInstances(r -> r.filters(Filter.builder().name("tag:Env").values("prod").build()))
                .reservations()).as("production is not visible from non-production's account").isEmpty();

        PatchRolloutResult r = PatchRollout.builder("two-accounts", dev)
                .nonProduction(PatchTargets.tagged(dev, "Env", "dev"))
                .production(PatchTargets.tagged(prod, "Env", "prod"))
                .productionContext(prod)
                .unpinnedProduction().soak(Duration.ZERO)
                .build().run(Runner.create().withTimeSource(VirtualTimeSource.create()));

        assertThat(r.status()).as(r.toString()).isEqualTo(RolloutStatus.SUCCEEDED);
        assertThat(r.comparison()).hasValueSatisfying(c -> assertThat(c.matches()).isTrue());
        assertThat(r.instance(PatchRollout.PRODUCTION, p).orElseThrow().installed()).extracting(PatchInfo::title)
                .containsExactly("openssl.x86_64:1:1.0.2k-24.amzn2");
        assertThat(prod.ec2().describeImages(i -> i.owners("self")).images()).as("production's backup in its account")
                .hasSize(1);
        assertThat(dev.ec2().describeImages(i -> i.owners("self")).images()).hasSize(1);
        assertThat(r.instances(PatchRollout.NON_PRODUCTION)).extracting(InstanceReport::instanceId).containsExactly(d);
        assertThat(proxy.counts().sentCommands()).filteredOn(c -> c.instanceIds().contains(p))
                .extracting(c -> c.parameters().get("Operation")).containsExactly(List.of("Scan"), List.of("Install"),
                        List.of("Scan"));
    }
}
