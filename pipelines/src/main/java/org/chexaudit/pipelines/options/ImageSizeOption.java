package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code --imageSize}: the image side preprocess writes, train checks, import-model's network takes and
 * audit preprocesses to. The defaults differ by command, so the option has no Beam default.
 */
public interface ImageSizeOption extends PipelineOptions {
  @Description("Image side in pixels. preprocess: of the square output images (with --resize=shorter-side: of"
      + " the shorter side), default 224, the original's (CheXclusion: 256); train: taken from the shards when"
      + " not given, and must match them when given; import-model: of the square network input, predict's shards"
      + " must hold images of this size (raw) or with a shorter side at least this (centre-cropping recipes),"
      + " default 224; audit: after pre-processing, default 64 on generated data, 224 on CheXpert."
      + " For example: 224")
  Integer getImageSize();

  void setImageSize(Integer value);
}
