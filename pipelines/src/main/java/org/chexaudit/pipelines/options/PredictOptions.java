package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Options of the {@code predict} command. */
public interface PredictOptions extends StageOptions, ThreadsOption, ImageShardsOption, SplitsOption, BatchSizeOption {
  @Description("A finished train output (model dir), or a train --seeds output (seed<N>/ folders: each is scored"
      + " into <output>/seed<N>/), for example: runs/demo/models/disease")
  @Validation.Required
  String getModel();

  void setModel(String value);

  @Description("Write embeddings/*.avro (the pooled backbone features).")
  @Default.Boolean(true)
  boolean getEmbeddings();

  void setEmbeddings(boolean value);

  @Description("Also write the original's embeddings.{val,test}.csv (id, 0..D-1, target_0..).")
  @Default.Boolean(false)
  boolean getEmbeddingsCsv();

  void setEmbeddingsCsv(boolean value);
}
