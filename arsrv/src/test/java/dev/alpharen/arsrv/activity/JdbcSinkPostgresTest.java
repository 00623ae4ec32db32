package dev.alpharen.arsrv.activity;

/** The JDBC sink's contract against a private PostgreSQL server. */
class JdbcSinkPostgresTest extends JdbcSinkContract {
  @Override
  TestDatabase startDatabase() throws Exception {
    return PrivatePostgres.start();
  }
}
