package com.quantumtrader.app;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;

/**
 * The container files set only variables a node reads, and wire every node of the compose file
 * for a cluster on PostgreSQL. A variable the node does not read is ignored without a word, so a
 * typo (or a setting that was renamed) would otherwise go unnoticed until someone wonders why it
 * has no effect. No container engine is needed: the files are read as text.
 */
public class DockerComposeEnvTest {

  private static final Path COMPOSE = Path.of("docker/docker-compose.yml");
  private static final Path DOCKERFILE = Path.of("docker/Dockerfile");

  /**
   * Variables the node reads itself rather than through a ${?NAME} substitution in
   * application.conf, with the source file that reads each (checked below, so the list cannot go
   * stale). Not here: QT_JAVA_OPTS, which only the ./quantum-trader launcher reads; the image runs
   * java directly (extra JVM options go in JAVA_TOOL_OPTIONS there).
   */
  private static final Map<String, Path> READ_IN_CODE = Map.of(
      "QT_CONFIG", Path.of("src/main/java/com/quantumtrader/app/ConfigLoader.java"));

  private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{\\?([A-Za-z0-9_]+)}");
  private static final Pattern VARIABLE = Pattern.compile("\\b((?:QT|AKKA)_[A-Z0-9_]+)");

  @Test
  public void composeAndDockerfileSetOnlyVariablesTheNodeReads() throws IOException {
    Set<String> known = variablesTheNodeReads();
    Set<String> unknown = new TreeSet<>();
    for (Path file : List.of(COMPOSE, DOCKERFILE)) {
      for (String name : variablesIn(file)) {
        if (!known.contains(name)) unknown.add(name + " (" + file + ")");
      }
    }
    assertTrue("variables no node reads: " + unknown
        + "; the node reads the ${?NAME} substitutions of application.conf and " + READ_IN_CODE.keySet(),
        unknown.isEmpty());
  }

  @Test
  public void everyNodeIsWiredForAClusterOnPostgres() throws IOException {
    Map<String, Service> services = parseServices(Files.readAllLines(COMPOSE));
    List<Service> nodes = services.values().stream().filter(s -> s.name.startsWith("node")).toList();
    assertEquals("nodes in " + COMPOSE, 3, nodes.size());
    assertTrue("a postgres service", services.containsKey("postgres"));

    Set<String> hostPorts = new TreeSet<>();
    for (Service node : nodes) {
      Map<String, String> env = node.environment;
      String where = node.name + " in " + COMPOSE + ": ";
      assertTrue(where + "QT_DB_URL on the postgres service",
          env.getOrDefault("QT_DB_URL", "").startsWith("jdbc:postgresql://postgres:5432/"));
      assertTrue(where + "QT_DB_USER", env.containsKey("QT_DB_USER"));
      assertTrue(where + "QT_DB_PASSWORD", env.containsKey("QT_DB_PASSWORD"));
      assertEquals(where + "QT_CLUSTER_HOSTNAME is the service's name", node.name, env.get("QT_CLUSTER_HOSTNAME"));
      assertTrue(where + "QT_API_TOKENS_FILE or QT_API_TOKENS",
          env.containsKey("QT_API_TOKENS_FILE") || env.containsKey("QT_API_TOKENS"));
      assertTrue(where + "QT_AKKA_LICENSE_KEY passed through", env.containsKey("QT_AKKA_LICENSE_KEY"));

      String seeds = env.getOrDefault("QT_CLUSTER_SEED_NODES", "");
      assertFalse(where + "QT_CLUSTER_SEED_NODES", seeds.isBlank());
      for (String seed : seeds.split(",")) {
        String[] hostPort = seed.trim().split(":");
        Service seedNode = services.get(hostPort[0]);
        assertTrue(where + "seed " + seed + " is a node of the file", seedNode != null && nodes.contains(seedNode));
        assertEquals(where + "seed " + seed + " uses its node's cluster port",
            seedNode.environment.get("QT_CLUSTER_PORT"), hostPort.length > 1 ? hostPort[1] : null);
      }

      for (String variable : List.of("QT_API_PORT", "QT_MANAGEMENT_PORT")) {
        String port = env.get(variable);
        assertTrue(where + variable, port != null && port.matches("[0-9]+"));
        String published = node.ports.stream().filter(p -> p.endsWith(":" + port)).findFirst().orElse(null);
        assertTrue(where + variable + "=" + port + " is published on the host: " + node.ports, published != null);
        assertTrue(where + "host port " + published + " used once", hostPorts.add(published.split(":")[0]));
      }
    }
  }

