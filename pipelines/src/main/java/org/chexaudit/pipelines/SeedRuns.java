package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.Cli;
import org.chexaudit.pipelines.stage.StageOutput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.chexaudit.models.TrainConfig;

/**
 * The layout of a multi-seed run (CheXclusion trains every model several times on one split):
 * {@code <output>/seed<N>/} per seed, each a complete train (or predict) output with its own manifest.
 */
final class SeedRuns {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SeedRuns() {}

  static Path dir(Path parent, long seed) {
    return parent.resolve("seed" + seed);
  }

  /** {@code --seeds=32,40,56}: distinct integers in the given order; empty when not given. */
  static List<Long> parse(String seeds) {
    List<String> items = Cli.commaList(seeds);
    List<Long> out;
    try {
      out = items.stream().map(Long::parseLong).toList();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--seeds '" + seeds + "' must be integers, for example: 32,40,56,60,90");
    }
    if (out.stream().distinct().count() != out.size()) {
      throw new IllegalArgumentException("--seeds '" + seeds + "' names a seed twice");
    }
    return out;
  }

  /**
   * The seed model dirs under {@code parent} ({@code seed<N>}, by N), or empty when {@code parent} is
   * a model dir itself (or holds no seed folders).
   */
  static List<Path> modelDirs(Path parent) {
    if (!Files.isDirectory(parent) || Files.exists(parent.resolve("model.json"))) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(parent)) {
      return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches("seed-?\\d+"))
          .sorted(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(4))))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + parent, e);
    }
  }

  /**
   * Whether {@code dir} holds a finished model of {@code config}; fails when it holds one trained
   * with other settings, so a rerun never mixes models of different configs.
   */
  static boolean alreadyTrained(Path dir, TrainConfig config) {
    if (!Files.exists(dir.resolve(StageOutput.MANIFEST))) {
      return false;
    }
    try {
      JsonNode stored = JSON.readTree(dir.resolve("model.json").toFile()).get("config");
      JsonNode wanted = JSON.readTree(JSON.writeValueAsString(config.toMap()));
      if (!wanted.equals(stored)) {
        throw new IllegalArgumentException("output " + dir + " holds a model trained with other settings ("
            + stored + " vs " + wanted + "); pass --overwrite=true or choose another --output");
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve("model.json"), e);
    }
  }
}
