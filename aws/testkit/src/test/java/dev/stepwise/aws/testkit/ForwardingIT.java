package dev.stepwise.aws.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.SsmException;
import software.amazon.awssdk.services.ssm.model.Target;

@ExtendWith(MotoExtension.class)
class ForwardingIT {

    private static List<Instance> instances(Ec2Client ec2) {
        return ec2.describeInstances(r -> r.filters(Filter.builder().name("tag:Env").values("prod").build())).reservations().stream()
                .flatMap(r -> r.instances().stream()).toList();
    }

    @Test
    void describeInstances_throughProxy_answersExactlyAsMoto(FillInProxy proxy, MotoServer moto) {
        try (Ec2Client viaProxy = AwsClients.ec2(proxy.endpoint()); Ec2Client direct = AwsClients.ec2(moto.endpoint())) {
            String id = AwsClients.runInstance(viaProxy, AwsClients.WINDOWS_AMI);
            viaProxy.createTags(r -> r.resources(id).tags(Tag.builder().key("Env").value("prod").build()));

            List<Instance> throughProxy = instances(viaProxy);
            List<Instance> fromMoto = instances(direct);

            assertThat(throughProxy).extracting(Instance::instanceId).containsExactly(id);
            assertThat(throughProxy).isEqualTo(fromMoto);
            assertThat(proxy.counts().asMap()).containsEntry("RunInstances", 1L).containsEntry("CreateTags", 1L)
                    .containsEntry("DescribeInstances", 1L);
        }
    }

    @Test
    void putParameter_throughProxy_isStoredInMoto(FillInProxy proxy, MotoServer moto) {
        try (SsmClient viaProxy = AwsClients.ssm(proxy.endpoint()); SsmClient direct = AwsClients.ssm(moto.endpoint())) {
            viaProxy.putParameter(r -> r.name("/stepwise/wave").value("production").type(ParameterType.STRING));

            assertThat(direct.getParameter(r -> r.name("/stepwise/wave")).parameter().value()).isEqualTo("production");
            assertThat(viaProxy.getParameter(r -> r.name("/stepwise/wave")).parameter())
                    .isEqualTo(direct.getParameter(r -> r.name("/stepwise/wave")).parameter());
            assertThat(proxy.counts().count("PutParameter")).isEqualTo(1);
            assertThat(proxy.counts().total()).isEqualTo(2);
        }
    }

    @Test
    void describeAvailablePatches_whichMotoLacks_isForwardedAndFailsAsMotoDoes(FillInProxy proxy, MotoServer moto) {
        try (SsmClient viaProxy = AwsClients.ssm(proxy.endpoint()); SsmClient direct = AwsClients.ssm(moto.endpoint())) {
            assertThatThrownBy(viaProxy::describeAvailablePatches)
                    .isInstanceOfSatisfying(SsmException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
            assertThatThrownBy(direct::describeAvailablePatches)
                    .isInstanceOfSatisfying(SsmException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
            assertThat(proxy.counts().count("DescribeAvailablePatches")).isEqualTo(3);
        }
    }

    @Test
    void sendCommand_withTagTargets_isForwardedToMotoAndRecorded(FillInProxy proxy) {
        try (Ec2Client ec2 = AwsClients.ec2(proxy.endpoint()); SsmClient ssm = AwsClients.ssm(proxy.endpoint())) {
            String id = AwsClients.runInstance(ec2, AwsClients.WINDOWS_AMI);
            ec2.createTags(r -> r.resources(id).tags(Tag.builder().key("Env").value("prod").build()));

            String commandId = ssm.sendCommand(r -> r.documentName("AWS-RunPowerShellScript")
                    .targets(Target.builder().key("tag:Env").values("prod").build())
                    .parameters(Map.of("commands", List.of("hostname")))).command().commandId();

            // Moto owns the command: its own GetCommandInvocation answers (Success at once).
            assertThat(ssm.getCommandInvocation(r -> r.commandId(commandId).instanceId(id)).statusAsString())
                    .isEqualTo("Success");
            assertThat(proxy.counts().sentCommands()).singleElement()
                    .satisfies(c -> assertThat(c.commandId()).isEmpty());
        }
    }
}
