package org.chexaudit.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;

/**
 * Writes a TensorFlow SavedModel (tag {@code serve}) of an inference graph with the given weights.
 * Input {@code images}: uint8 {@code [N, size, size]}, raw 0-255. Signatures:
 * {@code serving_default} (all outputs), {@code logits}, {@code probabilities}, {@code embeddings};
 * outputs are named {@code logits_<head>}, {@code probabilities_<head>} and {@code embeddings}.
 */
final class SavedModelExport {
  static final String SERVE = "serve";

  private SavedModelExport() {}

  static void export(ModelSpec spec, Path weights, Path exportDir, int threads) throws IOException {
    export(spec, weights, exportDir, threads, TfDevice.configured());
  }

  static void export(ModelSpec spec, Path weights, Path exportDir, int threads, TfDevice device) throws IOException {
    deleteTree(exportDir);
    try (NetworkGraph g = NetworkGraph.inference(spec, threads, device)) {
      g.vars.write(g.session, Npz.read(weights));
      Signature.Builder all = Signature.builder().key(Signature.DEFAULT_KEY).input(NetworkGraph.INPUT, g.images);
      Signature.Builder logits = Signature.builder().key("logits").input(NetworkGraph.INPUT, g.images);
      Signature.Builder probs = Signature.builder().key("probabilities").input(NetworkGraph.INPUT, g.images);
      for (HeadSpec h : spec.heads()) {
        String k = h.head().key();
        all.output("logits_" + k, g.logits.get(h.head())).output("probabilities_" + k, g.probabilities.get(h.head()));
        logits.output("logits_" + k, g.logits.get(h.head()));
        probs.output("probabilities_" + k, g.probabilities.get(h.head()));
      }
      all.output("embeddings", g.embeddings);
      Signature emb = Signature.builder().key("embeddings").input(NetworkGraph.INPUT, g.images)
          .output("embeddings", g.embeddings).build();
      SavedModelBundle.exporter(exportDir.toString()).withTags(SERVE).withSession(g.session)
          .withSignatures(all.build(), logits.build(), probs.build(), emb).export();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
