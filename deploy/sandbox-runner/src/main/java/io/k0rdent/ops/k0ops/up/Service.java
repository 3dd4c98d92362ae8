package io.k0rdent.ops.k0ops.up;

/** The four services of k0rdent-ops, in the order events flow through them. */
public enum Service {
    GITWATCHER("gitwatcher"),
    PROVISIONER("provisioner"),
    BOOTSTRAP("bootstrap"),
    NOTIFIER("notifier");

    private final String shortName;

    Service(String shortName) {
        this.shortName = shortName;
    }

    /** e.g. {@code gitwatcher}; also the log file's name. */
    public String shortName() {
        return shortName;
    }

    public String module() {
        return shortName + "-service";
    }

    public String mainClass() {
        return "io.k0rdent.ops." + shortName + ".Application";
    }
}
