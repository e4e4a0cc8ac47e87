package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** {@code --predictions}: the predictions that metrics audits and explore explores. */
public interface PredictionsOption extends PipelineOptions {
  @Description("Predictions to read. metrics: a predictions file to audit, predict's Avro (or a glob of files)"
      + " or any CSV with a header, for example: preds/predictions.test.csv; explore: the output folder of a"
      + " predict stage of a DISEASE model (predictions/*.avro, embeddings/*.avro), for example:"
      + " runs/demo/predict-resample")
  @Validation.Required
  String getPredictions();

  void setPredictions(String value);
}
