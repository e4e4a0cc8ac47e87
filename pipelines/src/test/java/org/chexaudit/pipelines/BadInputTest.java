package org.chexaudit.pipelines;

import org.chexaudit.pipelines.stage.StageOutput;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.chexaudit.pipelines.options.CohortOptions;
import org.chexaudit.pipelines.options.PreprocessOptions;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;
import org.chexaudit.schemas.ImageExample;
import org.chexaudit.core.cohort.DemographicsSheetReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input catalogue: each damaged train.csv, demographics sheet, image and predictions file is
 * run through its command; each ends in a clear message or dead letters with reasons, and the counts
 * reconcile with the rows actually in the file (nothing silently dropped). Every case is logged by
 * {@link ReliabilityLog}.
 */
@Tag("slow")
class BadInputTest {
  /** The fixture's rows, kept records and dead letters (see {@link CohortPipelineTest}). */
  private static final int ROWS = 68;
  private static final int KEPT = 12;
  private static final int DEAD = 5;

  @TempDir Path tmp;

  // ---------------------------------------------------------------- cohort: train.csv

  private record CohortRun(Map<String, Object> summary, List<CohortRecord> kept, List<DeadLetter> dead) {
    long rows() { return ((Number) summary.get("image_rows")).longValue(); }

    /** Dead letters of image rows; JoinDemographics' are sheet rows, another input. */
    long rowDead() {
      return dead.stream().filter(d -> d.getStage().toString().equals("ReadChexpertCsv")).count();
    }

    long filtered() {
      return ((Map<?, ?>) summary.get("filtered")).values().stream().mapToLong(v -> ((Number) v).longValue()).sum();
    }
  }

  @SuppressWarnings("unchecked")
  private CohortRun cohort(String name, String fault, Consumer<ChexpertFixture> damage, int expectedRows)
      throws Exception {
    ChexpertFixture f = ChexpertFixture.write(tmp.resolve(name));
    damage.accept(f);
    Path out = tmp.resolve(name + "-cohort");
    CohortOptions o = PipelineOptionsFactory.as(CohortOptions.class);
    o.setTrainCsv(f.trainCsv.toString());
    o.setDemoXlsx(f.demoXlsx.toString());
    o.setOutput(out.toString());
    CohortPipeline.run(o);
    Map<String, Object> s = new ObjectMapper().readValue(out.resolve("summary.json").toFile(), Map.class);
    CohortRun run = new CohortRun(s, CohortPipelineTest.readAvro(out.resolve("cohort"), CohortRecord.class),
        CohortPipelineTest.readAvro(out.resolve("dead_letters"), DeadLetter.class));
    assertThat(name + " reconciles", s.get("reconciles"), is(true));
    // rows counted independently of the pipeline: the data rows the damaged file really holds
    assertThat(name + " rows read", run.rows(), equalTo((long) expectedRows));
    assertThat(name + " kept", (long) run.kept().size(), equalTo(((Number) s.get("kept")).longValue()));
    assertThat(name + " lost", run.rows() - run.kept().size() - run.filtered() - run.rowDead(), equalTo(0L));
    for (DeadLetter d : run.dead()) {
      assertThat(name + " dead letter has a reason", d.getReason().toString().isBlank(), is(false));
    }
    ReliabilityLog.record("cohort", name, fault, "ran; " + run.rowDead() + " row dead letters (+"
        + (run.dead().size() - run.rowDead()) + " sheet rows)", run.rows(), run.kept().size(), run.filtered(), run.rowDead());
    return run;
  }

