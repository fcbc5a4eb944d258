package com.quantumtrader.common;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.quantumtrader.app.NodeConfig;
import com.quantumtrader.app.Settings;
import com.quantumtrader.testsupport.TestNodes;
import java.util.Map;
import org.junit.Test;

/** QT_LOG_LEVEL in each logger's names: Logback took WARNING for DEBUG, and Akka refused WARN. */
public class LogLevelTest {
  @Test
  public void eachSpellingOfALevelGivesEachLoggerItsOwnName() {
    String[][] cases = {{"warn", "WARNING", "WARN"}, {" WARNING ", "WARNING", "WARN"}, {"Debug", "DEBUG", "DEBUG"}, {"off", "OFF", "OFF"},
        {"ERROR", "ERROR", "ERROR"}, {"info", "INFO", "INFO"}};
    for (String[] c : cases) {
      assertEquals(c[0], c[1], LogLevel.akka(c[0]));
      assertEquals(c[0], c[2], LogLevel.logback(c[0]));
    }
    assertNull(LogLevel.akka("LOUD"));
    assertEquals("INFO", LogLevel.logback(null));
  }

  /** Akka gets its own name for WARN: the node's config says WARNING. */
  @Test
  public void theNodeConfigGivesAkkaItsName() {
    com.typesafe.config.Config loaded = TestNodes.forNode(Map.of("QT_LOG_LEVEL", "warn"));
    assertEquals("WARNING", NodeConfig.build(loaded, Settings.load(loaded)).getString("akka.loglevel"));
  }

  /** The packaged logback.xml sets the root level through the definer (a wrong class name there is an error here). */
  @Test
  public void thePackagedLogbackConfigurationSetsTheRootLevel() throws Exception {
    LoggerContext ctx = new LoggerContext();
    JoranConfigurator j = new JoranConfigurator();
    j.setContext(ctx);
    j.doConfigure(LogLevelTest.class.getResource("/logback.xml"));
    assertEquals(java.util.List.of(), ctx.getStatusManager().getCopyOfStatusList().stream()
        .filter(s -> s.getLevel() >= ch.qos.logback.core.status.Status.WARN).map(Object::toString).toList());
    assertEquals(LogLevel.logback(System.getenv("QT_LOG_LEVEL")),
        ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel().toString());
    ctx.stop();
  }
}
