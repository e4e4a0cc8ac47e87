package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Description;

/** Options of the {@code chexclusion-cohort} command. */
public interface ChexclusionCohortOptions extends StageOptions, SeedOption, DatasetOption, ChexpertDirOption {
  @Description("MIMIC-CXR CheXpert-labeller CSV (subject_id, study_id, labels), for example:"
      + " /data/mimic-cxr-2.0.0-chexpert.csv")
  String getMimicLabels();

  void setMimicLabels(String value);

  @Description("MIMIC-CXR metadata with subject_id, dicom_id, study_id, gender, age_decile, race, insurance,"
      + " for example: /data/mimic-cxr-metadata-detail.csv")
  String getMimicMetadata();

  void setMimicMetadata(String value);

  @Description("ChestX-ray14 Data_Entry_2017.csv, for example: /data/NIH/Data_Entry_2017.csv")
  String getNihDataEntry();

  void setNihDataEntry(String value);
}
