package org.chexaudit.transforms;

/** Configuration-time argument checks with messages that name the transform, field and value. */
final class Checks {
  private Checks() {}

  static void checkArgument(boolean ok, String message, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(message, args));
    }
  }
}
