package com.quantumtrader.api;

import com.quantumtrader.common.SettingsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The configured access tokens. A request is authenticated by comparing the SHA-256 digest of its
 * bearer token with every configured token's digest in constant time (no early exit, so timing
 * tells nothing about which token or how much of it matched). Secrets are never logged and never
 * kept in clear after loading: only their digests.
 */
public final class Tokens {
  /** Who a token belongs to. */
  public record Principal(String name, Role role) {}

  private record Entry(String name, Role role, byte[] digest) {}

  /** A secret shorter than this is refused at start-up. */
  public static final int MIN_SECRET_LENGTH = 16;

  private final List<Entry> entries;

  private Tokens(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  public int size() {
    return entries.size();
  }

  /** Names and roles, for the start-up log (never the secrets). */
  public List<String> describe() {
    List<String> out = new ArrayList<>();
    for (Entry e : entries) out.add(e.name() + " (" + e.role().name().toLowerCase(Locale.ROOT) + ")");
    return out;
  }

  /**
   * @param inline {@code name:role:secret} entries separated by commas (may be empty)
   * @param file a file of {@code name role secret} lines, {@code #} comments (null for none)
   */
  public static Tokens load(String inline, Path file) {
    List<Entry> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    if (inline != null) {
      int i = 0;
      for (String part : inline.split(",")) {
        i++;
        String p = part.trim();
        if (p.isEmpty()) continue;
        String[] f = p.split(":", 3);
        if (f.length != 3) throw new SettingsException("QT_API_TOKENS: entry " + i + " must be name:role:secret");
        out.add(entry(f[0].trim(), f[1].trim(), f[2].trim(), "QT_API_TOKENS entry " + i, names));
      }
    }
    if (file != null) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new SettingsException("QT_API_TOKENS_FILE: cannot read " + file + ": " + com.quantumtrader.common.ConfigReader.whyUnreadable(e));
      }
      for (int n = 0; n < lines.size(); n++) {
        String l = lines.get(n).trim();
        if (l.isEmpty() || l.startsWith("#")) continue;
        String[] f = l.split("\\s+");
        if (f.length != 3) throw new SettingsException("QT_API_TOKENS_FILE " + file + " line " + (n + 1) + ": must be 'name role secret'");
        out.add(entry(f[0], f[1], f[2], "QT_API_TOKENS_FILE line " + (n + 1), names));
      }
    }
    // one secret for two names: every request with it would be the first name's, the other never used
    for (int i = 0; i < out.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (MessageDigest.isEqual(out.get(i).digest(), out.get(j).digest())) {
          throw new SettingsException("API tokens: " + out.get(j).name() + " and " + out.get(i).name() + " have the same secret; give each"
              + " its own (a request with it would always be " + out.get(j).name() + "'s)");
        }
      }
    }
    return new Tokens(out);
  }

  private static Entry entry(String name, String role, String secret, String where, Set<String> names) {
    if (!name.matches("[A-Za-z0-9._@-]{1,64}")) throw new SettingsException(where + ": name must be 1-64 of letters, digits and . _ @ -");
    if (!names.add(name)) throw new SettingsException(where + ": name " + name + " is used twice");
    Role r;
    try {
      r = Role.valueOf(role.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new SettingsException(where + ": role must be viewer, operator or admin");
    }
    if (secret.length() < MIN_SECRET_LENGTH) {
      throw new SettingsException(where + " (" + name + "): the secret must be at least " + MIN_SECRET_LENGTH + " characters");
    }
    return new Entry(name, r, digest(secret));
  }

  /** The principal whose secret this is, comparing against every token in constant time. */
  public Optional<Principal> authenticate(String secret) {
    if (secret == null) return Optional.empty();
    byte[] d = digest(secret);
    Entry found = null;
    for (Entry e : entries) {
      if (MessageDigest.isEqual(d, e.digest()) && found == null) found = e;
    }
    return found == null ? Optional.empty() : Optional.of(new Principal(found.name(), found.role()));
  }

  static byte[] digest(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
