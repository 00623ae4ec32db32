package dev.alpharen.arsrv.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The JDBC sink's contract against a real database server that the test starts, kills and starts
 * again: subclassed once per database (MariaDB, PostgreSQL).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcSinkContract {
  private TestDatabase db;

  /** Starts this database's private server. */
  abstract TestDatabase startDatabase() throws Exception;

  @BeforeAll
  void startServer() throws Exception {
    db = startDatabase();
    db.createDatabase("alpharen");
  }

  @AfterAll
  void stopServer() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  /** The server, for subclasses' own tests. */
  TestDatabase db() {
    return db;
  }

  @Test
  void createsTheTableInsertsBatchesAndReconnectsAfterAnOutage() throws Exception {
    try (JdbcSink sink = new JdbcSink(db.url("alpharen"), db.user(), "")) {
      List<Activity> first = batch(0, 50);
      sink.send(first);
      assertEquals(50, count());

      db.kill();
      IOException down = assertThrows(IOException.class, () -> sink.send(batch(50, 10)));
      assertTrue(down.getMessage().startsWith("database " + db.url("alpharen") + ": "),
          down.getMessage());

      db.startServer();
      sink.send(batch(50, 10));
      sink.send(first); // sent again after a crash: skipped, not doubled

      assertEquals(60, count());
      try (Connection c = DriverManager.getConnection(db.url("alpharen"), db.user(), "");
          Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT id, at_utc, type, severity, integration,"
              + " exchange_id, message, details FROM alpharen_activities WHERE id = 'n1-7'")) {
        assertTrue(r.next());
        assertEquals("2026-11-25T07:30:00.007", r.getObject(2, java.time.LocalDateTime.class)
            .toString());
        assertEquals("exchange.failed", r.getString(3));
        assertEquals("error", r.getString(4));
        assertEquals("orders", r.getString(5));
        assertEquals("ex-7", r.getString(6));
        assertEquals("exchange 7 failed: Connection refused", r.getString(7));
        assertEquals("{\"attempt\":7}", r.getString(8));
      }
    }
  }

  long count() throws Exception {
    try (Connection c = DriverManager.getConnection(db.url("alpharen"), db.user(), "");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM alpharen_activities")) {
      r.next();
      return r.getLong(1);
    }
  }

  static List<Activity> batch(int from, int count) {
    return new ArrayList<>(IntStream.range(from, from + count).mapToObj(i -> new Activity(
        "n1-" + i, Instant.parse("2026-11-25T07:30:00Z").plusMillis(i), "c1", "n1",
        ActivityType.EXCHANGE_FAILED, Severity.ERROR, "orders", "ex-" + i, "",
        "exchange " + i + " failed: Connection refused", Map.of("attempt", i))).toList());
  }
}
