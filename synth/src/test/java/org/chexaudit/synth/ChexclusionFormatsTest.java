package org.chexaudit.synth;

import org.chexaudit.core.image.JpegEncoder;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.core.chexclusion.AdapterResult;
import org.chexaudit.core.chexclusion.MimicAdapter;
import org.chexaudit.core.chexclusion.NihAdapter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MIMIC-CXR- and ChestX-ray14-format synth folders read back by CheXclusion's adapters. */
class ChexclusionFormatsTest {
  static SynthConfig small() {
    return SynthConfig.builder().patients(60).seed(11).imageSize(48, 56).build();
  }

  @Test
  void mimicFolderReadsBackWithPlantedGapPaintedOnlyInItsGroup(@TempDir Path dir) throws Exception {
    PlantedGap gap = PlantedGap.parse("insurance=Medicaid:Cardiomegaly:0.0");
    MimicFormatWriter.Counts counts = new MimicFormatWriter(small(), gap).write(dir, true);
    AdapterResult r = MimicAdapter.create().read(dir.resolve(MimicFormatWriter.LABELS_CSV),
        dir.resolve(MimicFormatWriter.METADATA_CSV));
    assertThat(r.deadLetters().size(), is(0));
    assertThat(r.records().size(), is(counts.images()));
    Map<String, Long> insurance = r.records().stream().filter(x -> x.getAttributes().containsKey("insurance"))
        .collect(Collectors.groupingBy(x -> x.getAttributes().get("insurance"), Collectors.counting()));
    assertThat(insurance.keySet().contains("Medicaid") && insurance.keySet().contains("Medicare"), is(true));

    // every image is the normal painting, except Medicaid patients' images: those are painted without Cardiomegaly
    SynthGenerator g = new SynthGenerator(small());
    ChestImagePainter normal = new ChestImagePainter(small());
    ChestImagePainter weak = new ChestImagePainter(gap.weakened(small()));
    int plantedPositives = 0, checked = 0;
    for (CohortRecord rec : r.records()) {
      int i = Integer.parseInt(rec.getPatientId()) - 10_000_000;
      String[] ids = rec.getId().split("-");
      int study = Integer.parseInt(ids[1].substring(0, 2), 16);
      int view = Integer.parseInt(ids[1].substring(2), 16);
      Patient p = g.patient(i);
      Study s = p.studies().stream().filter(x -> x.number() == study).findFirst().orElseThrow();
      View v = s.views().stream().filter(x -> x.number() == view).findFirst().orElseThrow();
      boolean medicaid = "Medicaid".equals(rec.getAttributes().get("insurance"));
      byte[] file = Files.readAllBytes(dir.resolve(rec.getPath()));
      ImageSpec spec = ImageSpec.of(p, s, v);
      byte[] expected = JpegEncoder.encodePercent((medicaid ? weak : normal).paint(spec), v.width(), v.height(),
          small().jpegQuality());
      assertThat(rec.getId(), Arrays.equals(file, expected), is(true));
      if (medicaid && s.label("Cardiomegaly") == LabelValue.POSITIVE) {
        plantedPositives++;
        assertThat(Arrays.equals(normal.paint(spec), weak.paint(spec)), is(false));
      }
      checked++;
    }
    assertThat(checked, greaterThan(100));
    assertThat(plantedPositives, greaterThan(0));
  }

  @Test
  void decilesAsMimicWritesThem() {
    assertThat(MimicFormatWriter.decile(59), is("50-60"));
    assertThat(MimicFormatWriter.decile(5), is("0-10"));
    assertThat(MimicFormatWriter.decile(90), is(">=90"));
  }

  @Test
  void nihFolderReadsBack(@TempDir Path dir) throws Exception {
    NihFormatWriter.Counts counts = new NihFormatWriter(small(), PlantedGap.parse("sex=F:Edema:0.5")).write(dir, true);
    AdapterResult r = NihAdapter.create().read(dir.resolve(NihFormatWriter.DATA_ENTRY));
    assertThat(r.deadLetters().size(), is(0));
    assertThat(r.records().size(), is(counts.rows()));
    assertThat(counts.images(), is(counts.rows()));
    List<String> diseases = r.records().stream().map(CohortRecord::getDisease).distinct().toList();
    assertThat(diseases.contains("No Finding"), is(true));
    assertThat(Files.size(dir.resolve(r.records().get(0).getPath())), greaterThan(0L));
    assertThat(r.records().get(0).getAttributes().get("sex"), not(is((String) null)));
  }
}
