package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Options of the {@code import-model} command. */
public interface ImportModelOptions extends StageOptions, TaskOption, ThreadsOption, ImageSizeOption {
  @Description("A torchvision-format state dict as .npz (np.savez of {name: tensor.numpy()}), head included,"
      + " for example: densenet121_chexpert.npz")
  @Validation.Required
  String getWeights();

  void setWeights(String value);

  @Description("densenet121 or resnet34; default: told from the tensor names, and checked when given")
  String getArchitecture();

  void setArchitecture(String value);

  @Description("Names of the head's outputs, comma-separated or a file with one per line; default: CheXpert's"
      + " 14 (datafiles/chexpert/labels.txt) for a 14-output head, TorchXRayVision's 18"
      + " (datafiles/torchxrayvision/labels.txt) for an 18-output grey-stem head, else class_0..")
  String getHeadLabels();

  void setHeadLabels(String value);

  @Description("How stored grey uint8 pixels become the network's input: imagenet_centre_crop (x/255, ImageNet"
      + " mean/std, 3 channels), torchxrayvision ((2x/255-1)*1024) or raw (0..255); the first two take the centre"
      + " imageSize square. Default: torchxrayvision for a one-channel stem, else imagenet_centre_crop")
  String getInputRecipe();

  void setInputRecipe(String value);
}
