package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** {@code --shards}: the preprocess output that train and predict read. */
public interface ImageShardsOption extends PipelineOptions {
  @Description("Output folder of the preprocess stage (holding images/<split>/part-*.avro), for example:"
      + " runs/demo/images")
  @Validation.Required
  String getShards();

  void setShards(String value);
}
