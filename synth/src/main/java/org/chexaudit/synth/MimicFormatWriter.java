package org.chexaudit.synth;

import org.chexaudit.core.image.JpegEncoder;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the generator's patients as a MIMIC-CXR-JPG-format folder for CheXclusion's adapter:
 * {@code mimic-cxr-2.0.0-chexpert.csv} (subject_id, study_id, the 14 labels in MIMIC's alphabetical
 * column order), {@code mimic-cxr-metadata-detail.csv} (one row per image: subject_id, dicom_id,
 * study_id, gender, age_decile, race, insurance), and {@code files/pXX/p<subject>/s<study>/<dicom>.jpg}.
 * Race uses MIMIC's strings (the generator's race group; its OTHER group spread over MIMIC's other
 * strings, including the missing codes), insurance is drawn per patient at CheXclusion's shares
 * (Medicare 46.07 %, Other 44.95 %, Medicaid 8.98 %). An optional {@link PlantedGap} weakens one
 * finding in one group's images.
 */
public final class MimicFormatWriter {
  public static final String LABELS_CSV = "mimic-cxr-2.0.0-chexpert.csv";
  public static final String METADATA_CSV = "mimic-cxr-metadata-detail.csv";
  static final List<String> LABEL_COLUMNS = ChexpertFormat.LABELS.stream().sorted().toList();
  private static final long INSURANCE_KEY = 101;
  private static final long RACE_KEY = 102;
  private static final String[] INSURANCE = {"Medicare", "Other", "Medicaid"};
  private static final double[] INSURANCE_WEIGHTS = {46.07, 44.95, 8.98};
  private static final String[] OTHER_RACES = {"HISPANIC/LATINO", "OTHER", "AMERICAN INDIAN/ALASKA NATIVE", "UNKNOWN",
      "UNABLE TO OBTAIN"};
  private static final double[] OTHER_RACE_WEIGHTS = {6.41, 3.83, 0.29, 2.0, 1.0};
  private static final Map<RaceGroup, String> RACES = Map.of(RaceGroup.WHITE, "WHITE",
      RaceGroup.BLACK, "BLACK/AFRICAN AMERICAN", RaceGroup.ASIAN, "ASIAN");

  private final SynthGenerator generator;
  private final ChestImagePainter painter;
  private final ChestImagePainter plantedPainter;
  private final PlantedGap gap;

  public MimicFormatWriter(SynthConfig config, PlantedGap gap) {
    this.generator = new SynthGenerator(config);
    this.painter = new ChestImagePainter(config);
    this.gap = gap;
    this.plantedPainter = gap == null ? null : new ChestImagePainter(gap.weakened(config));
  }

  /** Row counts written. */
  public record Counts(int subjects, int studies, int images) {}

  public Counts write(Path root, boolean images) throws IOException {
    Files.createDirectories(root);
    SynthConfig config = generator.config();
    int subjects = 0, studies = 0, written = 0;
    try (BufferedWriter labels = Files.newBufferedWriter(root.resolve(LABELS_CSV), StandardCharsets.UTF_8);
        BufferedWriter meta = Files.newBufferedWriter(root.resolve(METADATA_CSV), StandardCharsets.UTF_8)) {
      labels.write("subject_id,study_id," + String.join(",", LABEL_COLUMNS) + "\n");
      meta.write("subject_id,dicom_id,study_id,gender,age_decile,race,insurance\n");
      for (int i = 1; i <= generator.plan().trainPatients(); i++) {
        Patient p = generator.patient(i);
        if (p.studies().isEmpty()) {
          continue;
        }
        subjects++;
        String subject = Integer.toString(10_000_000 + i);
        String gender = p.sex().equals("Male") ? "M" : p.sex().equals("Female") ? "F" : "";
        String race = race(config.seed(), p);
        String insurance = INSURANCE[SynthRandom.of(config.seed(), INSURANCE_KEY, i).choose(INSURANCE_WEIGHTS)];
        String decile = decile(p.studies().get(0).age());
        boolean planted = gap != null && gap.group().equals(switch (gap.attribute()) {
          case "insurance" -> insurance;
          case "race" -> race;
          default -> gender;
        });
        for (Study s : p.studies()) {
          studies++;
          String study = Integer.toString(50_000_000 + i * 100 + s.number());
          List<String> cells = new ArrayList<>(List.of(subject, study));
          for (String l : LABEL_COLUMNS) {
            cells.add(s.label(l).csv());
          }
          labels.write(String.join(",", cells) + "\n");
          for (View v : s.views()) {
            String dicom = String.format("%08x-%02x%02x", i, s.number(), v.number());
            meta.write(String.join(",", subject, dicom, study, gender, decile, csv(race), insurance) + "\n");
            if (images) {
              Path file = root.resolve("files/p" + subject.substring(0, 2) + "/p" + subject + "/s" + study + "/" + dicom + ".jpg");
              Files.createDirectories(file.getParent());
              byte[] grey = (planted ? plantedPainter : painter).paint(ImageSpec.of(p, s, v));
              Files.write(file, JpegEncoder.encodePercent(grey, v.width(), v.height(), config.jpegQuality()));
              written++;
            }
          }
        }
      }
    }
    return new Counts(subjects, studies, written);
  }

  private static String race(long seed, Patient p) {
    String r = RACES.get(p.raceGroup());
    return r != null ? r : OTHER_RACES[SynthRandom.of(seed, RACE_KEY, p.index()).choose(OTHER_RACE_WEIGHTS)];
  }

  /** MIMIC's age_decile string of an age: "50-60", ..., ">=90". */
  static String decile(int age) {
    if (age >= 90) {
      return ">=90";
    }
    int lo = Math.max(0, age) / 10 * 10;
    return lo + "-" + (lo + 10);
  }

  private static String csv(String s) {
    return s.contains(",") ? '"' + s + '"' : s;
  }
}
