package dev.alpharen.arsrv.activity;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;

/**
 * Stores activities in the table {@value #TABLE} of a MariaDB/MySQL ({@code jdbc:mariadb:}, or
 * {@code jdbc:mysql:}, served by the MariaDB driver) or PostgreSQL ({@code jdbc:postgresql:})
 * database: creates the table when it first connects,
 * inserts each batch in one transaction, skips ids it holds already (a batch sent again after a
 * failure), and connects again after any error. Times are stored in UTC. Not thread-safe: one
 * forwarder uses it.
 */
public final class JdbcSink implements ActivitySink {
  /** The table activities go to. */
  public static final String TABLE = "alpharen_activities";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS = "id, at_utc, cluster, node, type, severity, integration,"
      + " exchange_id, correlation_id, message, details";

  private final String url;
  private final String driverUrl;
  private final Properties credentials = new Properties();
  private final boolean postgres;
  private Connection connection;

  /** What {@code activities.jdbc.url} may start with, for error messages. */
  public static final String ALLOWED = "jdbc:mariadb: or jdbc:mysql: (MariaDB, MySQL) or"
      + " jdbc:postgresql: (PostgreSQL)";

  public JdbcSink(String url, String user, String password) {
    if (url.startsWith("jdbc:postgresql:")) {
      postgres = true;
      driverUrl = url;
    } else if (url.startsWith("jdbc:mariadb:")) {
      postgres = false;
      driverUrl = url;
    } else if (url.startsWith("jdbc:mysql:")) {
      // MariaDB's driver serves MySQL too, but since 3.0 takes this scheme only with an option
      postgres = false;
      driverUrl = "jdbc:mariadb:" + url.substring("jdbc:mysql:".length());
    } else {
      throw new IllegalArgumentException("activity database URL must start with " + ALLOWED
          + ", was '" + url + "'");
    }
    this.url = url;
    if (!user.isEmpty()) {
      credentials.setProperty("user", user);
    }
    if (!password.isEmpty()) {
      credentials.setProperty("password", password);
    }
    // seconds for PostgreSQL's driver, milliseconds for MariaDB's
    credentials.setProperty("connectTimeout", postgres ? "5" : "5000");
  }

  @Override
  public String name() {
    return "jdbc";
  }

  @Override
  public void send(List<Activity> batch) throws IOException {
    try {
      Connection c = connection();
      String insert = (postgres ? "INSERT INTO " : "INSERT IGNORE INTO ") + TABLE + " (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + (postgres ? " ON CONFLICT (id) DO NOTHING" : "");
      try (PreparedStatement s = c.prepareStatement(insert)) {
        for (Activity a : batch) {
          s.setString(1, a.id());
          s.setObject(2, LocalDateTime.ofInstant(a.at(), ZoneOffset.UTC));
          s.setString(3, a.cluster());
          s.setString(4, a.node());
          s.setString(5, a.type().label());
          s.setString(6, a.severity().label());
          s.setString(7, a.integration());
          s.setString(8, a.exchangeId());
          s.setString(9, a.correlationId());
          s.setString(10, a.message());
          s.setString(11, a.details().isEmpty() ? null : JSON.writeValueAsString(a.details()));
          s.addBatch();
        }
        s.executeBatch();
      }
      c.commit();
    } catch (SQLException e) {
      close();
      throw new IOException("database " + url + ": " + e.getMessage(), e);
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      Connection c = DriverManager.getConnection(driverUrl, credentials);
      try {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute(postgres ? "CREATE TABLE IF NOT EXISTS " + TABLE + " (id VARCHAR(128) PRIMARY"
              + " KEY, at_utc TIMESTAMP(3) NOT NULL, cluster VARCHAR(64) NOT NULL, node"
              + " VARCHAR(64) NOT NULL, type VARCHAR(32) NOT NULL, severity VARCHAR(16) NOT NULL,"
              + " integration VARCHAR(64), exchange_id VARCHAR(128), correlation_id VARCHAR(256),"
              + " message TEXT, details TEXT)"
              : "CREATE TABLE IF NOT EXISTS " + TABLE + " (id VARCHAR(128) PRIMARY KEY, at_utc"
              + " DATETIME(3) NOT NULL, cluster VARCHAR(64) NOT NULL, node VARCHAR(64) NOT NULL,"
              + " type VARCHAR(32) NOT NULL, severity VARCHAR(16) NOT NULL, integration"
              + " VARCHAR(64), exchange_id VARCHAR(128), correlation_id VARCHAR(256), message"
              + " TEXT, details TEXT, INDEX alpharen_activities_at (at_utc))"
              + " CHARACTER SET utf8mb4");
          if (postgres) {
            s.execute("CREATE INDEX IF NOT EXISTS alpharen_activities_at ON " + TABLE
                + " (at_utc)");
          }
        }
        c.setAutoCommit(false);
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      connection = c;
    }
    return connection;
  }

  @Override
  public void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // broken already
      }
      connection = null;
    }
  }
}
