package dev.alpharen.arwadm;

/**
 * An integration document the runtime refuses: what is wrong, and where in the document (1-based
 * line and column; 0 when the problem has no single place). Immutable.
 */
public final class IntegrationRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;

  /**
   * @param message what is wrong and what is allowed, for the user
   * @param line 1-based line of the document, 0 if unknown
   * @param column 1-based column, 0 if unknown
   */
  public IntegrationRejectedException(String message, int line, int column) {
    super(message);
    if (line < 0 || column < 0) {
      throw new IllegalArgumentException("line and column must be >= 0 (0 = unknown), were "
          + line + ":" + column);
    }
    this.line = line;
    this.column = column;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }
}
