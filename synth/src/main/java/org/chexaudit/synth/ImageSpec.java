package org.chexaudit.synth;

import java.util.List;

/**
 * Everything the painter needs to draw one image. The pixels depend on nothing else (plus the
 * config), so an image can be redrawn alone, in any order, on any thread.
 */
public record ImageSpec(int patient, int study, int view, boolean frontal, int width, int height,
    String sex, RaceGroup race, int age, List<LabelValue> labels) {

  public static ImageSpec of(Patient p, Study s, View v) {
    return new ImageSpec(p.index(), s.number(), v.number(), v.frontal(), v.width(), v.height(),
        p.sex(), p.raceGroup(), s.age(), s.labels());
  }

  /** The same image with different labels (for checking what the labels change). */
  public ImageSpec withLabels(List<LabelValue> newLabels) {
    return new ImageSpec(patient, study, view, frontal, width, height, sex, race, age, newLabels);
  }

  public ImageSpec withDemographics(String newSex, RaceGroup newRace, int newAge) {
    return new ImageSpec(patient, study, view, frontal, width, height, newSex, newRace, newAge,
        labels);
  }

  public LabelValue label(String name) {
    return labels.get(ChexpertFormat.labelIndex(name));
  }
}
