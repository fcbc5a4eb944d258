package com.quantumtrader.app;

import com.quantumtrader.common.ConfigReader;
import com.quantumtrader.common.SettingsException;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigResolver;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads the node's configuration, highest precedence first:
 *
 * <ol>
 *   <li>JVM system properties ({@code -Dquantum-trader.msc.enabled=false})
 *   <li>{@code QT_} environment variables (as wired in the packaged application.conf)
 *   <li>the operator's own file, if any ({@code --config}, {@code QT_CONFIG} or {@code
 *       -Dconfig.file}): it only needs the keys it changes
 *   <li>the packaged application.conf
 *   <li>the libraries' reference.conf files
 * </ol>
 *
 * The environment wins over the operator's file so that one file can serve several nodes that
 * differ only in a few variables (port, seed nodes, database URL). An empty (or blank) variable
 * counts as not set.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /** The operator's file named by the environment or system properties, or null. */
  public static Path operatorFileFromEnvironment(Map<String, String> env) {
    String f = env.get("QT_CONFIG");
    if (f == null || f.isBlank()) f = System.getProperty("config.file");
    return f == null || f.isBlank() ? null : Path.of(f);
  }

  public static Config load(Path operatorFile, Map<String, String> env) {
    try {
      Config packaged = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "application.conf");
      if (packaged.isEmpty()) throw new SettingsException("application.conf is missing from the classpath");
      // Substitutions like ${?QT_MSC_ENABLED} are looked up in the given environment (not
      // necessarily the process's, so that tests can pass their own).
      ConfigResolveOptions noEnv = ConfigResolveOptions.noSystem();
      ConfigResolveOptions withEnvOpts = noEnv.appendResolver(new EnvResolver(env));
      // Over the system properties, so that a key defined from another (the Akka port from
      // quantum-trader.cluster.port) follows a -D given for that other key.
      Config base = ConfigFactory.systemProperties().withFallback(packaged);
      Config withEnv = base.resolve(withEnvOpts);
      // The keys a set variable gives their value, found by resolving once more with each set
      // variable standing as a marker: a variable set to the packaged default still wins over the
      // operator's file (comparing values would take it for "not set").
      Config marked = base.resolve(noEnv.appendResolver(new MarkingResolver(env)));
      Config envLayer = ConfigFactory.empty();
      for (Map.Entry<String, ConfigValue> e : marked.entrySet()) {
        if (MarkingResolver.marked(e.getValue().unwrapped())) envLayer = envLayer.withValue(e.getKey(), withEnv.getValue(e.getKey()));
      }
      Config operator = ConfigFactory.empty();
      if (operatorFile != null) {
        if (!Files.isReadable(operatorFile)) {
          throw new SettingsException("config file " + operatorFile.toAbsolutePath() + " does not exist or cannot be read");
        }
        operator = ConfigFactory.parseFile(operatorFile.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
      }
      return ConfigFactory.systemProperties()
          .withFallback(envLayer)
          .withFallback(operator)
          .withFallback(packaged)
          .withFallback(ConfigFactory.defaultReference())
          .resolve(withEnvOpts);
    } catch (ConfigException e) {
      String m = ConfigReader.oneLine(e);
      throw new SettingsException(m.length() > 400 ? m.substring(0, 400) + " ..." : m);
    }
  }

  /**
   * Whether a variable counts as set: an empty or blank one does not (a compose file's {@code
   * ${VAR:-}} passes "" for a variable the shell lacks; it must not wipe the operator file's value).
   */
  static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }

  /** Stands a marker in for each variable the environment map sets, to find the keys it reaches. */
  private static final class MarkingResolver implements ConfigResolver {
    private static final String MARK = "\u0000set by the environment\u0000";
    private final Map<String, String> env;

    MarkingResolver(Map<String, String> env) {
      this.env = Map.copyOf(env);
    }

    static boolean marked(Object unwrapped) {
      if (unwrapped instanceof String s) return s.contains(MARK);
      if (unwrapped instanceof java.util.List<?> l) return l.stream().anyMatch(MarkingResolver::marked);
      return false;
    }

    @Override
    public ConfigValue lookup(String path) {
      return isSet(env.get(path)) ? ConfigValueFactory.fromAnyRef(MARK + path, "environment variable " + path) : null;
    }

    @Override
    public ConfigResolver withFallback(ConfigResolver fallback) {
      return this;
    }
  }

  /** Looks substitutions that the configuration itself does not define up in an environment map. */
  private static final class EnvResolver implements ConfigResolver {
    private final Map<String, String> env;

    EnvResolver(Map<String, String> env) {
      this.env = Map.copyOf(env);
    }

    @Override
    public ConfigValue lookup(String path) {
      String v = env.get(path);
      return isSet(v) ? ConfigValueFactory.fromAnyRef(v, "environment variable " + path) : null;
    }

    @Override
    public ConfigResolver withFallback(ConfigResolver fallback) {
      return this;
    }
  }
}
