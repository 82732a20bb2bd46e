// Prints the partition the Java producer picks for each key (one UTF-8 key per line of
// the file in args[0]) with args[1] partitions, using the client's own code.
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;

public class PartitionForKey {
  public static void main(String[] args) throws Exception {
    int partitions = Integer.parseInt(args[1]);
    StringBuilder out = new StringBuilder();
    for (String key : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
      byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
      out.append(BuiltInPartitioner.partitionForKey(bytes, partitions)).append('\n');
    }
    System.out.print(out);
  }
}
