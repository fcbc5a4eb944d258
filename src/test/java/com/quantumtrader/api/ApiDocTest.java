package com.quantumtrader.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;

/** docs/api.md describes exactly the routes the server has, each with the role it needs, and every error code they answer. */
public class ApiDocTest {
  private static final Pattern HEADING = Pattern.compile("^### (GET|PUT|POST|DELETE|PATCH) (\\S+)\\s*$");
  private static final Pattern ROLE = Pattern.compile("^(viewer|operator|admin)\\b.*");

  @Test
  public void theDocumentListsEveryRouteWithItsRoleAndNoOther() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("docs/api.md"));
    List<String> documented = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = HEADING.matcher(lines.get(i));
      if (!m.matches()) continue;
      String role = i + 1 < lines.size() ? lines.get(i + 1).trim() : "";
      Matcher r = ROLE.matcher(role);
      documented.add(m.group(1) + " " + m.group(2) + " " + (r.matches() ? r.group(1) : "(no role given)"));
    }
    assertEquals(new TreeSet<>(ApiRoutes.ROUTES), new TreeSet<>(documented));
    assertEquals("a route is documented twice", documented.size(), new TreeSet<>(documented).size());
  }

  private static final Pattern CODE_IN_SOURCE = Pattern.compile("StatusCodes\\.([A-Z_]+),\\s*(?:Map\\.of\\(\"code\",\\s*)?\"([a-z_]+)\"");
  private static final Pattern TABLE_ROW = Pattern.compile("^\\| (\\d{3}) \\| (.*?) \\|.*");

  @Test
  public void theErrorTableHasEveryStatusAndCodeTheRoutesAnswer() throws Exception {
    String source = Files.readString(Path.of("src/main/java/com/quantumtrader/api/ApiRoutes.java"));
    Set<String> answered = new TreeSet<>();
    Matcher m = CODE_IN_SOURCE.matcher(source);
    while (m.find()) {
      answered.add(((StatusCode) StatusCodes.class.getField(m.group(1)).get(null)).intValue() + " " + m.group(2));
    }
    assertTrue("no codes found in ApiRoutes: " + answered, answered.size() >= 10);
    answered.add("405 " + Json.codeFor(405)); // Akka HTTP's method rejection, given our code by the rejection handler
    List<String> lines = Files.readAllLines(Path.of("docs/api.md"));
    int start = lines.indexOf("## Errors");
    assertTrue("docs/api.md has no \"## Errors\" section", start >= 0);
    Set<String> documented = new TreeSet<>();
    for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
      Matcher row = TABLE_ROW.matcher(lines.get(i));
      if (!row.matches()) continue;
      Matcher code = Pattern.compile("`([a-z_]+)`").matcher(row.group(2));
      while (code.find()) documented.add(row.group(1) + " " + code.group(1));
    }
    Set<String> missing = new TreeSet<>(answered);
    missing.removeAll(documented);
    assertEquals("answered by the routes but not in the error table of docs/api.md", Set.of(), missing);
  }
}
