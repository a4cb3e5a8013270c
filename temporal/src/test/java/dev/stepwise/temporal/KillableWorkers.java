package dev.stepwise.temporal;

import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testserver.TestServer;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's in-process test server (time skipping, no Docker, no external service), bound to a loopback port so
 * each worker can have a connection of its own: killing a worker closes its connection, as a crashed process would,
 * so its outstanding polls end with it instead of swallowing tasks meant for the next worker.
 */
final class KillableWorkers implements AutoCloseable {
    final TestServer.PortBoundTestServer server;
    final TestWorkflowEnvironment env;
    private final String target;
    private final List<WorkflowServiceStubs> stubs = new ArrayList<>();

    KillableWorkers() {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server = TestServer.createPortBoundServer(port, true);
        target = "localhost:" + port;
        env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseExternalService(true)
                .setTarget(target).setUseTimeskipping(true).build());
    }

    /** A worker factory on a connection of its own. */
    Process worker() {
        WorkflowServiceStubs s = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(target).build());
        stubs.add(s);
        return new Process(s, WorkerFactory.newInstance(WorkflowClient.newInstance(s)));
    }

    /** A worker's process: its connection and its factory. */
    record Process(WorkflowServiceStubs stubs, WorkerFactory factory) {
        WorkflowClient client() {
            return factory.getWorkflowClient();
        }

        /** Stops at once, connection included, as a crash would. */
        void kill() {
            stubs.shutdownNow();
            factory.shutdownNow();
            factory.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        env.close();
        stubs.forEach(WorkflowServiceStubs::shutdownNow);
        server.close();
    }
}
