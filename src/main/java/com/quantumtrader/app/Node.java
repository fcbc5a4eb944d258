package com.quantumtrader.app;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts a node: validate settings, prepare the journal, start the actor system and the guardian. */
public final class Node {
  private static final Logger log = LoggerFactory.getLogger(Node.class);

  private Node() {}

  /**
   * @throws com.quantumtrader.common.SettingsException on a bad setting
   * @throws JournalSchema.SchemaException when the journal database cannot be reached or prepared
   */
  public static ActorSystem<Guardian.Command> start(Config loaded) {
    Settings settings = Settings.load(loaded);
    Config config = NodeConfig.build(loaded, settings);
    log.info(
        "Quantum Trader node starting: cluster {}:{}, journal {}",
        settings.cluster().hostname(),
        settings.cluster().port(),
        settings.db().url().isEmpty()
            ? "embedded H2 in " + settings.node().dataDir().toAbsolutePath()
            : (settings.db().kind() == Settings.DbKind.H2 ? "H2 " : "PostgreSQL ") + JournalSchema.redact(settings.db().url()));
    if (config.getString("akka.license-key").isBlank()) {
      log.warn(
          "no Akka license key is set (QT_AKKA_LICENSE_KEY): Akka 2.8.8 will stop this node 15 minutes after start. "
              + "Fine for a trial; for anything longer see docs/operations.md, 'Akka licence'.");
    }
    JournalSchema.ensure(settings);
    return ActorSystem.create(Guardian.create(settings), Settings.SYSTEM_NAME, config);
  }
}
