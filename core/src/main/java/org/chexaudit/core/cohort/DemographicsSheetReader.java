package org.chexaudit.core.cohort;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.poi.UnsupportedFileFormatException;
import org.apache.poi.ooxml.POIXMLException;
import org.apache.poi.openxml4j.exceptions.InvalidFormatException;
import org.apache.poi.openxml4j.exceptions.InvalidOperationException;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.util.ZipInputStreamZipEntrySource;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.xml.sax.InputSource;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * Streams the first sheet of an .xlsx workbook row by row with Apache POI's event API, so a 65,401-row
 * demographics sheet needs no more heap than one row. The first non-empty row is the header; empty
 * rows are skipped; cells are read as Excel displays them (a numeric id 24428 reads "24428").
 */
public final class DemographicsSheetReader {

  /** Receives the header once, then each non-empty data row (0-based data row number). */
  public interface RowHandler {
    void header(List<String> columns);

    void row(long dataRow, int sheetRow, Map<String, String> cellsByColumn);
  }

  private DemographicsSheetReader() {}

  /** Reads a local file. */
  public static void read(File file, RowHandler handler) throws IOException {
    OPCPackage pkg;
    try {
      pkg = OPCPackage.open(file, PackageAccess.READ);
    } catch (InvalidFormatException | UnsupportedFileFormatException | InvalidOperationException e) {
      throw notAWorkbook(file.toString(), e);
    }
    try (pkg) {
      read(pkg, file.toString(), handler);
    }
  }

  /**
   * Parts of a streamed workbook larger than this are buffered in temporary files, not on the heap: the
   * sheet of a ten-times-CheXpert workbook is hundreds of MB of XML.
   */
  static final int STREAM_BUFFER_IN_MEMORY_BYTES = 16 << 20;

  /** Reads from a stream (any Beam file system); POI buffers the zip's parts, large ones in temporary files. */
  public static void read(InputStream in, String name, RowHandler handler) throws IOException {
    if (ZipInputStreamZipEntrySource.getThresholdBytesForTempFiles() < 0) {
      ZipInputStreamZipEntrySource.setThresholdBytesForTempFiles(STREAM_BUFFER_IN_MEMORY_BYTES);
    }
    OPCPackage pkg;
    try {
      pkg = OPCPackage.open(in);
    } catch (InvalidFormatException | UnsupportedFileFormatException | InvalidOperationException e) {
      throw notAWorkbook(name, e);
    }
    try (pkg) {
      read(pkg, name, handler);
    }
  }

  /**
   * POI reports a file that is missing, unreadable or not a zip of OOXML parts in its own words, without
   * the file's name ("No valid entries or contents found, this is not a valid OOXML file"); this names it.
   */
  private static IOException notAWorkbook(String name, Exception e) {
    return new IOException(name + " cannot be read as an .xlsx workbook: " + e.getMessage(), e);
  }

  private static void read(OPCPackage pkg, String name, RowHandler handler) throws IOException {
    read(pkg, name, handler, false);
  }

  /** Reads inline strings the way POI does on its own: the reference {@link InlineStringCells} is tested against. */
  static void readWithPoiInlineStrings(File file, RowHandler handler) throws IOException {
    try (OPCPackage pkg = OPCPackage.open(file, PackageAccess.READ)) {
      read(pkg, file.toString(), handler, true);
    } catch (InvalidFormatException e) {
      throw notAWorkbook(file.toString(), e);
    }
  }

  private static void read(OPCPackage pkg, String name, RowHandler handler, boolean poiInlineStrings)
      throws IOException {
    try {
      XSSFReader reader = new XSSFReader(pkg);
      ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg);
      XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
      if (!sheets.hasNext()) {
        throw new IOException(name + " has no sheet");
      }
      try (InputStream sheet = sheets.next()) {
        XMLReader parser = XMLHelper.newXMLReader();
        ContentHandler cells = new XSSFSheetXMLHandler(
            reader.getStylesTable(), null, strings, new Collector(handler), new CachingDataFormatter(), false);
        parser.setContentHandler(poiInlineStrings ? cells : new InlineStringCells(cells));
        parser.parse(new InputSource(sheet));
      }
    } catch (OpenXML4JException | POIXMLException | SAXException | javax.xml.parsers.ParserConfigurationException e) {
      throw notAWorkbook(name, e);
    }
  }

  /** The 0-based column of a cell reference such as {@code AB12} (27), as {@code CellReference} gives it. */
  static int column(String cellReference) {
    int col = 0;
    for (int i = 0; i < cellReference.length(); i++) {
      char ch = Character.toUpperCase(cellReference.charAt(i));
      if (ch == '$' && i == 0) {
        continue;
      }
      if (ch < 'A' || ch > 'Z') {
        break;
      }
      col = col * 26 + (ch - 'A' + 1);
    }
    return col - 1;
  }

  /** Collects one row's cells, then hands the row over keyed by header name. */
  private static final class Collector implements XSSFSheetXMLHandler.SheetContentsHandler {
    private final RowHandler handler;
    private final TreeMap<Integer, String> cells = new TreeMap<>();
    private List<String> header;
    private long dataRow;

    Collector(RowHandler handler) {
      this.handler = handler;
    }

    @Override
    public void startRow(int rowNum) {
      cells.clear();
    }

    @Override
    public void endRow(int rowNum) {
      if (cells.values().stream().allMatch(v -> v == null || v.isBlank())) {
        return;
      }
      if (header == null) {
        List<String> h = new ArrayList<>();
        int last = cells.lastKey();
        for (int c = 0; c <= last; c++) {
          String v = cells.get(c);
          h.add(v == null ? "" : v.trim());
        }
        header = h;
        handler.header(List.copyOf(h));
        return;
      }
      Map<String, String> byName = new HashMap<>();
      for (Map.Entry<Integer, String> e : cells.entrySet()) {
        if (e.getKey() < header.size() && !header.get(e.getKey()).isEmpty()) {
          byName.putIfAbsent(header.get(e.getKey()), e.getValue());
        }
      }
      handler.row(dataRow++, rowNum + 1, byName);
    }

    @Override
    public void cell(String cellReference, String formattedValue, XSSFComment comment) {
      if (cellReference != null) {
        cells.put(column(cellReference), formattedValue);
      }
    }
  }
}
