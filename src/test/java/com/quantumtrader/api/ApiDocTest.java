package com.quantumtrader.api;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;

/** docs/api.md describes exactly the routes the server has, each with the role it needs. */
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
}
