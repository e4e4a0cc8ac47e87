package org.chexaudit.transforms.image;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.chexaudit.core.image.ImageDecodeException;
import org.chexaudit.transforms.io.Resources;

/**
 * Image files read and written through Beam's file systems, so an image root or JPEG folder may be
 * local or on {@code hdfs://}, {@code s3://}. Reading reports missing and unreadable files as
 * {@link ImageDecodeException}s with the same reasons as {@code ImageDecoder.read} does for local paths.
 */
final class ImageFiles {
  private ImageFiles() {}

  /** The bytes of {@code file}; a missing file, a folder or a read error is an {@link ImageDecodeException}. */
  static byte[] read(ResourceId file) throws ImageDecodeException {
    try (InputStream in = Resources.open(file)) {
      return in.readAllBytes();
    } catch (FileNotFoundException | NoSuchFileException e) {
      // The local file system says "not found" for a folder too: look at what is there.
      if (isFolder(file)) {
        throw new ImageDecodeException(ImageDecodeException.Reason.UNREADABLE, "is a folder");
      }
      throw new ImageDecodeException(ImageDecodeException.Reason.MISSING, "no such file");
    } catch (IOException e) {
      if (isFolder(file)) {
        throw new ImageDecodeException(ImageDecodeException.Reason.UNREADABLE, "is a folder");
      }
      throw new ImageDecodeException(ImageDecodeException.Reason.UNREADABLE, String.valueOf(e.getMessage()));
    }
  }

  /** Writes {@code bytes} as {@code file}; a retried write replaces the file of the same name. */
  static void write(ResourceId file, byte[] bytes) {
    try (OutputStream out = Resources.create(file)) {
      out.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static boolean isFolder(ResourceId file) {
    if (Resources.scheme(file.toString()).equals("file")) {
      return java.nio.file.Files.isDirectory(Resources.localPath(file));
    }
    try {
      MatchResult m = FileSystems.match(List.of(Resources.matchSpec(Resources.path(file) + "/*")), EmptyMatchTreatment.ALLOW).get(0);
      return m.status() == MatchResult.Status.OK && !m.metadata().isEmpty();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
