package org.chexaudit.schemas;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to instantiate classes named in schemas unless they are trusted. This adds the
 * chexaudit schema package to Avro's default trust list. Call {@link #install()} once per JVM before
 * records are decoded; the launcher also passes {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES} so
 * worker JVMs that never call it (a Flink TaskManager) trust the package too.
 */
public final class TrustedSchemas {
  public static final String PACKAGE = "org.chexaudit.schemas";
  private static volatile boolean installed;

  private TrustedSchemas() {}

  public static synchronized void install() {
    if (installed) {
      return;
    }
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(
            ClassSecurityValidator.getGlobal(), cls -> cls.getName().startsWith(PACKAGE + ".")));
    installed = true;
  }
}
