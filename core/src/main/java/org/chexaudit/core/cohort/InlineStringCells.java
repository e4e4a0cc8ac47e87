package org.chexaudit.core.cohort;

import org.apache.poi.xssf.usermodel.XSSFRichTextString;
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.AttributesImpl;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Hands a sheet's inline-string cells ({@code <c t="inlineStr"><is><t>text</t></is></c>}) to POI's
 * {@code XSSFSheetXMLHandler} as plain string cells ({@code <c t="str"><v>text</v></c>}), which it reports
 * as they are.
 *
 * <p>Why: for every inline string POI builds an {@code XSSFRichTextString} through XMLBeans only to read
 * its text back, 40 % of the time to read CheXpert's demographics sheet as written by POI's streaming writer
 * (issue 15). The text reported is the same: the concatenated {@code <t>} texts of the cell, with Excel's
 * {@code _xHHHH_} escapes decoded by POI itself where there are any.
 */
final class InlineStringCells extends DefaultHandler {
  static final String NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

  private final ContentHandler target;
  private final StringBuilder text = new StringBuilder();
  private final StringTyped stringTyped = new StringTyped();
  private boolean inInlineString;
  private int textDepth;

  InlineStringCells(ContentHandler target) {
    this.target = target;
  }

  @Override
  public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
    if (inInlineString) {
      if ("t".equals(localName)) {
        textDepth++;
      }
      return;
    }
    if (NS.equals(uri) && "c".equals(localName) && "inlineStr".equals(atts.getValue("t"))) {
      stringTyped.of = atts;
      target.startElement(uri, localName, qName, stringTyped);
      return;
    }
    if (NS.equals(uri) && "is".equals(localName)) {
      inInlineString = true;
      text.setLength(0);
      return;
    }
    target.startElement(uri, localName, qName, atts);
  }

  @Override
  public void endElement(String uri, String localName, String qName) throws SAXException {
    if (inInlineString) {
      if ("t".equals(localName)) {
        textDepth--;
      } else if (NS.equals(uri) && "is".equals(localName)) {
        inInlineString = false;
        String s = text.toString();
        // POI decodes Excel's _xHHHH_ escapes; rare, so only then through its own class
        char[] value = (s.contains("_x") ? new XSSFRichTextString(s).getString() : s).toCharArray();
        String v = qName.contains(":") ? qName.substring(0, qName.indexOf(':') + 1) + "v" : "v";
        target.startElement(uri, "v", v, new AttributesImpl());
        target.characters(value, 0, value.length);
        target.endElement(uri, "v", v);
      }
      return;
    }
    target.endElement(uri, localName, qName);
  }

  @Override
  public void characters(char[] ch, int start, int length) throws SAXException {
    if (inInlineString) {
      if (textDepth > 0) {
        text.append(ch, start, length);
      }
      return;
    }
    target.characters(ch, start, length);
  }

  @Override
  public void setDocumentLocator(Locator locator) {
    target.setDocumentLocator(locator);
  }

  @Override
  public void startDocument() throws SAXException {
    target.startDocument();
  }

  @Override
  public void endDocument() throws SAXException {
    target.endDocument();
  }

  @Override
  public void startPrefixMapping(String prefix, String uri) throws SAXException {
    target.startPrefixMapping(prefix, uri);
  }

  @Override
  public void endPrefixMapping(String prefix) throws SAXException {
    target.endPrefixMapping(prefix);
  }

  @Override
  public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
    target.ignorableWhitespace(ch, start, length);
  }

  @Override
  public void processingInstruction(String target, String data) throws SAXException {
    this.target.processingInstruction(target, data);
  }

  @Override
  public void skippedEntity(String name) throws SAXException {
    target.skippedEntity(name);
  }

  /** A cell's attributes with its type {@code t} read as {@code str}; the rest as they are. */
  private static final class StringTyped implements Attributes {
    private Attributes of;

    private boolean isType(int index) {
      return "t".equals(of.getLocalName(index)) && of.getURI(index).isEmpty();
    }

    @Override
    public int getLength() {
      return of.getLength();
    }

    @Override
    public String getURI(int index) {
      return of.getURI(index);
    }

    @Override
    public String getLocalName(int index) {
      return of.getLocalName(index);
    }

    @Override
    public String getQName(int index) {
      return of.getQName(index);
    }

    @Override
    public String getType(int index) {
      return of.getType(index);
    }

    @Override
    public String getValue(int index) {
      return isType(index) ? "str" : of.getValue(index);
    }

    @Override
    public int getIndex(String uri, String localName) {
      return of.getIndex(uri, localName);
    }

    @Override
    public int getIndex(String qName) {
      return of.getIndex(qName);
    }

    @Override
    public String getType(String uri, String localName) {
      return of.getType(uri, localName);
    }

    @Override
    public String getType(String qName) {
      return of.getType(qName);
    }

    @Override
    public String getValue(String uri, String localName) {
      return "t".equals(localName) && uri.isEmpty() ? "str" : of.getValue(uri, localName);
    }

    @Override
    public String getValue(String qName) {
      return "t".equals(qName) ? "str" : of.getValue(qName);
    }
  }
}
