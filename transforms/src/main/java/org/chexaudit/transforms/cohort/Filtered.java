package org.chexaudit.transforms.cohort;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.chexaudit.schemas.CohortRecord;
import org.chexaudit.schemas.DeadLetter;

/**
 * Output of a cohort step: the records kept, the records it filtered out by rule (as
 * {@code KV<rule, id>}, so a summary can count them), and the records it could not process.
 * Keeping all three makes {@code input = kept + filtered + dead letters} checkable.
 */
public final class Filtered implements POutput {
  public static final TupleTag<CohortRecord> KEPT = new TupleTag<>("Filtered.KEPT") {};
  public static final TupleTag<KV<String, String>> REJECTED = new TupleTag<>("Filtered.REJECTED") {};
  public static final TupleTag<DeadLetter> DEAD = new TupleTag<>("Filtered.DEAD") {};

  private final Pipeline pipeline;
  private final PCollection<CohortRecord> kept;
  private final PCollection<KV<String, String>> rejected;
  private final PCollection<DeadLetter> deadLetters;

  private Filtered(
      Pipeline pipeline,
      PCollection<CohortRecord> kept,
      PCollection<KV<String, String>> rejected,
      PCollection<DeadLetter> deadLetters) {
    this.pipeline = pipeline;
    this.kept = kept;
    this.rejected = rejected;
    this.deadLetters = deadLetters;
  }

  /**
   * Wraps the three tagged outputs of a multi-output ParDo, setting their coders. Records use Avro's
   * generated (specific) reader and writer: {@code AvroCoder.of(Class)} takes the reflection path, several
   * times slower where a runner copies records through their coder (the Direct runner's grouping state).
   */
  public static Filtered of(PCollectionTuple tuple) {
    PCollection<CohortRecord> kept = tuple.get(KEPT).setCoder(AvroCoder.specific(CohortRecord.class));
    PCollection<KV<String, String>> rejected =
        tuple.get(REJECTED).setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    PCollection<DeadLetter> dead = tuple.get(DEAD).setCoder(AvroCoder.of(DeadLetter.class));
    return new Filtered(tuple.getPipeline(), kept, rejected, dead);
  }

  public static Filtered of(
      PCollection<CohortRecord> kept,
      PCollection<KV<String, String>> rejected,
      PCollection<DeadLetter> deadLetters) {
    return new Filtered(kept.getPipeline(), kept, rejected, deadLetters);
  }

  public PCollection<CohortRecord> kept() {
    return kept;
  }

  /** One {@code KV<rule, record id>} per record filtered out. */
  public PCollection<KV<String, String>> rejected() {
    return rejected;
  }

  public PCollection<DeadLetter> deadLetters() {
    return deadLetters;
  }

  /** Applies the next step to the kept records. */
  public <T extends POutput> T then(String name, PTransform<PCollection<CohortRecord>, T> step) {
    return kept.apply(name, step);
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(KEPT, kept, REJECTED, rejected, DEAD, deadLetters);
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, org.apache.beam.sdk.values.PInput input, PTransform<?, ?> transform) {}
}
