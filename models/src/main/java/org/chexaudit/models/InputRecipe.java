package org.chexaudit.models;

import java.util.Locale;

/**
 * How stored uint8 grey pixels become the network's 3-channel input. Part of the {@link ModelSpec}, so
 * the SavedModel and {@link Predictor} apply the same recipe as training with no option at predict time.
 * The scaling happens in the graph; the centre crop in Java before feeding (images of one batch differ
 * in their long side), at {@link CentreCrop}.
 */
public enum InputRecipe {
  /** chexploration: square images as stored, values 0..255 repeated to 3 channels. */
  RAW(false, null, null),
  /**
   * CheXclusion: torchvision's {@code CenterCrop(size)}, {@code ToTensor()} (x/255) and
   * {@code Normalize(ImageNet mean, std)} of the grey image replicated to 3 channels.
   */
  IMAGENET_CENTRE_CROP(true, new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}),
  /**
   * TorchXRayVision: {@code xrv.datasets.normalize(img, 255)}, i.e. {@code (2 * x/255 - 1) * 1024}
   * (written here as mean 0.5 and std 1/2048 of x/255), of the centre square of the image. A model
   * with a one-channel stem conv is imported onto the three identical channels exactly (see
   * {@link WeightFiles}).
   */
  TORCHXRAYVISION(true, new float[] {0.5f, 0.5f, 0.5f}, new float[] {1f / 2048, 1f / 2048, 1f / 2048});

  private final boolean centreCrop;
  private final float[] mean;
  private final float[] std;

  InputRecipe(boolean centreCrop, float[] mean, float[] std) {
    this.centreCrop = centreCrop;
    this.mean = mean;
    this.std = std;
  }

  /** Stored images may be larger than the model's input; their centre is cut out. */
  public boolean centreCrop() {
    return centreCrop;
  }

  /** Whether pixels are scaled to [0,1] and normalised per channel (else fed as 0..255). */
  public boolean normalised() {
    return mean != null;
  }

  /** Per-channel mean (R, G, B) of the [0,1] values; null for {@link #RAW}. */
  public float[] mean() {
    return mean == null ? null : mean.clone();
  }

  public float[] std() {
    return std == null ? null : std.clone();
  }

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static InputRecipe parse(String s) {
    for (InputRecipe r : values()) {
      if (r.key().equals(s)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown input recipe '" + s + "'; expected one of " + keys());
  }

  /** The recipes' keys, comma-separated. */
  public static String keys() {
    return String.join(", ", java.util.Arrays.stream(values()).map(InputRecipe::key).toList());
  }
}
