package com.quantumtrader.api;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.sql.SQLException;
import org.junit.Test;

/** Which failed queries are the database out of reach (a 503), and which are errors of the query (a 500, as bugs). */
public class ConnectionLostTest {
  @Test
  public void onlyALostConnectionIsAnOutage() {
    assertTrue(ApiRoutes.connectionLost(new SQLException("Connection refused", "08001")));
    assertTrue(ApiRoutes.connectionLost(new SQLException("terminating connection due to administrator command", "57P01")));
    assertTrue(ApiRoutes.connectionLost(new java.sql.SQLTransientConnectionException("db - Connection is not available")));
    assertTrue(ApiRoutes.connectionLost(new SQLException("The database has been closed", "90098")));
    assertFalse(ApiRoutes.connectionLost(new SQLException("syntax error at or near \"SELEC\"", "42601")));
    assertFalse(ApiRoutes.connectionLost(new SQLException("duplicate key value violates unique constraint", "23505")));
    assertFalse(ApiRoutes.connectionLost(new SQLException("no state")));
  }
}
