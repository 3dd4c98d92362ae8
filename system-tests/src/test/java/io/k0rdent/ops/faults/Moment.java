package io.k0rdent.ops.faults;

import io.k0rdent.ops.k0ops.up.Service;

/**
 * When a service dies. {@link #RANDOM} is a kill -9 from outside at a random time; the others are the dangerous
 * moments, reached inside the service through its crash-point hook ({@code k0rdent.fault-injection.crash-point}),
 * which halts the JVM exactly there.
 */
enum Moment {
    RANDOM(null, null),
    /** Provisioner: every replica killed from outside right after a network-creation step's EC2 call. */
    AFTER_NETWORK_STEP(Service.PROVISIONER, null),
    /** Provisioner: RunInstances returned, the event reporting it not produced yet. */
    AFTER_LAUNCH(Service.PROVISIONER, "after-launch"),
    /** Gitwatcher: a commit's events and watermark sent, the Kafka transaction not committed. */
    BEFORE_TRANSACTION_COMMIT(Service.GITWATCHER, "before-commit"),
    /** Notifier: a message sent and recorded in the ledger, its offsets not committed. */
    AFTER_SEND_RECORDED(Service.NOTIFIER, "after-recorded"),
    /** Notifier: offsets about to be committed. */
    BEFORE_OFFSET_COMMIT(Service.NOTIFIER, "before-offset-commit");

    private final Service service;
    private final String crashPoint;

    Moment(Service service, String crashPoint) {
        this.service = service;
        this.crashPoint = crashPoint;
    }

    Service service() {
        return service;
    }

    String crashPoint() {
        return crashPoint;
    }

    static Moment ofCrashPoint(String point) {
        for (Moment moment : values()) {
            if (point.equals(moment.crashPoint)) {
                return moment;
            }
        }
        throw new IllegalArgumentException(point);
    }
}
