package org.chexaudit.core.cohort;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChexpertRowParserTest {
  private static final CohortSpec SPEC = CohortSpec.chexpert();
  private static final List<String> LABELS = List.of("No Finding", "Pleural Effusion");
  private static final List<String> HEADER =
      List.of("Path", "Sex", "Age", "Frontal/Lateral", "AP/PA", "No Finding", "Pleural Effusion");

  @Test
  void splitsThePathAndKeepsBlankCellsNull() throws Exception {
    ChexpertRow r = new ChexpertRowParser(SPEC, LABELS, HEADER)
        .parse(List.of("CheXpert-v1.0/valid/patient64541/study1/view1_frontal.jpg", "Male", "40", "Frontal", "", "",
            "-1.0"));
    assertThat(r.patient(), equalTo("patient64541"));
    assertThat(r.study(), equalTo("study1"));
    assertThat(r.viewFile(), equalTo("view1_frontal.jpg"));
    assertThat(r.imageName(), equalTo("patient64541_study1_view1_frontal.jpg"));
    assertThat(r.imageId(), equalTo("patient64541_study1_view1_frontal"));
    assertThat(r.age(), is(40));
    assertThat(r.apPa(), nullValue());
    List<Float> expected = new ArrayList<>();
    expected.add(null);
    expected.add(-1f);
    assertThat(r.labels(), equalTo(expected));
  }

  @Test
  void labelCellsTakeAnySpellingOfOneZeroMinusOne() throws Exception {
    assertThat(List.of(ChexpertRowParser.label("1.0", "x"), ChexpertRowParser.label("1", "x"),
        ChexpertRowParser.label(" 1.00 ", "x"), ChexpertRowParser.label("0.0", "x"), ChexpertRowParser.label("-1", "x")),
        contains(1f, 1f, 1f, 0f, -1f));
    assertThat(ChexpertRowParser.label(" ", "x"), nullValue());
    var e = assertThrows(ImageRowParser.BadRowException.class, () -> ChexpertRowParser.label("2.0", "Edema"));
    assertThat(e.getMessage(), containsString("unknown label value '2.0' in column 'Edema'"));
  }

  @Test
  void ageMustBeAWholeNumberOfYears() {
    ChexpertRowParser p = new ChexpertRowParser(SPEC, LABELS, HEADER);
    var e = assertThrows(ImageRowParser.BadRowException.class,
        () -> p.parse(List.of("a/b/patient1/study1/v.jpg", "Male", "40.5", "Frontal", "PA", "", "")));
    assertThat(e.getMessage(), containsString("age '40.5' is not a whole number of years"));
  }

  @Test
  void headerInAnotherDelimiterIsNamed() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new ChexpertRowParser(SPEC, LABELS, List.of("Path;Sex;Age")));
    assertThat(e.getMessage(), containsString("the file seems delimited by it"));
  }
}
