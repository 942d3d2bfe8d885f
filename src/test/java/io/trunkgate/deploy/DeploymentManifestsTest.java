package io.trunkgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.trunkgate.config.Settings;
import io.trunkgate.peers.Peers;
import io.trunkgate.routing.RoutingConfig;
import org.junit.jupiter.api.Test;

/**
 * The deployment files of issue #18 item 4, checked offline: the Kubernetes manifests against the Kubernetes object
 * model (fabric8's kubernetes-model: every field known, every type right, nothing unknown tolerated), then against
 * trunkgate itself (probes on the management port, the drain within the grace period, every configuration key
 * a key trunkgate has, trunks.yaml and regions.yaml as trunkgate loads them); the systemd unit by
 * {@code systemd-analyze verify} and the same drain rules.
 */
class DeploymentManifestsTest {

    private static final Path MANIFEST = Path.of("deploy/kubernetes/trunkgate.yaml");
    private static final Path UNIT = Path.of("deploy/systemd/trunkgate.service");
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/ConfigMap", ConfigMap.class, "v1/Service", Service.class, "apps/v1/StatefulSet", StatefulSet.class);
    /** Issue #14's management port (trunkgate.management.port), where the probes go. */
    private static final int MANAGEMENT_PORT = Integer.parseInt(
            Settings.defaults().getProperty("trunkgate.management.port", "9876"));

