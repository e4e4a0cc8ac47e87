package org.chexaudit.models;

/** The networks this module builds. */
public enum Architecture {
  DENSENET121(new DenseNet121()),
  RESNET34(new ResNet34()),
  SMALL_CNN(new SmallCnn());

  private final Backbone backbone;

  Architecture(Backbone backbone) {
    this.backbone = backbone;
  }

  Backbone backbone() {
    return backbone;
  }

  /** Size of the pooled feature vector (1024 for DenseNet-121, 512 for ResNet-34). */
  public int embeddingSize() {
    return backbone.embeddingSize();
  }

  /** Parses {@code densenet121}, {@code resnet34} or {@code small_cnn} (any case, '-' or '_'). */
  public static Architecture parse(String s) {
    String key = s.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    for (Architecture a : values()) {
      if (a.name().equals(key) || a.name().replace("_", "").equals(key.replace("_", ""))) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown architecture '" + s + "'; expected one of densenet121, resnet34, small_cnn");
  }
}
