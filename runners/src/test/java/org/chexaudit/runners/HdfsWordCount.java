package org.chexaudit.runners;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The cluster smoke test's job (runners/cluster-smoke.sh): counts the words of text files and writes
 * {@code word,count} lines, reading and writing any Beam file system, hdfs:// on the test cluster. A
 * shuffle before the counting spreads the words over every slot, and {@code --pauseEvery} slows it down
 * enough for a TaskManager to be killed while it runs.
 */
public final class HdfsWordCount {
  /** Options of {@link HdfsWordCount}. */
  public interface Options extends PipelineOptions {
    @Description("Text files to count, a glob, for example: hdfs://127.0.0.1:8020/smoke/in/*.txt")
    @Validation.Required
    String getInput();

    void setInput(String value);

    @Description("Output prefix, for example: hdfs://127.0.0.1:8020/smoke/out/counts")
    @Validation.Required
    String getOutput();

    void setOutput(String value);

    @Description("Sleep 1 ms after every this many words (0: never), to make the job last")
    @Default.Integer(0)
    int getPauseEvery();

    void setPauseEvery(int value);

    @Description("Number of output shards")
    @Default.Integer(4)
    int getShards();

    void setShards(int value);
  }

  private HdfsWordCount() {}

  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    PipelineResult.State state = run(options).waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the word count ended " + state);
    }
  }

  static PipelineResult run(Options options) {
    Pipeline p = Pipeline.create(options);
    p.apply("ReadLines", TextIO.read().from(options.getInput()))
        .apply("SplitWords", ParDo.of(new SplitWords(options.getPauseEvery())))
        .apply("Spread", Reshuffle.viaRandomKey())
        .apply("Count", Count.perElement())
        .apply("Format", MapElements.into(TypeDescriptors.strings())
            .via((KV<String, Long> kv) -> kv.getKey() + "," + kv.getValue()))
        .apply("Write", TextIO.write().to(options.getOutput()).withNumShards(options.getShards()));
    return p.run();
  }

  /** Splits a line into words, pausing now and then. */
  static final class SplitWords extends DoFn<String, String> {
    private final int pauseEvery;
    private transient long seen;

    SplitWords(int pauseEvery) {
      this.pauseEvery = pauseEvery;
    }

    @ProcessElement
    public void process(@Element String line, OutputReceiver<String> out) throws InterruptedException {
      for (String word : line.split("\\s+")) {
        if (word.isEmpty()) {
          continue;
        }
        out.output(word);
        if (pauseEvery > 0 && ++seen % pauseEvery == 0) {
          Thread.sleep(1);
        }
      }
    }
  }
}
