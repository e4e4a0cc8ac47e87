package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code --seed} of every command that draws random numbers. Beam allows one default per property name
 * in a JVM, and the commands' defaults differ (cohort's split uses the original's 2021, the others 42),
 * so the option has no Beam default: each command resolves it with {@link #seedOr}.
 */
public interface SeedOption extends PipelineOptions {
  @Description("Seed of every random draw of this command (synth: the data; cohort and chexclusion-cohort: the"
      + " split; resample: the draws; train: initialisation, shuffling, augmentation; metrics: the bootstrap;"
      + " explore: sampling and t-SNE). Same inputs and seed give the same output on every runner."
      + " Default: 42; cohort: 2021, the original split's np.random.seed.")
  Long getSeed();

  void setSeed(Long value);

  /** The seed given on the command line, or {@code commandDefault}. */
  static long seedOr(SeedOption options, long commandDefault) {
    return options.getSeed() == null ? commandDefault : options.getSeed();
  }
}
