package org.chexaudit.synth;

/**
 * The few cohort-wide decisions that cannot be made one patient at a time: how many images each
 * train.csv patient has (so that an exact row total such as CheXpert's 223,414 is met), which
 * patients are missing from the demographics file, how many demographics-only patients there are,
 * and the spreadsheet's row order. Patient indices are 1-based.
 */
public final class CohortPlan {
  /** Patients 1..COVERAGE always appear in both files, so every raw string is present. */
  static final int COVERAGE = Math.max(DemographicStrings.RACES.size(),
      DemographicStrings.ETHNICITIES.size());
  private static final int MAX_IMAGES = 200;

  private final int trainPatients;
  private final int[] imageCounts;
  private final boolean[] missingFromDemo;
  private final int demoOnly;
  private final int[] demoOrder;

  private CohortPlan(int trainPatients, int[] imageCounts, boolean[] missingFromDemo, int demoOnly,
      int[] demoOrder) {
    this.trainPatients = trainPatients;
    this.imageCounts = imageCounts;
    this.missingFromDemo = missingFromDemo;
    this.demoOnly = demoOnly;
    this.demoOrder = demoOrder;
  }

  public static CohortPlan of(SynthConfig config) {
    int n = config.patients();
    int[] counts = new int[n + 1];
    boolean[] missing = new boolean[n + 1];
    long total = 0;
    int missingCount = 0;
    for (int i = 1; i <= n; i++) {
      counts[i] = naturalImageCount(config, i);
      total += counts[i];
      missing[i] = i > COVERAGE && SynthRandom.of(config.seed(), i, StreamKeys.MEMBERSHIP)
          .bernoulli(config.missingFromDemoFraction());
      if (missing[i]) {
        missingCount++;
      }
    }
    if (config.rows() > 0) {
      adjustToTotal(counts, config.rows() - total, SynthRandom.of(config.seed(), StreamKeys.PLAN, 1));
    }
    int inBoth = n - missingCount;
    int demoOnly;
    if (config.demoPatients() > 0) {
      demoOnly = config.demoPatients() - inBoth;
      if (demoOnly < 0) {
        throw new IllegalArgumentException("demoPatients=" + config.demoPatients() + " is smaller"
            + " than the " + inBoth + " train.csv patients that are in the demographics file");
      }
    } else {
      demoOnly = (int) Math.round(n * config.demoOnlyFraction());
    }
    int[] order = new int[inBoth + demoOnly];
    int k = 0;
    for (int i = 1; i <= n + demoOnly; i++) {
      if (i > n || !missing[i]) {
        order[k++] = i;
      }
    }
    shuffle(order, SynthRandom.of(config.seed(), StreamKeys.PLAN, 2));
    return new CohortPlan(n, counts, missing, demoOnly, order);
  }

  /** 1 + geometric, mean {@code meanImagesPerPatient}: most patients have a few, some many. */
  private static int naturalImageCount(SynthConfig config, int patient) {
    double extraMean = config.meanImagesPerPatient() - 1;
    if (extraMean <= 0) {
      return 1;
    }
    double q = extraMean / (1 + extraMean);
    double u = 1.0 - SynthRandom.of(config.seed(), patient, StreamKeys.IMAGE_COUNT).nextDouble();
    int extra = (int) Math.floor(StrictMath.log(u) / StrictMath.log(q));
    return Math.min(MAX_IMAGES, 1 + extra);
  }

  /** Adds or removes one image at a time, from patients in a seeded order, until the total fits. */
  private static void adjustToTotal(int[] counts, long delta, SynthRandom rng) {
    int n = counts.length - 1;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i + 1;
    }
    shuffle(order, rng);
    while (delta != 0) {
      long before = delta;
      for (int p : order) {
        if (delta > 0 && counts[p] < MAX_IMAGES) {
          counts[p]++;
          delta--;
        } else if (delta < 0 && counts[p] > 1) {
          counts[p]--;
          delta++;
        }
        if (delta == 0) {
          break;
        }
      }
      if (delta == before) {
        throw new IllegalArgumentException("cannot reach the requested row total; "
            + (delta > 0 ? "too many rows" : "too few rows") + " for " + n + " patients");
      }
    }
  }

  private static void shuffle(int[] a, SynthRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  public int trainPatients() {
    return trainPatients;
  }

  /** Patients in either file: train.csv patients plus demographics-only ones. */
  public int allPatients() {
    return trainPatients + demoOnly;
  }

  public int imageCount(int patient) {
    return patient <= trainPatients ? imageCounts[patient] : 0;
  }

  public boolean inDemo(int patient) {
    return patient > trainPatients || !missingFromDemo[patient];
  }

  public int demoOnlyPatients() {
    return demoOnly;
  }

  /** Patient indices in the order of the spreadsheet's rows. */
  public int[] demoOrder() {
    return demoOrder.clone();
  }

  public long totalImages() {
    long t = 0;
    for (int i = 1; i <= trainPatients; i++) {
      t += imageCounts[i];
    }
    return t;
  }
}
