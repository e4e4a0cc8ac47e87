package org.chexaudit.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the generator can be told: cohort size, seed, image sizes, label rates, demographic
 * prevalence shifts and the strength of every planted image effect. Immutable; change it through
 * {@link #toBuilder()}. Every strength may be 0, which removes that effect from the pixels.
 */
public final class SynthConfig {
  /** CheXpert-v1.0 train.csv: 223,414 images of 64,540 patients; the demographics file has 65,401. */
  public static final int FULL_ROWS = 223_414;
  public static final int FULL_TRAIN_PATIENTS = 64_540;
  public static final int FULL_DEMO_PATIENTS = 65_401;

  private final int patients;
  private final long seed;
  private final int rows;
  private final int demoPatients;
  private final double missingFromDemoFraction;
  private final double demoOnlyFraction;
  private final double meanImagesPerPatient;
  private final double femaleFraction;
  private final double unknownSexFraction;
  private final double sexMismatchFraction;
  private final int minImageSize;
  private final int maxImageSize;
  private final int jpegQuality;
  private final Map<String, Double> findingStrengths;
  private final double uncertainStrength;
  private final double sexSignal;
  private final double raceSignal;
  private final double ageSignal;
  private final double raceFindingCoupling;
  private final double noise;
  private final Map<String, LabelRates> labelRates;
  private final List<PrevalenceShift> prevalenceShifts;
  private final double ageDiseaseEffect;

  private SynthConfig(Builder b) {
    this.patients = b.patients;
    this.seed = b.seed;
    this.rows = b.rows;
    this.demoPatients = b.demoPatients;
    this.missingFromDemoFraction = b.missingFromDemoFraction;
    this.demoOnlyFraction = b.demoOnlyFraction;
    this.meanImagesPerPatient = b.meanImagesPerPatient;
    this.femaleFraction = b.femaleFraction;
    this.unknownSexFraction = b.unknownSexFraction;
    this.sexMismatchFraction = b.sexMismatchFraction;
    this.minImageSize = b.minImageSize;
    this.maxImageSize = b.maxImageSize;
    this.jpegQuality = b.jpegQuality;
    this.findingStrengths = Collections.unmodifiableMap(new LinkedHashMap<>(b.findingStrengths));
    this.uncertainStrength = b.uncertainStrength;
    this.sexSignal = b.sexSignal;
    this.raceSignal = b.raceSignal;
    this.ageSignal = b.ageSignal;
    this.raceFindingCoupling = b.raceFindingCoupling;
    this.noise = b.noise;
    this.labelRates = Collections.unmodifiableMap(new LinkedHashMap<>(b.labelRates));
    this.prevalenceShifts = List.copyOf(b.prevalenceShifts);
    this.ageDiseaseEffect = b.ageDiseaseEffect;
  }

  /** The defaults: a 600-patient demo, every planted effect at strength 1 except Fracture (0). */
  public static SynthConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Number of patients in train.csv (patient00001 .. patientNNNNN). */
  public int patients() {
    return patients;
  }

  public long seed() {
    return seed;
  }

  /** Exact number of train.csv rows, or 0 for whatever the per-patient image counts add up to. */
  public int rows() {
    return rows;
  }

  /** Exact number of rows in the demographics file, or 0 to derive it from the fractions. */
  public int demoPatients() {
    return demoPatients;
  }

  /** Share of train.csv patients absent from the demographics file. */
  public double missingFromDemoFraction() {
    return missingFromDemoFraction;
  }

  /** Extra demographics-only patients (no images), as a share of {@link #patients()}. */
  public double demoOnlyFraction() {
    return demoOnlyFraction;
  }

  public double meanImagesPerPatient() {
    return meanImagesPerPatient;
  }

  public double femaleFraction() {
    return femaleFraction;
  }

  public double unknownSexFraction() {
    return unknownSexFraction;
  }

  /** Share of patients whose GENDER in the spreadsheet disagrees with Sex in train.csv. */
  public double sexMismatchFraction() {
    return sexMismatchFraction;
  }

  public int minImageSize() {
    return minImageSize;
  }

  public int maxImageSize() {
    return maxImageSize;
  }

  public int jpegQuality() {
    return jpegQuality;
  }

  /** Strength of each label's planted pattern (labels with no entry are not painted). */
  public Map<String, Double> findingStrengths() {
    return findingStrengths;
  }

  public double findingStrength(String label) {
    return findingStrengths.getOrDefault(label, 0.0);
  }

  /** Factor applied to a finding's strength when its label is -1.0 (uncertain). */
  public double uncertainStrength() {
    return uncertainStrength;
  }

  public double sexSignal() {
    return sexSignal;
  }

  public double raceSignal() {
    return raceSignal;
  }

  public double ageSignal() {
    return ageSignal;
  }

  /** How strongly race modulates the finding patterns themselves (0 = race not tied to disease). */
  public double raceFindingCoupling() {
    return raceFindingCoupling;
  }

  /** Pixel noise amplitude (grey levels, uniform +-noise/2 plus smooth variation). */
  public double noise() {
    return noise;
  }

  public Map<String, LabelRates> labelRates() {
    return labelRates;
  }

  public List<PrevalenceShift> prevalenceShifts() {
    return prevalenceShifts;
  }

  /** Strength of the (real-world-like) rise of effusion, cardiomegaly, edema, devices with age. */
  public double ageDiseaseEffect() {
    return ageDiseaseEffect;
  }

  /** Options as a map, for manifests and logs. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("patients", patients);
    m.put("seed", seed);
    m.put("rows", rows);
    m.put("demoPatients", demoPatients);
    m.put("missingFromDemoFraction", missingFromDemoFraction);
    m.put("demoOnlyFraction", demoOnlyFraction);
    m.put("meanImagesPerPatient", meanImagesPerPatient);
    m.put("femaleFraction", femaleFraction);
    m.put("unknownSexFraction", unknownSexFraction);
    m.put("sexMismatchFraction", sexMismatchFraction);
    m.put("minImageSize", minImageSize);
    m.put("maxImageSize", maxImageSize);
    m.put("jpegQuality", jpegQuality);
    m.put("findingStrengths", findingStrengths);
    m.put("uncertainStrength", uncertainStrength);
    m.put("sexSignal", sexSignal);
    m.put("raceSignal", raceSignal);
    m.put("ageSignal", ageSignal);
    m.put("raceFindingCoupling", raceFindingCoupling);
    m.put("noise", noise);
    Map<String, String> rates = new LinkedHashMap<>();
    labelRates.forEach((k, v) -> rates.put(k, v.positive() + ":" + v.uncertain() + ":" + v.negative()));
    m.put("labelRates", rates);
    m.put("prevalenceShifts", prevalenceShifts.stream().map(PrevalenceShift::toString).toList());
    m.put("ageDiseaseEffect", ageDiseaseEffect);
    return m;
  }

  /** Mutable builder; {@link #build()} validates and names the bad field. */
  public static final class Builder {
    private int patients = 600;
    private long seed = 42;
    private int rows = 0;
    private int demoPatients = 0;
    private double missingFromDemoFraction = 0.01;
    private double demoOnlyFraction = 0.013;
    private double meanImagesPerPatient = (double) FULL_ROWS / FULL_TRAIN_PATIENTS;
    private double femaleFraction = 0.406;
    private double unknownSexFraction = 2e-5;
    private double sexMismatchFraction = 0.002;
    private int minImageSize = 256;
    private int maxImageSize = 384;
    private int jpegQuality = 90;
    private final Map<String, Double> findingStrengths = new LinkedHashMap<>();
    private double uncertainStrength = 0.5;
    private double sexSignal = 1.0;
    private double raceSignal = 1.0;
    private double ageSignal = 1.0;
    private double raceFindingCoupling = 0.0;
    private double noise = 10.0;
    private final Map<String, LabelRates> labelRates = LabelRates.chexpertLike();
    private final List<PrevalenceShift> prevalenceShifts = new ArrayList<>();
    private double ageDiseaseEffect = 1.0;

    private Builder() {
      for (String label : FindingPatterns.PAINTED) {
        findingStrengths.put(label, 1.0);
      }
      // Negative control: Fracture has a pattern, but it is off unless asked for.
      findingStrengths.put("Fracture", 0.0);
    }

    private Builder(SynthConfig c) {
      patients = c.patients;
      seed = c.seed;
      rows = c.rows;
      demoPatients = c.demoPatients;
      missingFromDemoFraction = c.missingFromDemoFraction;
      demoOnlyFraction = c.demoOnlyFraction;
      meanImagesPerPatient = c.meanImagesPerPatient;
      femaleFraction = c.femaleFraction;
      unknownSexFraction = c.unknownSexFraction;
      sexMismatchFraction = c.sexMismatchFraction;
      minImageSize = c.minImageSize;
      maxImageSize = c.maxImageSize;
      jpegQuality = c.jpegQuality;
      findingStrengths.putAll(c.findingStrengths);
      uncertainStrength = c.uncertainStrength;
      sexSignal = c.sexSignal;
      raceSignal = c.raceSignal;
      ageSignal = c.ageSignal;
      raceFindingCoupling = c.raceFindingCoupling;
      noise = c.noise;
      labelRates.clear();
      labelRates.putAll(c.labelRates);
      prevalenceShifts.addAll(c.prevalenceShifts);
      ageDiseaseEffect = c.ageDiseaseEffect;
    }

    /** CheXpert size: 64,540 train.csv patients, 223,414 rows, 65,401 demographics rows. */
    public Builder full() {
      patients = FULL_TRAIN_PATIENTS;
      rows = FULL_ROWS;
      demoPatients = FULL_DEMO_PATIENTS;
      return this;
    }

    public Builder patients(int v) {
      patients = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder rows(int v) {
      rows = v;
      return this;
    }

    public Builder demoPatients(int v) {
      demoPatients = v;
      return this;
    }

    public Builder missingFromDemoFraction(double v) {
      missingFromDemoFraction = v;
      return this;
    }

    public Builder demoOnlyFraction(double v) {
      demoOnlyFraction = v;
      return this;
    }

    public Builder meanImagesPerPatient(double v) {
      meanImagesPerPatient = v;
      return this;
    }

    public Builder femaleFraction(double v) {
      femaleFraction = v;
      return this;
    }

    public Builder unknownSexFraction(double v) {
      unknownSexFraction = v;
      return this;
    }

    public Builder sexMismatchFraction(double v) {
      sexMismatchFraction = v;
      return this;
    }

    public Builder imageSize(int min, int max) {
      minImageSize = min;
      maxImageSize = max;
      return this;
    }

    public Builder jpegQuality(int v) {
      jpegQuality = v;
      return this;
    }

    /** Sets one label's planted-pattern strength (0 turns it off). */
    public Builder findingStrength(String label, double strength) {
      if (!FindingPatterns.PAINTED.contains(label)) {
        throw new IllegalArgumentException("label '" + label + "' has no planted pattern; painted"
            + " labels are " + FindingPatterns.PAINTED);
      }
      findingStrengths.put(label, strength);
      return this;
    }

    /** Multiplies every finding strength by {@code factor} (0 removes all disease patterns). */
    public Builder scaleFindingStrengths(double factor) {
      findingStrengths.replaceAll((k, v) -> v * factor);
      return this;
    }

    public Builder uncertainStrength(double v) {
      uncertainStrength = v;
      return this;
    }

    public Builder sexSignal(double v) {
      sexSignal = v;
      return this;
    }

    public Builder raceSignal(double v) {
      raceSignal = v;
      return this;
    }

    public Builder ageSignal(double v) {
      ageSignal = v;
      return this;
    }

    public Builder raceFindingCoupling(double v) {
      raceFindingCoupling = v;
      return this;
    }

    public Builder noise(double v) {
      noise = v;
      return this;
    }

    public Builder labelRates(String label, LabelRates rates) {
      ChexpertFormat.labelIndex(label);
      if (label.equals("No Finding") && (rates.uncertain() > 0 || rates.negative() > 0)) {
        throw new IllegalArgumentException(
            "No Finding is only 1.0 or blank in CheXpert; its uncertain and negative rates must be 0");
      }
      labelRates.put(label, rates);
      return this;
    }

    public Builder prevalenceShift(PrevalenceShift shift) {
      prevalenceShifts.add(shift);
      return this;
    }

    public Builder ageDiseaseEffect(double v) {
      ageDiseaseEffect = v;
      return this;
    }

    public SynthConfig build() {
      positive("patients", patients);
      nonNegative("rows", rows);
      nonNegative("demoPatients", demoPatients);
      fraction("missingFromDemoFraction", missingFromDemoFraction);
      fraction("demoOnlyFraction", demoOnlyFraction);
      fraction("femaleFraction", femaleFraction);
      fraction("unknownSexFraction", unknownSexFraction);
      fraction("sexMismatchFraction", sexMismatchFraction);
      if (!(meanImagesPerPatient >= 1 && meanImagesPerPatient <= 100)) {
        throw new IllegalArgumentException(
            "meanImagesPerPatient must be in [1, 100], got " + meanImagesPerPatient);
      }
      if (rows > 0 && rows < patients) {
        throw new IllegalArgumentException("rows must be 0 or at least patients (one image each),"
            + " got rows=" + rows + " for patients=" + patients);
      }
      if (minImageSize < 32 || maxImageSize < minImageSize || maxImageSize > 4096) {
        throw new IllegalArgumentException("image size range must satisfy 32 <= min <= max <= 4096,"
            + " got min=" + minImageSize + " max=" + maxImageSize);
      }
      if (jpegQuality < 1 || jpegQuality > 100) {
        throw new IllegalArgumentException("jpegQuality must be in [1, 100], got " + jpegQuality);
      }
      findingStrengths.forEach((label, s) -> nonNegativeStrength("finding strength of " + label, s));
      nonNegativeStrength("uncertainStrength", uncertainStrength);
      nonNegativeStrength("sexSignal", sexSignal);
      nonNegativeStrength("raceSignal", raceSignal);
      nonNegativeStrength("ageSignal", ageSignal);
      nonNegativeStrength("raceFindingCoupling", raceFindingCoupling);
      nonNegativeStrength("noise", noise);
      nonNegativeStrength("ageDiseaseEffect", ageDiseaseEffect);
      for (String label : ChexpertFormat.LABELS) {
        if (!labelRates.containsKey(label)) {
          throw new IllegalArgumentException("labelRates has no entry for '" + label + "'");
        }
      }
      return new SynthConfig(this);
    }

    private static void positive(String field, int v) {
      if (v <= 0) {
        throw new IllegalArgumentException(field + " must be positive, got " + v);
      }
    }

    private static void nonNegative(String field, int v) {
      if (v < 0) {
        throw new IllegalArgumentException(field + " must be >= 0, got " + v);
      }
    }

    private static void fraction(String field, double v) {
      if (!(v >= 0 && v <= 1)) {
        throw new IllegalArgumentException(field + " must be in [0, 1], got " + v);
      }
    }

    private static void nonNegativeStrength(String field, double v) {
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException(field + " must be finite and >= 0, got " + v);
      }
    }
  }
}
