package org.chexaudit.core.chexclusion;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.chexaudit.schemas.CohortRecord;

/**
 * CheXclusion's ALLData (spec B3): the union of per-dataset cohorts on the 8 harmonised labels. Each
 * source's labels are picked by name, with aliases (Effusion <- Pleural Effusion for CheXpert and
 * MIMIC); a label a source lacks is blank (null). Records keep their split (the union of the
 * per-dataset splits) and their {@code source} attribute; ids and patient ids get the source as a
 * prefix ({@code CXP/1}) so patients of different datasets never merge.
 */
public final class MultiSource {
  private final List<String> labels;
  private final Map<String, String> aliases;
  private final List<CohortRecord> records = new ArrayList<>();

  private MultiSource(List<String> labels, Map<String, String> aliases) {
    this.labels = List.copyOf(labels);
    this.aliases = Map.copyOf(aliases);
  }

  /** The configured union: {@code all.labels} with {@code all.aliases}. */
  public static MultiSource chexclusion() {
    DatasetConfig c = DatasetConfig.load();
    return new MultiSource(c.labels("all"), c.pairs("all.aliases"));
  }

  public static MultiSource of(List<String> labels, Map<String, String> aliases) {
    return new MultiSource(labels, aliases);
  }

  public List<String> labels() {
    return labels;
  }

  /** Adds one source's records, whose labels are in {@code sourceLabels} order. */
  public MultiSource add(String source, List<String> sourceLabels, List<CohortRecord> sourceRecords) {
    for (CohortRecord r : sourceRecords) {
      records.add(toUnion(source, sourceLabels, r));
    }
    return this;
  }

  /** The map from the union's aliases, for {@link #of}. */
  public Map<String, String> aliases() {
    return aliases;
  }

  /** One record of {@code source} (labels in {@code sourceLabels} order) as a record of the union. */
  public CohortRecord toUnion(String source, List<String> sourceLabels, CohortRecord r) {
    if (r.getLabels().size() != sourceLabels.size()) {
      throw new IllegalArgumentException("MultiSource: record " + r.getId() + " of " + source + " has "
          + r.getLabels().size() + " labels, expected " + sourceLabels.size());
    }
    List<Float> values = new ArrayList<>();
    for (String l : labels) {
      int j = sourceLabels.indexOf(l);
      if (j < 0 && aliases.containsKey(l)) {
        j = sourceLabels.indexOf(aliases.get(l));
      }
      values.add(j < 0 ? null : r.getLabels().get(j));
    }
    Map<String, String> attrs = new HashMap<>();
    r.getAttributes().forEach((k, v) -> attrs.put(k.toString(), v.toString()));
    attrs.put("source", source);
    return CohortRecord.newBuilder(r).setId(source + "/" + r.getId())
        .setPatientId(source + "/" + r.getPatientId()).setLabels(values).setAttributes(attrs).build();
  }

  public List<CohortRecord> records() {
    return List.copyOf(records);
  }
}
