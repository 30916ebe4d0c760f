package io.camelappconnect.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.camelappconnect.support.EmbeddedBroker;

/**
 * One contender as a process of its own between the LNS broker and the cloud broker: our jar, or Mosquitto
 * bridging the same uplinks with nothing but a topic prefix (the floor any forwarder is measured against). Started
 * without a shell, so that its pid is the program itself and /proc's CPU and memory figures are its own.
 */
final class Forwarder {

    enum Kind {
        OURS("ours"), MOSQUITTO("mosquitto");

        final String key;

        Kind(String key) {
            this.key = key;
        }
    }

    /**
     * Mosquitto as a forwarder: one connection takes the uplinks in from the LNS broker under the same topic, the
     * other sends them out to the cloud broker with {@code lora/} replaced by {@code lorawan/<GW>/} (the remapping
     * of mosquitto.conf(5): an incoming topic loses the remote prefix and gains the local one, an outgoing topic
     * loses the local prefix and gains the remote one). QoS 1 both ways, as our jar. It needs a listener of its
     * own: without one, Mosquitto 2 listens on 1883.
     */
    static final String BRIDGE_CONFIG = """
            persistence false
            max_queued_messages 0
            allow_anonymous true
            listener <port> 127.0.0.1
            connection lns
            address 127.0.0.1:<lns-port>
            topic +/+/up in 1 lora/ lora/
            connection cloud
            address 127.0.0.1:<cloud-port>
            topic +/+/up out 1 lora/ lorawan/<GW>/
            """;

    final Kind kind;
    final List<String> command;
    /** The Mosquitto bridge's configuration file as written (empty for ours). */
    final String config;
    /** System.nanoTime() just before the process was started: the start of its start-up time. */
    final long startedNanos;
    private final Process process;
    private final Path log;

    private Forwarder(Kind kind, List<String> command, String config, Path workingDir, Path log) {
        this.kind = kind;
        this.command = command;
        this.config = config;
        this.log = log;
        this.startedNanos = System.nanoTime();
        this.process = Processes.start(command, workingDir, log);
    }

    /**
     * Our jar as it runs on a gateway: {@code java <config/jvm.options> -jar camel-app-connect.jar} from its install
     * directory (it reads config/application.properties and routes/ there, and maps the class-data archive beside
     * it), with the brokers, the gateway's identity and a store directory of its own as -D settings. The install
     * directory is the jar's own where config/ and routes/ are beside it (target/, as `mvn package` lays it out),
     * else the project directory.
     */
    static Forwarder ours(Path projectDir, Path jar, List<String> jvmFlags, String gateway, int lnsPort, int cloudPort,
            Path dir) {
        return ours(projectDir, jar, jvmFlags, gateway, lnsPort, "tcp://127.0.0.1:" + cloudPort, dir);
    }

    /** @param cloudUrl a broker's URL, or a web server's (HTTP mode) */
    static Forwarder ours(Path projectDir, Path jar, List<String> jvmFlags, String gateway, int lnsPort, String cloudUrl,
            Path dir) {
        return ours(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()), projectDir, jar,
                jvmFlags, gateway, lnsPort, cloudUrl, dir);
    }

    /** @param java how the JVM is started: its launcher, or an emulator and the launcher it runs */
    static Forwarder ours(List<String> java, Path projectDir, Path jar, List<String> jvmFlags, String gateway,
            int lnsPort, String cloudUrl, Path dir) {
        Path jarDir = jar.toAbsolutePath().getParent();
        Path workDir = Files.isDirectory(jarDir.resolve("config")) && Files.isDirectory(jarDir.resolve("routes"))
                ? jarDir : projectDir;
        List<String> command = new ArrayList<>(java);
        command.addAll(jvmFlags);
        command.add("-Dapp.url=" + cloudUrl);
        command.add("-Dlns.url=tcp://127.0.0.1:" + lnsPort);
        command.add("-Dgateway.uuid=" + gateway);
        command.add("-Dgateway.euis=00-80-00-00-d0-00-01-1a");
        command.add("-Dstore.dir=" + dir.resolve("store"));
        command.add("-jar");
        command.add(workDir.relativize(jar.toAbsolutePath()).toString());
        return new Forwarder(Kind.OURS, command, "", workDir, dir.resolve("ours.log"));
    }

    static Forwarder mosquittoBridge(String gateway, int lnsPort, int cloudPort, Path dir) {
        String config = BRIDGE_CONFIG.replace("<port>", String.valueOf(EmbeddedBroker.freePort()))
                .replace("<lns-port>", String.valueOf(lnsPort)).replace("<cloud-port>", String.valueOf(cloudPort))
                .replace("<GW>", gateway);
        Path conf = dir.resolve("bridge.conf");
        try {
            Files.writeString(conf, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Forwarder(Kind.MOSQUITTO, List.of(Processes.MOSQUITTO, "-c", conf.toString()), config, dir,
                dir.resolve("bridge.log"));
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    double cpuSeconds() {
        return Processes.cpuSeconds(pid());
    }

    long rssKb() {
        return Processes.statusKb(pid(), "VmRSS");
    }

    /** The most resident memory the process ever had (the kernel's high-water mark), start-up included. */
    long hwmKb() {
        return Processes.statusKb(pid(), "VmHWM");
    }

    String logTail() {
        return Processes.tail(log, 3000);
    }

    /** SIGTERM, as systemd stops it; SIGKILL after 15 s (our jar stops within 10). */
    void stop() {
        Processes.stop(process, 15);
    }

    /** Stops it; after a failed measurement (an "error" in its record) the tail of its log goes into the record. */
    void stop(Map<String, Object> record) {
        stop();
        if (record.containsKey("error")) {
            record.put("forwarderLogTail", logTail());
        }
    }
}
