package org.chexaudit.models;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How a protocol trains beyond the Adam hyper-parameters of {@link TrainConfig}.
 *
 * <ul>
 *   <li>{@link Protocol#CHEXPLORATION} (seeds-spec A5): one Adam for the whole run, fixed learning rate,
 *       all epochs run; flip and, half the time, a random affine; raw 0..255 input.
 *   <li>{@link Protocol#CHEXCLUSION} (seeds-spec B4): Adam re-created at the start of every epoch,
 *       gradients clipped by value to [-{@value #CLIP_VALUE}, {@value #CLIP_VALUE}], learning rate halved
 *       and early stop by {@link PlateauSchedule}; flip then a rotation of up to {@code rotationDegrees};
 *       ImageNet-normalised, centre-cropped input ({@link InputRecipe#IMAGENET_CENTRE_CROP}).
 * </ul>
 *
 * @param rotationDegrees CheXclusion's rotation range (15, NIH 10); unused by chexploration
 * @param patience CheXclusion's early stop: epochs without improvement (10, union 5); unused by chexploration
 */
public record Regimen(Protocol protocol, double rotationDegrees, int patience) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** CheXclusion's {@code clamp_(-0.5, 0.5)} of every gradient element. */
  public static final float CLIP_VALUE = 0.5f;
  /** CheXclusion halves the learning rate once this many epochs passed without improvement. */
  public static final int DECAY_AFTER = 3;

  /** The two audits this project reproduces. */
  public enum Protocol {
    CHEXPLORATION, CHEXCLUSION;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Protocol parse(String s) {
      for (Protocol p : values()) {
        if (p.key().equals(s == null ? null : s.trim().toLowerCase(Locale.ROOT))) {
          return p;
        }
      }
      throw new IllegalArgumentException("unknown protocol '" + s + "'; expected chexploration or chexclusion");
    }
  }

  public Regimen {
    java.util.Objects.requireNonNull(protocol, "Regimen.protocol can not be null");
    if (protocol == Protocol.CHEXCLUSION) {
      if (!(rotationDegrees >= 0 && rotationDegrees <= 180)) {
        throw new IllegalArgumentException("Regimen.rotationDegrees must be in 0..180, got " + rotationDegrees);
      }
      if (patience < DECAY_AFTER) {
        throw new IllegalArgumentException("Regimen.patience must be >= " + DECAY_AFTER
            + " (the stop is checked only once the learning rate decays), got " + patience);
      }
    }
  }

  public static Regimen chexploration() {
    return new Regimen(Protocol.CHEXPLORATION, 0, 0);
  }

  public static Regimen chexclusion(double rotationDegrees, int patience) {
    return new Regimen(Protocol.CHEXCLUSION, rotationDegrees, patience);
  }

  boolean isChexclusion() {
    return protocol == Protocol.CHEXCLUSION;
  }

  boolean resetAdamEachEpoch() {
    return isChexclusion();
  }

  /** 0: no clipping. */
  float clipValue() {
    return isChexclusion() ? CLIP_VALUE : 0f;
  }

  /** The learning-rate schedule, or null for a fixed rate and no early stop. */
  PlateauSchedule plateau() {
    return isChexclusion() ? new PlateauSchedule(DECAY_AFTER, patience) : null;
  }

  InputRecipe input() {
    return isChexclusion() ? InputRecipe.IMAGENET_CENTRE_CROP : InputRecipe.RAW;
  }

  /** For model.json: the protocol, and for CheXclusion every setting it implies. */
  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("protocol", protocol.key());
    if (isChexclusion()) {
      m.put("adamResetEachEpoch", true);
      m.put("gradientClipValue", CLIP_VALUE);
      m.put("lrHalvedAfterEpochsWithoutImprovement", DECAY_AFTER);
      m.put("patience", patience);
      m.put("augmentation", "flip, rotation +-" + rotationDegrees + " deg (nearest, fill 0), centre crop");
      m.put("rotationDegrees", rotationDegrees);
    }
    return m;
  }
}
