package org.chexaudit.transforms.image;

import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.Pipeline;
import org.chexaudit.schemas.DeadLetter;

/** An image step's output: what it made, and the records whose image could not be used. */
public abstract class WithDeadLetters<T> implements POutput {
  private final TupleTag<T> tag;
  private final PCollection<T> made;
  private final PCollection<DeadLetter> deadLetters;

  WithDeadLetters(TupleTag<T> tag, PCollection<T> made, PCollection<DeadLetter> deadLetters) {
    this.tag = tag;
    this.made = made;
    this.deadLetters = deadLetters;
  }

  PCollection<T> made() {
    return made;
  }

  public PCollection<DeadLetter> deadLetters() {
    return deadLetters;
  }

  @Override
  public Pipeline getPipeline() {
    return made.getPipeline();
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(tag, made, DecodeAndResize.DEAD, deadLetters);
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
}
