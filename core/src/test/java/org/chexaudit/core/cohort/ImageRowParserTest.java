package org.chexaudit.core.cohort;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.chexaudit.schemas.CohortRecord;
import org.junit.jupiter.api.Test;

class ImageRowParserTest {
  private static final CohortSpec SPEC = CohortSpec.chexpert();
  private static final List<String> HEADER = header();

  private static List<String> header() {
    List<String> h = new ArrayList<>(List.of("Path", "Sex", "Age", "Frontal/Lateral", "AP/PA"));
    h.addAll(SPEC.labels);
    return h;
  }

  private static List<String> row(String path, String age, String noFinding, String effusion) {
    List<String> r = new ArrayList<>(List.of(path, "Female", age, "Frontal", "PA"));
    String[] labels = new String[14];
    Arrays.fill(labels, "");
    labels[0] = noFinding;
    labels[10] = effusion;
    r.addAll(List.of(labels));
    return r;
  }

  private static CohortRecord parse(String nf, String pe) throws Exception {
    return new ImageRowParser(SPEC, HEADER)
        .parse(7, row("CheXpert-v1.0/train/patient00002/study2/view1_frontal.jpg", "68", nf, pe));
  }

  @Test
  void derivesIdPatientAndPreprocPathFromThePath() throws Exception {
    CohortRecord r = parse("", "");
    assertThat(r.getPatientId(), equalTo("patient00002"));
    assertThat(r.getId(), equalTo("patient00002_study2_view1_frontal"));
    assertThat(r.getPathPreproc(), equalTo("preproc_224x224/patient00002_study2_view1_frontal.jpg"));
    assertThat(r.getRowIndex(), is(7L));
    assertThat(r.getAge(), is(68));
    assertThat(r.getSexLabel(), is(1));
  }

  @Test
  void pleuralEffusionOverridesNoFindingAndUncertainCountsAsOther() throws Exception {
    assertThat(parse("1.0", "1.0").getDiseaseLabel(), is(1));
    assertThat(parse("1.0", "").getDisease(), equalTo("No Finding"));
    assertThat(parse("", "-1.0").getDisease(), equalTo("Other"));
    assertThat(parse("", "0.0").getDiseaseLabel(), is(2));
  }

  @Test
  void labelsKeepUncertainAndBlank() throws Exception {
    CohortRecord r = parse("", "-1.0");
    assertThat(r.getLabels().get(10), is(-1f));
    assertThat(r.getLabels().get(0), nullValue());
  }

  @Test
  void badValuesAreRejectedWithTheirReason() {
    ImageRowParser p = new ImageRowParser(SPEC, HEADER);
    var e1 = assertThrows(ImageRowParser.BadRowException.class,
        () -> p.parse(0, row("CheXpert-v1.0/train/patient1/study1/v.jpg", "sixty", "", "")));
    assertThat(e1.getMessage(), containsString("age 'sixty' is not a number"));
    var e2 = assertThrows(ImageRowParser.BadRowException.class,
        () -> p.parse(0, row("CheXpert-v1.0/train/patient1/study1/v.jpg", "60", "yes", "")));
    assertThat(e2.getMessage(), containsString("unknown label value 'yes' in column 'No Finding'"));
    var e3 = assertThrows(ImageRowParser.BadRowException.class,
        () -> p.parse(0, row("patient1.jpg", "60", "", "")));
    assertThat(e3.getMessage(), containsString("malformed path"));
    var e4 = assertThrows(ImageRowParser.BadRowException.class, () -> p.parse(0, List.of("a", "b")));
    assertThat(e4.getMessage(), containsString("row has 2 fields but the header has 19"));
  }

  @Test
  void headerWithoutRequiredColumnsNamesThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ImageRowParser(SPEC, List.of("Path", "Sex", "Age")));
    assertThat(e.getMessage(), containsString("[Frontal/Lateral, AP/PA, No Finding"));
  }
}
