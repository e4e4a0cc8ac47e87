package org.chexaudit.transforms.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourcesTest {
  @TempDir Path tmp;

  @Test
  void relativePathsBecomeAbsoluteAndSchemedOnesStayAsGiven() {
    assertThat(Resources.absolute("runs/a"), equalTo(Path.of("runs/a").toAbsolutePath().toString()));
    assertThat(Resources.absolute("hdfs://nn:8020/runs/a"), equalTo("hdfs://nn:8020/runs/a"));
    assertThat(Resources.scheme("hdfs://nn:8020/runs/a"), equalTo("hdfs"));
    assertThat(Resources.scheme("/data/x"), equalTo("file"));
    assertThat(Resources.absolute("file:///data/x"), equalTo("/data/x"));
    assertThat(Resources.absolute("file:///data/a%20b/x.csv"), equalTo("/data/a b/x.csv"));
    assertThat(Resources.absolute("file:/data/x"), equalTo("/data/x"));
    assertThat(Resources.absolute("file:///data/{a,b}/*.avro"), equalTo("/data/{a,b}/*.avro"));
    assertThat(Resources.path(Resources.dir("file:///data/runs/")), equalTo("/data/runs"));
    // Beam's Hadoop file system: new resources from URIs (space encoded), matches from raw text
    assertThat(Resources.absolute("hdfs://nn:8020/d/CHEXPERT DEMO.xlsx"), equalTo("hdfs://nn:8020/d/CHEXPERT%20DEMO.xlsx"));
    assertThat(Resources.matchSpec("hdfs://nn:8020/d/CHEXPERT%20DEMO.xlsx"), equalTo("hdfs://nn:8020/d/CHEXPERT DEMO.xlsx"));
    assertThat(Resources.matchSpec("/d/a%20b.csv"), equalTo("/d/a%20b.csv"));
    // Beam's S3 file system takes the text as the key, for a new object and for a match alike
    assertThat(Resources.absolute("s3://b/d/CHEXPERT DEMO.xlsx"), equalTo("s3://b/d/CHEXPERT DEMO.xlsx"));
    assertThat(Resources.matchSpec("s3://b/d/a%20b.csv"), equalTo("s3://b/d/a%20b.csv"));
  }

  @Test
  void writesReadsListsCopiesAndDeletesATree() throws Exception {
    ResourceId dir = Resources.dir(tmp.resolve("out").toString());
    assertThat(Resources.hasFiles(dir), is(false));
    Resources.writeString(Resources.file(dir, "a.txt"), "one");
    Resources.writeString(Resources.file(dir, "sub/deep/b.txt"), "two");
    assertThat(Resources.exists(Resources.file(dir, "a.txt")), is(true));
    assertThat(Resources.exists(Resources.file(dir, "c.txt")), is(false));
    assertThat(Resources.readString(Resources.file(dir, "sub/deep/b.txt")), equalTo("two"));
    assertThat(Resources.tree(dir).stream().map(m -> m.resourceId().getFilename()).toList(), contains("a.txt", "b.txt"));
    assertThat(Resources.list(dir, "*.txt").stream().map(MatchResult.Metadata::sizeBytes).toList(), contains(3L));

    Path local = tmp.resolve("copy");
    Resources.download(dir, local);
    assertThat(Files.readString(local.resolve("sub/deep/b.txt")), equalTo("two"));
    ResourceId back = Resources.dir(tmp.resolve("back").toString());
    Resources.upload(local, back);
    assertThat(Resources.readString(Resources.file(back, "sub/deep/b.txt")), equalTo("two"));

    Resources.deleteTree(dir);
    assertThat(Files.exists(tmp.resolve("out")), is(false));
  }

  /** Beam's local file system would take "file:///x" for a relative folder named "file:". */
  @Test
  void fileUrisBecomePlainAbsolutePaths() throws Exception {
    Path f = Files.writeString(tmp.resolve("a b.csv"), "x");
    assertThat(Resources.absolute(f.toUri().toString()), equalTo(f.toString()));
    assertThat(Resources.absolute("file:" + f), equalTo(f.toString()));
    assertThat(Resources.absolute("file://" + f), equalTo(f.toString()));
    assertThat(Resources.exists(Resources.file(f.toUri().toString())), is(true));
    assertThat(Resources.readString(Resources.file(f.toUri().toString())), equalTo("x"));
  }

  @Test
  void writesAndReadsUtf8TextAndFindsAnExistingFileOnly() throws Exception {
    ResourceId dir = Resources.dir(tmp.resolve("text").toString());
    ResourceId file = Resources.file(dir, "sub/ä.csv");
    try (java.io.BufferedWriter w = Resources.writer(file)) {
      w.write("a,b\nÄ,1\n");
    }
    try (java.io.BufferedReader r = Resources.reader(file)) {
      assertThat(r.readLine(), equalTo("a,b"));
      assertThat(r.readLine(), equalTo("Ä,1"));
    }
    assertThat(Resources.existingFile(Resources.path(file)), equalTo(file));
    assertThat(Resources.existingFile(tmp.resolve("text/sub/none.csv").toString()), is((ResourceId) null));
    assertThat("a folder is not a file", Resources.existingFile(tmp.resolve("text/sub").toString()), is((ResourceId) null));
  }

  /**
   * A writer that closes the stream it was given inside a try-with-resources that closes the stream too
   * (Avro's DataFileWriter in AvroPart) closes the file's channel once: Beam's S3 channel fails a second close.
   */
  @Test
  void aStreamClosedTwiceClosesItsChannelOnce() throws Exception {
    int[] closes = {0};
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    WritableByteChannel channel = new WritableByteChannel() {
      private final WritableByteChannel to = Channels.newChannel(bytes);

      @Override
      public int write(ByteBuffer src) throws IOException {
        return to.write(src);
      }

      @Override
      public boolean isOpen() {
        return closes[0] == 0;
      }

      @Override
      public void close() throws IOException {
        if (++closes[0] > 1) {
          throw new IOException("closed twice (as S3's completeMultipartUpload: NoSuchKey)");
        }
      }
    };
    try (OutputStream out = Channels.newOutputStream(Resources.closingOnce(channel))) {
      out.write("abc".getBytes(StandardCharsets.UTF_8));
      out.close();
    }
    assertThat(closes[0], is(1));
    assertThat(bytes.toString(StandardCharsets.UTF_8), is("abc"));
  }
}
