package org.chexaudit.transforms.io;

import java.util.Objects;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.collect.Iterables;

/**
 * Writes a small collection of specific records (a table of results: metrics per subgroup, gaps) to one Avro
 * file, with {@link AvroPart}'s codec (AvroIO's default, snappy); an empty collection writes a valid empty file.
 * All records go to one worker, which writes them as it reads them: for tables that one writer can write in
 * time (results, dead letters), not for a data set.
 *
 * <p>Six steps where {@code AvroIO.write().withoutSharding()} takes about twenty (temporary files, their
 * gathering as a side input, finalisation): on the Direct runner every step costs each of its bundles a
 * translation of the step, and the runner's scheduler walks every step each time it looks for work (in
 * {@code metrics}, two such writers were a third of the pipeline's steps; issue 15). The file is written in
 * place, not renamed from a temporary one: a command's outputs only count once its stage commits its
 * manifest, and a retried bundle rewrites the whole file.
 */
public final class WriteAvroFile<T extends SpecificRecordBase> extends PTransform<PCollection<T>, PCollection<Void>> {
  private final Class<T> type;
  private final String file;

  private WriteAvroFile(Class<T> type, String file) {
    this.type = type;
    this.file = file;
  }

  /** Writes records of {@code type} to {@code file}, any Beam path ({@code file:}, {@code hdfs://} ...). */
  public static <T extends SpecificRecordBase> WriteAvroFile<T> to(Class<T> type, String file) {
    if (type == null) {
      throw new IllegalArgumentException("WriteAvroFile: type can not be null");
    }
    if (file == null || file.isEmpty()) {
      throw new IllegalArgumentException("WriteAvroFile: file can not be empty");
    }
    return new WriteAvroFile<>(type, file);
  }

  @Override
  public PCollection<Void> expand(PCollection<T> input) {
    KvCoder<Void, T> coder = KvCoder.of(VoidCoder.of(), NullableCoder.of(input.getCoder()));
    PCollection<KV<Void, T>> records = input.apply("Key", WithKeys.<Void, T>of((Void) null)).setCoder(coder);
    // one null record that always arrives, so the single group, and the file, exist for an empty collection
    PCollection<KV<Void, T>> marker = input.getPipeline()
        .apply("Always", Impulse.create())
        .apply("Marker", ParDo.of(new MarkerFn<T>()))
        .setCoder(coder);
    return PCollectionList.of(records).and(marker)
        .apply("Together", Flatten.pCollections())
        .apply("OneGroup", GroupByKey.create())
        .apply("Write", ParDo.of(new WriteFn<>(type, file)));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("file", file)).add(DisplayData.item("type", type.getName()));
  }

  private static final class MarkerFn<T> extends DoFn<byte[], KV<Void, T>> {
    @ProcessElement
    public void process(OutputReceiver<KV<Void, T>> out) {
      out.output(KV.of(null, null));
    }
  }

  private static final class WriteFn<T extends SpecificRecordBase> extends DoFn<KV<Void, Iterable<T>>, Void> {
    private final Class<T> type;
    private final String file;

    WriteFn(Class<T> type, String file) {
      this.type = type;
      this.file = file;
    }

    @ProcessElement
    public void process(@Element KV<Void, Iterable<T>> group) {
      // the marker (null) left out; written as the group is read: a runner that streams a large group (Flink)
      // never holds it whole
      AvroPart.write(type, file, Iterables.filter(group.getValue(), Objects::nonNull));
    }
  }
}
