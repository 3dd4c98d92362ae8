/**
 * An EC2-compatible endpoint for tests and the sandbox: {@link io.k0rdent.ops.sandbox.ec2.Ec2Emulator} speaks the
 * EC2 Query API over HTTP on loopback, so the real AWS SDK (with {@code endpointOverride}) provisions against it.
 *
 * <p>What it models, because the provisioner relies on it: VPCs (with their main route table and default security
 * group), subnets (CIDR inside the VPC, no overlaps, zones of the region), internet gateways (attach/detach),
 * route tables (routes, associations), security groups (ingress rules, duplicates), tags (TagSpecifications and
 * CreateTags), instances (private addresses from their subnet, public ones on request, ClientToken idempotency with
 * {@code IdempotentParameterMismatch}, pending → running and shutting-down → terminated by call count or time),
 * Describe* filters ({@code tag:…}, {@code tag-key}, {@code vpc-id}, {@code instance-state-name}, ...) with
 * wildcards and {@code MaxResults}/{@code NextToken} pages, DescribeImages and DescribeAvailabilityZones, and
 * EC2's dependency rules ({@code DependencyViolation}).
 *
 * <p>The same endpoint speaks ELBv2's Query API ({@code Version=2015-12-01}) for network load balancers
 * ({@link io.k0rdent.ops.sandbox.ec2.LoadBalancerActions}): TCP target groups of instances, listeners, target health
 * and tags. A load balancer's nodes are network interfaces in its subnets, so EC2's dependency rules see them; its
 * background work (provisioning, health checks, draining, interface release) takes
 * {@link io.k0rdent.ops.sandbox.ec2.LoadBalancerTiming}.
 *
 * <p>What it adds for tests: latency per action, EC2's request token buckets ({@code RequestLimitExceeded}, 503),
 * injected faults ({@link io.k0rdent.ops.sandbox.ec2.FaultRule}: n-th call or a seeded share of calls, optionally
 * after the effect), an {@link io.k0rdent.ops.sandbox.ec2.AuditLog} of every call, and a hook choosing each
 * instance's SSH endpoint ({@link io.k0rdent.ops.sandbox.ec2.SshEndpointHook}).
 *
 * <p>Signatures are not checked; any static credentials work. There is no default VPC, no key pair registry, no
 * egress rule management, no stop/start, and no eventual consistency: an answer always reflects every earlier call.
 */
package io.k0rdent.ops.sandbox.ec2;
