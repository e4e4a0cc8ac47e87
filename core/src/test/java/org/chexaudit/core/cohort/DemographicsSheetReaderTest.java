package org.chexaudit.core.cohort;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemographicsSheetReaderTest {
  @TempDir Path tmp;

  private static final DemographicsSheetReader.RowHandler IGNORE = new DemographicsSheetReader.RowHandler() {
    @Override
    public void header(List<String> columns) {}

    @Override
    public void row(long dataRow, int sheetRow, Map<String, String> cellsByColumn) {}
  };

  @Test
  void aFileThatIsNotAWorkbookFailsNamingTheFile() throws IOException {
    Path csv = Files.writeString(tmp.resolve("CHEXPERT DEMO.xlsx"), "PATIENT,GENDER\npatient00001,Male\n");
    IOException e = assertThrows(IOException.class, () -> DemographicsSheetReader.read(csv.toFile(), IGNORE));
    assertThat(e.getMessage(), containsString(csv.toString()));
    assertThat(e.getMessage(), containsString("cannot be read as an .xlsx workbook"));
  }

  @Test
  void aMissingFileFailsNamingTheFile() {
    Path missing = tmp.resolve("absent.xlsx");
    IOException e = assertThrows(IOException.class, () -> DemographicsSheetReader.read(missing.toFile(), IGNORE));
    assertThat(e.getMessage(), containsString(missing.toString()));
  }

  @Test
  void aStreamThatIsNotAWorkbookFailsNamingTheFile() {
    byte[] text = "not a zip".getBytes(StandardCharsets.UTF_8);
    IOException e = assertThrows(IOException.class,
        () -> DemographicsSheetReader.read(new ByteArrayInputStream(text), "hdfs://nn/demo.xlsx", IGNORE));
    assertThat(e.getMessage(), containsString("hdfs://nn/demo.xlsx"));
  }
}
