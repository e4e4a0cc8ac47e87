package org.chexaudit.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Makes patient {@code i} from (config, plan, i) alone: demographics, studies, views and labels.
 * Thread-safe and order-independent, so patients can be generated in parallel.
 */
public final class PatientGenerator {
  /** Age bins 0-20, 20-40, 40-60, 60-80, 80- with CheXpert's shares (seeds-spec B2). */
  private static final double[] AGE_BIN_WEIGHTS = {0.87, 13.18, 31.01, 38.94, 16.01};
  /** Frontal images that are neither AP nor PA (CheXpert has about a dozen). */
  private static final double ODD_FRONTAL_PROJECTION = 6e-5;
  private static final double PA_SHARE = 0.16;
  /** Labels whose prevalence rises with age in real chest X-ray data. */
  private static final List<String> AGE_RELATED = List.of("Enlarged Cardiomediastinum",
      "Cardiomegaly", "Edema", "Pleural Effusion", "Atelectasis", "Support Devices");

  private final SynthConfig config;
  private final CohortPlan plan;

  public PatientGenerator(SynthConfig config, CohortPlan plan) {
    this.config = config;
    this.plan = plan;
  }

  public SynthConfig config() {
    return config;
  }

  public CohortPlan plan() {
    return plan;
  }

  public Patient patient(int index) {
    return patient(index, true);
  }

  /**
   * Patient {@code index}; without studies when {@code withStudies} is false (the spreadsheet needs
   * only demographics, which never depend on the studies).
   */
  public Patient patient(int index, boolean withStudies) {
    if (index < 1 || index > plan.allPatients()) {
      throw new IllegalArgumentException(
          "patient index must be in [1, " + plan.allPatients() + "], got " + index);
    }
    SynthRandom demo = SynthRandom.of(config.seed(), index, StreamKeys.DEMOGRAPHICS);
    String sex = drawSex(demo);
    int age = drawAge(demo);
    String race;
    String ethnicity;
    if (index <= DemographicStrings.RACES.size()) {
      race = DemographicStrings.RACES.get(index - 1);
    } else {
      race = DemographicStrings.RACES.get(demo.choose(DemographicStrings.RACE_WEIGHTS));
    }
    if (index <= DemographicStrings.ETHNICITIES.size()) {
      ethnicity = DemographicStrings.ETHNICITIES.get(index - 1);
    } else {
      ethnicity = DemographicStrings.ETHNICITIES.get(
          demo.choose(DemographicStrings.ethnicityWeights(race)));
    }
    String gender = sex;
    if (demo.bernoulli(config.sexMismatchFraction()) && !sex.equals("Unknown")) {
      gender = sex.equals("Male") ? "Female" : "Male";
    }
    RaceGroup group = RaceGroup.ofRaw(race);
    boolean inTrain = index <= plan.trainPatients();
    List<Study> studies = inTrain && withStudies ? studies(index, age, sex, group) : List.of();
    return new Patient(index, ChexpertFormat.patientId(index), inTrain, plan.inDemo(index), sex,
        gender, age, race, ethnicity, group, studies);
  }

  private String drawSex(SynthRandom r) {
    double u = r.nextDouble();
    if (u < config.unknownSexFraction()) {
      return "Unknown";
    }
    return u < config.unknownSexFraction() + config.femaleFraction() ? "Female" : "Male";
  }

  private static int drawAge(SynthRandom r) {
    switch (r.choose(AGE_BIN_WEIGHTS)) {
      case 0:
        return r.intBetween(18, 19);
      case 1:
        return r.intBetween(20, 39);
      case 2:
        return r.intBetween(40, 59);
      case 3:
        return r.intBetween(60, 79);
      default:
        // CheXpert records ages over 89 as 90.
        return r.bernoulli(0.2) ? 90 : r.intBetween(80, 89);
    }
  }

