package io.k0rdent.ops.notifier;

import io.micronaut.runtime.Micronaut;

/** Entry point of the notifier service. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
