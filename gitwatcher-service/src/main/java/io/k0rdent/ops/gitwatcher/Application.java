package io.k0rdent.ops.gitwatcher;

import io.micronaut.runtime.Micronaut;

/** Entry point of the gitwatcher service. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