  private List<Study> studies(int patient, int baseAge, String sex, RaceGroup race) {
    SynthRandom layout = SynthRandom.of(config.seed(), patient, StreamKeys.STUDY_LAYOUT);
    int remaining = plan.imageCount(patient);
    List<Study> out = new ArrayList<>();
    double years = 0;
    int studyNumber = 0;
    while (remaining > 0) {
      studyNumber++;
      int views = Math.min(remaining, 1 + layout.choose(new double[] {0.82, 0.165, 0.015}));
      remaining -= views;
      int age = (int) Math.min(90, baseAge + Math.floor(years));
      years += layout.uniform(0, 1.2);
      List<View> vs = new ArrayList<>(views);
      boolean[] frontal = viewKinds(views, layout);
      for (int v = 1; v <= views; v++) {
        boolean f = frontal[v - 1];
        String projection = f ? frontalProjection(layout) : lateralProjection(layout);
        SynthRandom size = SynthRandom.of(config.seed(), patient, StreamKeys.IMAGE, studyNumber, v);
        int w = size.intBetween(config.minImageSize(), config.maxImageSize());
        int h = size.intBetween(config.minImageSize(), config.maxImageSize());
        vs.add(new View(v, f, projection, ChexpertFormat.imagePath(patient, studyNumber, v, f), w, h));
      }
      out.add(new Study(studyNumber, age, labels(patient, studyNumber, age, sex, race),
          Collections.unmodifiableList(vs)));
    }
    return Collections.unmodifiableList(out);
  }

  private static boolean[] viewKinds(int views, SynthRandom r) {
    if (views == 1) {
      return new boolean[] {!r.bernoulli(0.03)};
    }
    if (views == 2) {
      switch (r.choose(new double[] {0.88, 0.08, 0.04})) {
        case 0:
          return new boolean[] {true, false};
        case 1:
          return new boolean[] {true, true};
        default:
          return new boolean[] {false, true};
      }
    }
    return r.bernoulli(0.5) ? new boolean[] {true, true, false} : new boolean[] {true, false, false};
  }

  private static String frontalProjection(SynthRandom r) {
    double u = r.nextDouble();
    if (u < ODD_FRONTAL_PROJECTION) {
      return u < ODD_FRONTAL_PROJECTION / 2 ? "LL" : "RL";
    }
    return r.bernoulli(PA_SHARE) ? "PA" : "AP";
  }

  private static String lateralProjection(SynthRandom r) {
    double u = r.nextDouble();
    return u < 0.015 ? "LL" : u < 0.02 ? "RL" : "";
  }

  private List<LabelValue> labels(int patient, int study, int age, String sex, RaceGroup race) {
    SynthRandom r = SynthRandom.of(config.seed(), patient, StreamKeys.STUDY_LABELS, study);
    LabelValue[] out = new LabelValue[ChexpertFormat.LABELS.size()];
    double ageZ = (age - 60) / 20.0;
    LabelRates nfRates = config.labelRates().get("No Finding");
    double pNoFinding = shifted("No Finding",
        odds(nfRates.positive(), StrictMath.exp(-0.6 * config.ageDiseaseEffect() * ageZ)), sex, race);
    boolean noFinding = r.bernoulli(pNoFinding);
    out[0] = noFinding ? LabelValue.POSITIVE : LabelValue.BLANK;
    for (int i = 1; i < out.length; i++) {
      String label = ChexpertFormat.LABELS.get(i);
      LabelRates rates = config.labelRates().get(label);
      if (noFinding && !label.equals("Support Devices")) {
        // A normal study mentions some findings as absent and leaves the rest blank.
        out[i] = r.bernoulli(Math.min(1, 2 * rates.negative())) ? LabelValue.NEGATIVE : LabelValue.BLANK;
        continue;
      }
      // Scale so that the overall positive rate stays near the configured one.
      double base = label.equals("Support Devices") ? rates.positive()
          : Math.min(0.95, rates.positive() / Math.max(1e-9, 1 - nfRates.positive()));
      double ageFactor = AGE_RELATED.contains(label)
          ? StrictMath.exp(0.5 * config.ageDiseaseEffect() * ageZ) : 1.0;
      double p = shifted(label, odds(base, ageFactor), sex, race);
      double u = rates.uncertain();
      double n = rates.negative();
      if (p + u + n > 1) {
        double scale = (1 - p) / (u + n);
        u *= scale;
        n *= scale;
      }
      double x = r.nextDouble();
      out[i] = x < p ? LabelValue.POSITIVE
          : x < p + u ? LabelValue.UNCERTAIN
          : x < p + u + n ? LabelValue.NEGATIVE
          : LabelValue.BLANK;
    }
    return List.of(out);
  }

  private double shifted(String label, double p, String sex, RaceGroup race) {
    for (PrevalenceShift s : config.prevalenceShifts()) {
      if (s.label().equals(label) && s.appliesTo(race, sex)) {
        p = odds(p, s.oddsRatio());
      }
    }
    return p;
  }

  /** {@code p} with its odds multiplied by {@code factor}. */
  private static double odds(double p, double factor) {
    if (p <= 0 || p >= 1) {
      return p;
    }
    return p * factor / (1 - p + p * factor);
  }
}
