package org.chexaudit.core;

/** Configuration-time argument checks with messages that name the transform, field and value. */
public final class Checks {
  private Checks() {}

  public static void checkArgument(boolean ok, String message, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(message, args));
    }
  }
}
