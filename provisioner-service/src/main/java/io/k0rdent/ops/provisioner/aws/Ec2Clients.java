package io.k0rdent.ops.provisioner.aws;

import io.k0rdent.ops.provisioner.ProvisionerProperties;
import io.k0rdent.ops.support.telemetry.EventTelemetry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * One {@link Ec2Client} per region, built from configuration: endpoint override (an EC2-compatible endpoint such as
 * the sandbox emulator), static credentials or the SDK's default provider chain, the SDK retry mode, and a
 * client-side {@link ActionRateLimiter} per region (EC2's request buckets are per account and region).
 */
@Singleton
public class Ec2Clients {

    private final ProvisionerProperties properties;
    private final EventTelemetry telemetry;
    private final Map<String, Ec2Client> clients = new ConcurrentHashMap<>();
    private final Map<String, ElasticLoadBalancingV2Client> loadBalancing = new ConcurrentHashMap<>();

    public Ec2Clients(ProvisionerProperties properties, EventTelemetry telemetry) {
        this.properties = properties;
        this.telemetry = telemetry;
    }

    /** The client for {@code region}, created on first use. */
    public Ec2Client forRegion(String region) {
        return clients.computeIfAbsent(region, this::build);
    }

    /**
     * The ELBv2 client for {@code region}: the same credentials, retry strategy, tracing and metrics as EC2's, and
     * the same endpoint override (the sandbox twin serves both APIs on one endpoint). EC2's client-side buckets do
     * not apply: ELBv2 throttles on its own.
     */
    public ElasticLoadBalancingV2Client loadBalancingFor(String region) {
        return loadBalancing.computeIfAbsent(region, r -> {
            var builder = ElasticLoadBalancingV2Client.builder()
                    .region(Region.of(r))
                    .credentialsProvider(credentials())
                    .overrideConfiguration(c -> {
                        c.retryStrategy(retryStrategy());
                        c.addExecutionInterceptor(new Ec2TracingInterceptor(telemetry.tracer()));
                        c.addMetricPublisher(new Ec2CallMetrics(telemetry.meters()));
                    });
            if (properties.endpoint() != null) {
                builder.endpointOverride(properties.endpoint());
            }
            return builder.build();
        });
    }

    private Ec2Client build(String region) {
        var builder = Ec2Client.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64))
                .overrideConfiguration(c -> {
                    c.retryStrategy(retryStrategy());
                    c.addExecutionInterceptor(new Ec2TracingInterceptor(telemetry.tracer()));
                    c.addMetricPublisher(new Ec2CallMetrics(telemetry.meters()));
                    if (properties.clientRateLimits()) {
                        c.addExecutionInterceptor(new RateLimitingInterceptor(
                                new ActionRateLimiter(properties.ec2RateShare())));
                    }
                });
        if (properties.endpoint() != null) {
            builder.endpointOverride(properties.endpoint());
        }
        return builder.build();
    }

    private AwsCredentialsProvider credentials() {
        if (properties.accessKeyId() != null && properties.secretAccessKey() != null) {
            return StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(properties.accessKeyId(), properties.secretAccessKey().reveal()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    // The AWS retry strategies already retry RequestLimitExceeded and 5xx and never other 4xx; we only size them.
    private RetryStrategy retryStrategy() {
        BackoffStrategy backoff = BackoffStrategy.exponentialDelay(properties.retryBaseDelay(),
                properties.retryMaxBackoff());
        if ("standard".equalsIgnoreCase(properties.retryMode())) {
            // The client-side buckets already keep the request rate under EC2's; the retry quota ("circuit
            // breaker") would only turn a throttled burst into failures that a later attempt would have survived.
            return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                    .maxAttempts(properties.maxAttempts())
                    .backoffStrategy(backoff)
                    .throttlingBackoffStrategy(backoff)
                    .circuitBreakerEnabled(false)
                    .build();
        }
        return AwsRetryStrategy.adaptiveRetryStrategy().toBuilder()
                .maxAttempts(properties.maxAttempts())
                .backoffStrategy(backoff)
                .throttlingBackoffStrategy(backoff)
                .build();
    }

    @PreDestroy
    public void close() {
        clients.values().forEach(Ec2Client::close);
        clients.clear();
        loadBalancing.values().forEach(ElasticLoadBalancingV2Client::close);
        loadBalancing.clear();
    }
}
