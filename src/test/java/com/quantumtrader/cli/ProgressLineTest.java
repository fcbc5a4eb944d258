package com.quantumtrader.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.Test;

/** The SG progress line of {@code evolve} and {@code sg show --watch}: a bar on a terminal, throttled lines otherwise. */
public class ProgressLineTest {
  @Test
  public void onATerminalOneLineIsRedrawnWithABarOfTheGenerationsDone() {
    StringWriter w = new StringWriter();
    ProgressLine line = new ProgressLine(new PrintWriter(w), true);
    line.show(5, 20, 0.4, -0.1, 1_500, 2.5e8);
    line.show(20, 20, 1.25, 0.5, 1_600, 2.6e8);
    line.end();
    String[] drawn = w.toString().split("\r");
    assertEquals(3, drawn.length); // "", then one redraw per generation
    assertTrue(drawn[1], drawn[1].startsWith("[#####               ] generation 5/20  best 0.400  median -0.100  1,500 evaluations/s  250.00 M"));
    assertTrue(drawn[2], drawn[2].startsWith("[####################] generation 20/20  best 1.250  median 0.500"));
    assertTrue(w.toString().endsWith(System.lineSeparator()));
  }

  @Test
  public void elsewhereALineAtMostEverySecondAndTheLast() {
    StringWriter w = new StringWriter();
    ProgressLine line = new ProgressLine(new PrintWriter(w), false);
    for (int g = 1; g <= 50; g++) line.show(g, 50, null, null, 10, 1e3);
    line.end();
    String[] lines = w.toString().split(System.lineSeparator());
    assertEquals(w.toString(), 2, lines.length);
    assertTrue(lines[0], lines[0].startsWith("generation 1/50  best -  median -"));
    assertTrue(lines[1], lines[1].startsWith("generation 50/50"));
    assertTrue(!w.toString().contains("\r"));
  }

  /** A generation under way says how many of its evaluations are made, of at most how many (not of the population). */
  @Test
  public void aGenerationUnderWayCountsItsEvaluationsOfAtMostHowMany() throws Exception {
    java.io.StringWriter w = new java.io.StringWriter();
    ProgressLine line = new ProgressLine(new java.io.PrintWriter(w), false);
    line.show(0, 5, null, null, 20_000, 1e9, 121_209, 160_000);
    org.junit.Assert.assertTrue(w.toString(), w.toString().contains("generation 0/5 (generation 1: 121,209 of at most 160,000 evaluations)"));
    var run = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"population\": 100000, \"generations\": 5, \"progress\":"
        + " {\"generation\": 0, \"generations\": 5, \"underWay\": 121209, \"underWayOf\": 160000}}");
    org.junit.Assert.assertEquals("0/5 (the next: 121,209 of at most 160,000 evaluations)", SgCommand.generation(run));
  }
}