    @Test
    void kubernetes_manifests_are_valid_objects_with_probes_drain_and_config_trunkgate_knows() throws Exception {
        Map<String, HasMetadata> objects = parse(Files.readString(MANIFEST));
        ConfigMap config = (ConfigMap) objects.get("ConfigMap/trunkgate-config");
        StatefulSet set = (StatefulSet) objects.get("StatefulSet/trunkgate");
        assertNotNull(config, objects.keySet().toString());
        assertNotNull(set, objects.keySet().toString());
        assertNotNull(objects.get("Service/" + set.getSpec().getServiceName()), "the StatefulSet's headless Service");
        assertEquals(set.getSpec().getSelector().getMatchLabels(), set.getSpec().getTemplate().getMetadata().getLabels());

        // the configuration: keys trunkgate has; trunks.yaml and regions.yaml as trunkgate loads them at start-up
        Properties defaults = Settings.defaults();
        Properties props = new Properties();
        props.load(new StringReader(config.getData().get("application.properties")));
        for (String key : props.stringPropertyNames()) {
            assertTrue(defaults.containsKey(key), "ConfigMap application.properties: " + key + " is no trunkgate key");
        }
        Path dir = Files.createTempDirectory("trunkgate-k8s-config");
        for (Map.Entry<String, String> file : config.getData().entrySet()) {
            Files.writeString(dir.resolve(file.getKey()), file.getValue());
        }
        assertEquals(1, RoutingConfig.load(dir).trunks().size(), "the ConfigMap's trunks.yaml loads");

        PodSpec pod = set.getSpec().getTemplate().getSpec();
        assertEquals(Boolean.TRUE, pod.getHostNetwork(), "SIP and media ports on the node's network");
        assertEquals("ClusterFirstWithHostNet", pod.getDnsPolicy());
        Container c = pod.getContainers().get(0);
        Map<String, String> env = new HashMap<>();
        for (EnvVar e : c.getEnv()) {
            env.put(e.getName(), e.getValue());
            if (e.getName().startsWith("TRUNKGATE_")) {
                assertTrue(defaults.stringPropertyNames().stream().anyMatch(k -> Settings.envName(k).equals(e.getName())),
                        e.getName() + " names no trunkgate key");
            }
        }
        // each instance its own name in its certificate and Record-Route (CERT-7): both from the pod's name
        assertTrue(env.get("TRUNKGATE_TLS_ADVERTISED_NAMES").contains("$(POD_NAME)"), env.toString());
        assertTrue(env.get("TRUNKGATE_TLS_CERTIFICATE").contains("$(POD_NAME)"), env.toString());
        assertTrue(env.get("TRUNKGATE_TLS_PRIVATE_KEY").contains("$(POD_NAME)"), env.toString());

        // the files the env names are where the volumes are mounted: config from the ConfigMap, keys from the Secret
        Map<String, Volume> volumes = new HashMap<>();
        pod.getVolumes().forEach(v -> volumes.put(v.getName(), v));
        Map<String, String> mounts = new HashMap<>();
        for (VolumeMount m : c.getVolumeMounts()) {
            assertNotNull(volumes.get(m.getName()), "volume " + m.getName());
            mounts.put(m.getName(), m.getMountPath());
        }
        assertEquals("trunkgate-config", volumes.get("config").getConfigMap().getName());
        assertEquals(mounts.get("config"), env.get("TRUNKGATE_CONFIG_DIR"));
        assertNotNull(volumes.get("tls").getSecret().getSecretName(), "certificate and key from a Secret");
        assertTrue(env.get("TRUNKGATE_TLS_CERTIFICATE").startsWith(mounts.get("tls") + "/"));
        assertTrue(env.get("TRUNKGATE_TLS_PRIVATE_KEY").startsWith(mounts.get("tls") + "/"));

        // ports: the TLS listener and the inside listener as configured, the management port
        int trunkPort = Integer.parseInt(props.getProperty("trunkgate.trunk.port", defaults.getProperty("trunkgate.trunk.port")));
        int insidePort = Integer.parseInt(props.getProperty("trunkgate.inside.port", defaults.getProperty("trunkgate.inside.port")));
        List<String> ports = c.getPorts().stream().map(p -> p.getContainerPort() + "/" + p.getProtocol()).toList();
        assertTrue(ports.containsAll(List.of(trunkPort + "/TCP", insidePort + "/UDP", insidePort + "/TCP",
                MANAGEMENT_PORT + "/TCP")), ports.toString());

        // probes on the management port (issue #14): live, ready
        for (Probe p : List.of(c.getLivenessProbe(), c.getStartupProbe())) {
            assertEquals(MANAGEMENT_PORT, (int) p.getHttpGet().getPort().getIntVal());
            assertEquals("/observe/health/live", p.getHttpGet().getPath());
        }
        assertEquals(MANAGEMENT_PORT, (int) c.getReadinessProbe().getHttpGet().getPort().getIntVal());
        assertEquals("/observe/health/ready", c.getReadinessProbe().getHttpGet().getPath());

        // the drain: preStop sends SIGTERM to the gateway (PID 1, exec form) and waits until it exited; the grace
        // period outlasts trunkgate.drain.timeout
        assertEquals("java", c.getCommand().get(0), "exec form: java is PID 1");
        assertEquals("run", c.getCommand().get(c.getCommand().size() - 1));
        String preStop = String.join(" ", c.getLifecycle().getPreStop().getExec().getCommand());
        assertTrue(preStop.contains("kill -TERM 1") && preStop.contains("while kill -0 1"), preStop);
        Duration drain = Settings.duration("trunkgate.drain.timeout",
                props.getProperty("trunkgate.drain.timeout", defaults.getProperty("trunkgate.drain.timeout")));
        assertTrue(pod.getTerminationGracePeriodSeconds() > drain.toSeconds(), "grace period "
                + pod.getTerminationGracePeriodSeconds() + " s must outlast the drain of " + drain.toSeconds() + " s");
    }

