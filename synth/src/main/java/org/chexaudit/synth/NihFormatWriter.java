package org.chexaudit.synth;

import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Writes the generator's frontal images as a ChestX-ray14-format folder: {@code Data_Entry_2017.csv}
 * ({@code Image Index, Finding Labels, Follow-up #, Patient ID, Patient Age, Patient Gender, View Position})
 * and {@code images/<Image Index>} as 8-bit grey PNG. Finding Labels lists, {@code |}-separated, the
 * positive findings that NIH names the same way (Effusion for Pleural Effusion); none gives "No Finding".
 * NIH has no uncertain labels, so an uncertain finding is not listed. An optional {@link PlantedGap}
 * (attribute sex only: NIH has no race or insurance) weakens one finding in one group's images.
 */
public final class NihFormatWriter {
  public static final String DATA_ENTRY = "Data_Entry_2017.csv";
  /** NIH name <- CheXpert label, for the findings both datasets name. */
  static final Map<String, String> NIH_NAMES = names();

  private final SynthGenerator generator;
  private final ChestImagePainter painter;
  private final ChestImagePainter plantedPainter;
  private final PlantedGap gap;

  public NihFormatWriter(SynthConfig config, PlantedGap gap) {
    if (gap != null && !gap.attribute().equals("sex")) {
      throw new IllegalArgumentException("ChestX-ray14 has only sex and age: a planted gap needs attribute sex, got "
          + gap.attribute());
    }
    this.generator = new SynthGenerator(config);
    this.painter = new ChestImagePainter(config);
    this.gap = gap;
    this.plantedPainter = gap == null ? null : new ChestImagePainter(gap.weakened(config));
  }

  private static Map<String, String> names() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String l : List.of("Atelectasis", "Cardiomegaly", "Pneumonia", "Pneumothorax", "Consolidation", "Edema")) {
      m.put(l, l);
    }
    m.put("Pleural Effusion", "Effusion");
    return m;
  }

  /** Images written (0 when {@code images} is false) and data-entry rows. */
  public record Counts(int patients, int rows, int images) {}

  public Counts write(Path root, boolean images) throws IOException {
    Files.createDirectories(root.resolve("images"));
    SynthConfig config = generator.config();
    int patients = 0, rows = 0, written = 0;
    try (BufferedWriter out = Files.newBufferedWriter(root.resolve(DATA_ENTRY), StandardCharsets.UTF_8)) {
      out.write("Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position\n");
      for (int i = 1; i <= generator.plan().trainPatients(); i++) {
        Patient p = generator.patient(i);
        String gender = p.sex().equals("Male") ? "M" : p.sex().equals("Female") ? "F" : "";
        boolean planted = gap != null && gap.group().equals(gender);
        int followUp = 0;
        for (Study s : p.studies()) {
          for (View v : s.views()) {
            if (!v.frontal()) {
              continue;
            }
            List<String> findings = new ArrayList<>();
            NIH_NAMES.forEach((chexpert, nih) -> {
              if (s.label(chexpert) == LabelValue.POSITIVE) {
                findings.add(nih);
              }
            });
            String image = String.format("%08d_%03d.png", i, followUp++);
            String projection = v.projection() == null || v.projection().isEmpty() ? "PA" : v.projection();
            out.write(String.join(",", image, findings.isEmpty() ? "No Finding" : String.join("|", findings),
                Integer.toString(followUp - 1), Integer.toString(i), Integer.toString(s.age()), gender, projection) + "\n");
            rows++;
            if (images) {
              byte[] grey = (planted ? plantedPainter : painter).paint(ImageSpec.of(p, s, v));
              BufferedImage img = new BufferedImage(v.width(), v.height(), BufferedImage.TYPE_BYTE_GRAY);
              img.getRaster().setDataElements(0, 0, v.width(), v.height(), grey);
              ImageIO.write(img, "png", root.resolve("images").resolve(image).toFile());
              written++;
            }
          }
        }
        if (followUp > 0) {
          patients++;
        }
      }
    }
    return new Counts(patients, rows, written);
  }
}
