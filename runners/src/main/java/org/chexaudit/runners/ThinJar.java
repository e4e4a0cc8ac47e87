package org.chexaudit.runners;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A thin job jar: the entries of the shaded jar that a Flink cluster does not already hold byte for byte.
 *
 * <p>The cluster's classpath ({@code runners/flink-cluster/pom.xml}: Flink, Beam with its Flink runner,
 * Avro, the Hadoop file system, TensorFlow, POI) carries the heavy dependencies once; each job then stages
 * only what is left, the project's classes and the few small libraries the cluster lacks, instead of the
 * whole shaded jar per stage. An entry is left out only when some cluster jar has the same name with the
 * same CRC-32, so a dependency of another version still travels with the job (and Flink's child-first
 * class loading picks the job's copy). Merged files such as {@code META-INF/services/*} differ from every
 * single jar's and so always travel.
 *
 * <p>Run without a build through Java's source launcher:
 * {@code java runners/src/main/java/org/chexaudit/runners/ThinJar.java SHADED_JAR OUT_JAR CLASSPATH}, where
 * CLASSPATH lists the cluster's jars separated by {@code :}.
 */
public final class ThinJar {
  private ThinJar() {}

  /** What {@link #write} kept and left out. */
  public record Summary(int kept, int omitted, long keptBytes, long omittedBytes) {
    @Override
    public String toString() {
      return String.format("kept %d entries (%.1f MB uncompressed), left out %d already on the cluster (%.1f MB)",
          kept, keptBytes / 1e6, omitted, omittedBytes / 1e6);
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: ThinJar SHADED_JAR OUT_JAR CLUSTER_CLASSPATH");
      System.exit(2);
    }
    List<Path> cluster = new ArrayList<>();
    for (String p : args[2].split(File.pathSeparator)) {
      if (!p.isBlank() && p.endsWith(".jar")) {
        cluster.add(Path.of(p));
      }
    }
    Summary s = write(Path.of(args[0]), Path.of(args[1]), cluster);
    System.err.println("thin jar " + args[1] + ": " + s);
  }

  /**
   * Writes into {@code out} every file entry of {@code shaded} that no jar of {@code cluster} holds with the
   * same name and CRC-32, the manifest always. Written to a temporary file and moved into place, so a
   * reader never sees half a jar.
   */
  public static Summary write(Path shaded, Path out, List<Path> cluster) throws IOException {
    Map<String, Long> onCluster = clusterEntries(cluster);
    int kept = 0;
    int omitted = 0;
    long keptBytes = 0;
    long omittedBytes = 0;
    Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), out.getFileName().toString(), ".tmp");
    try (ZipFile in = new ZipFile(shaded.toFile());
        ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
      for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        if (entry.isDirectory()) {
          continue;
        }
        Long crc = onCluster.get(entry.getName());
        if (crc != null && crc == entry.getCrc() && !entry.getName().equals("META-INF/MANIFEST.MF")) {
          omitted++;
          omittedBytes += entry.getSize();
          continue;
        }
        zip.putNextEntry(new ZipEntry(entry.getName()));
        try (InputStream data = in.getInputStream(entry)) {
          data.transferTo(zip);
        }
        zip.closeEntry();
        kept++;
        keptBytes += entry.getSize();
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new Summary(kept, omitted, keptBytes, omittedBytes);
  }

  /** Name to CRC-32 of every file entry of the cluster's jars (the first jar's, as a class loader sees it). */
  static Map<String, Long> clusterEntries(List<Path> jars) throws IOException {
    Map<String, Long> entries = new HashMap<>();
    for (Path jar : jars) {
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
          ZipEntry entry = e.nextElement();
          if (!entry.isDirectory()) {
            entries.putIfAbsent(entry.getName(), entry.getCrc());
          }
        }
      } catch (IOException e) {
        throw new IOException("cannot read cluster jar " + jar + ": " + e.getMessage(), e);
      }
    }
    return entries;
  }
}
