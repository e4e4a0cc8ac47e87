package org.chexaudit.pipelines.stage;

/** The code version recorded in every manifest: the jar's version and, when built from git, its commit. */
public final class Version {
  private Version() {}

  public static String describe() {
    String v = Version.class.getPackage().getImplementationVersion();
    String commit = System.getProperty("chexaudit.commit", "");
    return (v == null ? "dev" : v) + (commit.isEmpty() ? "" : "+" + commit);
  }
}
