package io.k0rdent.ops.deploy.aws;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The provisioner's policy is least privilege: EC2 and ELBv2 actions only, each named (no wildcards), reads
 * on {@code *}, and every change conditioned on the {@code k0rdent.io/cluster} tag, so the provisioner can
 * create only tagged resources and change or delete only resources that carry the tag.
 */
public final class IamPolicyCheck {

    public static final String TAG = "k0rdent.io/cluster";
    static final String REQUEST_TAG = "aws:RequestTag/" + TAG;
    static final String RESOURCE_TAG = "ec2:ResourceTag/" + TAG;
    static final String CREATE_ACTION = "ec2:CreateAction";
    /** ELBv2's keys: the global resource-tag key, and its own "tagged while creating" key. */
    static final String ELB_RESOURCE_TAG = "aws:ResourceTag/" + TAG;
    static final String ELB_CREATE_ACTION = "elasticloadbalancing:CreateAction";
    /** The only condition keys that tie a grant to our tag. */
    static final Set<String> TAG_CONDITIONS = Set.of(REQUEST_TAG, RESOURCE_TAG, CREATE_ACTION, ELB_RESOURCE_TAG,
            ELB_CREATE_ACTION);
    /** The services the provisioner calls. */
    static final List<String> SERVICES = List.of("ec2:", "elasticloadbalancing:");
    static final String TAG_KEYS = "aws:TagKeys";
    /**
     * The other resources of one RunInstances call: the AMI and key pair it only refers to, and the root
     * volume and network interface it creates with the instance. They carry no tag of ours, so they are
     * the one unconditioned grant. It cannot be used alone: IAM authorizes every resource of the call, and
     * the instance (tagged), its subnet and security groups (owned) are conditioned elsewhere.
     */
    static final List<String> LAUNCH_SIDE_RESOURCES = List.of("arn:aws:ec2:*::image/*", "arn:aws:ec2:*:*:key-pair/*",
            "arn:aws:ec2:*:*:network-interface/*", "arn:aws:ec2:*:*:volume/*");

    private IamPolicyCheck() {
    }

    /** A read-only action: EC2 names them Describe*, Get* or List*. */
    public static boolean readOnly(String action) {
        String name = action.substring(action.indexOf(':') + 1);
        return name.startsWith("Describe") || name.startsWith("Get") || name.startsWith("List");
    }

    /** The unconditioned RunInstances grant on the launch's side resources, and nothing else. */
    public static boolean launchSideOnly(IamStatement statement) {
        return statement.actions().equals(List.of("ec2:RunInstances"))
                && LAUNCH_SIDE_RESOURCES.containsAll(statement.resources());
    }

    /** Tagging on create only, or retagging owned resources without adding, moving or dropping the owner tag. */
    private static boolean tagsSafely(IamStatement statement) {
        Set<String> keys = statement.conditionKeys();
        return keys.contains(CREATE_ACTION) || keys.contains(ELB_CREATE_ACTION)
                || (keys.contains(RESOURCE_TAG) || keys.contains(ELB_RESOURCE_TAG)) && keys.contains(TAG_KEYS);
    }

    public static List<String> problems(IamPolicy policy) {
        List<String> problems = new ArrayList<>();
        if (!"2012-10-17".equals(policy.version())) {
            problems.add("Version is " + policy.version() + ", not 2012-10-17 (policy variables and some conditions need it)");
        }
        Set<String> sids = new HashSet<>();
        Set<String> conditionedMutations = new HashSet<>();
        Set<String> mutations = new HashSet<>();
        for (IamStatement statement : policy.statements()) {
            String sid = statement.sid() == null ? "(no Sid)" : statement.sid();
            if (statement.sid() == null || !sids.add(statement.sid())) {
                problems.add(sid + ": every statement needs its own Sid, which the README explains");
            }
            if (!"Allow".equals(statement.effect())) {
                problems.add(sid + ": Effect is " + statement.effect() + "; this policy only allows");
            }
            if (statement.negated()) {
                problems.add(sid + ": NotAction/NotResource grant everything else; name what is allowed");
            }
            for (String action : statement.actions()) {
                if (SERVICES.stream().noneMatch(action::startsWith)) {
                    problems.add(sid + ": " + action + " is not an EC2 or ELBv2 action");
                }
                if (action.contains("*") || action.contains("?")) {
                    problems.add(sid + ": " + action + " is a wildcard; name each action");
                }
                if (!readOnly(action)) {
                    mutations.add(action);
                    if (statement.conditionKeys().stream().anyMatch(TAG_CONDITIONS::contains)) {
                        conditionedMutations.add(action);
                    } else if (!launchSideOnly(statement)) {
                        problems.add(sid + ": " + action + " is not conditioned on the " + TAG + " tag");
                    }
                }
            }
            if ((statement.actions().contains("ec2:CreateTags")
                    || statement.actions().contains("elasticloadbalancing:AddTags")) && !tagsSafely(statement)) {
                problems.add(sid + ": ec2:CreateTags must be limited to resources being created (ec2:CreateAction) or "
                        + "owned without touching the " + TAG + " tag (" + RESOURCE_TAG + " and " + TAG_KEYS
                        + "); otherwise the provisioner could tag, and so take over, any resource");
            }
            if (statement.resources().contains("*") && statement.actions().stream().anyMatch(a -> !readOnly(a))) {
                problems.add(sid + ": a change is allowed on Resource \"*\"");
            }
        }
        mutations.stream().filter(a -> !conditionedMutations.contains(a)).sorted().forEach(action ->
                problems.add(action + " has no statement conditioned on the " + TAG + " tag"));
        return problems;
    }
}
