package org.chexaudit.transforms.image;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;
import org.chexaudit.schemas.ImageExample;
import org.chexaudit.transforms.coders.SpecificRecordCoder;
import org.chexaudit.transforms.io.AvroPart;
import org.chexaudit.transforms.io.Resources;
import org.chexaudit.transforms.io.ShardLayout;

/**
 * {@link DecodeAndResize}'s images written straight into sorted shards, one destination per split
 * ({@link ShardLayout}: a split's shard count from its records, an image's shard a hash of its record's id):
 * the records, not the images, are dealt to their shards and grouped, and each shard's records are
 * decoded one after another in id order, each image appended to the shard's file as it is made. No image
 * is shuffled, sorted or held beyond the one being written, so memory stays flat on every runner however
 * many images there are, and the shards are written while images are decoded rather than after the last.
 * The files are those {@link org.chexaudit.transforms.io.SortedAvroShards} writes for the same images
 * sized by the records' count; a dead letter leaves its shard one image short, and a shard no record
 * reached is written empty.
 *
 * <p>A shard is written by one worker: the layout should give each split enough shards to spread over the
 * workers ({@link ShardLayout#withAtLeast}); the shards are dealt out at random before decoding, and a worker
 * that has run out of shards helps the other workers of its JVM decode theirs ({@link ShardDecoding}). A
 * retried shard rewrites its file.
 */
public final class DecodeToShards extends PTransform<PCollection<CohortRecord>, DecodeToShards.Result> {
  private final DecodeAndResize decode;
  private final ShardLayout layout;
  private final String deadLetterPrefix;

  DecodeToShards(DecodeAndResize decode, ShardLayout layout) {
    this(decode, layout, null);
  }

  private DecodeToShards(DecodeAndResize decode, ShardLayout layout, String deadLetterPrefix) {
    this.decode = decode;
    this.layout = layout;
    this.deadLetterPrefix = deadLetterPrefix;
  }

  /**
   * Also writes each shard's dead letters, by the worker that decoded the shard, to {@code
   * <prefix>-<split>-<shard>.avro} (shard numbered as in its file's name; only shards with dead letters get a
   * file, and a retried shard without any removes its earlier one): no write step, temporary files or gathering
   * after the last image, which on Flink cost about 0.4 s of every run for a file that is usually empty.
   */
  public DecodeToShards withDeadLetterFiles(String prefix) {
    return new DecodeToShards(decode, layout, prefix);
  }

  @Override
  public Result expand(PCollection<CohortRecord> records) {
    PCollectionView<Map<String, Long>> counts = ShardLayout.counts(records
        .apply("Splits", MapElements.into(TypeDescriptors.strings()).via((CohortRecord r) -> split(r)))
        .setCoder(StringUtf8Coder.of()));
    PCollectionTuple out = layout.deal(records, CohortRecord::getId, DecodeToShards::split, counts)
        .apply("GroupShards", GroupByKey.create())
        .apply("DecodeShards", ParDo.of(new DecodeShardFn(decode.maker(), layout, counts, deadLetterPrefix))
            .withSideInputs(counts)
            .withOutputTags(ShardLayout.WRITTEN, TupleTagList.of(List.of(ShardLayout.FILES, DecodeAndResize.DEAD))));
    return new Result(layout.withEmptyShards(out, ImageExample.class, counts),
        out.get(DecodeAndResize.DEAD).setCoder(SpecificRecordCoder.of(DeadLetter.class)));
  }

  private static String split(CohortRecord r) {
    return r.getSplit() == null ? "" : r.getSplit();
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.include("decode", decode).add(DisplayData.item("destinations", layout.prefixes().toString()));
  }

  /** Decodes a shard's records in id order into its file; outputs its image count, its file and dead letters. */
  private static final class DecodeShardFn
      extends ImageMaker.Fn<KV<KV<String, Integer>, Iterable<CohortRecord>>, KV<String, Long>> {
    private final ShardLayout layout;
    private final PCollectionView<Map<String, Long>> counts;
    private final String deadLetterPrefix;

    DecodeShardFn(ImageMaker maker, ShardLayout layout, PCollectionView<Map<String, Long>> counts,
        String deadLetterPrefix) {
      super(maker);
      this.layout = layout;
      this.counts = counts;
      this.deadLetterPrefix = deadLetterPrefix;
    }

    @ProcessElement
    public void process(ProcessContext c) throws IOException {
      String split = c.element().getKey().getKey();
      List<CohortRecord> records = new ArrayList<>();
      c.element().getValue().forEach(records::add);
      records.sort(Comparator.comparing(CohortRecord::getId));
      int index = c.element().getKey().getValue();
      String file = layout.file(split, index, layout.shards(split, c.sideInput(counts)));
      long[] written = {0};
      List<DeadLetter> dead = new ArrayList<>();
      try (AvroPart.Writer<ImageExample> shard = AvroPart.open(ImageExample.class, file)) {
        ShardDecoding.decode(records, maker, image -> {
          shard.append(image);
          written[0]++;
        }, letter -> {
          dead.add(letter);
          c.output(DecodeAndResize.DEAD, letter);
        });
      }
      if (deadLetterPrefix != null) {
        String deadFile = String.format("%s-%s-%05d.avro", deadLetterPrefix, split, index);
        if (dead.isEmpty()) {
          Resources.delete(Resources.file(deadFile)); // left by an earlier attempt at this shard, if any
        } else {
          AvroPart.write(DeadLetter.class, deadFile, dead);
        }
      }
      c.output(KV.of(split, written[0]));
      c.output(ShardLayout.FILES, file);
    }

    /** Out of shards for now (on Flink: for good): help this JVM's other workers with theirs. */
    @FinishBundle
    public void finishBundle() {
      ShardDecoding.help(maker);
    }
  }

  /** The number of images written to each shard file, keyed by split, and the records whose image could not be used. */
  public static final class Result extends WithDeadLetters<KV<String, Long>> {
    Result(PCollection<KV<String, Long>> written, PCollection<DeadLetter> deadLetters) {
      super(ShardLayout.WRITTEN, written, deadLetters);
    }

    /** One element per shard file: its split and how many images it holds. */
    public PCollection<KV<String, Long>> written() {
      return made();
    }
  }
}
