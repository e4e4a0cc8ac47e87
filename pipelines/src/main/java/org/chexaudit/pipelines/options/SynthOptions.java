package org.chexaudit.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Options of the {@code synth} command: cohort size, seed, images, and every planted effect.
 * docs/synth.md describes the effects and how to check them.
 */
public interface SynthOptions extends StageOptions, SeedOption, ThreadsOption, PatientsOption {
  @Description("CheXpert-size preset: 64,540 train.csv patients, exactly 223,414 rows and 65,401"
      + " spreadsheet rows; overrides --patients, --rows and --demoPatients.")
  @Default.Boolean(false)
  boolean getFull();

  void setFull(boolean value);

  @Description("Exact number of train.csv rows (images); 0 = what the per-patient counts add up to.")
  @Default.Integer(0)
  int getRows();

  void setRows(int value);

  @Description("Mean images per patient (CheXpert: 223,414 / 64,540 = 3.46).")
  @Default.Double(3.4616671831422375)
  double getMeanImagesPerPatient();

  void setMeanImagesPerPatient(double value);

  @Description("Exact number of rows of CHEXPERT DEMO.xlsx; 0 = derive from the two fractions below.")
  @Default.Integer(0)
  int getDemoPatients();

  void setDemoPatients(int value);

  @Description("Share of train.csv patients left out of the spreadsheet.")
  @Default.Double(0.01)
  double getMissingFromDemoFraction();

  void setMissingFromDemoFraction(double value);

  @Description("Spreadsheet-only patients (no images), as a share of --patients.")
  @Default.Double(0.013)
  double getDemoOnlyFraction();

  void setDemoOnlyFraction(double value);

  @Description("Folder format: chexpert (train.csv + CHEXPERT DEMO.xlsx), mimic (MIMIC-CXR-JPG CSVs and"
      + " files/), or nih (Data_Entry_2017.csv and images/), the last two for chexclusion-cohort")
  @Default.Enum("chexpert")
  SynthFormat getFormat();

  void setFormat(SynthFormat value);

  @Description("mimic/nih formats: a planted TPR gap attribute=group:label:factor (the finding painted at"
      + " factor x strength in that group), for example: insurance=Medicaid:Cardiomegaly:0.3")
  String getPlantedGap();

  void setPlantedGap(String value);

  @Description("Write the JPEG images (false: only train.csv and the spreadsheet).")
  @Default.Boolean(true)
  boolean getImages();

  void setImages(boolean value);

  @Description("Smallest image side in pixels (width and height are drawn separately).")
  @Default.Integer(256)
  int getMinImageSize();

  void setMinImageSize(int value);

  @Description("Largest image side in pixels.")
  @Default.Integer(384)
  int getMaxImageSize();

  void setMaxImageSize(int value);

  @Description("JPEG quality, 1..100.")
  @Default.Integer(90)
  int getJpegQuality();

  void setJpegQuality(int value);

  @Description("Multiplies every finding's pattern strength (0 = no disease signal in the pixels).")
  @Default.Double(1.0)
  double getFindingStrength();

  void setFindingStrength(double value);

  @Description("Per-label pattern strengths before --findingStrength, for example:"
      + " \"Pleural Effusion=2,Fracture=1\". Defaults: 1 for every painted label, 0 for Fracture"
      + " (the negative control).")
  @Default.String("")
  String getFindingStrengths();

  void setFindingStrengths(String value);

  @Description("Strength factor for uncertain (-1.0) labels.")
  @Default.Double(0.5)
  double getUncertainStrength();

  void setUncertainStrength(double value);

  @Description("Sex signal: Female images get breast shadows over the lower lung fields.")
  @Default.Double(1.0)
  double getSexSignal();

  void setSexSignal(double value);

  @Description("Race signal: a faint grating over the body, orientation and frequency per race group.")
  @Default.Double(1.0)
  double getRaceSignal();

  void setRaceSignal(double value);

  @Description("Age signal: bone density and contrast fall with age.")
  @Default.Double(1.0)
  double getAgeSignal();

  void setAgeSignal(double value);

  @Description("Ties race to the disease features: the finding patterns are striped with the race"
      + " grating at this depth (0 = not tied).")
  @Default.Double(0.0)
  double getRaceFindingCoupling();

  void setRaceFindingCoupling(double value);

  @Description("Pixel noise amplitude in grey levels.")
  @Default.Double(10.0)
  double getNoise();

  void setNoise(double value);

  @Description("Label prevalence shifts by group, Label@Group=oddsRatio, Group one of White, Asian,"
      + " Black, Other, Male, Female; for example: \"Pleural Effusion@Black=2,Cardiomegaly@Female=0.5\".")
  @Default.String("")
  String getPrevalenceShifts();

  void setPrevalenceShifts(String value);

  @Description("Label rates Label=positive:uncertain:negative overriding the CheXpert-like"
      + " defaults, for example: \"Pleural Effusion=0.5:0.05:0.2\".")
  @Default.String("")
  String getLabelRates();

  void setLabelRates(String value);

  @Description("How strongly effusion, cardiomegaly, edema, atelectasis, enlarged cardiomediastinum"
      + " and devices become more common with age (0 = not at all).")
  @Default.Double(1.0)
  double getAgeDiseaseEffect();

  void setAgeDiseaseEffect(double value);

  @Description("Share of female patients.")
  @Default.Double(0.406)
  double getFemaleFraction();

  void setFemaleFraction(double value);
}
