package io.k0rdent.ops.sandbox.kafka.junit;

import io.k0rdent.ops.sandbox.kafka.KafkaBroker;
import io.k0rdent.ops.sandbox.kafka.KafkaBrokerOptions;
import io.k0rdent.ops.sandbox.kafka.KafkaBrokers;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a {@link KafkaTestContext} into test, lifecycle and constructor parameters; usually applied through
 * {@link KafkaIntegrationTest}.
 *
 * <p>The broker comes from {@link KafkaBrokers#start(KafkaBrokerOptions)} with {@link KafkaBrokerOptions#forTests()}.
 * It is started once per test JVM and kept in the root {@link ExtensionContext.Store}, so every test class in the
 * run shares it; JUnit closes it (it is {@link AutoCloseable}) after the last test. Each test (more exactly: each
 * extension context that asks) gets its own {@link KafkaTestContext}, closed when that context ends.
 */
public final class KafkaBrokerExtension implements ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(KafkaBrokerExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaTestContext.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return testContext(extensionContext);
    }

    /**
     * The {@link KafkaTestContext} of {@code context}, the one its parameters get; for other extensions that set up
     * per-test resources on the broker.
     */
    public static KafkaTestContext testContext(ExtensionContext context) {
        KafkaBroker broker = sharedBroker(context);
        // Keyed by the context's unique id: a plain key would be found in a parent store and shared by mistake.
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(context.getUniqueId(),
                id -> new KafkaTestContext(broker), KafkaTestContext.class);
    }

    /**
     * The broker shared by all tests of this JVM; started on first call. For other extensions that need it.
     *
     * @param context any extension context of the run
     * @return the running broker
     */
    public static KafkaBroker sharedBroker(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(KafkaBroker.class,
                type -> KafkaBrokers.start(KafkaBrokerOptions.forTests()), KafkaBroker.class);
    }
}
