package org.chexaudit.core.image;

/** An image file that cannot be used, with the category of the problem (used to count dead letters). */
public final class ImageDecodeException extends Exception {
  /** Why a file is unusable; {@link #label} is the dead-letter reason's prefix. */
  public enum Reason {
    MISSING("missing file"),
    EMPTY("empty file"),
    UNREADABLE("unreadable file"),
    NOT_AN_IMAGE("not an image"),
    UNSUPPORTED("unsupported image"),
    TOO_LARGE("image too large"),
    CORRUPT("corrupt image");

    public final String label;

    Reason(String label) {
      this.label = label;
    }
  }

  private final Reason reason;

  public ImageDecodeException(Reason reason, String detail) {
    super(reason.label + ": " + detail);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
