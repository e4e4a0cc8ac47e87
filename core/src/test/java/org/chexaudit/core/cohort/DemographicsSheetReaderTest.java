package org.chexaudit.core.cohort;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
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

  /** Every header and row a reader reports, in order. */
  private static List<String> rowsOf(Path xlsx, boolean poiInlineStrings) throws IOException {
    List<String> out = new ArrayList<>();
    DemographicsSheetReader.RowHandler collect = new DemographicsSheetReader.RowHandler() {
      @Override
      public void header(List<String> columns) {
        out.add("header " + columns);
      }

      @Override
      public void row(long dataRow, int sheetRow, Map<String, String> cellsByColumn) {
        out.add(dataRow + "/" + sheetRow + " " + new TreeMap<>(cellsByColumn));
      }
    };
    if (poiInlineStrings) {
      DemographicsSheetReader.readWithPoiInlineStrings(xlsx.toFile(), collect);
    } else {
      DemographicsSheetReader.read(xlsx.toFile(), collect);
    }
    return out;
  }

  @Test
  void inlineStringsReadAsPoiReadsThem() throws IOException {
    Path xlsx = tmp.resolve("inline.xlsx");
    try (SXSSFWorkbook wb = new SXSSFWorkbook(10); OutputStream out = Files.newOutputStream(xlsx)) {
      Sheet sheet = wb.createSheet("demo"); // the streaming writer stores strings inline, as the generator does
      String[][] rows = {
          {"PATIENT", "GENDER", "AGE_AT_CXR", "PRIMARY_RACE", "ETHNICITY"},
          {"patient00001", "Male", "63", "White", "Non-Hispanic/Non-Latino"},
          {"patient00002", " Female ", "", "Black or African American", "Unknown"},
          {"patient00003", "Unknown", "41.5", "Asian \u00e9\u4e2d", "a_x0041_b & <c>"},
          {"patient00004", "", "", "line\nbreak", "to be emptied"},
      };
      for (int r = 0; r < rows.length; r++) {
        Row row = sheet.createRow(r == 4 ? 7 : r); // a gap of empty rows
        for (int c = 0; c < rows[r].length; c++) {
          String v = rows[r][c];
          if (v.isEmpty()) {
            continue;
          }
          if (c == 2 && r > 0) {
            row.createCell(c).setCellValue(Double.parseDouble(v));
          } else {
            row.createCell(c).setCellValue(v);
          }
        }
      }
      wb.write(out);
    }
    rewriteSheet(xlsx, xml -> xml
        // a rich-text cell: POI concatenates the runs' texts
        .replace("<is><t>Unknown</t></is>", "<is><r><rPr><b/></rPr><t>Unk</t></r><r><t xml:space=\"preserve\">nown</t></r></is>")
        // an inline cell with no text
        .replace("<is><t>to be emptied</t></is>", "<is><t></t></is>"));

    List<String> expected = rowsOf(xlsx, true);
    assertThat(expected.size(), equalTo(5));
    assertThat(expected.get(3), containsString("ETHNICITY=aAb & <c>")); // Excel's escape decoded
    assertThat(expected.get(3), containsString("GENDER=Unknown"));
    assertThat(rowsOf(xlsx, false), equalTo(expected));
  }

  /** Rewrites the first sheet's XML inside the workbook. */
  private static void rewriteSheet(Path xlsx, UnaryOperator<String> edit) throws IOException {
    Path copy = xlsx.resolveSibling("copy.xlsx");
    try (ZipFile in = new ZipFile(xlsx.toFile());
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
      for (ZipEntry e : java.util.Collections.list(in.entries())) {
        byte[] bytes;
        try (InputStream entry = in.getInputStream(e)) {
          bytes = entry.readAllBytes();
        }
        if (e.getName().equals("xl/worksheets/sheet1.xml")) {
          String xml = new String(bytes, StandardCharsets.UTF_8);
          String edited = edit.apply(xml);
          assertThat("the edits apply", edited, allOf(containsString("<r><rPr>"), containsString("<is><t></t></is>")));
          bytes = edited.getBytes(StandardCharsets.UTF_8);
        }
        out.putNextEntry(new ZipEntry(e.getName()));
        out.write(bytes);
        out.closeEntry();
      }
    }
    Files.move(copy, xlsx, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void columnsAreReadAsCellReferenceReadsThem() {
    for (String ref : List.of("A1", "B7", "Z9", "AA10", "AZ1", "BA1", "ZZ3", "AAA1", "XFD1048576", "$C$4")) {
      assertThat(ref, DemographicsSheetReader.column(ref), equalTo((int) new CellReference(ref).getCol()));
    }
  }

  @Test
  void rememberedNumbersAreFormattedAsPoiFormatsThem() {
    DataFormatter poi = new DataFormatter();
    CachingDataFormatter cached = new CachingDataFormatter();
    double[] values = {53, 53.0, 41.5, 0.1 + 0.2, 1e11, 123456789012.0, -7, 45000.25};
    Object[][] formats = {{0, "General"}, {2, "0.00"}, {14, "m/d/yy"}, {3, "#,##0"}, {164, "0.0%"}};
    for (int round = 0; round < 2; round++) { // the second round is served from memory
      for (double v : values) {
        for (Object[] f : formats) {
          assertThat(v + " " + f[1], cached.formatRawCellContents(v, (int) f[0], (String) f[1]),
              equalTo(poi.formatRawCellContents(v, (int) f[0], (String) f[1])));
        }
      }
    }
  }
}