  private static void rewrite(Path file, java.util.function.UnaryOperator<byte[]> edit) {
    try {
      Files.write(file, edit.apply(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> ids(List<CohortRecord> records) {
    return records.stream().map(r -> r.getId().toString()).sorted().toList();
  }

  private static List<String> reasons(List<DeadLetter> dead) {
    return dead.stream().map(d -> d.getReason().toString()).toList();
  }

  @Test
  void trainCsvDamage() throws Exception {
    CohortRun base = cohort("csv-intact", "none", f -> {}, ROWS);
    assertThat(base.kept().size(), is(KEPT));

    String cut = "CheXpert-v1.0/train/patient00001/study3/view1_frontal.jpg,Male,2";
    CohortRun truncated = cohort("csv-truncated-mid-row", "file cut in the middle of its last row",
        f -> rewrite(f.trainCsv, b -> (new String(b, StandardCharsets.UTF_8) + cut).getBytes(StandardCharsets.UTF_8)),
        ROWS + 1);
    assertThat(truncated.dead().size(), is(DEAD + 1));
    assertThat(ids(truncated.kept()), equalTo(ids(base.kept())));
    System.out.println("truncated row -> " + reasons(truncated.dead()));

    String message = assertThrows(IllegalArgumentException.class, () -> cohort("csv-semicolons",
        "';' as delimiter", f -> rewrite(f.trainCsv, b -> new String(b, StandardCharsets.UTF_8).replace(',', ';')
            .getBytes(StandardCharsets.UTF_8)), 0)).getMessage();
    assertThat(message, containsString("--trainCsv"));
    assertThat(message, containsString("seems delimited by it"));
    ReliabilityLog.refused("cohort", "csv-semicolons", "';' as delimiter", message);

    CohortRun bom = cohort("csv-bom", "UTF-8 byte order mark", f -> rewrite(f.trainCsv, b -> {
      byte[] out = new byte[b.length + 3];
      out[0] = (byte) 0xEF;
      out[1] = (byte) 0xBB;
      out[2] = (byte) 0xBF;
      System.arraycopy(b, 0, out, 3, b.length);
      return out;
    }), ROWS);
    assertThat(ids(bom.kept()), equalTo(ids(base.kept())));

    CohortRun crlf = cohort("csv-crlf", "CRLF line ends", f -> rewrite(f.trainCsv,
        b -> new String(b, StandardCharsets.UTF_8).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)), ROWS);
    assertThat(ids(crlf.kept()), equalTo(ids(base.kept())));
    assertThat(crlf.kept().stream().map(CohortRecord::toString).sorted().toList(),
        equalTo(base.kept().stream().map(CohortRecord::toString).sorted().toList()));

    String quoted = "\"CheXpert-v1.0/train/patient00001/study3/view1_frontal,copy.jpg\",\"Male\",20,Frontal,AP,"
        + ",,-1.0,,,,,,,,,,,\n";
    CohortRun commas = cohort("csv-quoted-commas", "a quoted field holding a comma",
        f -> rewrite(f.trainCsv, b -> (new String(b, StandardCharsets.UTF_8) + quoted).getBytes(StandardCharsets.UTF_8)),
        ROWS + 1);
    assertThat(commas.kept().size(), is(KEPT + 1));
    assertThat(commas.kept().stream().map(r -> r.getPath().toString()).toList(),
        hasItem("CheXpert-v1.0/train/patient00001/study3/view1_frontal,copy.jpg"));

    CohortRun latin1 = cohort("csv-non-utf8", "a 0xFF byte in a row", f -> rewrite(f.trainCsv, b -> {
      String s = new String(b, StandardCharsets.UTF_8);
      int at = s.indexOf("view2_lateral.jpg");
      byte[] out = b.clone();
      out[s.substring(0, at + 4).getBytes(StandardCharsets.UTF_8).length] = (byte) 0xFF;
      return out;
    }), ROWS);
    assertThat(latin1.dead().size(), is(DEAD + 1));
    assertThat(reasons(latin1.dead()), hasItem("row has bytes that are not UTF-8"));
  }

  // ---------------------------------------------------------------- cohort: the demographics sheet

  private static void editSheet(Path xlsx, Consumer<XSSFWorkbook> edit) {
    try (InputStream in = Files.newInputStream(xlsx); XSSFWorkbook wb = new XSSFWorkbook(in)) {
      edit.accept(wb);
      try (OutputStream out = Files.newOutputStream(xlsx)) {
        wb.write(out);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void spreadsheetDamage() throws Exception {
    CohortRun base = cohort("xlsx-intact", "none", f -> {}, ROWS);

    CohortRun extra = cohort("xlsx-extra-sheets", "two more sheets after the first", f -> editSheet(f.demoXlsx, wb -> {
      XSSFSheet notes = wb.createSheet("Notes");
      notes.createRow(0).createCell(0).setCellValue("PATIENT");
      notes.createRow(1).createCell(0).setCellValue("patient00301");
      wb.createSheet("Empty");
    }), ROWS);
    assertThat(ids(extra.kept()), equalTo(ids(base.kept())));

    String message = assertThrows(IllegalArgumentException.class, () -> cohort("xlsx-merged-header",
        "a merged title row above the header", f -> editSheet(f.demoXlsx, wb -> {
          XSSFSheet s = wb.getSheetAt(0);
          s.shiftRows(0, s.getLastRowNum(), 1);
          s.createRow(0).createCell(0).setCellValue("CheXpert demographics");
          s.addMergedRegion(new CellRangeAddress(0, 0, 0, 4));
        }), 0)).getMessage();
    assertThat(message, containsString("--demoXlsx"));
    assertThat(message, containsString("lacks column(s) [PATIENT"));
    ReliabilityLog.refused("cohort", "xlsx-merged-header", "a merged title row above the header", message);

    Path numericSheet = tmp.resolve("numeric.xlsx");
    CohortRun numeric = cohort("xlsx-numeric-ids", "patient ids as numeric cells", f -> editSheet(f.demoXlsx, wb -> {
      XSSFSheet s = wb.getSheetAt(0);
      var row = s.createRow(s.getLastRowNum() + 1);
      row.createCell(0).setCellValue(24428);
      row.createCell(1).setCellValue("Male");
      row.createCell(2).setCellValue(40);
      row.createCell(3).setCellValue("White");
      row.createCell(4).setCellValue("Not Hispanic");
      try (OutputStream out = Files.newOutputStream(numericSheet)) {
        wb.write(out);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }), ROWS);
    assertThat(ids(numeric.kept()), equalTo(ids(base.kept())));
    List<String> patients = new ArrayList<>();
    DemographicsSheetReader.read(numericSheet.toFile(), new DemographicsSheetReader.RowHandler() {
      @Override
      public void header(List<String> columns) {}

      @Override
      public void row(long dataRow, int sheetRow, Map<String, String> cells) {
        patients.add(cells.get("PATIENT"));
      }
    });
    assertThat("a numeric id reads as Excel shows it", patients, hasItem("24428"));

    CohortRun empty = cohort("xlsx-empty-rows", "blank rows between and after the data", f -> editSheet(f.demoXlsx, wb -> {
      XSSFSheet s = wb.getSheetAt(0);
      s.shiftRows(5, s.getLastRowNum(), 3);
      s.createRow(6).createCell(2).setCellValue("");
      s.shiftRows(1, s.getLastRowNum(), 1);
      s.createRow(s.getLastRowNum() + 2).createCell(0).setCellValue(" ");
    }), ROWS);
    assertThat(ids(empty.kept()), equalTo(ids(base.kept())));
  }

  // ---------------------------------------------------------------- preprocess: images

  private static CohortRecord record(String name) {
    String patient = "patient" + name;
    return CohortRecord.newBuilder().setId(patient + "_study1_view1_frontal").setRowIndex(0).setPatientId(patient)
        .setPath("CheXpert-v1.0/train/" + patient + "/study1/view1_frontal.jpg")
        .setPathPreproc("preproc_224x224/" + patient + "_study1_view1_frontal.jpg")
        .setSex("Male").setSexLabel(0).setRace("White").setRaceLabel(0)
        .setLabels(new ArrayList<>(Arrays.asList(1f, 0f))).setDisease("No Finding").setDiseaseLabel(0)
        .setSplit("train").setAttributes(new HashMap<>()).build();
  }

  private static byte[] jpeg(BufferedImage img) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpeg", out);
    return out.toByteArray();
  }

  private static BufferedImage grey(int type, int w, int h, int max) {
    BufferedImage img = new BufferedImage(w, h, type);
    Random rnd = new Random(w * 31L + h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().setSample(x, y, 0, rnd.nextInt(max));
      }
    }
    return img;
  }

  /** A CMYK JPEG: four colour channels written straight from a raster. */
  private static byte[] cmykJpeg() throws IOException {
    WritableRaster r = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 40, 30, 4, null);
    Random rnd = new Random(4);
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        for (int b = 0; b < 4; b++) {
          r.setSample(x, y, b, rnd.nextInt(256));
        }
      }
    }
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (var ios = ImageIO.createImageOutputStream(out)) {
      w.setOutput(ios);
      w.write(null, new IIOImage(r, null, null), w.getDefaultWriteParam());
    }
    w.dispose();
    return out.toByteArray();
  }

  /** A valid PNG whose header claims {@code w x h} 8-bit grey pixels, with a tiny compressed body. */
  private static byte[] pngHeader(int w, int h) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(out);
    d.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream i = new DataOutputStream(ihdr);
    i.writeInt(w);
    i.writeInt(h);
    i.write(new byte[] {8, 0, 0, 0, 0});
    chunk(d, "IHDR", ihdr.toByteArray());
    Deflater z = new Deflater();
    z.setInput(new byte[w + 1]);
    z.finish();
    byte[] buf = new byte[65536];
    int n = z.deflate(buf);
    chunk(d, "IDAT", Arrays.copyOf(buf, n));
    chunk(d, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(DataOutputStream d, String type, byte[] data) throws IOException {
    d.writeInt(data.length);
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    d.write(t);
    d.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    d.writeInt((int) crc.getValue());
  }

  @Test
  void imageDamage() throws Exception {
    Path root = tmp.resolve("images");
    Map<String, byte[]> files = new TreeMap<>();
    byte[] good = jpeg(grey(BufferedImage.TYPE_BYTE_GRAY, 60, 70, 256));
    files.put("00001", good);                                                   // intact 8-bit JPEG
    files.put("00003", new byte[0]);                                            // zero bytes
    files.put("00004", Arrays.copyOf(good, good.length / 2));                   // truncated
    files.put("00005", "<html>not found</html>".getBytes(StandardCharsets.UTF_8)); // not an image
    files.put("00006", pngHeader(20000, 20000));                                // huge dimensions
    ByteArrayOutputStream png16 = new ByteArrayOutputStream();
    ImageIO.write(grey(BufferedImage.TYPE_USHORT_GRAY, 50, 40, 65536), "png", png16);
    files.put("00007", png16.toByteArray());                                    // 16-bit grey PNG
    files.put("00008", cmykJpeg());                                             // CMYK JPEG
    Map<String, String> expected = new TreeMap<>(Map.of(
        "00002", "missing file", "00003", "empty file", "00004", "corrupt image", "00005", "not an image",
        "00006", "image too large", "00008", "unsupported image"));

    List<CohortRecord> records = new ArrayList<>();
    for (String n : List.of("00001", "00002", "00003", "00004", "00005", "00006", "00007", "00008")) {
      CohortRecord r = record(n);
      records.add(r);
      if (files.containsKey(n)) {
        Path f = root.resolve(r.getPath().toString());
        Files.createDirectories(f.getParent());
        Files.write(f, files.get(n));
      }
    }
    Path cohort = tmp.resolve("img-cohort");
    Files.createDirectories(cohort.resolve("cohort"));
    try (DataFileWriter<CohortRecord> w = new DataFileWriter<>(new SpecificDatumWriter<>(CohortRecord.class))) {
      w.create(CohortRecord.getClassSchema(), cohort.resolve("cohort/part-00000.avro").toFile());
      for (CohortRecord r : records) {
        w.append(r);
      }
    }
    Path out = tmp.resolve("img-out");
    PreprocessOptions o = PipelineOptionsFactory.as(PreprocessOptions.class);
    o.setCohort(cohort.toString());
    o.setImageRoot(root.toString());
    o.setOutput(out.toString());
    o.setImageSize(16);
    o.setSplits("train");
    PreprocessPipeline.run(o);

    List<ImageExample> written = CohortPipelineTest.readAvro(out.resolve("images/train"), ImageExample.class);
    assertThat(written.stream().map(e -> e.getId().toString()).sorted().toList(),
        equalTo(List.of("patient00001_study1_view1_frontal", "patient00007_study1_view1_frontal")));
    Map<String, String> got = new TreeMap<>();
    for (DeadLetter d : CohortPipelineTest.readAvro(out.resolve("dead_letters"), DeadLetter.class)) {
      String reason = d.getReason().toString();
      System.out.println("image dead letter: " + d.getSource() + " -> " + reason);
      String n = d.getSource().toString().replaceAll(".*patient(\\d{5}).*", "$1");
      got.put(n, reason.substring(0, reason.indexOf(':')));
    }
    assertThat(got, equalTo(expected));
    Map<?, ?> s = new ObjectMapper().readValue(out.resolve("summary.json").toFile(), Map.class);
    assertThat(s.get("reconciles"), is(true));
    assertThat(s.get("selected"), is(8));
    Map<String, String> fault = Map.of("00001", "none", "00002", "missing", "00003", "zero bytes",
        "00004", "truncated at half", "00005", "HTML, not an image", "00006", "PNG header 20000x20000",
        "00007", "16-bit grey PNG", "00008", "CMYK JPEG");
    for (String n : fault.keySet().stream().sorted().toList()) {
      boolean dead = got.containsKey(n);
      ReliabilityLog.record("preprocess", "image-" + n, fault.get(n), dead ? "dead letter: " + got.get(n) : "written",
          1, dead ? 0 : 1, 0, dead ? 1 : 0);
    }
  }

  // ---------------------------------------------------------------- metrics: predictions

  private static String metricsFailure(Path dir, String name, String fault, List<String> lines, Path groups)
      throws Exception {
    Path preds = dir.resolve(name + ".csv");
    Files.write(preds, lines);
    List<String> extra = new ArrayList<>(List.of("--bootstrap=0"));
    if (groups != null) {
      extra.add("--groupsFile=" + groups);
      extra.add("--idColumn=id");
    }
    String message = assertThrows(IllegalArgumentException.class,
        () -> MetricsPipeline.run(MetricsPipelineTest.options(preds, dir.resolve(name + "-out"), extra.toArray(String[]::new))))
        .getMessage();
    assertThat(message, containsString(preds.toString()));
    assertThat(Files.exists(dir.resolve(name + "-out").resolve(StageOutput.MANIFEST)), is(false));
    ReliabilityLog.refused("metrics", name, fault, message);
    return message;
  }

  @Test
  void predictionDamage() throws Exception {
    Path dir = tmp.resolve("preds");
    Files.createDirectories(dir);
    List<String> good = Files.readAllLines(MetricsPipelineTest.writePredictions(dir));

    List<String> nan = new ArrayList<>(good);
    nan.set(3, nan.get(3).replace(",0.35,", ",NaN,"));
    assertThat(metricsFailure(dir, "scores-nan", "a NaN score", nan, null), containsString("line 4, column 'class_0': value is NaN"));
    List<String> inf = new ArrayList<>(good);
    inf.set(5, inf.get(5).replace(",0.20,", ",Infinity,"));
    assertThat(metricsFailure(dir, "scores-inf", "an infinite score", inf, null), containsString("value is Infinity"));
    List<String> dup = new ArrayList<>(good);
    dup.add(good.get(2));
    assertThat(metricsFailure(dir, "ids-duplicate", "an id listed twice", dup, null),
        containsString("id 'img1' already on line 3"));

    // groups file without img7: the predictions name an id it lacks
    List<String> groups = new ArrayList<>(List.of("id,race,sex"));
    for (String l : good.subList(1, good.size())) {
      String[] f = l.split(",");
      if (!f[0].equals("img7")) {
        groups.add(f[0] + "," + f[4] + "," + f[5]);
      }
    }
    Path groupsFile = dir.resolve("groups.csv");
    Files.write(groupsFile, groups);
    List<String> noGroups = new ArrayList<>();
    for (String l : good) {
      String[] f = l.split(",");
      noGroups.add(String.join(",", f[0], f[1], f[2], f[3]));
    }
    assertThat(metricsFailure(dir, "ids-missing", "an id missing from the groups file", noGroups, groupsFile),
        containsString("id 'img7' not found in the groups file"));
  }
}
