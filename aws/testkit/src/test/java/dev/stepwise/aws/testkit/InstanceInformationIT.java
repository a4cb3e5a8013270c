package dev.stepwise.aws.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.InstanceInformationFilter;
import software.amazon.awssdk.services.ssm.model.InstanceInformationStringFilter;
import software.amazon.awssdk.services.ssm.model.PingStatus;
import software.amazon.awssdk.services.ssm.model.PlatformType;

@ExtendWith(MotoExtension.class)
class InstanceInformationIT {

    @Test
    void describeInstanceInformation_whenScenarioManagesMotoInstances_listsThemWithPingAndPlatform(FillInProxy proxy) {
        try (Ec2Client ec2 = AwsClients.ec2(proxy.endpoint()); SsmClient ssm = AwsClients.ssm(proxy.endpoint())) {
            String windows = AwsClients.runInstance(ec2, AwsClients.WINDOWS_AMI);
            String linux = AwsClients.runInstance(ec2, AwsClients.LINUX_AMI);
            proxy.scenario().managedInstance(windows, "Windows")
                    .managedInstance(ManagedInstance.linux(linux)
                            .withPingStatus(ManagedInstance.PingStatus.CONNECTION_LOST)
                            .withAgentVersion("3.2.0.0", false));

            List<InstanceInformation> info = ssm.describeInstanceInformation().instanceInformationList();

            assertThat(info).extracting(InstanceInformation::instanceId).containsExactly(windows, linux);
            assertThat(info.get(0).pingStatus()).isEqualTo(PingStatus.ONLINE);
            assertThat(info.get(0).platformType()).isEqualTo(PlatformType.WINDOWS);
            assertThat(info.get(0).resourceTypeAsString()).isEqualTo("EC2Instance");
            assertThat(info.get(1).pingStatus()).isEqualTo(PingStatus.CONNECTION_LOST);
            assertThat(info.get(1).agentVersion()).isEqualTo("3.2.0.0");
            assertThat(info.get(1).isLatestVersion()).isFalse();
            // The managed instances are Moto's, and Moto agrees which one runs Windows.
            List<Instance> moto = ec2.describeInstances(r -> r.instanceIds(windows, linux)).reservations().stream()
                    .flatMap(r -> r.instances().stream()).toList();
            assertThat(moto.stream().filter(i -> "windows".equals(i.platformAsString()))
                    .map(Instance::instanceId).collect(Collectors.toList())).containsExactly(windows);
        }
    }

    @Test
    void describeInstanceInformation_whenFiltered_returnsOnlyMatches(FillInProxy proxy) {
        try (SsmClient ssm = AwsClients.ssm(proxy.endpoint())) {
            proxy.scenario().managedInstance("i-0000000000000000a", "Windows")
                    .managedInstance(ManagedInstance.windows("i-0000000000000000b")
                            .withPingStatus(ManagedInstance.PingStatus.INACTIVE))
                    .managedInstance("i-0000000000000000c", "Linux");

            List<InstanceInformation> online = ssm.describeInstanceInformation(r -> r.filters(
                    InstanceInformationStringFilter.builder().key("PingStatus").values("Online").build(),
                    InstanceInformationStringFilter.builder().key("PlatformTypes").values("Windows").build()))
                    .instanceInformationList();
            List<InstanceInformation> byId = ssm.describeInstanceInformation(r -> r.instanceInformationFilterList(
                    InstanceInformationFilter.builder().key("InstanceIds").valueSet("i-0000000000000000c").build())).instanceInformationList();

            assertThat(online).extracting(InstanceInformation::instanceId).containsExactly("i-0000000000000000a");
            assertThat(byId).extracting(InstanceInformation::instanceId).containsExactly("i-0000000000000000c");
        }
    }

    @Test
    void describeInstanceInformation_whenMoreThanMaxResults_paginates(FillInProxy proxy) {
        try (SsmClient ssm = AwsClients.ssm(proxy.endpoint())) {
            for (int i = 0; i < 7; i++) {
                proxy.scenario().managedInstance("i-00000000000000%02d".formatted(i), "Linux");
            }

            var first = ssm.describeInstanceInformation(r -> r.maxResults(5));
            List<String> all = ssm.describeInstanceInformationPaginator(r -> r.maxResults(5)).instanceInformationList()
                    .stream().map(InstanceInformation::instanceId).toList();

            assertThat(first.instanceInformationList()).hasSize(5);
            assertThat(first.nextToken()).isNotNull();
            assertThat(all).hasSize(7).doesNotHaveDuplicates();
        }
    }
}
