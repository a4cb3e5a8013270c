// Stepwise in JShell. Start it from the repository's root after `mvn -B -q package -DskipTests`:
//   jshell --class-path "$(cat examples/target/classpath.txt)" --startup DEFAULT --startup examples/jshell/stepwise.jsh
// Chains end lines with a trailing dot, since JShell runs a line as soon as it is a complete expression.
System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
import java.time.*;
import java.util.*;
import dev.stepwise.core.*;
import dev.stepwise.core.plan.*;
import dev.stepwise.core.retry.*;
import dev.stepwise.core.run.*;
