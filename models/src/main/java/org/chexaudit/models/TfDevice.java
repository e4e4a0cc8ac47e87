package org.chexaudit.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * Where a session's ops run, and the {@link ConfigProto} every session of this module is built with:
 * soft placement (an op without a kernel on the chosen device falls back to the CPU), GPU memory
 * growth on (TensorFlow otherwise reserves nearly all of a GPU's memory for the first session), and
 * the chosen device.
 *
 * <p>Devices: {@code auto} (TensorFlow's default: the first visible GPU if the GPU natives see one,
 * else the CPU), {@code cpu} (no GPU device in the session), {@code gpu} (the same as auto) or
 * {@code gpu:N} (only the N-th GPU among those CUDA makes visible; {@code CUDA_VISIBLE_DEVICES} is
 * honoured by CUDA itself, before this numbering). No op is pinned to a device, so a session whose
 * GPU is missing runs on the CPU rather than failing: check {@link #visibleDevices()} where that matters. When no device is
 * given, the system property {@code chexaudit.device} or else the environment variable
 * {@code CHEXAUDIT_DEVICE} is used, else {@code auto}. TensorFlow allows one GPU numbering per process:
 * sessions of one JVM must not name different {@code gpu:N}; run one worker JVM per GPU instead (on
 * Flink: one TaskManager per GPU, each started with its own {@code CUDA_VISIBLE_DEVICES}).
 */
public final class TfDevice {
  private final String kind;
  private final int index;

  private TfDevice(String kind, int index) {
    this.kind = kind;
    this.index = index;
  }

  /** Parses {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}; null or blank means {@link #configured()}. */
  public static TfDevice parse(String s) {
    if (s == null || s.isBlank()) {
      return configured();
    }
    String v = s.trim().toLowerCase(Locale.ROOT);
    if (v.equals("auto") || v.equals("cpu") || v.equals("gpu")) {
      return new TfDevice(v, -1);
    }
    if (v.matches("gpu:\\d+")) {
      return new TfDevice("gpu", Integer.parseInt(v.substring(4)));
    }
    throw new IllegalArgumentException("device must be auto, cpu, gpu or gpu:N, got '" + s + "'");
  }

  /** From {@code -Dchexaudit.device}, else {@code CHEXAUDIT_DEVICE}, else auto. */
  public static TfDevice configured() {
    String p = System.getProperty("chexaudit.device");
    if (p == null || p.isBlank()) {
      p = System.getenv("CHEXAUDIT_DEVICE");
    }
    return p == null || p.isBlank() ? new TfDevice("auto", -1) : parse(p);
  }

  /** Session configuration for this device; {@code threads} > 0 sets TensorFlow's thread pools. */
  ConfigProto sessionConfig(int threads, boolean perSessionThreads) {
    GPUOptions.Builder gpu = GPUOptions.newBuilder().setAllowGrowth(true);
    if (index >= 0) {
      gpu.setVisibleDeviceList(Integer.toString(index));
    }
    ConfigProto.Builder c = ConfigProto.newBuilder().setGpuOptions(gpu).setAllowSoftPlacement(true);
    if (kind.equals("cpu")) {
      c.putDeviceCount("GPU", 0);
    }
    if (threads > 0) {
      c.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads);
      if (perSessionThreads) {
        c.setUsePerSessionThreads(true);
      }
    }
    return c.build();
  }

  /**
   * The devices a session with this configuration sees, as "type name (memory MiB)", e.g.
   * {@code GPU /job:localhost/replica:0/task:0/device:GPU:0 (140000 MiB)}.
   */
  public List<String> visibleDevices() {
    TensorFlow.version(); // loads the natives
    byte[] config = sessionConfig(0, false).toByteArray();
    TF_Status status = tensorflow.TF_NewStatus();
    TF_Graph graph = tensorflow.TF_NewGraph();
    TF_SessionOptions opts = tensorflow.TF_NewSessionOptions();
    try (BytePointer bytes = new BytePointer(config)) {
      tensorflow.TF_SetConfig(opts, bytes, config.length, status);
      check(status);
      TF_Session session = tensorflow.TF_NewSession(graph, opts, status);
      check(status);
      List<String> out = new ArrayList<>();
      TF_DeviceList list = tensorflow.TF_SessionListDevices(session, status);
      check(status);
      for (int i = 0; i < tensorflow.TF_DeviceListCount(list); i++) {
        String name = tensorflow.TF_DeviceListName(list, i, status).getString();
        String type = tensorflow.TF_DeviceListType(list, i, status).getString();
        long mib = tensorflow.TF_DeviceListMemoryBytes(list, i, status) >> 20;
        out.add(type + " " + name + " (" + mib + " MiB)");
      }
      tensorflow.TF_DeleteDeviceList(list);
      tensorflow.TF_CloseSession(session, status);
      tensorflow.TF_DeleteSession(session, status);
      return out;
    } finally {
      tensorflow.TF_DeleteSessionOptions(opts);
      tensorflow.TF_DeleteGraph(graph);
      tensorflow.TF_DeleteStatus(status);
    }
  }

  private static void check(TF_Status s) {
    if (tensorflow.TF_GetCode(s) != 0) {
      throw new IllegalStateException("TensorFlow: " + tensorflow.TF_Message(s).getString());
    }
  }

  @Override
  public String toString() {
    return index >= 0 ? kind + ":" + index : kind;
  }
}
