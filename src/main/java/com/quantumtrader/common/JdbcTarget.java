package com.quantumtrader.common;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Where a component's own tables live: the journal's database (so that a read side and its offset
 * commit together). Never shows the password.
 */
public record JdbcTarget(String url, String user, String password, boolean postgres) {
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  @Override
  public String toString() {
    return "JdbcTarget[" + url.replaceAll("(?i)(password=)[^&;]*", "$1***") + ", user=" + user + "]";
  }
}
