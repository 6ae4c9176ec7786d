package id.cariberita.node;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node in this JVM, started from the server's jars on Maven Central, with its
 * plugins (HTTP transport, common analysis, reindex) loaded from the classpath rather than a
 * distribution's plugins folder. Settings come as {@code key=value} arguments; a cluster is
 * several of these JVMs. It is the developers' and the tests' cluster: users run any
 * OpenSearch 2.x cluster.
 */
public final class BeritaNode extends Node {

    private static final List<Class<? extends Plugin>> PLUGINS =
        List.of(Netty4Plugin.class, CommonAnalysisPlugin.class, ReindexPlugin.class);

    private BeritaNode(Environment environment) {
        super(environment, PLUGINS, true);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> given = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            given.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        Settings.Builder builder = Settings.builder();
        given.forEach(builder::put);
        Settings settings = builder.build();
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Collections.emptyMap(),
            Path.of(given.get("path.home"), "config"), () -> given.getOrDefault("node.name", "berita"));
        Node node = new BeritaNode(environment);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception error) {
                error.printStackTrace();
            }
            stopped.countDown();
        }));
        node.start();
        System.out.println("started " + given.get("node.name"));
        stopped.await();
    }
}