    @Test
    void systemd_unit_verifies_and_drains_on_stop() throws Exception {
        Map<String, String> service = new HashMap<>();
        String section = "";
        for (String line : Files.readAllLines(UNIT)) {
            String t = line.trim();
            if (t.startsWith("[")) {
                section = t;
            } else if (section.equals("[Service]") && t.contains("=") && !t.startsWith("#")) {
                service.put(t.substring(0, t.indexOf('=')), t.substring(t.indexOf('=') + 1));
            }
        }
        assertEquals("SIGTERM", service.get("KillSignal"), "stop drains (docs/trunk-liveness.md)");
        assertEquals("mixed", service.get("KillMode"), "SIGTERM to the JVM alone, SIGKILL only after the timeout");
        Duration drain = Settings.duration("trunkgate.drain.timeout", Settings.defaults().getProperty("trunkgate.drain.timeout"));
        assertTrue(Integer.parseInt(service.get("TimeoutStopSec")) > drain.toSeconds(),
                "TimeoutStopSec " + service.get("TimeoutStopSec") + " must outlast the drain of " + drain.toSeconds() + " s");
        assertTrue(service.get("ExecStart").endsWith("-jar /opt/trunkgate/trunkgate.jar run"), service.get("ExecStart"));
        Matcher env = Pattern.compile("TRUNKGATE_[A-Z_]+").matcher(service.get("Environment"));
        while (env.find()) {
            String name = env.group();
            assertTrue(Settings.defaults().stringPropertyNames().stream().anyMatch(k -> Settings.envName(k).equals(name)),
                    name + " names no trunkgate key");
        }

        String analyze = Peers.require("systemd-analyze");
        Path unit = UNIT.toAbsolutePath();
        if (!Files.isExecutable(Path.of("/usr/bin/java"))) {
            // the unit names Debian's java; verify checks that ExecStart exists, so point a copy at this JVM's
            Path copy = Files.createTempDirectory("trunkgate-unit").resolve("trunkgate.service");
            Files.writeString(copy, Files.readString(UNIT).replace("/usr/bin/java",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            unit = copy;
        }
        Process p = new ProcessBuilder(analyze, "verify", unit.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "systemd-analyze verify did not finish");
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), output);
        // unknown keys and bad values are warnings with exit 0: none may name our unit
        assertFalse(output.contains("trunkgate.service"), output);
    }

    /** Every document of the file as its Kubernetes object, by "Kind/name"; fails on anything the model lacks. */
    static Map<String, HasMetadata> parse(String yaml) throws Exception {
        ObjectMapper mapper = JsonMapper.builder(new YAMLFactory()).enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        Map<String, HasMetadata> out = new HashMap<>();
        for (JsonNode doc : mapper.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
            if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
                continue;
            }
            String type = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
            Class<? extends HasMetadata> cls = KINDS.get(type);
            assertNotNull(cls, "a kind this test knows: " + type);
            HasMetadata object = mapper.treeToValue(doc, cls);
            List<String> unknown = new ArrayList<>();
            strict(object, type, unknown);
            assertTrue(unknown.isEmpty(), "fields the Kubernetes API does not have: " + unknown);
            assertNotNull(object.getMetadata().getName(), type + " without metadata.name");
            out.put(object.getKind() + "/" + object.getMetadata().getName(), object);
        }
        return out;
    }

    /** fabric8's model keeps unknown fields in additionalProperties instead of failing: collect every one. */
    private static void strict(Object o, String path, List<String> unknown) throws Exception {
        if (o instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                strict(e.getValue(), path + "." + e.getKey(), unknown);
            }
            return;
        }
        if (o instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                strict(list.get(i), path + "[" + i + "]", unknown);
            }
            return;
        }
        if (o == null || !o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = m.invoke(o);
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
            } else {
                strict(value, path + "." + m.getName().substring(3), unknown);
            }
        }
    }

    @Test
    void a_misspelt_field_is_refused() throws Exception {
        String bad = Files.readString(MANIFEST).replace("terminationGracePeriodSeconds:", "terminationGracePeriodSecond:");
        AssertionError e = assertThrows(AssertionError.class, () -> parse(bad));
        assertTrue(e.getMessage().contains("terminationGracePeriodSecond"), e.getMessage());
        String wrongType = Files.readString(MANIFEST).replace("replicas: 2", "replicas: two");
        assertThrows(Exception.class, () -> parse(wrongType));
    }
}
