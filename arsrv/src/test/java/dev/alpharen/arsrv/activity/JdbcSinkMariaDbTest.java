package dev.alpharen.arsrv.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The JDBC sink's contract against a private MariaDB server, and MySQL-style URLs. */
class JdbcSinkMariaDbTest extends JdbcSinkContract {
  @Override
  TestDatabase startDatabase() throws Exception {
    return PrivateMariaDb.start();
  }

  @Test
  void servesAMysqlUrlThroughTheMariaDbDriver() throws Exception {
    String mysql = db().url("alpharen").replace("jdbc:mariadb:", "jdbc:mysql:");
    long before = count();
    try (JdbcSink sink = new JdbcSink(mysql, db().user(), "")) {
      sink.send(batch(1000, 3));
    }
    assertEquals(before + 3, count());
  }

  @Test
  void refusesAnotherDatabaseNamingWhatIsAllowed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new JdbcSink("jdbc:oracle:thin:@db", "", ""));
    assertEquals("activity database URL must start with jdbc:mariadb: or jdbc:mysql: (MariaDB,"
        + " MySQL) or jdbc:postgresql: (PostgreSQL), was 'jdbc:oracle:thin:@db'", e.getMessage());
  }
}
