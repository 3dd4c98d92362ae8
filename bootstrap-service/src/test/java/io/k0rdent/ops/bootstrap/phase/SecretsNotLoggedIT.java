package io.k0rdent.ops.bootstrap.phase;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.k0rdent.ops.bootstrap.kube.ManagementCluster;
import io.k0rdent.ops.bootstrap.support.BootstrapSandbox;
import io.k0rdent.ops.contracts.event.BootstrapEvent;
import io.k0rdent.ops.contracts.event.ClusterReady;
import io.k0rdent.ops.contracts.serde.EventJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The private key, join tokens and the kubeconfig appear in no log line (at DEBUG) and no event. */
class SecretsNotLoggedIT {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private BootstrapSandbox sandbox;

    @BeforeEach
    void start() {
        appender.start();
        root.addAppender(appender);
        sandbox = new BootstrapSandbox();
    }

    @AfterEach
    void stop() {
        root.detachAppender(appender);
        sandbox.close();
    }

    @Test
    void secretsStayOutOfLogsAndEvents() throws Exception {
        BootstrapSandbox.Cluster cluster = sandbox.cluster("quiet", 3, 2);

        BootstrapEvent result = sandbox.bootstrapper().bootstrap(BootstrapSandbox.provisioned(cluster, BootstrapSandbox.VERSION, 1));
        assertThat(result).isInstanceOf(ClusterReady.class);

        List<String> secrets = new ArrayList<>(sandbox.hosts().issuedTokens());
        assertThat(secrets).hasSize(3); // two controller tokens, one worker token
        String kubeconfig = new String(Base64.getDecoder().decode(sandbox.management().secrets().inNamespace(BootstrapSandbox.NAMESPACE)
                .withName("quiet-kubeconfig").get().getData().get(ManagementCluster.DATA_KEY)), StandardCharsets.UTF_8);
        String token = kubeconfig.lines().filter(l -> l.strip().startsWith("token:")).findFirst().orElseThrow()
                .strip().substring("token:".length()).strip();
        secrets.add(token);
        Files.readAllLines(sandbox.keyFile()).stream().filter(l -> !l.startsWith("-----") && l.length() > 20).forEach(secrets::add);

        String logs = String.join("\n", appender.list.stream().map(e -> e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()))).toList());
        String event = EventJson.newMapper().writeValueAsString(result);
        assertThat(logs).contains("quiet: Ready");
        for (String secret : secrets) {
            assertThat(logs).doesNotContain(secret);
            assertThat(event).doesNotContain(secret);
        }
    }
}