  @Test
  public void theTokensSecretIsAnExampleFileWithOneTokenPerRole() throws IOException {
    Map<String, Service> services = parseServices(Files.readAllLines(COMPOSE));
    String tokensFile = services.get("node1").environment.get("QT_API_TOKENS_FILE");
    assertTrue("tokens from a compose secret: " + tokensFile, tokensFile.startsWith("/run/secrets/"));
    String secret = tokensFile.substring("/run/secrets/".length());
    String compose = Files.readString(COMPOSE);
    Matcher m = Pattern.compile("(?m)^  " + Pattern.quote(secret) + ":\\s*\\n\\s+file:\\s*(\\S+)").matcher(compose);
    assertTrue("the secret " + secret + " is defined with a file", m.find());
    Path file = COMPOSE.getParent().resolve(m.group(1)).normalize();
    Set<String> roles = new TreeSet<>();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank() || line.startsWith("#")) continue;
      String[] parts = line.trim().split("\\s+");
      assertEquals("name role secret: " + line, 3, parts.length);
      roles.add(parts[1]);
    }
    assertEquals(new TreeSet<>(List.of("admin", "operator", "viewer")), roles);
  }

  /** The ${?NAME} substitutions of application.conf and the names the code reads itself. */
  private static Set<String> variablesTheNodeReads() throws IOException {
    Set<String> names = new TreeSet<>();
    Matcher m = SUBSTITUTION.matcher(Files.readString(Path.of("application.conf")));
    while (m.find()) names.add(m.group(1));
    assertTrue("application.conf has QT_ substitutions", names.contains("QT_DB_URL"));
    for (Map.Entry<String, Path> e : READ_IN_CODE.entrySet()) {
      assertTrue(e.getValue() + " still reads " + e.getKey(), Files.readString(e.getValue()).contains("\"" + e.getKey() + "\""));
      names.add(e.getKey());
    }
    return names;
  }

  /** Every QT_ or AKKA_ name in the file outside comments: the ones it sets and the ones it passes on. */
  private static Set<String> variablesIn(Path file) throws IOException {
    Set<String> names = new TreeSet<>();
    for (String line : Files.readAllLines(file)) {
      if (line.trim().startsWith("#")) continue;
      Matcher m = VARIABLE.matcher(line);
      while (m.find()) names.add(m.group(1));
    }
    return names;
  }

  private static final class Service {
    final String name;
    final Map<String, String> environment = new LinkedHashMap<>();
    final List<String> ports = new ArrayList<>();

    Service(String name) {
      this.name = name;
    }
  }

  /**
   * The services' environment (map or list form) and published ports, read by indentation: enough
   * for this file, which spells each node's environment out (the shared anchor holds no variables).
   */
  private static Map<String, Service> parseServices(List<String> lines) {
    Map<String, Service> services = new LinkedHashMap<>();
    boolean inServices = false;
    Service current = null;
    String section = null;
    int sectionIndent = -1;
    for (String raw : lines) {
      if (raw.isBlank() || raw.trim().startsWith("#")) continue;
      int indent = raw.length() - raw.stripLeading().length();
      String line = raw.trim();
      if (indent == 0) {
        inServices = line.equals("services:");
        current = null;
        section = null;
        continue;
      }
      if (!inServices) continue;
      if (indent == 2 && line.endsWith(":")) {
        current = new Service(line.substring(0, line.length() - 1));
        services.put(current.name, current);
        section = null;
        continue;
      }
      if (current == null) continue;
      if (section != null && indent <= sectionIndent) section = null;
      if (section == null) {
        if (indent == 4 && (line.equals("environment:") || line.equals("ports:"))) {
          section = line.substring(0, line.length() - 1);
          sectionIndent = indent;
        }
        continue;
      }
      if (section.equals("ports")) {
        current.ports.add(unquote(line.replaceFirst("^-\\s*", "")));
      } else if (line.startsWith("-")) {
        String entry = unquote(line.substring(1).trim());
        int eq = entry.indexOf('=');
        current.environment.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
      } else {
        int colon = line.indexOf(':');
        if (colon < 0) fail("cannot read the environment line: " + raw);
        current.environment.put(line.substring(0, colon).trim(), unquote(line.substring(colon + 1).trim()));
      }
    }
    return services;
  }

  private static String unquote(String s) {
    return s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))
        ? s.substring(1, s.length() - 1)
        : s;
  }
}
