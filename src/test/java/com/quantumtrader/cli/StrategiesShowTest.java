package com.quantumtrader.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.Test;

/** How {@code strategies show} prints a track record or a backtest window. */
public class StrategiesShowTest {
  @Test
  public void aRecordSaysTheDaysItCovers() throws Exception {
    var r = new ObjectMapper().readTree(
        "{\"trades\": 42, \"days\": 299.83, \"totalReturn\": 0.052, \"sharpe\": 1.234, \"maxDrawdown\": 0.081, \"profitFactor\": 1.5}");
    assertEquals("42 trades over 299.8 days, return 5.2%, Sharpe 1.23, max drawdown 8.1%, profit factor 1.50",
        StrategiesCommand.Show.record(r));
    assertEquals("-", StrategiesCommand.Show.record(null));
    // no losing trade (the API's "NaN"), no closed trade: said as the backtest report says them
    var noLoss = new ObjectMapper().readTree(
        "{\"trades\": 3, \"days\": 12.5, \"totalReturn\": 0.01, \"sharpe\": 2.0, \"maxDrawdown\": 0.01, \"profitFactor\": \"NaN\"}");
    assertEquals("3 trades over 12.5 days, return 1.0%, Sharpe 2.00, max drawdown 1.0%, profit factor n/a (no losing trade)",
        StrategiesCommand.Show.record(noLoss));
    var none = new ObjectMapper().readTree(
        "{\"trades\": 0, \"days\": 1.5, \"totalReturn\": 0.0, \"sharpe\": \"NaN\", \"maxDrawdown\": 0, \"profitFactor\": \"NaN\"}");
    assertEquals("0 trades over 1.5 days, return 0.0%, Sharpe NaN, max drawdown 0.0%, profit factor n/a (no closed trade)",
        StrategiesCommand.Show.record(none));
  }

  @Test
  public void theLatestEvaluationSaysWhatWasDecidedWhenUnderWhichPolicyAndWhy() throws Exception {
    var e = new ObjectMapper().readTree("{\"state\": \"SHADOW\", \"action\": \"STAY\", \"at\": \"2026-11-26T10:00:00.123Z\","
        + " \"policyVersion\": 7, \"reasons\": [\"blocked by the policy\", \"shadow trades 3 not >= 30\"]}");
    assertEquals("STAY at 2026-11-26T10:00:00Z (policy v7): blocked by the policy; shadow trades 3 not >= 30",
        StrategiesCommand.Show.evaluation(e));
    var none = new ObjectMapper().readTree("{\"action\": \"STAY\", \"at\": \"2026-11-26T10:00:00Z\", \"policyVersion\": -1,"
        + " \"reasons\": [\"no policy is known\"]}");
    assertEquals("STAY at 2026-11-26T10:00:00Z (no policy known): no policy is known", StrategiesCommand.Show.evaluation(none));
    assertEquals("-", StrategiesCommand.Show.evaluation(null));
  }

  @Test
  public void statusCountsTheStatesThatHaveStrategiesInLifecycleOrder() throws Exception {
    var counts = new ObjectMapper().readTree("{\"CANDIDATE\": 0, \"SHADOW\": 3, \"LIVE\": 2, \"DEMOTED\": 0, \"RETIRED\": 1}");
    assertEquals("3 SHADOW, 2 LIVE, 1 RETIRED", StatusCommand.byState(counts));
    assertEquals("(none)", StatusCommand.byState(new ObjectMapper().readTree("{\"LIVE\": 0}")));
    assertEquals("-", StatusCommand.byState(null));
    assertEquals("(none)", StatusCommand.live(new ObjectMapper().readTree("[]")));
    assertEquals("a, b", StatusCommand.live(new ObjectMapper().readTree("[\"a\", \"b\"]")));
  }

  /**
   * Text from the node is printed with its control characters written out: a line break in a reason
   * journaled before the API refused them cannot forge a row, nor ESC drive the terminal.
   */
  @Test
  public void controlCharactersInTheNodesTextArePrintedWrittenOut() throws Exception {
    assertEquals("line1\\nFAKE  LIVE\\u001b[31mRED\\r\\tx\\u0000\\u009b", Table.safe("line1\nFAKE  LIVE\u001b[31mRED\r\tx\u0000\u009b"));
    assertEquals("plain text, é 中 🙂 and emoji joined: 👩\u200d💻", Table.safe("plain text, é 中 🙂 and emoji joined: 👩\u200d💻"));
    // what reorders or breaks a line without being a control character: the bidirectional overrides and isolates, U+2028/9
    assertEquals("a\\u202eevil\\u202c b\\u2066x\\u2069 c\\u2028d\\u2029", Table.safe("a\u202eevil\u202c b\u2066x\u2069 c\u2028d\u2029"));
    java.io.StringWriter w = new java.io.StringWriter();
    new Table("STATE", "BY", "REASON").row("SHADOW", "ops", "why\n3  2026-01-01  admin  fake entry\u001b[2J").print(new java.io.PrintWriter(w));
    String[] lines = w.toString().split("\n");
    assertEquals(w.toString(), 2, lines.length);
    assertEquals("SHADOW  ops  why\\n3  2026-01-01  admin  fake entry\\u001b[2J", lines[1]);
    // events: a health reason (an exception's message, several lines), data that is not JSON; an error body that is not JSON
    String health = EventsCommand.describe("health.status_changed", "{\"payload\": {\"previous\": \"HEALTHY\", \"status\": \"DEGRADED\","
        + " \"reasons\": [\"journal: probe write failed (ERROR: x\\n  Detail: y\\u001b[2J)\"]}}");
    assertTrue(health, health.endsWith("journal: probe write failed (ERROR: x\\n  Detail: y\\u001b[2J)") && !health.contains("\n"));
    assertEquals("event  bad\\u001b[2J", EventsCommand.describe(null, "bad\u001b[2J"));
    assertEquals("http 502: <html>bad\\u001b[2J gateway</html>", NodeClient.serverError(502, "<html>bad\u001b[2J gateway</html>").getMessage());
    assertEquals("-", Table.text(null));
    assertEquals("a\\nb", Table.text(new ObjectMapper().readTree("\"a\\nb\"")));
  }

  /** Registering a strategy the policy blocks, or whose allow list leaves it out, says so at once. */
  @Test
  public void aRegistrationNamesWhatKeepsItFromPromotion() throws Exception {
    ObjectMapper m = new ObjectMapper();
    assertEquals("the policy's allow list does not name it, so it is not promoted: policy allow x --reason TEXT",
        StrategiesCommand.policyHint(m.readTree("{\"id\": \"x\", \"permitted\": false, \"blocked\": false}")));
    assertEquals("the policy blocks it, so it is not promoted: policy unblock x --reason TEXT lifts the block (policy show: an allow"
        + " list may leave it out too)",
        StrategiesCommand.policyHint(m.readTree("{\"id\": \"x\", \"permitted\": false, \"blocked\": true}")));
    assertEquals(null, StrategiesCommand.policyHint(m.readTree("{\"id\": \"x\", \"permitted\": true, \"blocked\": false}")));
    assertEquals(null, StrategiesCommand.policyHint(m.readTree("{\"id\": \"x\"}")));
  }
}
