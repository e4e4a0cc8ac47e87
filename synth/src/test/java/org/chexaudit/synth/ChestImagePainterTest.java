package org.chexaudit.synth;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChestImagePainterTest {
  private static final List<LabelValue> ALL_BLANK =
      Collections.nCopies(ChexpertFormat.LABELS.size(), LabelValue.BLANK);

  @TempDir Path dir;

  /** A frontal view of patient 30 under {@code c} (patients 1..24 have forced rare race strings). */
  private static ImageSpec frontalSpec(SynthConfig c) {
    PatientGenerator g = new PatientGenerator(c, CohortPlan.of(c));
    for (int i = 30; ; i++) {
      Patient p = g.patient(i);
      for (Study s : p.studies()) {
        for (View v : s.views()) {
          if (v.frontal()) {
            return ImageSpec.of(p, s, v);
          }
        }
      }
    }
  }

  private static List<LabelValue> only(String label, LabelValue v) {
    List<LabelValue> l = new ArrayList<>(ALL_BLANK);
    l.set(ChexpertFormat.labelIndex(label), v);
    return l;
  }

  @Test
  void withFindingStrengthsZeroThePixelsDoNotDependOnLabels() {
    SynthConfig c = SynthConfig.builder().scaleFindingStrengths(0).build();
    ChestImagePainter painter = new ChestImagePainter(c);
    ImageSpec spec = frontalSpec(c);
    byte[] none = painter.paint(spec.withLabels(ALL_BLANK));
    byte[] all = painter.paint(spec.withLabels(
        Collections.nCopies(ChexpertFormat.LABELS.size(), LabelValue.POSITIVE)));
    assertThat(Arrays.equals(none, all), is(true));
  }

  @Test
  void withDemographicSignalsZeroThePixelsDoNotDependOnSexRaceOrAge() {
    SynthConfig c = SynthConfig.builder().sexSignal(0).raceSignal(0).ageSignal(0).build();
    ChestImagePainter painter = new ChestImagePainter(c);
    ImageSpec spec = frontalSpec(c);
    byte[] a = painter.paint(spec.withDemographics("Male", RaceGroup.WHITE, 25));
    byte[] b = painter.paint(spec.withDemographics("Female", RaceGroup.BLACK, 85));
    assertThat(Arrays.equals(a, b), is(true));
  }

  @Test
  void eachDemographicSignalChangesThePixelsWhenOn() {
    ChestImagePainter painter = new ChestImagePainter(SynthConfig.defaults());
    ImageSpec spec = frontalSpec(SynthConfig.defaults()).withDemographics("Male", RaceGroup.WHITE, 40);
    byte[] base = painter.paint(spec);
    assertThat(meanAbsDiff(base, painter.paint(spec.withDemographics("Female", RaceGroup.WHITE, 40))),
        greaterThan(1.0));
    assertThat(meanAbsDiff(base, painter.paint(spec.withDemographics("Male", RaceGroup.ASIAN, 40))),
        greaterThan(1.0));
    assertThat(meanAbsDiff(base, painter.paint(spec.withDemographics("Male", RaceGroup.WHITE, 85))),
        greaterThan(1.0));
  }

  @Test
  void pleuralEffusionBrightensTheLungBasesOnly() {
    SynthConfig c = SynthConfig.defaults();
    ChestImagePainter painter = new ChestImagePainter(c);
    ImageSpec spec = frontalSpec(c);
    byte[] none = painter.paint(spec.withLabels(ALL_BLANK));
    byte[] effusion = painter.paint(
        spec.withLabels(only("Pleural Effusion", LabelValue.POSITIVE)));
    ChestLayout layout = new ChestLayout(spec, c.seed());
    int w = spec.width();
    double upper = 0;
    double maxBase = 0;
    for (int y = 0; y < spec.height(); y++) {
      for (int x = 0; x < w; x++) {
        int d = (effusion[y * w + x] & 0xff) - (none[y * w + x] & 0xff);
        if (y < layout.lungs.get(0).cy() - 2 && y < layout.lungs.get(1).cy() - 2) {
          upper += Math.abs(d);
        }
      }
    }
    // Mean change over the lower fifth of each lung field, where the meniscus always reaches.
    for (Ellipse lung : layout.lungs) {
      double sum = 0;
      int n = 0;
      for (int y = (int) (lung.cy() + 0.75 * lung.ry()); y < lung.cy() + 0.9 * lung.ry(); y++) {
        for (int x = (int) (lung.cx() - 0.2 * lung.rx()); x < lung.cx() + 0.2 * lung.rx(); x++) {
          sum += (effusion[y * w + x] & 0xff) - (none[y * w + x] & 0xff);
          n++;
        }
      }
      maxBase = Math.max(maxBase, sum / n);
    }
    assertThat(upper, equalTo(0.0));
    assertThat(maxBase, greaterThan(30.0));
  }

  @Test
  void everyPaintedFindingChangesThePixelsAndFractureIsTheNegativeControl() {
    SynthConfig c = SynthConfig.defaults();
    ChestImagePainter painter = new ChestImagePainter(c);
    ImageSpec spec = frontalSpec(c);
    byte[] none = painter.paint(spec.withLabels(ALL_BLANK));
    for (String label : FindingPatterns.PAINTED) {
      double d = meanAbsDiff(none, painter.paint(spec.withLabels(only(label, LabelValue.POSITIVE))));
      if (label.equals("Fracture")) {
        assertThat(label, d, equalTo(0.0));
      } else {
        assertThat(label, d, greaterThan(0.05));
      }
    }
    // Uncertain labels are painted too, at half strength by default.
    double full = meanAbsDiff(none,
        painter.paint(spec.withLabels(only("Cardiomegaly", LabelValue.POSITIVE))));
    double half = meanAbsDiff(none,
        painter.paint(spec.withLabels(only("Cardiomegaly", LabelValue.UNCERTAIN))));
    assertThat(half, lessThan(0.7 * full));
    assertThat(half, greaterThan(0.3 * full));
    // And Fracture draws once its strength is set.
    ChestImagePainter withFracture =
        new ChestImagePainter(c.toBuilder().findingStrength("Fracture", 1).build());
    assertThat(meanAbsDiff(withFracture.paint(spec.withLabels(ALL_BLANK)),
        withFracture.paint(spec.withLabels(only("Fracture", LabelValue.POSITIVE)))), greaterThan(0.05));
  }

  @Test
  void raceShowsInsideFindingsOnlyWhenTied() {
    ImageSpec spec = frontalSpec(SynthConfig.defaults());
    double untied = findingDifferenceBetweenRaces(SynthConfig.defaults(), spec);
    double tied = findingDifferenceBetweenRaces(
        SynthConfig.builder().raceFindingCoupling(1).build(), spec);
    assertThat(untied, lessThan(0.3));
    assertThat(tied, greaterThan(2.0));
  }

  /** Mean |(finding - none)_White - (finding - none)_Black| over pixels. */
  private static double findingDifferenceBetweenRaces(SynthConfig c, ImageSpec spec) {
    ChestImagePainter painter = new ChestImagePainter(c);
    List<LabelValue> opacity = only("Lung Opacity", LabelValue.POSITIVE);
    opacity.set(ChexpertFormat.labelIndex("Pleural Effusion"), LabelValue.POSITIVE);
    int[] dw = diff(painter, spec.withDemographics("Male", RaceGroup.WHITE, 50), opacity);
    int[] db = diff(painter, spec.withDemographics("Male", RaceGroup.BLACK, 50), opacity);
    double s = 0;
    for (int i = 0; i < dw.length; i++) {
      s += Math.abs(dw[i] - db[i]);
    }
    return s / dw.length;
  }

  private static int[] diff(ChestImagePainter painter, ImageSpec spec, List<LabelValue> labels) {
    byte[] a = painter.paint(spec.withLabels(labels));
    byte[] b = painter.paint(spec.withLabels(ALL_BLANK));
    int[] d = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = (a[i] & 0xff) - (b[i] & 0xff);
    }
    return d;
  }

  @Test
  void imagesAreGreyJpegsOfTheListedSizeAndIdenticalForAnyThreadCount() throws IOException {
    SynthConfig c = SynthConfig.builder().patients(12).imageSize(64, 160).build();
    SynthGenerator g = new SynthGenerator(c);
    long n1 = g.writeImages(dir.resolve("one"), 1, null);
    long n2 = new SynthGenerator(c).writeImages(dir.resolve("two"), 3, null);
    assertThat(n1, is(g.plan().totalImages()));
    assertThat(n2, is(n1));
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir.resolve("one"))) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    assertThat((long) files.size(), is(n1));
    for (Path f : files) {
      Path other = dir.resolve("two").resolve(dir.resolve("one").relativize(f));
      assertThat(f.toString(), Files.readAllBytes(other), equalTo(Files.readAllBytes(f)));
    }
    Patient p = g.patient(1);
    View v = p.studies().get(0).views().get(0);
    BufferedImage img = ImageIO.read(dir.resolve("one").resolve(v.path()).toFile());
    assertThat(img.getType(), is(BufferedImage.TYPE_BYTE_GRAY));
    assertThat(img.getWidth(), is(v.width()));
    assertThat(img.getHeight(), is(v.height()));
    // A different seed paints a different image.
    SynthConfig other = c.toBuilder().seed(7).build();
    ImageSpec spec = ImageSpec.of(p, p.studies().get(0), v);
    assertThat(Arrays.equals(new ChestImagePainter(c).paint(spec),
        new ChestImagePainter(other).paint(spec)), is(false));
  }

  private static double meanAbsDiff(byte[] a, byte[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
    }
    return s / a.length;
  }
}
