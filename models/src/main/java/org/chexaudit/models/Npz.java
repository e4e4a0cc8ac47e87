package org.chexaudit.models;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes NumPy {@code .npz} archives of named float arrays: a zip of {@code <name>.npy}
 * entries, as written by {@code numpy.savez} / {@code savez_compressed}. Reads little-endian
 * {@code f4}, {@code f8}, {@code i8} and {@code i4} C-order arrays (converted to float); writes
 * {@code <f4}. This is the format of checkpoints and of {@code initWeights} files.
 */
public final class Npz {
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npz() {}

  /** Reads every array of {@code file}, in archive order. */
  public static Map<String, NamedArray> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such .npz file");
    }
    Map<String, NamedArray> arrays = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        String entry = e.getName();
        if (!entry.endsWith(".npy")) {
          throw new IOException(file + ": entry '" + entry + "' is not a .npy array");
        }
        String name = entry.substring(0, entry.length() - 4);
        arrays.put(name, readNpy(zip, file + ":" + entry, name));
      }
    }
    return arrays;
  }

  /** Writes the arrays as {@code <f4} entries (stored, not compressed), atomically. */
  public static void write(Path file, Map<String, NamedArray> arrays) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
      for (NamedArray a : arrays.values()) {
        zip.putNextEntry(new ZipEntry(a.name() + ".npy"));
        writeNpy(zip, a);
        zip.closeEntry();
      }
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static NamedArray readNpy(InputStream in, String where, String name) throws IOException {
    DataInputStream data = new DataInputStream(in);
    byte[] magic = new byte[6];
    data.readFully(magic);
    if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
      throw new IOException(where + ": not a .npy array (bad magic)");
    }
    int major = data.readUnsignedByte();
    data.readUnsignedByte();
    int headerLen;
    if (major == 1) {
      headerLen = Short.toUnsignedInt(Short.reverseBytes(data.readShort()));
    } else {
      headerLen = Integer.reverseBytes(data.readInt());
    }
    byte[] headerBytes = new byte[headerLen];
    data.readFully(headerBytes);
    String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
    String descr = group(DESCR, header, where, "descr");
    if (group(FORTRAN, header, where, "fortran_order").equals("True")) {
      throw new IOException(where + ": Fortran-order arrays are not supported; save with a C-order array");
    }
    long[] shape = Arrays.stream(group(SHAPE, header, where, "shape").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    int width;
    switch (descr) {
      case "<f4": case "<i4": width = 4; break;
      case "<f8": case "<i8": width = 8; break;
      default:
        throw new IOException(where + ": dtype '" + descr + "' not supported (use float32, float64, int32 or int64)");
    }
    byte[] raw = in.readAllBytes();
    if (raw.length != count * width) {
      throw new IOException(where + ": expected " + count * width + " data bytes for shape "
          + Arrays.toString(shape) + ", found " + raw.length);
    }
    ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[(int) count];
    for (int i = 0; i < values.length; i++) {
      switch (descr) {
        case "<f4": values[i] = buf.getFloat(); break;
        case "<f8": values[i] = (float) buf.getDouble(); break;
        case "<i4": values[i] = buf.getInt(); break;
        default: values[i] = buf.getLong(); break;
      }
    }
    return new NamedArray(name, shape, values);
  }

  private static String group(Pattern p, String header, String where, String key) throws IOException {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new IOException(where + ": .npy header has no '" + key + "': " + header.trim());
    }
    return m.group(1);
  }

  private static void writeNpy(OutputStream out, NamedArray a) throws IOException {
    StringBuilder shape = new StringBuilder("(");
    for (long d : a.shape()) {
      shape.append(d).append(", ");
    }
    if (a.shape().length > 1) {
      shape.setLength(shape.length() - 2);
    } else if (a.shape().length == 1) {
      shape.setLength(shape.length() - 1);
    }
    shape.append(")");
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
    int unpadded = 10 + dict.length() + 1;
    int padded = (unpadded + 63) / 64 * 64;
    String header = dict + " ".repeat(padded - unpadded) + "\n";
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    head.write(0x93);
    head.write("NUMPY".getBytes(StandardCharsets.US_ASCII));
    head.write(1);
    head.write(0);
    head.write(header.length() & 0xff);
    head.write((header.length() >> 8) & 0xff);
    head.write(header.getBytes(StandardCharsets.US_ASCII));
    out.write(head.toByteArray());
    ByteBuffer buf = ByteBuffer.allocate(a.values().length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(a.values());
    out.write(buf.array());
  }
}
