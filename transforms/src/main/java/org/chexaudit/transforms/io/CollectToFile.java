package org.chexaudit.transforms.io;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes a small collection (a sample, a fitted model) to one file with its coder, count first, so the
 * driver can {@link #read} it after the run: a bridge for results that a driver-side step (t-SNE, plots)
 * needs whole. All elements go to one worker: use it only for collections that fit in one.
 * No file is written for an empty collection; {@link #read} then gives an empty list.
 */
public final class CollectToFile<T> extends PTransform<PCollection<T>, PCollection<Void>> {
  private final String file;

  private CollectToFile(String file) {
    this.file = file;
  }

  /** Collects into {@code file}, any Beam path ({@code file:}, {@code hdfs://} ...). */
  public static <T> CollectToFile<T> to(String file) {
    if (file == null || file.isEmpty()) {
      throw new IllegalArgumentException("CollectToFile: file can not be empty");
    }
    return new CollectToFile<>(file);
  }

  @Override
  public PCollection<Void> expand(PCollection<T> input) {
    Coder<T> coder = input.getCoder();
    return input.apply("Gather", WithKeys.<Void, T>of((Void) null))
        .setCoder(KvCoder.of(VoidCoder.of(), coder))
        .apply("OneGroup", GroupByKey.create())
        .apply("Write", ParDo.of(new WriteFn<>(file, coder)));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("file", file));
  }

  /** The elements a finished run collected into {@code file}, in the order they were written. */
  public static <T> List<T> read(String file, Coder<T> coder) throws IOException {
    List<T> out = new ArrayList<>();
    MatchResult match = FileSystems.match(Resources.matchSpec(file), org.apache.beam.sdk.io.fs.EmptyMatchTreatment.ALLOW);
    if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
      return out;
    }
    ResourceId id = match.metadata().get(0).resourceId();
    try (InputStream in = new BufferedInputStream(Resources.open(id))) {
      int n = VarInt.decodeInt(in);
      for (int i = 0; i < n; i++) {
        out.add(coder.decode(in));
      }
    }
    return out;
  }

  private static final class WriteFn<T> extends DoFn<KV<Void, Iterable<T>>, Void> {
    private final String file;
    private final Coder<T> coder;

    WriteFn(String file, Coder<T> coder) {
      this.file = file;
      this.coder = coder;
    }

    @ProcessElement
    public void process(@Element KV<Void, Iterable<T>> elements) throws IOException {
      List<T> list = new ArrayList<>();
      elements.getValue().forEach(list::add);
      ResourceId id = FileSystems.matchNewResource(file, false);
      try (OutputStream o = new BufferedOutputStream(Resources.create(id))) {
        VarInt.encode(list.size(), o);
        for (T t : list) {
          coder.encode(t, o);
        }
      }
    }
  }
}
