package io.k0rdent.ops.k0ops.up;

/**
 * One JVM of a service in the sandbox. With one replica it is named as the service ({@code provisioner}, log
 * {@code provisioner.log}), so a sandbox without replicas looks exactly as before; with several, each is numbered
 * from 1 ({@code provisioner-1}, {@code provisioner-2}).
 *
 * @param service the service it runs
 * @param index   1 .. {@code of}
 * @param of      how many replicas of {@code service} the sandbox runs
 */
public record Replica(Service service, int index, int of) {

    public Replica {
        if (of < 1 || index < 1 || index > of) {
            throw new IllegalArgumentException("replica " + index + " of " + of + " of " + service.shortName());
        }
    }

    /** e.g. {@code provisioner-2}; also its log file's name. */
    public String name() {
        return of == 1 ? service.shortName() : service.shortName() + "-" + index;
    }

    @Override
    public String toString() {
        return name();
    }
}
