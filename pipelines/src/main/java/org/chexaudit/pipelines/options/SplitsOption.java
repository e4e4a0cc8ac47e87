package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code --splits}: the splits preprocess writes and predict scores. Their defaults differ, so the option
 * has no Beam default: each command applies its own.
 */
public interface SplitsOption extends PipelineOptions {
  @Description("Comma-separated splits this command works on. preprocess: those pre-processed and written, one"
      + " images/<split>/ folder each (default train,validate,test); predict: those scored (default"
      + " validate,test)")
  String getSplits();

  void setSplits(String value);
}
