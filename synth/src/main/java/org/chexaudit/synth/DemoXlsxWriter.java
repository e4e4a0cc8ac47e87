package org.chexaudit.synth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Date;
import java.util.Optional;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * Writes {@code CHEXPERT DEMO.xlsx} with POI's streaming workbook: one sheet, columns PATIENT,
 * GENDER, AGE_AT_CXR (a number), PRIMARY_RACE, ETHNICITY; a {@code null} race or ethnicity is an
 * empty cell. Zip timestamps and document dates are fixed, so the same rows give the same bytes.
 */
public final class DemoXlsxWriter implements AutoCloseable {
  /** 2000-01-01T00:00:00Z: the fixed date in the file, so the bytes depend only on the seed. */
  private static final long FIXED_TIME = 946_684_800_000L;
  private final SXSSFWorkbook workbook = new SXSSFWorkbook(200);
  private final SXSSFSheet sheet;
  private int nextRow;

  public DemoXlsxWriter() {
    sheet = workbook.createSheet("CHEXPERT DEMO");
    org.apache.poi.ss.usermodel.Row header = sheet.createRow(nextRow++);
    for (int i = 0; i < ChexpertFormat.DEMO_COLUMNS.size(); i++) {
      header.createCell(i).setCellValue(ChexpertFormat.DEMO_COLUMNS.get(i));
    }
  }

  public void write(Patient p) {
    org.apache.poi.ss.usermodel.Row row = sheet.createRow(nextRow++);
    row.createCell(0).setCellValue(p.id());
    row.createCell(1).setCellValue(p.demoGender());
    row.createCell(2).setCellValue(p.demoAge());
    if (p.race() != null) {
      row.createCell(3).setCellValue(p.race());
    }
    if (p.ethnicity() != null) {
      row.createCell(4).setCellValue(p.ethnicity());
    }
  }

  /** Data rows written so far (the header not counted). */
  public int rows() {
    return nextRow - 1;
  }

  /** Writes the workbook to {@code out} with fixed timestamps. */
  public void finish(OutputStream out) throws IOException {
    workbook.getXSSFWorkbook().getProperties().getCoreProperties()
        .setCreated(Optional.of(new Date(FIXED_TIME)));
    ByteArrayOutputStream raw = new ByteArrayOutputStream(1 << 20);
    workbook.write(raw);
    restampZip(raw.toByteArray(), out);
  }

  /**
   * Copies a zip entry by entry without recompressing, setting every entry's time to
   * {@link #FIXED_TIME}.
   */
  private static void restampZip(byte[] zip, OutputStream out) throws IOException {
    try (ZipFile in = ZipFile.builder()
            .setSeekableByteChannel(new SeekableInMemoryByteChannel(zip)).get();
        ZipArchiveOutputStream z = new ZipArchiveOutputStream(new NonClosing(out))) {
      for (ZipArchiveEntry e : Collections.list(in.getEntriesInPhysicalOrder())) {
        ZipArchiveEntry copy = new ZipArchiveEntry(e.getName());
        copy.setMethod(e.getMethod());
        copy.setCrc(e.getCrc());
        copy.setSize(e.getSize());
        copy.setCompressedSize(e.getCompressedSize());
        copy.setTime(FIXED_TIME);
        try (InputStream raw = in.getRawInputStream(e)) {
          z.addRawArchiveEntry(copy, raw);
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    workbook.close();
  }

  /** Lets the zip stream finish without closing the caller's stream. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
