package com.quantumtrader.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the node is and who we are, shared by every operator command. The token's secret is read
 * from a file or the environment, never from the command line (where {@code ps} and shell history
 * would show it), and never printed.
 */
public final class ConnectionOptions {
  static final String DEFAULT_NODE = "http://127.0.0.1:8080";
  static final int DEFAULT_MANAGEMENT_PORT = 8558;

  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  @Option(names = "--node", paramLabel = "URL", defaultValue = "${env:QT_NODE:-" + DEFAULT_NODE + "}",
      description = "The node's API (default: $QT_NODE, else " + DEFAULT_NODE + ").")
  String node;

  @Option(names = "--management", paramLabel = "URL",
      description = "The node's management port, for cluster commands (default: $QT_MANAGEMENT_URL, "
          + "else the --node host on port " + DEFAULT_MANAGEMENT_PORT + ").")
  String management;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "A file holding the API token's secret (default: the secret in $QT_TOKEN).")
  Path tokenFile;

  @Option(names = "--json", description = "Print the node's JSON as it is (for scripts).")
  boolean json;

  URI nodeUri() {
    return uri(node, "--node");
  }

  URI managementUri() {
    String m = management != null ? management : System.getenv("QT_MANAGEMENT_URL");
    if (m != null && !m.isBlank()) return uri(m, "--management");
    URI n = nodeUri();
    try {
      return new URI(n.getScheme(), null, n.getHost(), DEFAULT_MANAGEMENT_PORT, null, null, null);
    } catch (URISyntaxException e) {
      throw usage("cannot derive the management URL from " + n + "; give --management URL");
    }
  }

  /** The secret: the first line of --token-file that is not blank or a # comment, else $QT_TOKEN. */
  String token() {
    if (tokenFile != null) {
      try {
        for (String line : Files.readAllLines(tokenFile, StandardCharsets.UTF_8)) {
          String t = line.trim();
          if (!t.isEmpty() && !t.startsWith("#")) return sendable(t, "the token in " + tokenFile);
        }
      } catch (IOException e) {
        throw usage("cannot read the token file " + tokenFile + ": " + com.quantumtrader.common.ConfigReader.whyUnreadable(e));
      }
      throw usage("the token file " + tokenFile + " holds no token");
    }
    String env = System.getenv("QT_TOKEN");
    if (env != null && !env.isBlank()) return sendable(env.trim(), "QT_TOKEN");
    throw usage("no API token: give --token-file FILE or set QT_TOKEN (the secret of a token configured on the node "
        + "with QT_API_TOKENS or QT_API_TOKENS_FILE)");
  }

  /**
   * The secret, if an HTTP header can carry it: not a control character (a line break would end the
   * header) nor one beyond Latin-1. Said without the secret (the HTTP client's own error quoted it,
   * under a stack trace).
   */
  private String sendable(String secret, String where) {
    for (int i = 0; i < secret.length(); i++) {
      char ch = secret.charAt(i);
      if (ch < 0x20 || ch == 0x7f || ch > 0xff) {
        throw usage(where + " has a character an HTTP header cannot carry (code " + (int) ch + ", character " + (i + 1) + " of the"
            + " secret): check the token");
      }
    }
    return secret;
  }

  private URI uri(String raw, String option) {
    try {
      URI u = new URI(raw.trim().replaceAll("/+$", ""));
      if (u.getScheme() == null || u.getHost() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
        throw usage(option + " must be an http:// or https:// URL with a host, got '" + raw + "'");
      }
      if (u.getPort() != -1 && (u.getPort() < 1 || u.getPort() > 65535)) {
        throw usage(option + " has port " + u.getPort() + ", outside 1-65535: '" + raw + "'");
      }
      return u;
    } catch (URISyntaxException e) {
      throw usage(option + " is not a URL: " + e.getMessage());
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(mixee.commandLine(), message);
  }
}
