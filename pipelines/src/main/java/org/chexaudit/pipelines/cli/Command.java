package org.chexaudit.pipelines.cli;

/** A launcher command's entry point, a static {@code main(String[])} given as a method reference. */
@FunctionalInterface
public interface Command {
  void main(String[] args) throws Exception;
}
