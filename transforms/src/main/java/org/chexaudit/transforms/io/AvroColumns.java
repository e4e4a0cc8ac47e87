package org.chexaudit.transforms.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;

/**
 * An Avro record seen as a table row, so an Avro file can be audited like a CSV: each scalar field
 * is a column by its name, each array field one column per element ({@code probabilities},
 * {@code logits} and {@code targets} as {@code class_i}, {@code logit_i} and {@code target_i}, the
 * names of predict's CSVs; other arrays as {@code name_i}), each map field one column per key
 * (predict's {@code attributes}: {@code sex}, {@code race} ...). Values are their text, as a CSV holds
 * them. The columns are those of a file's first record.
 */
public final class AvroColumns implements Serializable {
  private static final long serialVersionUID = 1L;
  private final List<String> names;
  private final List<String> fields;
  /** Array index, or -1 for a scalar or a map key. */
  private final int[] element;
  /** Map key, or null. */
  private final List<String> keys;

  private AvroColumns(List<String> names, List<String> fields, int[] element, List<String> keys) {
    this.names = names;
    this.fields = fields;
    this.element = element;
    this.keys = keys;
  }

  /** The columns of {@code file}'s first record; an error naming the file when it has none. */
  public static AvroColumns of(String file) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(file, false)));
        DataFileStream<GenericRecord> records = new DataFileStream<>(in, new GenericDatumReader<>())) {
      if (!records.hasNext()) {
        throw new IllegalArgumentException(file + ": no records");
      }
      return of(records.next());
    }
  }

  static AvroColumns of(GenericRecord first) {
    List<String> names = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    List<Integer> element = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (Schema.Field f : first.getSchema().getFields()) {
      Object v = first.get(f.name());
      if (v instanceof List<?> list) {
        String prefix = switch (f.name()) {
          case "probabilities" -> "class";
          case "logits" -> "logit";
          case "targets" -> "target";
          default -> f.name();
        };
        for (int i = 0; i < list.size(); i++) {
          names.add(prefix + "_" + i);
          fields.add(f.name());
          element.add(i);
          keys.add(null);
        }
      } else if (v instanceof Map<?, ?> map) {
        map.keySet().stream().map(Object::toString).sorted().forEach(k -> {
          names.add(k);
          fields.add(f.name());
          element.add(-1);
          keys.add(k);
        });
      } else {
        names.add(f.name());
        fields.add(f.name());
        element.add(-1);
        keys.add(null);
      }
    }
    return new AvroColumns(List.copyOf(names), List.copyOf(fields), element.stream().mapToInt(i -> i).toArray(),
        new ArrayList<>(keys));
  }

  /** Column names, the header of the table. */
  public List<String> names() {
    return names;
  }

  /** Column {@code i} of {@code r} as text; "" when the record lacks it or holds null. */
  public String text(GenericRecord r, int i) {
    if (i < 0 || i >= names.size()) {
      return "";
    }
    Object v = r.get(fields.get(i));
    if (v instanceof List<?> list) {
      v = element[i] < list.size() ? list.get(element[i]) : null;
    } else if (v instanceof Map<?, ?> map) {
      Object found = null;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (e.getKey().toString().equals(keys.get(i))) {
          found = e.getValue();
        }
      }
      v = found;
    }
    return v == null ? "" : v.toString();
  }
}
