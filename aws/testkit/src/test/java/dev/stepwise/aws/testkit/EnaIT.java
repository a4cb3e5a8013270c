package dev.stepwise.aws.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.GroupIdentifier;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;

@ExtendWith(MotoExtension.class)
class EnaIT {

    private static Instance describe(Ec2Client ec2, String id) {
        return ec2.describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0);
    }

    @Test
    void modifyInstanceAttribute_whenStoppedAndEnaEnabled_reportsEnaAndKeepsSecurityGroups(FillInProxy proxy) {
        try (Ec2Client ec2 = AwsClients.ec2(proxy.endpoint())) {
            String group = ec2.createSecurityGroup(r -> r.groupName("rdp").description("rdp")).groupId();
            String id = ec2.runInstances(r -> r.imageId(AwsClients.WINDOWS_AMI).minCount(1).maxCount(1)
                    .securityGroupIds(group)).instances().get(0).instanceId();
            ec2.stopInstances(r -> r.instanceIds(id));
            List<GroupIdentifier> groupsBefore = describe(ec2, id).securityGroups();

            ec2.modifyInstanceAttribute(r -> r.instanceId(id).enaSupport(v -> v.value(true)));

            assertThat(ec2.describeInstanceAttribute(r -> r.instanceId(id).attribute(InstanceAttributeName.ENA_SUPPORT))
                    .enaSupport().value()).isTrue();
            Instance after = describe(ec2, id);
            assertThat(after.enaSupport()).isTrue();
            assertThat(groupsBefore).extracting(GroupIdentifier::groupId).containsExactly(group);
            assertThat(after.securityGroups()).isEqualTo(groupsBefore);
            assertThat(proxy.scenario().enaSupport(id)).contains(true);
        }
    }

    @Test
    void modifyInstanceAttribute_whenInstanceRunning_throwsIncorrectInstanceState(FillInProxy proxy) {
        try (Ec2Client ec2 = AwsClients.ec2(proxy.endpoint())) {
            String id = AwsClients.runInstance(ec2, AwsClients.WINDOWS_AMI);

            assertThatThrownBy(() -> ec2.modifyInstanceAttribute(r -> r.instanceId(id).enaSupport(v -> v.value(true))))
                    .isInstanceOfSatisfying(Ec2Exception.class, e ->
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("IncorrectInstanceState"));
        }
    }

    @Test
    void describeInstanceAttribute_whenInstanceUnknownToMoto_relaysMotosNotFound(FillInProxy proxy) {
        try (Ec2Client ec2 = AwsClients.ec2(proxy.endpoint())) {
            assertThatThrownBy(() -> ec2.describeInstanceAttribute(r -> r.instanceId("i-0123456789abcdef0")
                    .attribute(InstanceAttributeName.ENA_SUPPORT)))
                    .isInstanceOfSatisfying(Ec2Exception.class, e ->
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidInstanceID.NotFound"));
        }
    }

    @Test
    void describeInstanceAttribute_whenScenarioSetsEna_reportsIt(FillInProxy proxy) {
        try (Ec2Client ec2 = AwsClients.ec2(proxy.endpoint())) {
            String id = AwsClients.runInstance(ec2, AwsClients.WINDOWS_AMI);
            proxy.scenario().enaSupport(id, false);

            assertThat(ec2.describeInstanceAttribute(r -> r.instanceId(id).attribute(InstanceAttributeName.ENA_SUPPORT))
                    .enaSupport().value()).isFalse();
            assertThat(describe(ec2, id).enaSupport()).isFalse();
        }
    }
}
