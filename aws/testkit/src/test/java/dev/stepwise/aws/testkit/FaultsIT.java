package dev.stepwise.aws.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.SsmException;

@ExtendWith(MotoExtension.class)
class FaultsIT {

    @Test
    void sendCommand_whenThrottledTwice_isRetriedBySdkAndCountedThreeTimes(FillInProxy proxy) {
        try (SsmClient ssm = AwsClients.ssm(proxy.endpoint())) {
            proxy.scenario().managedInstance("i-0000000000000000a", "Windows");
            FaultRule throttle = proxy.faults().throttle("SendCommand").times(2);

            String commandId = ssm.sendCommand(r -> r.documentName("AWS-RunPowerShellScript")
                    .instanceIds("i-0000000000000000a")).command().commandId();

            assertThat(commandId).isNotEmpty();
            assertThat(throttle.injected()).isEqualTo(2);
            assertThat(proxy.counts().count("SendCommand")).isEqualTo(3);
            assertThat(proxy.counts().sentCommands()).singleElement()
                    .satisfies(c -> assertThat(c.commandId()).isEqualTo(commandId));
        }
    }

    @Test
    void describeInstances_whenRequestLimitExceededOnce_isRetriedAndSucceeds(FillInProxy proxy) {
        try (Ec2Client ec2 = AwsClients.ec2(proxy.endpoint())) {
            proxy.faults().throttle("DescribeInstances").once();

            assertThat(ec2.describeInstances().reservations()).isEmpty();
            assertThat(proxy.counts().count("DescribeInstances")).isEqualTo(2);
        }
    }

    @Test
    void describeInstanceInformation_whenServerErrorAlways_failsAfterSdkAttemptsWith500(FillInProxy proxy) {
        try (SsmClient ssm = AwsClients.ssm(proxy.endpoint())) {
            proxy.faults().serverError("DescribeInstanceInformation").always();

            assertThatThrownBy(ssm::describeInstanceInformation)
                    .isInstanceOfSatisfying(SsmException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
            assertThat(proxy.counts().count("DescribeInstanceInformation")).isEqualTo(3);
        }
    }

    @Test
    void getParameter_whenServiceUnavailableOnceAndConnectionDroppedOnce_isRetriedToMotosAnswer(FillInProxy proxy) {
        try (SsmClient ssm = AwsClients.ssm(proxy.endpoint())) {
            ssm.putParameter(r -> r.name("/app/db").value("s3cret").type(ParameterType.STRING));
            proxy.faults().serviceUnavailable("GetParameter").once();
            proxy.faults().dropConnection("GetParameter").once();

            assertThat(ssm.getParameter(r -> r.name("/app/db")).parameter().value()).isEqualTo("s3cret");
            assertThat(proxy.counts().count("GetParameter")).isEqualTo(3);
            assertThat(proxy.faults().rules()).extracting(FaultRule::injected).containsExactly(1L, 1L);
        }
    }

    @Test
    void describeInstances_whenLatencyAdded_takesAtLeastThatLong(FillInProxy proxy) {
        try (Ec2Client ec2 = AwsClients.ec2(proxy.endpoint())) {
            proxy.faults().latency("DescribeInstances", Duration.ofMillis(300)).once();

            long start = System.nanoTime();
            ec2.describeInstances();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(proxy.counts().count("DescribeInstances")).isEqualTo(1);
        }
    }

    @Test
    void anyOperation_whenFaultRemoved_stopsFiring(FillInProxy proxy) {
        try (Ec2Client ec2 = AwsClients.ec2(proxy.endpoint())) {
            FaultRule rule = proxy.faults().serverError(Faults.ANY_OPERATION).always();
            rule.remove();

            ec2.describeInstances();

            assertThat(rule.injected()).isZero();
        }
    }
}
