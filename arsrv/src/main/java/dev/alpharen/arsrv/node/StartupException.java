package dev.alpharen.arsrv.node;

/** A node could not start for a reason the operator can fix; the message says what and how. */
public final class StartupException extends Exception {
  private static final long serialVersionUID = 1L;

  public StartupException(String message) {
    super(message);
  }

  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
