package dev.stepwise.examples.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.aws.testkit.FillInProxy;
import dev.stepwise.aws.testkit.ManagedInstance;
import dev.stepwise.aws.testkit.MotoExtension;
import dev.stepwise.examples.tool.DriverAudit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/** Recipe: testing your own tool with the AWS testkit — the unmodified SDK over real HTTP against Moto. */
@ExtendWith(MotoExtension.class)
class DriverAuditIT {

    @Test
    void onlineWindowsInstances_listsOnlyManagedOnlineWindows(FillInProxy proxy) {
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
        try (Ec2Client ec2 = Ec2Client.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                        .credentialsProvider(creds).build();
                SsmClient ssm = SsmClient.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                        .credentialsProvider(creds).build()) {
            String online = launch(ec2, LocalAws.WINDOWS_AMI);
            String lost = launch(ec2, LocalAws.WINDOWS_AMI);
            String unmanaged = launch(ec2, LocalAws.WINDOWS_AMI);
            String linux = launch(ec2, LocalAws.LINUX_AMI);
            proxy.scenario().managedInstance(online, "Windows").managedInstance(linux, "Linux")
                    .managedInstance(ManagedInstance.windows(lost).withPingStatus(ManagedInstance.PingStatus.CONNECTION_LOST));

            assertThat(new DriverAudit(ec2, ssm).onlineWindowsInstances()).containsExactly(online);
            assertThat(unmanaged).isNotEqualTo(online);
            assertThat(proxy.counts().count("DescribeInstanceInformation")).isEqualTo(1);
        }
    }

    private static String launch(Ec2Client ec2, String ami) {
        return ec2.runInstances(r -> r.imageId(ami).minCount(1).maxCount(1)).instances().get(0).instanceId();
    }
}
