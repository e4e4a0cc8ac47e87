package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Options of the {@code preprocess} command. */
public interface PreprocessOptions extends StageOptions, CohortInputOption, ImageSizeOption, SplitsOption {
  @Description(
      "Folder the cohort's image paths are relative to: for CheXpert the folder that contains"
          + " CheXpert-v1.0/, for example: /data")
  @Validation.Required
  String getImageRoot();

  void setImageRoot(String value);

  @Description("square: chexploration's skimage resize to imageSize x imageSize; shorter-side: CheXclusion's"
      + " Scale(imageSize), the shorter side to imageSize keeping the aspect (Pillow's bilinear), for"
      + " train --protocol=chexclusion, which centre-crops.")
  @Default.String("square")
  String getResize();

  void setResize(String value);

  @Description("Also write the resized images as JPEGs (quality 0.75) to <output>/preproc_<N>x<N>/, like the original.")
  @Default.Boolean(false)
  boolean getWriteJpegs();

  void setWriteJpegs(boolean value);

  @Description("JPEG decoder: jdk (default: the JDK's javax.imageio) or libjpeg-turbo (TensorFlow's DecodeJpeg, the"
      + " library skimage and Pillow use; same pixels for 8-bit grey JPEGs, faster; other images still go through"
      + " the JDK). libjpeg-turbo decodes some corrupt files that the JDK's reader refuses with a warning (bad data"
      + " inside the scan) instead of making them dead letters.")
  @Default.String("jdk")
  String getDecoder();

  void setDecoder(String value);

  @Description("Images per output shard; 0 (default): as many as hold 64 Mi pixels (1,337 at 224 px), and at"
      + " least 32 shards per split while each keeps 16 images (a shard is decoded by one worker). An image's"
      + " shard is a hash of its id and each shard is written sorted by id, so two runs over the same images"
      + " write the same shards whatever the runner or parallelism, and training sees them in the same order.")
  @Default.Integer(0)
  int getImagesPerShard();

  void setImagesPerShard(int value);
}
