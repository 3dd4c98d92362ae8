package io.k0rdent.ops.tracing;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One service's Micronaut application, started in a class loader of its own, built from the classpath its module
 * wrote at {@code prepare-package} ({@code target/classes} plus {@code target/runtime.classpath}). Two services on one
 * classpath would see each other's beans; here each sees only its own. The one thing shared with the test is the
 * OpenTelemetry API ({@code io.opentelemetry.*}), so {@code GlobalOpenTelemetry}, which each service's telemetry
 * factory asks for, is the test's SDK with its in-memory exporter.
 */
final class IsolatedService implements AutoCloseable {

    private final String module;
    private final URLClassLoader loader;
    private final AutoCloseable context;
    private final Object embeddedServer;

    private IsolatedService(String module, URLClassLoader loader, AutoCloseable context, Object embeddedServer) {
        this.module = module;
        this.loader = loader;
        this.context = context;
        this.embeddedServer = embeddedServer;
    }

    /**
     * Starts {@code module}'s application context with {@code properties}; with {@code httpServer}, its embedded HTTP
     * server too.
     */
    static IsolatedService start(Path repositoryRoot, String module, Map<String, Object> properties,
                                 boolean httpServer) throws Exception {
        URLClassLoader loader = new SharingOpenTelemetry(module, urls(repositoryRoot.resolve(module).resolve("target")),
                IsolatedService.class.getClassLoader());
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Kafka clients and Micronaut's service loading look classes up through the context class loader, and the
        // threads the service starts inherit it.
        thread.setContextClassLoader(loader);
        try {
            Class<?> applicationContext = loader.loadClass("io.micronaut.context.ApplicationContext");
            if (httpServer) {
                Class<?> serverType = loader.loadClass("io.micronaut.runtime.server.EmbeddedServer");
                Method run = applicationContext.getMethod("run", Class.class, Map.class, String[].class);
                Object server = run.invoke(null, serverType, properties, new String[0]);
                AutoCloseable context = (AutoCloseable) serverType.getMethod("getApplicationContext").invoke(server);
                return new IsolatedService(module, loader, context, server);
            }
            Method run = applicationContext.getMethod("run", Map.class, String[].class);
            AutoCloseable context = (AutoCloseable) run.invoke(null, properties, new String[0]);
            return new IsolatedService(module, loader, context, null);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The port of the embedded HTTP server. */
    int port() throws Exception {
        return (int) embeddedServer.getClass().getMethod("getPort").invoke(embeddedServer);
    }

    /** The module whose isolated class loader is {@code loader}, or {@code null} for any other loader. */
    static String moduleOf(ClassLoader loader) {
        return loader instanceof SharingOpenTelemetry sharing ? sharing.getName() : null;
    }

    private static URL[] urls(Path target) throws IOException {
        Path classpathFile = target.resolve("runtime.classpath");
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException(classpathFile + " is missing; build the service first (its prepare-package"
                    + " phase writes it)");
        }
        List<URL> urls = new ArrayList<>();
        urls.add(target.resolve("classes").toUri().toURL());
        for (String entry : Files.readString(classpathFile, StandardCharsets.UTF_8).strip().split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }

    @Override
    public void close() throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            context.close();
        } finally {
            thread.setContextClassLoader(previous);
            // The loader stays open: threads the service leaves behind (Netty's event loops finish asynchronously)
            // may still load classes, and the test JVM ends soon anyway.
        }
    }

    @Override
    public String toString() {
        return module;
    }

    /**
     * Its own classes for everything but OpenTelemetry's, which come from the test's loader: the
     * platform loader is the parent, so no class of the test's classpath leaks in by accident.
     */
    private static final class SharingOpenTelemetry extends URLClassLoader {

        private final ClassLoader test;

        SharingOpenTelemetry(String name, URL[] urls, ClassLoader test) {
            super(name, urls, ClassLoader.getPlatformClassLoader());
            this.test = test;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.opentelemetry.")) {
                return test.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
