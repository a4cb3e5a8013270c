package dev.stepwise.aws.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyHandlerTest {

    private static Wire.Request request(String path, Map<String, List<String>> headers, String body) {
        return new Wire.Request("POST", path, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void identify_whenSsmTarget_returnsOperationAsJson() {
        var op = ProxyHandler.identify(request("/", Map.of("X-amz-target", List.of("AmazonSSM.SendCommand")), "{}"));

        assertThat(op).hasValueSatisfying(o -> {
            assertThat(o.name()).isEqualTo("SendCommand");
            assertThat(o.json()).isTrue();
            assertThat(o.targetPrefix()).isEqualTo("AmazonSSM");
        });
    }

    @Test
    void identify_whenEc2Form_returnsActionAndDecodedFields() {
        var op = ProxyHandler.identify(request("/",
                Map.of("Content-type", List.of("application/x-www-form-urlencoded; charset=utf-8")),
                "Action=ModifyInstanceAttribute&Version=2016-11-15&InstanceId=i-0123456789abcdef0&EnaSupport.Value=true"));

        assertThat(op).hasValueSatisfying(o -> {
            assertThat(o.name()).isEqualTo("ModifyInstanceAttribute");
            assertThat(o.json()).isFalse();
            assertThat(o.form()).containsEntry("EnaSupport.Value", "true");
        });
    }

    @Test
    void identify_whenActionInQuery_findsIt() {
        var op = ProxyHandler.identify(request("/?Action=DescribeRegions&Version=2016-11-15", Map.of(), ""));

        assertThat(op).hasValueSatisfying(o -> assertThat(o.name()).isEqualTo("DescribeRegions"));
    }

    @Test
    void identify_whenNeitherTargetNorAction_returnsEmpty() {
        assertThat(ProxyHandler.identify(request("/bucket/key", Map.of(), "data"))).isEmpty();
    }
}
