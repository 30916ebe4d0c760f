package io.camelappconnect.bench;

import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The machine a benchmark ran on, stored with its figures, since they mean little without it. */
final class MachineDescription {

    private MachineDescription() {
    }

    static Map<String, Object> of(List<String> jvmFlags) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", ZonedDateTime.now().toString());
        m.put("nproc", Processes.output(List.of("nproc")).trim());
        m.put("cpuModel", Processes.read(Path.of("/proc/cpuinfo")).lines().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?"));
        m.put("memTotal", Processes.read(Path.of("/proc/meminfo")).lines().filter(l -> l.startsWith("MemTotal"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?"));
        m.put("kernel", Processes.read(Path.of("/proc/sys/kernel/osrelease")).trim());
        List<String> javaVersion = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        javaVersion.addAll(jvmFlags);
        javaVersion.add("-version");
        m.put("childJavaVersion", Processes.output(javaVersion).trim());
        m.put("mosquittoVersion", Processes.output(List.of(Processes.MOSQUITTO, "-h")).lines().findFirst()
                .orElse("?"));
        m.put("loadAverageAtStart", Processes.read(Path.of("/proc/loadavg")).trim());
        return m;
    }

    /** The machine in a few words, for the table's heading. */
    static String line(Map<String, Object> machine) {
        return String.format("%s x %s, MemTotal %s, kernel %s, Java %s, %s", machine.get("nproc"),
                machine.get("cpuModel"), machine.get("memTotal"), machine.get("kernel"),
                System.getProperty("java.version"), machine.get("mosquittoVersion"));
    }
}
