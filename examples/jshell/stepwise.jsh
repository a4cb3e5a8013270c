// Stepwise in JShell. Start it from the repository's root after `mvn -B -q -DskipTests package`:
//   jshell --class-path "$(cat examples/target/classpath.txt)" --startup DEFAULT --startup examples/jshell/stepwise.jsh
// Chains end lines with a trailing dot, since JShell runs a line as soon as it is a complete expression.
System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
import java.net.URI;
import java.nio.file.*;
import java.time.*;
import java.util.*;
import dev.stepwise.core.*;
import dev.stepwise.core.plan.*;
import dev.stepwise.core.retry.*;
import dev.stepwise.core.poll.*;
import dev.stepwise.core.run.*;
import dev.stepwise.core.rollout.*;
import dev.stepwise.core.journal.*;
import dev.stepwise.aws.*;
import dev.stepwise.aws.ec2.*;
import dev.stepwise.aws.ssm.*;
import dev.stepwise.aws.drivers.*;
import dev.stepwise.aws.testkit.*;
import dev.stepwise.aviatrix.*;
import dev.stepwise.aviatrix.testkit.*;
import dev.stepwise.report.*;
import dev.stepwise.micrometer.*;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
